/**
 * The RNIV identity-status lifecycle through a real server on each backend:
 * the server computes the status, refuses forbidden transitions and invalid
 * INS with a catalogued 422 in French (English on request), shows an INS only
 * on a QUAL identity, drops a status on a trait edit with a review Task, and
 * records every change with a Provenance. INS numbers are verified against
 * the INSi-like register the identity module reads (loaded per test).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTIFIER_TYPE_SYSTEM, INS_SYSTEMS } from '../../src/identity/fr-core.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import { insPatient } from '../../src/identity/insi/index.js';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { insIdentifiersOf, newPerson, patientOf, registerPeople, statusOf, type Person, provenanceOf as provenancesOf, tasksOf as reviewTasksOf } from './vigilance-fixtures.js';

const INS_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins';
const PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient';

forEachBackend('identity-vigilance lifecycle', (server: () => TestServer) => {
  const provenanceOf = (id: string) => provenancesOf(server(), id);
  const tasksOf = (id: string) => reviewTasksOf(server(), id);
  async function searchByIns(person: Person): Promise<number> {
    const result = await server().get(`Patient?identifier=${encodeURIComponent(`${INS_SYSTEMS.NIR}|${person.ins}`)}`);
    assert.equal(result.status, 200);
    return (result.body.entry ?? []).length;
  }
  /** A QUAL identity: INSi-verified INS and a passport check. */
  async function qualified(person: Person): Promise<any> {
    await registerPeople(server().running.platform.engine, [person]);
    const created = await server().post('Patient', patientOf(person, { ins: person.ins, mode: 'PA', validationDate: '2026-01-10' }));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'QUAL');
    return created.body;
  }

  test('manual creation gives PROV, with the fr-core-patient profile; the default status needs no Provenance', async () => {
    const created = await server().create(patientOf(newPerson()));
    assert.equal(statusOf(created), 'PROV');
    const profiles = (created.meta as { profile?: string[] }).profile ?? [];
    assert.ok(profiles.includes(PROFILE));
    assert.ok(!profiles.includes(INS_PROFILE));
    assert.deepEqual(await provenanceOf(created.id), []);
  });

  test('a high-trust document check gives VALI, recorded by a Provenance', async () => {
    const created = await server().create(patientOf(newPerson()));
    const checked = await server().put(`Patient/${created.id}`, { ...patientOf(newPerson(), { mode: 'CN', validationDate: '2026-02-01', id: created.id }) });
    assert.equal(checked.status, 200, checked.text);
    assert.equal(statusOf(checked.body), 'VALI');
    const provenance = await provenanceOf(created.id);
    assert.deepEqual(provenance.map((p) => p.activity.text), ['PROV → VALI']);
  });

  test('a claimed status the evidence does not support is a 422 in French, in English on request, and nothing is written', async () => {
    const person = newPerson();
    const body = patientOf(person, { status: 'VALI' });
    const fr = await server().post('Patient', body);
    const [issue] = assertOutcome(fr, 422, 'vigilance.status-needs-document');
    assert.match(issue!.details!.text!, /exige le contrôle d’un dispositif d’identification/);
    const en = await server().post('Patient', body, { 'accept-language': 'en' });
    const [english] = assertOutcome(en, 422, 'vigilance.status-needs-document');
    assert.match(english!.details!.text!, /requires a check of a high-trust identity document/);
    assert.equal(await searchByIns(person), 0);
    assertOutcome(await server().post('Patient', patientOf(newPerson(), { status: 'QUAL', mode: 'CN' })), 422, 'vigilance.status-needs-ins');
    assertOutcome(await server().post('Patient', patientOf(newPerson(), { mode: 'PC' })), 422, 'vigilance.validation-mode-unknown');
  });

  test('DOUT and FICT: no coexistence, status stays PROV, no INS', async () => {
    assertOutcome(await server().post('Patient', patientOf(newPerson(), { comments: ['DOUT', 'FICT'] })), 422, 'vigilance.dout-fict-together');
    assertOutcome(await server().post('Patient', patientOf(newPerson(), { comments: ['FICT'], mode: 'CN', status: 'VALI' })), 422, 'vigilance.attribute-forces-prov');
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    assertOutcome(await server().post('Patient', patientOf(person, { comments: ['DOUT'], ins: person.ins })), 422, 'vigilance.insi-forbidden');
    const doubtful = await server().create(patientOf(newPerson(), { comments: ['DOUT', 'HOMA'], mode: 'CN', validationDate: '2026-01-01' }));
    assert.equal(statusOf(doubtful), 'PROV', 'a document check does not lift a doubtful identity');
  });

  test('DOUT or FICT coded without FR Core\'s system still forbids INSi and keeps the identity PROV (RNIV EXI SI 09)', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const flagged = (code: string, system?: string) => {
      const body = patientOf(person, { ins: person.ins, mode: 'PA', validationDate: '2026-01-10' });
      body.extension[0].extension.push({ url: 'comment', valueCodeableConcept: { coding: [{ ...(system ? { system } : {}), code }] } });
      return body;
    };
    assertOutcome(await server().post('Patient', flagged('DOUT')), 422, 'vigilance.insi-forbidden');
    assertOutcome(await server().post('Patient', flagged('FICT', 'urn:x')), 422, 'vigilance.insi-forbidden');
    assert.equal(await searchByIns(person), 0);
    const withoutIns = flagged('DOUT');
    withoutIns.identifier = withoutIns.identifier.filter((i: any) => i.system !== INS_SYSTEMS.NIR);
    assert.equal(statusOf(await server().create(withoutIns)), 'PROV', 'a document check does not lift it either');
  });

  test('an invalid INS is a 422 naming the rule, before any INSi call', async () => {
    const person = newPerson();
    const wrongKey = `${person.ins.slice(0, 13)}${person.ins.slice(13) === '01' ? '02' : '01'}`;
    assertOutcome(await server().post('Patient', patientOf(person, { ins: wrongKey })), 422, 'ins.number-key');
    assertOutcome(await server().post('Patient', patientOf(person, { ins: withInsKey('7850578006123') })), 422, 'ins.number-provisional');
    assertOutcome(await server().post('Patient', patientOf(person, { ins: person.ins, insUse: 'temp' })), 422, 'ins.use-invalid');
    const male = await server().post('Patient', patientOf({ ...person, gender: 'male' }, { ins: person.ins }), { 'accept-language': 'en' });
    const [issue] = assertOutcome(male, 422, 'ins.sex-mismatch');
    assert.ok(issue!.expression!.includes('Patient.gender'));
    assertOutcome(await server().post('Patient', patientOf({ ...person, birthPlace: '78007' }, { ins: person.ins })), 422, 'ins.birthplace-mismatch');
  });

  test('an INS the register does not confirm is a 422 naming the mismatching traits', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const wrongName = await server().post('Patient', patientOf({ ...person, given: ['JEANNETTE'] }, { ins: person.ins }));
    const [issue] = assertOutcome(wrongName, 422, 'ins.insi-mismatch');
    assert.match(issue!.details!.text!, /name\.given/);
    assertOutcome(await server().post('Patient', patientOf(newPerson(), { ins: newPerson().ins })), 422, 'ins.insi-unknown');
    // The register's NIR sent under another authority's OID is not that INS (reference §1.1: the OID attests where it came from).
    const asTest = patientOf(person, { mode: 'CN', validationDate: '2026-01-10' });
    asTest.identifier.push({ use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR-TEST' }] }, system: INS_SYSTEMS.TEST, value: person.ins });
    assertOutcome(await server().post('Patient', asTest), 422, 'ins.insi-unknown');
  });

  test('a matching INSi answer gives RECUP with the INS kept aside; a document check then makes it QUAL with the INS', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const recup = await server().post('Patient', patientOf(person, { ins: person.ins }));
    assert.equal(recup.status, 201, recup.text);
    assert.equal(statusOf(recup.body), 'RECUP');
    assert.deepEqual(insIdentifiersOf(recup.body), [], 'a RECUP identity never shows its INS');
    assert.equal(await searchByIns(person), 0, 'nor can it be found by it');
    const history = await server().get(`Patient/${recup.body.id}/_history`);
    assert.ok(!history.text.includes(person.ins), 'not even in its history');

    const insiDateOf = (patient: any): unknown => patient.extension
      .filter((e: any) => e.url === 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability')
      .flatMap((e: any) => e.extension).find((p: any) => p.url === 'dateInterrogationINSi')?.valueDate;
    const queried = insiDateOf(recup.body);
    assert.match(String(queried), /^\d{4}-\d{2}-\d{2}$/, 'the INSi query is dated');

    // The document check is written without the INSi date: the server, which made the query, keeps it.
    const qual = await server().put(`Patient/${recup.body.id}`, patientOf(person, { id: recup.body.id, status: 'QUAL', mode: 'CN', validationDate: '2026-03-01' }));
    assert.equal(qual.status, 200, qual.text);
    assert.equal(statusOf(qual.body), 'QUAL');
    assert.equal(insiDateOf(qual.body), queried, 'FR Core dateInterrogationINSi stays on the qualified identity');
    assert.deepEqual(insIdentifiersOf(qual.body).map((i) => [i.value, i.use]), [[person.ins, 'official']]);
    assert.ok(qual.body.meta.profile.includes(INS_PROFILE));
    assert.equal(await searchByIns(person), 1);
    const activities = (await provenanceOf(recup.body.id)).map((p) => p.activity.text).sort();
    assert.deepEqual(activities, ['RECUP → QUAL', '∅ → RECUP']);
  });

  test('an INS typed without FR Core\'s code is stored with it, as fr-core-patient-ins fixes the type', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const written = patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-03-01' }) as any;
    const hl7Type = { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' };
    written.identifier = written.identifier.map((i: any) => (i.system === INS_SYSTEMS.NIR ? { ...i, type: { coding: [hl7Type], text: 'INS' } } : i));
    const qual = await server().post('Patient', written);
    assert.equal(qual.status, 201, qual.text);
    assert.equal(statusOf(qual.body), 'QUAL');
    assert.deepEqual(insIdentifiersOf(qual.body).map((i: any) => i.type), [{ coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }, hl7Type], text: 'INS' }]);
    const rewritten = await server().put(`Patient/${qual.body.id}`, qual.body);
    assert.equal(rewritten.body.meta.versionId, qual.body.meta.versionId, 'written back as read, it is the same version');
  });

  test('an INS with an INSEE pseudo-month (incomplete civil status) is accepted, not refused', async () => {
    const person = newPerson({ ins: withInsKey('2853378006999') });
    await registerPeople(server().running.platform.engine, [person]);
    const created = await server().post('Patient', patientOf(person, { ins: person.ins }));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'RECUP');
    // Accepted with a warning the client is told of, in the OperationOutcome it may ask for instead of the resource.
    const other = newPerson({ ins: withInsKey('2853378006998') });
    await registerPeople(server().running.platform.engine, [other]);
    const told = await server().request('POST', 'Patient', { body: patientOf(other, { ins: other.ins }), headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(told.status, 201, told.text);
    const warnings = told.body.issue.filter((i: { severity: string }) => i.severity === 'warning');
    assert.equal(warnings.length, 1, told.text);
    assert.match(warnings[0].details.coding[0].code, /^ins\./);
    const third = newPerson({ ins: withInsKey('2853378006997') });
    await registerPeople(server().running.platform.engine, [third]);
    const validated = await server().post('Patient/$validate', patientOf(third, { ins: third.ins }));
    assert.ok(validated.body.issue.some((i: { severity: string }) => i.severity === 'warning'), 'and $validate says the same');
  });

  test('the Patient an INSi retrieval returns, written as it is, becomes RECUP', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const retrieved = insPatient({ ins: person.ins, system: INS_SYSTEMS.NIR, traits: { ...person } }, '2026-06-01');
    const created = await server().post('Patient', retrieved);
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'RECUP');
    assert.deepEqual(insIdentifiersOf(created.body), []);
    assert.ok(!created.body.meta.profile.includes(INS_PROFILE), 'fr-core-patient-ins is for QUAL identities only');
  });

  test('an INS comes with the official name fr-core-patient-ins describes: the list of birth first names, and its first name as given', async () => {
    const person = newPerson();
    await registerPeople(server().running.platform.engine, [person]);
    const withoutList = patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-01-10' });
    withoutList.name = [{ use: 'official', family: person.family, given: person.given }];
    assertOutcome(await server().post('Patient', withoutList), 422, 'ins.official-name-shape');
    const twoGiven = patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-01-10' });
    twoGiven.name[0].given = [...person.given];
    assertOutcome(await server().post('Patient', twoGiven), 422, 'ins.official-name-shape');
    const notFirst = patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-01-10' });
    notFirst.name[0].given = [person.given[1]];
    assertOutcome(await server().post('Patient', notFirst), 422, 'ins.official-name-shape');
  });

  test('changing the given name of a QUAL identity away from its first birth first name drops it and opens a review', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const edited = structuredClone(patient);
    edited.name[0].given = [person.given[1]];
    const result = await server().put(`Patient/${patient.id}`, edited);
    assert.equal(result.status, 200, result.text);
    assert.notEqual(statusOf(result.body), 'QUAL');
    assert.deepEqual(insIdentifiersOf(result.body), []);
    assert.ok(!result.body.meta.profile.includes(INS_PROFILE));
    assert.equal((await tasksOf(patient.id)).length, 1);
  });

  test('editing a trait of a QUAL identity drops it, removes the INS, opens a review Task and writes a Provenance', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const edited = patientOf({ ...person, family: 'MARTINEZ' }, { id: patient.id, status: 'QUAL', ins: person.ins, mode: 'PA', validationDate: '2026-01-10' });
    const result = await server().put(`Patient/${patient.id}`, edited);
    assert.equal(result.status, 200, result.text);
    assert.equal(statusOf(result.body), 'PROV', 'the passport check was of the former traits');
    assert.deepEqual(insIdentifiersOf(result.body), []);
    assert.ok(!result.body.meta.profile.includes(INS_PROFILE));
    assert.equal(await searchByIns(person), 0);
    const tasks = await tasksOf(patient.id);
    assert.equal(tasks.length, 1);
    const [task] = tasks;
    assert.equal(task.status, 'requested');
    assert.equal(task.intent, 'order');
    assert.equal(task.code.coding[0].code, 'identity-vigilance-review');
    assert.equal(task.for.reference, `Patient/${patient.id}`);
    assert.match(task.description, /nom de naissance/);
    assert.ok(!task.description.includes('MARTIN'), 'no trait value in the task');
    const activities = (await provenanceOf(patient.id)).map((p) => p.activity.text).sort();
    assert.deepEqual(activities, ['QUAL → PROV', '∅ → QUAL']);
  });

  test('an identity that lost QUAL shows its former INS in no past version: vread, instance, type and system history', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const stillQual = await qualified(newPerson());
    const edited = await server().put(`Patient/${patient.id}`, patientOf({ ...person, family: 'MARTINEZ' }, { id: patient.id }));
    assert.equal(statusOf(edited.body), 'PROV');
    const v1 = await server().get(`Patient/${patient.id}/_history/1`);
    assert.equal(v1.status, 200);
    assert.equal(statusOf(v1.body), 'QUAL', 'the version is still the one written');
    assert.deepEqual(insIdentifiersOf(v1.body), []);
    assert.ok(!(v1.body.meta.profile ?? []).includes(INS_PROFILE), 'nor does it claim the INS profile');
    assert.ok(v1.body.meta.security.some((s: any) => s.code === 'REDACTED'), 'and it says something was withheld');
    assert.ok(v1.body.identifier.some((i: any) => i.value === `IPP-${person.ins.slice(10)}`), 'the local identifier stays');
    for (const path of [`Patient/${patient.id}/_history`, 'Patient/_history?_count=100', '_history?_count=100']) {
      const history = await server().get(path);
      assert.equal(history.status, 200, path);
      assert.ok(!history.text.includes(person.ins), path);
      assert.ok(path.startsWith(`Patient/${patient.id}`) || history.text.includes(insIdentifiersOf(stillQual)[0].value), `${path}: a QUAL identity's history keeps its INS`);
    }
    const current = await server().get(`Patient/${stillQual.id}/_history/1`);
    assert.deepEqual(insIdentifiersOf(current.body).map((i) => i.value), insIdentifiersOf(stillQual).map((i) => i.value));
    assert.equal(current.body.meta.security, undefined);
    // Nor through a versioned reference's _include, which gives the version it names.
    const observation = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}/_history/1` } });
    const included = await server().get(`Observation?_id=${observation.id}&_include=Observation:subject`);
    assert.equal(included.status, 200, included.text);
    assert.ok(included.text.includes(`"id":"${patient.id}"`), 'the past version is included');
    assert.ok(!included.text.includes(person.ins), 'without the INS');
  });

  test('$meta-add cannot make a non-QUAL identity claim fr-core-patient-ins, as a write cannot', async () => {
    const metaAdd = (id: string, profile: string) => server().post(`Patient/${id}/$meta-add`, { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: { profile: [profile] } }] });
    const prov = await server().create(patientOf(newPerson()));
    assertOutcome(await metaAdd(prov.id, INS_PROFILE), 422, 'vigilance.ins-profile-not-qualified');
    assert.ok(!(await server().get(`Patient/${prov.id}`)).body.meta.profile.includes(INS_PROFILE), 'nothing rewritten');
    const other = await metaAdd(prov.id, 'http://example.org/StructureDefinition/local-patient');
    assert.equal(other.status, 200, other.text);
    const qual = await qualified(newPerson());
    assert.equal((await metaAdd(qual.id, INS_PROFILE)).status, 200, 'a QUAL identity already claims it');
  });

  test('editing a trait of a QUAL identity with a new document check drops it to VALI only', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const edited = patientOf({ ...person, birthPlace: '78007' }, { id: patient.id, mode: 'CN', validationDate: '2026-04-02' });
    const result = await server().put(`Patient/${patient.id}`, edited);
    assert.equal(result.status, 200, result.text);
    assert.equal(statusOf(result.body), 'VALI');
    assert.equal((await tasksOf(patient.id)).length, 1);
  });

  test('marking a QUAL identity doubtful drops it to PROV and removes its INS', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const marked = await server().put(`Patient/${patient.id}`, patientOf(person, { id: patient.id, ins: person.ins, comments: ['DOUT'], mode: 'PA', validationDate: '2026-01-10' }));
    assert.equal(marked.status, 200, marked.text);
    assert.equal(statusOf(marked.body), 'PROV');
    assert.deepEqual(insIdentifiersOf(marked.body), []);
    assert.match((await tasksOf(patient.id))[0].description, /attribut DOUT/);
  });

  test('a former INS (use old) comes only with the record it identified, and only on a QUAL identity', async () => {
    const merged = newPerson();
    const oldIns = { use: 'old', system: INS_SYSTEMS.NIR, value: merged.ins };
    const provisional = patientOf(newPerson());
    assertOutcome(await server().post('Patient', { ...provisional, identifier: [...provisional.identifier, oldIns] }), 422, 'ins.old-not-qualified');
    const person = newPerson();
    const patient = await qualified(person);
    // Claimed out of nowhere (another person's INS, never verified): refused, or PIXm would join two people.
    assertOutcome(await server().put(`Patient/${patient.id}`, { ...patient, identifier: [...patient.identifier, oldIns] }), 422, 'ins.old-unproven');
    const source = await qualified(merged);
    const claimedLink = [{ other: { reference: `Patient/${source.id}` }, type: 'replaces' }];
    const unrelated = { use: 'old', system: INS_SYSTEMS.NIR, value: newPerson().ins };
    assertOutcome(await server().put(`Patient/${patient.id}`, { ...patient, identifier: [...patient.identifier, unrelated], link: claimedLink }), 422, 'ins.old-unproven');
    // A record on another server's base is not the local one of that id: it proves nothing here.
    const foreignLink = [{ other: { reference: `https://other.example/fhir/Patient/${source.id}` }, type: 'replaces' }];
    assertOutcome(await server().put(`Patient/${patient.id}`, { ...patient, identifier: [...patient.identifier, oldIns], link: foreignLink }), 422, 'ins.old-unproven');
    // With the record it identified (what $merge writes): kept, and kept on later writes.
    const withOld = await server().put(`Patient/${patient.id}`, { ...patient, identifier: [...patient.identifier, oldIns], link: claimedLink });
    assert.equal(withOld.status, 200, withOld.text);
    assert.equal(statusOf(withOld.body), 'QUAL');
    assert.deepEqual(insIdentifiersOf(withOld.body).map((i) => i.use).sort(), ['official', 'old']);
    const again = await server().put(`Patient/${patient.id}`, { ...withOld.body, active: true });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(insIdentifiersOf(again.body).map((i) => i.use).sort(), ['official', 'old']);
  });

  test('rewriting a QUAL identity unchanged keeps it QUAL without a new record', async () => {
    const person = newPerson();
    const patient = await qualified(person);
    const again = await server().put(`Patient/${patient.id}`, { ...patient, active: true });
    assert.equal(again.status, 200, again.text);
    assert.equal(statusOf(again.body), 'QUAL');
    assert.equal((await provenanceOf(patient.id)).length, 1);
  });
});
