/**
 * What a search returns beyond the matches
 * (http://hl7.org/fhir/R4/search.html#include, #revinclude, #sort, #total,
 * #summary, #elements): included resources, order, totals and subsets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { entries, expectOutcome, ids, link, newScope, orderedIds, refs, search, type Scope } from '../support/search.js';

const LOINC = 'http://loinc.org';
const SUBSETTED = 'SUBSETTED';

function isSubsetted(resource: any): boolean {
  return (resource.meta?.tag ?? []).some((t: { code?: string }) => t.code === SUBSETTED);
}

forEachBackend('search: includes, sort, totals and subsets', (server) => {
  async function household(s: Scope) {
    const create = (resource: Record<string, unknown>) => server().create(s.mark(resource as { resourceType: string }));
    const organization = await create({ resourceType: 'Organization', name: `Maison de santé ${s.u}` });
    const practitioner = await create({ resourceType: 'Practitioner', name: [{ family: 'Roux', given: ['Anne'] }] });
    const patient = await create({
      resourceType: 'Patient', name: [{ family: `Garnier${s.u}` }], managingOrganization: { reference: `Organization/${organization.id}` },
    });
    const other = await create({ resourceType: 'Patient', name: [{ family: `Faure${s.u}` }] });
    const location = await create({ resourceType: 'Location', name: `Salle ${s.u}` });
    const observation = (subject: string, extra: Record<string, unknown> = {}) => create({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '29463-7' }] },
      subject: { reference: subject }, ...extra,
    });
    const weight = await observation(`Patient/${patient.id}`, { performer: [{ reference: `Practitioner/${practitioner.id}` }] });
    const weight2 = await observation(`Patient/${patient.id}`);
    const roomObservation = await observation(`Location/${location.id}`);
    const otherWeight = await observation(`Patient/${other.id}`);
    const prescription = await create({
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Amoxicilline 1 g' },
      subject: { reference: `Patient/${patient.id}` }, requester: { reference: `Practitioner/${practitioner.id}` },
    });
    return { organization, practitioner, patient, other, location, weight, weight2, roomObservation, otherWeight, prescription };
  }

  test('_include=Observation:subject adds the subjects, marked include', async () => {
    const s = newScope();
    const h = await household(s);
    const bundle = (await search(server(), `Observation?_include=Observation:subject&_total=accurate&${s.q}`)).body;
    assert.deepEqual(ids(bundle), [h.weight.id, h.weight2.id, h.roomObservation.id, h.otherWeight.id].sort());
    // Each subject once, even if several matches point to it.
    assert.deepEqual(refs(bundle, 'include'), [`Location/${h.location.id}`, `Patient/${h.other.id}`, `Patient/${h.patient.id}`].sort());
    for (const entry of entries(bundle)) {
      assert.ok(entry.fullUrl?.endsWith(`/${entry.resource.resourceType}/${entry.resource.id}`));
      assert.equal(entry.search?.mode, entry.resource.resourceType === 'Observation' ? 'match' : 'include');
    }
    // Includes do not count in the total.
    assert.equal(bundle.total, 4);
  });

  test('_include of a versioned reference gives that version, and of a plain one the current version', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Premiere' }] }));
    const atOne = await server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'v1' }, subject: { reference: `Patient/${patient.id}/_history/1` } }));
    const current = await server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'now' }, subject: { reference: `Patient/${patient.id}` } }));
    const updated = await server().put(`Patient/${patient.id}`, { ...patient, name: [{ family: 'Seconde' }] });
    assert.equal(updated.status, 200, updated.text);
    const versioned = (await search(server(), `Observation?_id=${atOne.id}&_include=Observation:subject`)).body;
    const [old] = entries(versioned).filter((e) => e.search?.mode === 'include');
    assert.equal(old?.resource.meta.versionId, '1', 'the version the reference names');
    assert.equal(old?.resource.name[0].family, 'Premiere');
    const plain = (await search(server(), `Observation?_id=${current.id}&_include=Observation:subject`)).body;
    const [now] = entries(plain).filter((e) => e.search?.mode === 'include');
    assert.equal(now?.resource.meta.versionId, '2');
    assert.equal(now?.resource.name[0].family, 'Seconde');
  });

  test('_include with a target type, and _include=*', async () => {
    const s = newScope();
    const h = await household(s);
    const typed = (await search(server(), `Observation?_include=Observation:subject:Patient&${s.q}`)).body;
    assert.deepEqual(refs(typed, 'include'), [`Patient/${h.other.id}`, `Patient/${h.patient.id}`].sort());

    const all = (await search(server(), `Observation?_id=${h.weight.id}&_include=*`)).body;
    assert.deepEqual(refs(all), [`Observation/${h.weight.id}`]);
    assert.deepEqual(refs(all, 'include'), [`Patient/${h.patient.id}`, `Practitioner/${h.practitioner.id}`].sort());
  });

  test('_revinclude=Observation:subject adds the observations pointing to the matches', async () => {
    const s = newScope();
    const h = await household(s);
    const bundle = (await search(server(), `Patient?_id=${h.patient.id}&_revinclude=Observation:subject&_total=accurate`)).body;
    assert.deepEqual(refs(bundle), [`Patient/${h.patient.id}`]);
    assert.deepEqual(refs(bundle, 'include'), [`Observation/${h.weight.id}`, `Observation/${h.weight2.id}`].sort());
    assert.equal(bundle.total, 1);

    const both = (await search(server(), `Patient?_id=${h.patient.id}&_revinclude=Observation:subject&_revinclude=MedicationRequest:subject`)).body;
    assert.deepEqual(refs(both, 'include'), [`MedicationRequest/${h.prescription.id}`, `Observation/${h.weight.id}`, `Observation/${h.weight2.id}`].sort());
  });

  test(':iterate follows the included resources: MedicationRequest → Patient → Organization', async () => {
    const s = newScope();
    const h = await household(s);
    const once = (await search(server(), `MedicationRequest?_id=${h.prescription.id}&_include=MedicationRequest:subject&_include=Patient:organization`)).body;
    // Without :iterate, Patient:organization applies to the matches only (MedicationRequests): nothing more.
    assert.deepEqual(refs(once, 'include'), [`Patient/${h.patient.id}`]);

    const iterated = (await search(server(), `MedicationRequest?_id=${h.prescription.id}&_include=MedicationRequest:subject&_include:iterate=Patient:organization`)).body;
    assert.deepEqual(refs(iterated), [`MedicationRequest/${h.prescription.id}`]);
    assert.deepEqual(refs(iterated, 'include'), [`Organization/${h.organization.id}`, `Patient/${h.patient.id}`].sort());

    const reverse = (await search(server(), `Organization?_id=${h.organization.id}&_revinclude=Patient:organization&_revinclude:iterate=Observation:patient`)).body;
    assert.deepEqual(refs(reverse, 'include'), [`Observation/${h.weight.id}`, `Observation/${h.weight2.id}`, `Patient/${h.patient.id}`].sort());
  });

  test(':iterate walks a hierarchy ten levels deep, up (partof) and down (revinclude)', async () => {
    const s = newScope();
    const levels: { id: string }[] = [];
    for (let depth = 0; depth < 10; depth += 1) {
      const parent = levels[depth - 1];
      levels.push(await server().create(s.mark({
        resourceType: 'Organization', name: `Niveau ${depth} ${s.u}`, ...(parent ? { partOf: { reference: `Organization/${parent.id}` } } : {}),
      })));
    }
    const [root, ...below] = levels as [{ id: string }, ...{ id: string }[]];
    const leaf = below[below.length - 1] as { id: string };
    const up = (await search(server(), `Organization?_id=${leaf.id}&_include:iterate=Organization:partof`)).body;
    assert.deepEqual(refs(up, 'include'), levels.slice(0, -1).map((o) => `Organization/${o.id}`).sort());
    const down = (await search(server(), `Organization?_id=${root.id}&_revinclude:iterate=Organization:partof`)).body;
    assert.deepEqual(refs(down, 'include'), below.map((o) => `Organization/${o.id}`).sort());
  });

  test('_revinclude with a target type keeps the references to resources of that type', async () => {
    const s = newScope();
    const h = await household(s);
    const typed = (await search(server(), `Patient?_id=${h.patient.id}&_revinclude=Observation:subject:Patient`)).body;
    assert.deepEqual(refs(typed, 'include'), [`Observation/${h.weight.id}`, `Observation/${h.weight2.id}`].sort());
    const otherType = (await search(server(), `Patient?_id=${h.patient.id}&_revinclude=Observation:subject:Group`)).body;
    assert.deepEqual(refs(otherType), [`Patient/${h.patient.id}`]);
    assert.deepEqual(refs(otherType, 'include'), []);
  });

  test('a resource both matched and included appears once, as a match', async () => {
    const s = newScope();
    const h = await household(s);
    const bundle = (await search(server(), `?_type=Observation,Patient&_id=${h.weight.id},${h.patient.id}&_include=Observation:subject`)).body;
    assert.deepEqual(refs(bundle), [`Observation/${h.weight.id}`, `Patient/${h.patient.id}`].sort());
    assert.deepEqual(refs(bundle, 'include'), []);
  });

  test('_include and _revinclude follow canonical references (url|version) to canonical resources', async () => {
    const s = newScope();
    const url = `http://socle.example/Questionnaire/suivi-${s.u}`;
    const create = (resource: Record<string, unknown>) => server().create(s.mark(resource as { resourceType: string }));
    const v1 = await create({ resourceType: 'Questionnaire', url, version: '1.0', status: 'active' });
    const v2 = await create({ resourceType: 'Questionnaire', url, version: '2.0', status: 'active' });
    const answer = await create({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: `${url}|1.0` });
    const unversioned = await create({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: url });

    const included = (await search(server(), `QuestionnaireResponse?_id=${answer.id}&_include=QuestionnaireResponse:questionnaire`)).body;
    assert.deepEqual(refs(included, 'include'), [`Questionnaire/${v1.id}`], 'the version the reference names');
    const both = (await search(server(), `QuestionnaireResponse?_id=${unversioned.id}&_include=QuestionnaireResponse:questionnaire`)).body;
    assert.deepEqual(refs(both, 'include'), [`Questionnaire/${v1.id}`, `Questionnaire/${v2.id}`].sort(), 'without a version, every resource of that URL');

    const reverse = (await search(server(), `Questionnaire?_id=${v1.id}&_revinclude=QuestionnaireResponse:questionnaire`)).body;
    assert.deepEqual(refs(reverse, 'include'), [`QuestionnaireResponse/${answer.id}`, `QuestionnaireResponse/${unversioned.id}`].sort());
    const reverse2 = (await search(server(), `Questionnaire?_id=${v2.id}&_revinclude=QuestionnaireResponse:questionnaire`)).body;
    assert.deepEqual(refs(reverse2, 'include'), [`QuestionnaireResponse/${unversioned.id}`], 'a reference to 1.0 is not one to 2.0');
  });

  test('_sort on several keys, descending with "-"', async () => {
    const s = newScope();
    const create = (family: string, birthDate: string) => server().create(s.mark({ resourceType: 'Patient', name: [{ family }], birthDate }));
    const b80 = await create('Bertin', '1980-01-01');
    const a80 = await create('Arnaud', '1980-01-01');
    const c90 = await create('Colin', '1990-06-15');
    const a70 = await create('Aubert', '1970-03-03');
    const e85 = await create('Étienne', '1985-09-09');

    const byBirthDescThenFamily = orderedIds((await search(server(), `Patient?_sort=-birthdate,family&${s.q}`)).body);
    assert.deepEqual(byBirthDescThenFamily, [c90.id, e85.id, a80.id, b80.id, a70.id]);
    const byBirthThenFamilyDesc = orderedIds((await search(server(), `Patient?_sort=birthdate,-family&${s.q}`)).body);
    assert.deepEqual(byBirthThenFamilyDesc, [a70.id, b80.id, a80.id, e85.id, c90.id]);
    // Strings sort as searched: accents and case folded ("Étienne" between "Colin" and nothing after).
    const byFamily = orderedIds((await search(server(), `Patient?_sort=family&${s.q}`)).body);
    assert.deepEqual(byFamily, [a80.id, a70.id, b80.id, c90.id, e85.id]);
  });

  test('_sort on a repeating element: the lowest value ascending, the highest descending', async () => {
    const s = newScope();
    const create = (families: string[]) => server().create(s.mark({ resourceType: 'Patient', name: families.map((family) => ({ family })) }));
    const abelZola = await create(['Zola', 'Abel']);
    const martin = await create(['Martin']);
    const bruneau = await create(['Bruneau', 'Petit']);
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=family&${s.q}`)).body), [abelZola.id, bruneau.id, martin.id]);
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=-family&${s.q}`)).body), [abelZola.id, bruneau.id, martin.id]);
  });

  test('_sort=_lastUpdated and _sort=_id', async () => {
    const s = newScope();
    const created = [];
    for (const family of ['Un', 'Deux', 'Trois']) {
      created.push(await server().create(s.mark({ resourceType: 'Patient', name: [{ family }] })));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [first, second, third] = created as [any, any, any];
    // Updating the first makes it the most recent.
    const updated = await server().put(`Patient/${first.id}`, { ...first, active: true });
    assert.equal(updated.status, 200);
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=_lastUpdated&${s.q}`)).body), [second.id, third.id, first.id]);
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=-_lastUpdated&${s.q}`)).body), [first.id, third.id, second.id]);
    const byId = [first.id, second.id, third.id].sort();
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=_id&${s.q}`)).body), byId);
    assert.deepEqual(orderedIds((await search(server(), `Patient?_sort=-_id&${s.q}`)).body), [...byId].reverse());
  });

  test('_total=none, estimate and accurate; _count=0 returns only the total', async () => {
    const s = newScope();
    for (let i = 0; i < 3; i += 1) await server().create(s.mark({ resourceType: 'Patient', gender: 'female' }));
    const accurate = (await search(server(), `Patient?_total=accurate&_count=1&${s.q}`)).body;
    assert.equal(accurate.total, 3);
    assert.equal(ids(accurate).length, 1);
    const none = (await search(server(), `Patient?_total=none&${s.q}`)).body;
    assert.equal(none.total, undefined);
    assert.equal(ids(none).length, 3);
    const estimate = (await search(server(), `Patient?_total=estimate&${s.q}`)).body;
    assert.ok(estimate.total === undefined || (Number.isInteger(estimate.total) && estimate.total >= 0));
    const countOnly = (await search(server(), `Patient?_count=0&_total=accurate&${s.q}`)).body;
    assert.equal(countOnly.total, 3);
    assert.deepEqual(entries(countOnly).filter((e) => e.search?.mode === 'match'), []);
    assert.equal(link(countOnly, 'next'), undefined);
    const noPage = (await search(server(), `Patient?_count=0&${s.q}`)).body;
    assert.deepEqual(entries(noPage).filter((e) => e.search?.mode === 'match'), []);
  });

  test('_summary=count: the total and no entries', async () => {
    const s = newScope();
    for (let i = 0; i < 2; i += 1) await server().create(s.mark({ resourceType: 'Patient', gender: 'male' }));
    const bundle = (await search(server(), `Patient?_summary=count&${s.q}`)).body;
    assert.equal(bundle.total, 2);
    assert.equal(bundle.entry, undefined);
  });

  test('_summary=true, text and data; _elements', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({
      resourceType: 'Patient',
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Léa Moreau</div>' },
      name: [{ family: 'Moreau', given: ['Léa'] }],
      gender: 'female',
      birthDate: '1992-04-12',
      maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fr' }] } }],
    }));
    const only = async (query: string) => {
      const bundle = (await search(server(), `Patient?_id=${patient.id}&${query}`)).body;
      const [entry, ...rest] = entries(bundle);
      assert.equal(rest.length, 0);
      assert.equal(entry?.resource.id, patient.id);
      return entry?.resource;
    };

    const summary = await only('_summary=true');
    assert.ok(summary.name && summary.birthDate && summary.gender);
    assert.equal(summary.maritalStatus, undefined);
    assert.equal(summary.communication, undefined);
    assert.equal(summary.text, undefined);
    assert.ok(isSubsetted(summary));
    assert.ok(summary.meta.tag.some((t: { code: string }) => t.code === s.u), 'the resource own tags are kept');

    const text = await only('_summary=text');
    assert.ok(text.text?.div.includes('Léa'));
    assert.equal(text.name, undefined);
    assert.equal(text.gender, undefined);
    assert.ok(isSubsetted(text));

    const data = await only('_summary=data');
    assert.equal(data.text, undefined);
    assert.ok(data.name && data.maritalStatus && data.communication);
    assert.ok(isSubsetted(data));

    const full = await only('_summary=false');
    assert.ok(full.text && full.maritalStatus);
    assert.equal(isSubsetted(full), false);

    const elements = await only('_elements=name,birthDate');
    assert.deepEqual(Object.keys(elements).sort(), ['birthDate', 'id', 'meta', 'name', 'resourceType']);
    assert.ok(isSubsetted(elements));
  });

  test('_elements keeps the mandatory elements, and applies to included resources', async () => {
    const s = newScope();
    const h = await household(s);
    const bundle = (await search(server(), `Observation?_id=${h.weight.id}&_include=Observation:subject&_elements=subject`)).body;
    const match = entries(bundle).find((e) => e.search?.mode === 'match')?.resource;
    assert.deepEqual(Object.keys(match).sort(), ['code', 'id', 'meta', 'resourceType', 'status', 'subject']);
    assert.ok(isSubsetted(match));
    const included = entries(bundle).find((e) => e.search?.mode === 'include')?.resource;
    assert.equal(included?.id, h.patient.id);
  });

  test('_elements names prefixed with a resource type apply to that type only; a deeper path is refused', async () => {
    const s = newScope();
    const h = await household(s);
    const keys = async (query: string) => {
      const bundle = (await search(server(), `Observation?_id=${h.weight.id}&${query}`)).body;
      return Object.keys(entries(bundle).find((e) => e.search?.mode === 'match')?.resource).sort();
    };
    const mandatory = ['code', 'id', 'meta', 'resourceType', 'status'];
    assert.deepEqual(await keys('_elements=Observation.subject'), [...mandatory, 'subject'].sort());
    assert.deepEqual(await keys('_elements=Patient.name,Observation.subject,performer'), [...mandatory, 'performer', 'subject'].sort());
    assert.deepEqual(await keys('_elements=Patient.name'), mandatory);
    await expectOutcome(server(), 'Observation?_elements=Observation.code.coding', 400);
    await expectOutcome(server(), 'Observation?_elements=Inconnu.subject', 400);
  });
});
