/**
 * RNIV 1 v2.0 §4.3.4 through a real server on each backend: an INS read from
 * the Appli carte Vitale (FR Core methodCollection AV) qualifies the identity
 * without an INSi call, an ayant droit's too. The people here are not in the
 * INSi-like register, so an INSi verification would refuse their INS
 * (ins.insi-unknown): a 201 QUAL proves no call was made.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditEntry, AuditRecorder } from '../../src/core/audit-entry.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { IDENTITY_RELIABILITY, INS_SYSTEMS, METHOD_COLLECTION_SYSTEM } from '../../src/identity/fr-core.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import { assertOutcome } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { insIdentifiersOf, newPerson, patientOf, statusOf, type PatientOptions, type Person, provenanceOf as provenancesOf, tasksOf as reviewTasksOf } from './vigilance-fixtures.js';

const INS_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins';

/** A Patient whose INS and traits were read from the Appli carte Vitale. */
function readFromAppli(person: Person, options: PatientOptions = {}): any {
  const patient = patientOf(person, options);
  const method = { url: 'methodCollection', valueCoding: { system: METHOD_COLLECTION_SYSTEM, code: 'AV' } };
  const reliability = patient.extension.find((e: any) => e.url === IDENTITY_RELIABILITY);
  if (reliability) reliability.extension.push(method);
  else patient.extension.unshift({ url: IDENTITY_RELIABILITY, extension: [method] });
  return patient;
}

function reliabilityPart(patient: any, url: string): any {
  return (patient.extension ?? []).filter((e: any) => e.url === IDENTITY_RELIABILITY)
    .flatMap((e: any) => e.extension).find((p: any) => p.url === url);
}

forEachBackend('identity-vigilance: Appli carte Vitale', (server: () => TestServer) => {
  let engine: FhirEngine;
  let original: AuditRecorder;
  const entries: AuditEntry[] = [];
  before(() => {
    engine = server().running.platform.engine;
    original = engine.deps.audit;
    engine.deps.audit = { record: (entry) => { entries.push(entry); original.record(entry); }, flush: () => original.flush() };
  });
  after(() => { engine.deps.audit = original; });

  const provenanceOf = (id: string) => provenancesOf(server(), id);
  const tasksOf = (id: string) => reviewTasksOf(server(), id);

  test('an INS read from the Appli carte Vitale gives QUAL without an INSi call: INS kept, no INSi date, Provenance and audit entry', async () => {
    const person = newPerson();
    const created = await server().post('Patient', readFromAppli(person, { ins: person.ins }));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'QUAL');
    assert.deepEqual(insIdentifiersOf(created.body).map((i) => [i.system, i.value, i.use]), [[INS_SYSTEMS.NIR, person.ins, 'official']]);
    assert.ok(created.body.meta.profile.includes(INS_PROFILE));
    assert.equal(reliabilityPart(created.body, 'dateInterrogationINSi'), undefined, 'no INSi call, so no INSi date');
    assert.equal(reliabilityPart(created.body, 'methodCollection')?.valueCoding?.code, 'AV');

    const [provenance, ...others] = await provenanceOf(created.body.id);
    assert.equal(others.length, 0);
    assert.equal(provenance.activity.text, '∅ → QUAL');
    assert.match(provenance.reason[0].text, /Application carte Vitale/);
    assert.doesNotMatch(provenance.reason[0].text, /vérifié auprès du téléservice INSi/);
    const entry = entries.find((e) => e.interaction === 'identity-status:none-QUAL' && e.patients[0] === created.body.id);
    assert.ok(entry, 'the status change is in the audit trail');
    assert.deepEqual(entry.entities, [`Patient/${created.body.id}`, `Provenance/${provenance.id}`]);

    const rewritten = await server().put(`Patient/${created.body.id}`, created.body);
    assert.equal(rewritten.status, 200, rewritten.text);
    assert.equal(rewritten.body.meta.versionId, created.body.meta.versionId, 'written back as read, it stays QUAL, same version');
  });

  test('the collection channel decides: the same INS typed in, or with validationMode AV alone, is verified with INSi', async () => {
    const person = newPerson();
    assertOutcome(await server().post('Patient', patientOf(person, { ins: person.ins })), 422, 'ins.insi-unknown');
    assertOutcome(await server().post('Patient', patientOf(person, { ins: person.ins, mode: 'AV', validationDate: '2026-03-01' })), 422, 'ins.insi-unknown');
  });

  test('an ayant droit read from the Appli carte Vitale is qualified too', async () => {
    const child = newPerson({ ins: withInsKey('1150375056123'), family: 'MARTIN', given: ['LUCAS'], gender: 'male', birthDate: '2015-03-04', birthPlace: '75056' });
    const created = await server().post('Patient', readFromAppli(child, { ins: child.ins }));
    assert.equal(created.status, 201, created.text);
    assert.equal(statusOf(created.body), 'QUAL');
  });

  test('an INS from the Appli carte Vitale that the traits contradict is still refused', async () => {
    const person = newPerson({ gender: 'male' });
    assertOutcome(await server().post('Patient', readFromAppli(person, { ins: person.ins })), 422, 'ins.sex-mismatch');
    const older = newPerson({ birthDate: '1986-05-12' });
    assertOutcome(await server().post('Patient', readFromAppli(older, { ins: older.ins })), 422, 'ins.birth-year-mismatch');
  });

  test('DOUT and FICT still force PROV: an Appli carte Vitale INS on such an identity is refused', async () => {
    const person = newPerson();
    assertOutcome(await server().post('Patient', readFromAppli(person, { ins: person.ins, comments: ['DOUT'] })), 422, 'vigilance.insi-forbidden');
    const fictitious = await server().post('Patient', readFromAppli(newPerson(), { comments: ['FICT'] }));
    assert.equal(fictitious.status, 201, fictitious.text);
    assert.equal(statusOf(fictitious.body), 'PROV');
  });

  test('editing a trait of an Appli carte Vitale identity drops it as any QUAL: INSi asked, INS removed, reading dropped, review opened', async () => {
    const person = newPerson();
    const created = await server().post('Patient', readFromAppli(person, { ins: person.ins }));
    assert.equal(statusOf(created.body), 'QUAL');
    const edited = readFromAppli({ ...person, family: 'DURAND' }, { ins: person.ins, id: created.body.id });
    const dropped = await server().put(`Patient/${created.body.id}`, edited);
    assert.equal(dropped.status, 200, dropped.text);
    assert.equal(statusOf(dropped.body), 'PROV', 'the register does not confirm the INS with the new traits');
    assert.deepEqual(insIdentifiersOf(dropped.body), []);
    assert.equal(reliabilityPart(dropped.body, 'methodCollection'), undefined, 'the traits are no longer those the app delivered');
    assert.match(String(reliabilityPart(dropped.body, 'dateInterrogationINSi')?.valueDate), /^\d{4}-\d{2}-\d{2}$/, 'this time INSi was asked');
    assert.equal((await tasksOf(created.body.id)).length, 1);
    const activities = (await provenanceOf(created.body.id)).map((p) => p.activity.text).sort();
    assert.deepEqual(activities, ['QUAL → PROV', '∅ → QUAL']);
  });

  test('a reading left without its INS is not stored: an INS added later to the record is verified with INSi', async () => {
    const person = newPerson();
    const created = await server().post('Patient', patientOf(person));
    const self = server().as({ kind: 'patient', patient: created.body.id, fhirUser: `Patient/${created.body.id}`, scopes: ['patient/Patient.cruds'] });
    const planted = await self.put(`Patient/${created.body.id}`, readFromAppli(person, { id: created.body.id }));
    assert.equal(planted.status, 200, planted.text);
    assert.equal(reliabilityPart(planted.body, 'methodCollection'), undefined, 'AV without an INS vouches for nothing');
    const later = structuredClone((await server().get(`Patient/${created.body.id}`)).body);
    later.identifier = insIdentifiersOf(readFromAppli(person, { ins: person.ins }));
    assertOutcome(await server().put(`Patient/${created.body.id}`, later), 422, 'ins.insi-unknown');

    const read = await server().post('Patient', readFromAppli(person, { ins: person.ins }));
    assert.equal(statusOf(read.body), 'QUAL');
    const doubtful = await server().put(`Patient/${read.body.id}`, readFromAppli(person, { ins: person.ins, id: read.body.id, comments: ['DOUT'] }));
    assert.equal(doubtful.status, 200, doubtful.text);
    assert.equal(statusOf(doubtful.body), 'PROV');
    assert.equal(reliabilityPart(doubtful.body, 'methodCollection'), undefined, 'the INS is gone, and the reading with it');
  });

  test('another INS written while the stored Appli carte Vitale reading is kept is refused, not taken for a new reading', async () => {
    const person = newPerson();
    const read = await server().post('Patient', readFromAppli(person, { ins: person.ins }));
    assert.equal(statusOf(read.body), 'QUAL');
    const other = newPerson();
    const edited = structuredClone(read.body);
    edited.identifier = edited.identifier.map((i: any) => (i.system === INS_SYSTEMS.NIR ? { ...i, value: other.ins } : i));
    const [issue] = assertOutcome(await server().put(`Patient/${read.body.id}`, edited), 422, 'vigilance.appli-carte-vitale-ins-changed');
    assert.match(issue!.details!.text!, /Application carte Vitale/);
    const stored = await server().get(`Patient/${read.body.id}`);
    assert.equal(stored.body.meta.versionId, read.body.meta.versionId, 'nothing written');
    // Without AV, the new INS is one like any other: verified with INSi, which does not know it.
    assertOutcome(await server().put(`Patient/${read.body.id}`, patientOf(person, { id: read.body.id, ins: other.ins })), 422, 'ins.insi-unknown');
    // A new reading of the app giving another INS: the old reading removed first (a review opens), then the reading recorded.
    const dropped = await server().put(`Patient/${read.body.id}`, patientOf(person, { id: read.body.id }));
    assert.equal(statusOf(dropped.body), 'PROV');
    assert.equal((await tasksOf(read.body.id)).length, 1);
    const reread = await server().put(`Patient/${read.body.id}`, readFromAppli(person, { id: read.body.id, ins: other.ins }));
    assert.equal(reread.status, 200, reread.text);
    assert.equal(statusOf(reread.body), 'QUAL');
    assert.deepEqual(insIdentifiersOf(reread.body).map((i) => i.value), [other.ins]);
  });

  test('a patient cannot qualify its own record by claiming an Appli carte Vitale reading', async () => {
    const person = newPerson();
    const created = await server().post('Patient', patientOf(person));
    assert.equal(statusOf(created.body), 'PROV');
    const self = server().as({ kind: 'patient', patient: created.body.id, fhirUser: `Patient/${created.body.id}`, scopes: ['patient/Patient.cruds'] });
    const claimed = await self.put(`Patient/${created.body.id}`, readFromAppli(person, { ins: person.ins, id: created.body.id }));
    assertOutcome(claimed, 403, 'vigilance.appli-carte-vitale-forbidden');
    const stored = await server().get(`Patient/${created.body.id}`);
    assert.equal(statusOf(stored.body), 'PROV');
  });
});
