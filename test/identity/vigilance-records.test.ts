/**
 * Who and why of identity-status changes, and the atomicity of a Patient
 * write with its records, on each backend: the Provenance names the
 * principal (fhirUser, else the professional's idNat_PS), the audit entry
 * carries no personal data, a refused entry of a transaction leaves nothing
 * behind, the INS set aside for a RECUP identity goes with the Patient's
 * deletion, and a JSON Patch of a trait drops a QUAL identity as a PUT does.
 * Principal-specific writes go through the engine (bearer tokens are not
 * checked over HTTP yet).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditEntry, AuditRecorder } from '../../src/core/audit-entry.js';
import type { Principal } from '../../src/core/principal.js';
import type { AccessGuard } from '../../src/fhir/rest/access-guard.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { PENDING_INS_COLLECTION } from '../../src/identity/vigilance/index.js';
import { Collection } from '../../src/storage/collection.js';
import { assertOutcome, countOf, postBundle, urn } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { insIdentifiersOf, newPerson, patientOf, registerPeople, statusOf } from './vigilance-fixtures.js';

const DOCTOR: Principal = { kind: 'practitioner', subject: '810000000001', clientId: 'lgc', scopes: ['user/Patient.cruds'], fhirUser: 'Practitioner/dr-house', nationalId: '810000000001' };
const CLERK: Principal = { kind: 'practitioner', subject: '810000000002', clientId: 'lgc', scopes: ['user/Patient.cruds'], nationalId: '810000000002' };

forEachBackend('identity-vigilance records', (server: () => TestServer) => {
  let engine: FhirEngine;
  let original: AuditRecorder;
  let guard: AccessGuard;
  const entries: AuditEntry[] = [];
  before(() => {
    engine = server().running.platform.engine;
    original = engine.deps.audit;
    engine.deps.audit = { record: (entry) => { entries.push(entry); original.record(entry); }, flush: () => original.flush() };
    // Until the policy decision point is composed in, the engine refuses every
    // principal; access rules are not under test here, so let them through.
    guard = engine.deps.guard;
    engine.deps.guard = {
      require: () => undefined, visible: async () => true, checkWrite: async () => undefined,
      searchConditions: async () => undefined, restricted: () => false,
    };
  });
  after(() => {
    engine.deps.audit = original;
    engine.deps.guard = guard;
  });

  async function write(method: 'POST' | 'PUT', path: string, body: unknown, principal: Principal) {
    const response = await engine.handle({
      method, path, query: [], headers: { contentType: 'application/fhir+json' }, body,
      baseUrl: 'http://vigilance.test/fhir', language: 'fr', requestId: 'req-vigilance', principal,
    });
    const text = response.body?.kind === 'text' ? response.body.text : JSON.stringify((response.body as { value?: unknown } | undefined)?.value);
    return { status: response.status, body: JSON.parse(text) };
  }
  async function provenanceOf(id: string): Promise<any[]> {
    const result = await server().get(`Provenance?target=Patient/${id}&_count=50`);
    return (result.body.entry ?? []).map((e: any) => e.resource);
  }

  test('the Provenance names the author by fhirUser, else by idNat_PS; the audit entry names no trait', async () => {
    const person = newPerson({ family: 'LEBRETON' });
    const created = await write('POST', 'Patient', patientOf(person), DOCTOR);
    assert.equal(created.status, 201);
    assert.deepEqual(await provenanceOf(created.body.id), [], 'the default status at creation is in the audit trail only');

    const checked = await write('PUT', `Patient/${created.body.id}`, patientOf(person, { id: created.body.id, mode: 'eCN', validationDate: '2026-05-05' }), CLERK);
    assert.equal(checked.status, 200);
    assert.equal(statusOf(checked.body), 'VALI');
    const second = (await provenanceOf(created.body.id)).find((p) => p.activity.text === 'PROV → VALI');
    assert.deepEqual(second.agent[0].who.identifier, { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810000000002' });
    const checkedAtCreation = await write('POST', 'Patient', patientOf(newPerson({ family: 'LEGRAND' }), { mode: 'PA', validationDate: '2026-06-06' }), DOCTOR);
    assert.equal(checkedAtCreation.status, 201);
    const [entry] = await provenanceOf(checkedAtCreation.body.id);
    assert.deepEqual(entry.agent[0].who, { reference: 'Practitioner/dr-house' });

    const mine = entries.filter((e) => e.patients.includes(created.body.id));
    const changes = mine.filter((e) => e.interaction.startsWith('identity-status:'));
    assert.deepEqual(changes.map((e) => e.interaction), ['identity-status:none-PROV', 'identity-status:PROV-VALI']);
    assert.equal(changes[1]!.principal, CLERK);
    assert.ok(changes[1]!.entities.some((e) => e.startsWith('Provenance/')));
    assert.ok(!JSON.stringify(mine).includes('LEBRETON') && !JSON.stringify(mine).includes('1985-05-12'), 'no trait in the audit trail');
  });

  test('a transaction whose Patient breaks a rule writes nothing: no Patient, no Provenance, no status change in the audit trail', async () => {
    const before = await countOf(server(), 'Provenance');
    const statusEntries = (): number => entries.filter((e) => e.interaction.startsWith('identity-status:')).length;
    const entriesBefore = statusEntries();
    const good = patientOf(newPerson());
    const bad = patientOf(newPerson(), { status: 'QUAL' });
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: urn(), resource: good, request: { method: 'POST', url: 'Patient' } },
      { fullUrl: urn(), resource: bad, request: { method: 'POST', url: 'Patient' } },
    ]);
    assertOutcome(result, [400, 422]);
    assert.equal(await countOf(server(), 'Provenance'), before);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(good.identifier[0].system)}|${good.identifier[0].value}`), 0);
    // The first entry's status (PROV) was decided inside the transaction, which was then rolled back.
    assert.equal(statusEntries(), entriesBefore, 'no trace of a status change that was not written');
    const alone = await postBundle(server(), 'transaction', [{ fullUrl: urn(), resource: patientOf(newPerson()), request: { method: 'POST', url: 'Patient' } }]);
    assert.equal(alone.status, 200);
    assert.equal(statusEntries(), entriesBefore + 1, 'a committed one is recorded');
  });

  test('the INS set aside for a RECUP identity leaves with the Patient when it is deleted', async () => {
    const person = newPerson();
    await registerPeople(engine, [person]);
    const recup = await server().post('Patient', patientOf(person, { ins: person.ins }));
    assert.equal(statusOf(recup.body), 'RECUP');
    const aside = new Collection<unknown>(engine.deps.store, PENDING_INS_COLLECTION, engine.deps.clock);
    assert.ok(await aside.get(recup.body.id), 'kept aside while RECUP');
    assert.equal((await server().delete(`Patient/${recup.body.id}`)).status, 200);
    assert.equal(await aside.get(recup.body.id), undefined);
  });

  test('editing a trait of a RECUP identity drops it to PROV, forgets the INS set aside and opens a review', async () => {
    const person = newPerson();
    await registerPeople(engine, [person]);
    const recup = await server().post('Patient', patientOf(person, { ins: person.ins }));
    const aside = new Collection<unknown>(engine.deps.store, PENDING_INS_COLLECTION, engine.deps.clock);
    const unchanged = await server().put(`Patient/${recup.body.id}`, { ...recup.body, active: true });
    assert.equal(statusOf(unchanged.body), 'RECUP', 'a write that leaves the traits alone keeps RECUP');
    assert.ok(await aside.get(recup.body.id));
    const edited = await server().put(`Patient/${recup.body.id}`, { ...unchanged.body, gender: 'unknown' });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(statusOf(edited.body), 'PROV');
    assert.equal(await aside.get(recup.body.id), undefined);
    const tasks = await server().get(`Task?focus=Patient/${recup.body.id}`);
    assert.match(tasks.body.entry[0].resource.description, /de RECUP à PROV \(traits INS modifiés : sexe\)/);
  });

  test('a JSON Patch of a trait drops a QUAL identity as a PUT does', async () => {
    const person = newPerson();
    await registerPeople(engine, [person]);
    const qual = await server().post('Patient', patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-01-01' }));
    assert.equal(statusOf(qual.body), 'QUAL');
    const patched = await server().request('PATCH', `Patient/${qual.body.id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/birthDate', value: '1985-05-13' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(statusOf(patched.body), 'PROV');
    assert.deepEqual(insIdentifiersOf(patched.body), []);
    const tasks = await server().get(`Task?focus=Patient/${qual.body.id}`);
    assert.match(tasks.body.entry[0].resource.description, /date de naissance/);
  });

  test('removing the INS of a QUAL identity keeps the document check: VALI, with a review', async () => {
    const person = newPerson();
    await registerPeople(engine, [person]);
    const qual = await server().post('Patient', patientOf(person, { ins: person.ins, mode: 'CN', validationDate: '2026-01-01' }));
    const without = await server().put(`Patient/${qual.body.id}`, patientOf(person, { id: qual.body.id, mode: 'CN', validationDate: '2026-01-01' }));
    assert.equal(without.status, 200, without.text);
    assert.equal(statusOf(without.body), 'VALI');
    assert.equal(await countOf(server(), `Task?focus=Patient/${qual.body.id}`), 1);
  });

  test('a Patient write that asks INSi spends its author\'s INSi calls: no way round the rate limit, none for a patient', async () => {
    const hospital: Principal = { kind: 'system', subject: 'ehr-rate', clientId: 'ehr-rate', scopes: ['system/Patient.cruds'] };
    const statuses: number[] = [];
    // Unknown INS numbers: each write asks INSi, which answers 422 until the client's bucket (SOCLE_INSI_BURST, 10) is empty.
    for (let i = 0; i < 14; i += 1) {
      const person = newPerson();
      statuses.push((await write('POST', 'Patient', patientOf(person, { ins: person.ins }), hospital)).status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422));
    assert.ok(statuses.slice(10).includes(429), `rate-limited after the burst: ${statuses.join(',')}`);
    // A write asking nothing of INSi is not limited.
    assert.equal((await write('POST', 'Patient', patientOf(newPerson()), hospital)).status, 201);
    const patient: Principal = { kind: 'patient', subject: 'p-rate', clientId: 'app-rate', scopes: ['patient/Patient.cruds'], patient: 'p-rate' };
    const own = newPerson();
    const refused = await write('POST', 'Patient', patientOf(own, { ins: own.ins }), patient);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
  });
});
