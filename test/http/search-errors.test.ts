/**
 * Errors and the other ways to search (http://hl7.org/fhir/R4/search.html#errors,
 * http.html#search): unknown parameters (lenient by default, strict on
 * request), invalid values and modifiers, unknown types, POST _search, system
 * search with _type, and compartment search.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { entries, expectIds, expectOutcome, ids, messageKeys, newScope, orderedIds, refs, search } from '../support/search.js';

const LOINC = 'http://loinc.org';
const q = encodeURIComponent;

forEachBackend('search: errors, POST, system and compartment searches', (server) => {
  test('an unknown parameter is ignored by default and reported in an outcome entry', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', gender: 'female' }));
    const result = await search(server(), `Patient?couleur-preferee=bleu&gender=female&${s.q}`);
    assert.deepEqual(ids(result.body), [patient.id]);
    const outcomes = entries(result.body).filter((e) => e.search?.mode === 'outcome');
    assert.equal(outcomes.length, 1);
    const outcome = outcomes[0]?.resource;
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.ok(JSON.stringify(outcome.issue).includes('couleur-preferee'));
    assert.ok(outcome.issue.every((i: { severity: string }) => i.severity === 'warning' || i.severity === 'information'));
    // The self link shows what was applied: not the ignored parameter.
    const self = result.body.link.find((l: { relation: string }) => l.relation === 'self').url as string;
    assert.ok(!self.includes('couleur-preferee'), self);
    assert.ok(self.includes('gender=female'), self);
    // Presentation parameters are not unknown.
    const presented = await search(server(), `Patient?gender=female&_pretty=true&_format=json&${s.q}`);
    assert.deepEqual(entries(presented.body).map((e) => e.search?.mode), ['match']);
    // Explicitly lenient is the same.
    const lenient = await search(server(), `Patient?couleur-preferee=bleu&${s.q}`, { prefer: 'handling=lenient' });
    assert.deepEqual(ids(lenient.body), [patient.id]);
  });

  test('Prefer: handling=strict turns an unknown parameter into a 400 OperationOutcome', async () => {
    const outcome = await expectOutcome(server(), 'Patient?couleur-preferee=bleu', 400, { prefer: 'handling=strict' });
    assert.deepEqual(messageKeys(outcome), ['search.unknown-parameter']);
    await expectOutcome(server(), 'Patient?subject.couleur=bleu', 400, { prefer: 'handling=strict' });
    // Known parameters pass in strict mode.
    await search(server(), 'Patient?gender=male', { prefer: 'handling=strict' });
  });

  test('invalid values are a 400 OperationOutcome', async () => {
    for (const query of [
      'Patient?birthdate=2020-13',
      'Patient?birthdate=2021-02-29',
      'Patient?birthdate=hier',
      'Patient?birthdate=xx2020',
      'Patient?birthdate=eq',
      'RiskAssessment?probability=abc',
      'RiskAssessment?probability=zz5',
      'RiskAssessment?probability=gt',
      'RiskAssessment?probability=1,2,x',
      'Observation?value-quantity=abc|http://unitsofmeasure.org|mg',
      'Observation?value-quantity=5|mg',
      'Observation?code-value-quantity=8480-6',
      'Patient?gender:missing=peut-etre',
      'Patient?identifier:of-type=MR|123',
      'Patient?_lastUpdated=demain',
      'Patient?_count=beaucoup',
      'Patient?_count=-1',
      'Patient?_total=some',
      'Patient?_summary=maybe',
    ]) {
      await expectOutcome(server(), query, 400);
    }
  });

  test('an unknown or unsupported modifier is a 400', async () => {
    for (const query of [
      'Patient?family:sounds-like=dupont',
      'Patient?gender:exact=male',
      'Patient?birthdate:contains=1980',
      'Patient?family:in=dupont',
      'Observation?subject:Medication=123',
      'Observation?subject:Inconnu=123',
      'Patient?_id:exact=123',
    ]) {
      await expectOutcome(server(), query, 400);
    }
  });

  test('invalid results parameters are a 400', async () => {
    await expectOutcome(server(), 'Patient?_sort=couleur', 400, { prefer: 'handling=strict' });
    await expectOutcome(server(), 'Observation?_include=Observation:inconnu', 400);
    await expectOutcome(server(), 'Observation?_include=Inconnu:subject', 400);
    await expectOutcome(server(), 'Observation?_include:sometimes=Observation:subject', 400);
    // Result parameters take no modifier: _sort:desc (DSTU2's form) is refused, never sorted ascending.
    for (const query of ['Patient?_sort:desc=birthdate', 'Patient?_count:exact=5', 'Patient?_summary:x=count', 'Patient?_elements:y=name']) {
      await expectOutcome(server(), query, 400);
    }
    await expectOutcome(server(), 'Patient?_has:Observation:inconnu:code=1', 400);
  });

  test('an unknown resource type is a 404 in the path, a 400 as a _type value', async () => {
    await expectOutcome(server(), 'Inconnu?name=x', 404);
    const post = await server().request('POST', 'Inconnu/_search', { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(post.status, 404);
    assert.equal(post.body.resourceType, 'OperationOutcome');
    const outcome = await server().get('?_type=Inconnu');
    assert.equal(outcome.status, 400, outcome.text);
    assert.equal(outcome.body.resourceType, 'OperationOutcome');
    assert.match(outcome.body.issue[0].diagnostics, /_type/);
  });

  test('POST Type/_search with a form body gives the same result as GET', async () => {
    const s = newScope();
    const create = (family: string, gender: string) => server().create(s.mark({ resourceType: 'Patient', name: [{ family: `${family}${s.u}` }], gender }));
    const a = await create('Lambert', 'female');
    await create('Lambert', 'male');
    const c = await create('Lamy', 'female');
    const query = `family=lam&gender=female&_sort=family&${s.q}`;
    const viaGet = await search(server(), `Patient?${query}`);
    const viaPost = await server().request('POST', 'Patient/_search', {
      rawBody: query, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(viaPost.status, 200, viaPost.text);
    assert.deepEqual(ids(viaPost.body), [a.id, c.id].sort());
    assert.deepEqual(viaPost.body.entry.map((e: any) => e.resource.id), viaGet.body.entry.map((e: any) => e.resource.id));
    assert.equal(viaPost.body.total, viaGet.body.total);
    // Parameters in the URL and in the body are combined.
    const mixed = await server().request('POST', `Patient/_search?gender=female`, {
      rawBody: `family=lambert&${s.q}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual(ids(mixed.body), [a.id]);
    // The self link is a GET link.
    const self = mixed.body.link.find((l: { relation: string }) => l.relation === 'self').url as string;
    assert.ok(/\/Patient\?/.test(self), self);
    // An empty body searches everything of the type (here, the scope in the URL).
    const empty = await server().request('POST', `Patient/_search?${s.q}`, { rawBody: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(empty.status, 200, empty.text);
    assert.equal(ids(empty.body).length, 3);
  });

  test('system search: GET [base]?_type=Patient,Observation&_id=…, and POST [base]/_search', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', gender: 'other' }));
    const observation = await server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'Note' } }));
    const organization = await server().create(s.mark({ resourceType: 'Organization', name: `Org ${s.u}` }));

    const typed = await search(server(), `?_type=Patient,Observation&_id=${patient.id},${observation.id},${organization.id}`);
    assert.deepEqual(refs(typed.body), [`Observation/${observation.id}`, `Patient/${patient.id}`].sort());
    const all = await search(server(), `?${s.q}&_type=Patient,Observation,Organization`);
    assert.deepEqual(refs(all.body), [`Observation/${observation.id}`, `Organization/${organization.id}`, `Patient/${patient.id}`].sort());
    const untyped = await search(server(), `?${s.q}`);
    assert.deepEqual(refs(untyped.body), [`Observation/${observation.id}`, `Organization/${organization.id}`, `Patient/${patient.id}`].sort());
    // A parameter common to all the listed types applies to each.
    const practitioner = await server().create(s.mark({ resourceType: 'Practitioner', name: [{ family: `Commun${s.u}` }] }));
    const namesake = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Commun${s.u}` }] }));
    const common = await search(server(), `?_type=Patient,Practitioner&family=commun${s.u}`);
    assert.deepEqual(refs(common.body), [`Patient/${namesake.id}`, `Practitioner/${practitioner.id}`].sort());
    // And sorts them together, each by its own value; a parameter some listed type lacks cannot sort.
    const aubert = await server().create(s.mark({ resourceType: 'Practitioner', name: [{ family: `Aubert${s.u}` }] }));
    const zola = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Zola${s.u}` }] }));
    const four = `_id=${aubert.id},${namesake.id},${practitioner.id},${zola.id}`;
    const ascending = orderedIds((await search(server(), `?_type=Patient,Practitioner&${four}&_sort=family`)).body);
    assert.deepEqual([ascending[0], ascending[3]], [aubert.id, zola.id]);
    assert.deepEqual(new Set(ascending.slice(1, 3)), new Set([namesake.id, practitioner.id]));
    const descending = orderedIds((await search(server(), `?_type=Patient,Practitioner&${four}&_sort=-family`)).body);
    assert.deepEqual([descending[0], descending[3]], [zola.id, aubert.id]);
    const mixed = await server().get(`?_type=Patient,Practitioner&${s.q}&_sort=birthdate`, { prefer: 'handling=strict' });
    assert.equal(mixed.status, 400, 'Practitioner has no birthdate parameter');
    const byId = await search(server(), `?_id=${organization.id}`);
    assert.deepEqual(refs(byId.body), [`Organization/${organization.id}`]);
    const posted = await server().request('POST', '_search', {
      rawBody: `_type=Patient,Organization&_id=${patient.id},${organization.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(posted.status, 200, posted.text);
    assert.deepEqual(refs(posted.body), [`Organization/${organization.id}`, `Patient/${patient.id}`].sort());
  });

  test('compartment search: GET [base]/Patient/{id}/Observation', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Compartiment' }] }));
    const other = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Autre' }] }));
    const observation = (extra: Record<string, unknown>, code = '29463-7') => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code }] }, ...extra,
    }));
    const bySubject = await observation({ subject: { reference: `Patient/${patient.id}` } });
    const byPerformer = await observation({ performer: [{ reference: `Patient/${patient.id}` }] }, '8867-4');
    await observation({ subject: { reference: `Patient/${other.id}` } });
    const encounter = await server().create(s.mark({
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patient.id}` },
    }));

    await expectIds(server(), `Patient/${patient.id}/Observation`, [bySubject, byPerformer]);
    await expectIds(server(), `Patient/${patient.id}/Observation?code=29463-7`, [bySubject]);
    await expectIds(server(), `Patient/${patient.id}/Encounter`, [encounter]);
    await expectIds(server(), `Patient/${other.id}/Encounter`, []);
    const everything = await search(server(), `Patient/${patient.id}/*`);
    // Access traces are searched by type from the audit log (AuditEvent?patient=…), not across types.
    assert.deepEqual(refs(everything.body), [
      `Encounter/${encounter.id}`, `Observation/${byPerformer.id}`, `Observation/${bySubject.id}`, `Patient/${patient.id}`,
    ].sort());
    // Organization is not in the Patient compartment.
    await expectOutcome(server(), `Patient/${patient.id}/Organization`, 404);
    // The compartment condition cannot be widened by the query.
    await expectIds(server(), `Patient/${patient.id}/Observation?subject=Patient/${other.id}`, []);
    await expectIds(server(), `Patient/${patient.id}/Observation?${q(`_id`)}=${bySubject.id}`, [bySubject]);
  });
});
