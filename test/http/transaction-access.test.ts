/**
 * Access control inside transactions, on both backends: a conditional create
 * or a conditional reference never discloses a resource the caller may not see
 * (http://hl7.org/fhir/R4/http.html#ccreate, #trules; access-guard.ts), and a
 * conditional create entry is checked and audited as the direct interaction is.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Json } from '../support/fixtures.js';
import { assertOutcome, countOf, messageKeys, postBundle, uniqueSystem } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';

const AMBULATORY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' };

forEachBackend('transaction access', (server) => {
  const system = uniqueSystem('tx-access');
  let doctor: Json; let seen: Json; let hidden: Json;
  let asDoctor: TestServer;

  before(async () => {
    const s = server();
    doctor = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Pasteur' }] });
    seen = await s.create({ resourceType: 'Patient', identifier: [{ system, value: 'seen' }] });
    hidden = await s.create({ resourceType: 'Patient', identifier: [{ system, value: 'hidden' }] });
    await s.create({ resourceType: 'Encounter', status: 'finished', class: AMBULATORY, subject: { reference: `Patient/${seen.id}` }, participant: [{ individual: { reference: `Practitioner/${doctor.id}` } }] });
    asDoctor = s.as({ kind: 'practitioner', fhirUser: `Practitioner/${doctor.id}`, scopes: ['user/*.cruds'] });
  });

  const criteria = (value: string): string => `identifier=${encodeURIComponent(`${system}|${value}`)}`;

  /** The AuditEvents of the doctor's conditional creates recorded since `since`. */
  async function createEvents(since: string): Promise<Json[]> {
    const found = await server().get(`AuditEvent?agent=Practitioner/${doctor.id}&subtype=create&_count=200`);
    assert.equal(found.status, 200, found.text);
    return (found.body.entry ?? []).map((e: Json) => e.resource).filter((e: Json) => e.recorded >= since);
  }

  test('a conditional create matching a hidden resource answers 403 as the direct one does, naming nothing, and both are audited', async () => {
    const since = new Date().toISOString();
    const body = { resourceType: 'Patient', identifier: [{ system, value: 'hidden' }] };
    const direct = await asDoctor.post('Patient', body, { 'if-none-exist': criteria('hidden') });
    assertOutcome(direct, 403, 'auth.write-outside-reach');
    const result = await postBundle(asDoctor, 'transaction', [{ resource: body, request: { method: 'POST', url: 'Patient', ifNoneExist: criteria('hidden') } }]);
    const issues = assertOutcome(result, 403, 'auth.write-outside-reach');
    assert.ok(messageKeys(issues).includes('bundle.entry-failed'));
    assert.ok(!result.text.includes(hidden.id), 'the hidden resource is not named');
    assert.equal(await countOf(server(), `Patient?${criteria('hidden')}`), 1, 'nothing created');
    const refused = (await createEvents(since)).filter((e) => e.outcome === '4' && e.outcomeDesc === 'auth.write-outside-reach');
    assert.equal(refused.length, 2, 'the direct and the transaction entry refusals are both recorded');
  });

  test('a transaction that fails leaves no trace of its entries’ writes as done, only of the refusal', async () => {
    const since = new Date().toISOString();
    const result = await postBundle(asDoctor, 'transaction', [
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'rolled-back' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'invalid' }], gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
    ]);
    assert.equal(result.status, 422, result.text);
    assert.equal(await countOf(server(), `Patient?${criteria('rolled-back')}`), 0, 'nothing created');
    const events = await createEvents(since);
    assert.equal(events.filter((e) => e.outcome === '0').length, 0, 'the rolled-back create is not recorded as done');
    assert.equal(events.filter((e) => e.outcome === '4').length, 1, 'the refused entry is recorded');
    const outer = await server().get(`AuditEvent?agent=Practitioner/${doctor.id}&subtype=transaction&outcome=4&_count=50`);
    assert.ok((outer.body.entry ?? []).some((e: Json) => e.resource.recorded >= since), 'the failed transaction is recorded as a transaction, not a batch');
  });

  test('a conditional create matching a visible resource answers 200 and is audited against its patient, as the direct one is', async () => {
    const since = new Date().toISOString();
    const body = { resourceType: 'Patient', identifier: [{ system, value: 'seen' }] };
    const direct = await asDoctor.post('Patient', body, { 'if-none-exist': criteria('seen') });
    assert.equal(direct.status, 200, direct.text);
    const result = await postBundle(asDoctor, 'transaction', [{ resource: body, request: { method: 'POST', url: 'Patient', ifNoneExist: criteria('seen') } }]);
    assert.equal(result.status, 200, result.text);
    assert.match(result.body.entry[0].response.location, new RegExp(`/Patient/${seen.id}/_history/1$`));
    const found = (await createEvents(since)).filter((e) => e.outcome === '0' && (e.entity ?? []).some((x: Json) => x.what?.reference === `Patient/${seen.id}`));
    assert.equal(found.length, 2, 'the direct create and the transaction entry both leave a trace naming the patient');
  });

  test('a direct conditional update matching a hidden resource answers 403 without naming it, and changes nothing', async () => {
    const body = (id?: string): Json => ({ resourceType: 'Patient', ...(id ? { id } : {}), identifier: [{ system, value: 'hidden' }], active: false });
    for (const attempt of [body(), body('some-other-id')]) {
      const result = await asDoctor.put(`Patient?${criteria('hidden')}`, attempt);
      assertOutcome(result, 403, 'auth.write-outside-reach');
      assert.ok(!result.text.includes(hidden.id), 'the hidden resource is not named');
    }
    assert.equal((await server().get(`Patient/${hidden.id}`)).body.meta.versionId, '1');
  });

  test('a conditional reference to a hidden resource fails as one to no resource does (412), not 403', async () => {
    const observation = (value: string): Json => ({ resourceType: 'Observation', status: 'final', code: { text: 'tension' }, subject: { reference: `Patient?${criteria(value)}` } });
    const toHidden = await postBundle(asDoctor, 'transaction', [{ resource: observation('hidden'), request: { method: 'POST', url: 'Observation' } }]);
    const toNobody = await postBundle(asDoctor, 'transaction', [{ resource: observation('nobody'), request: { method: 'POST', url: 'Observation' } }]);
    const hiddenIssues = assertOutcome(toHidden, 412, 'bundle.conditional-reference-none');
    const nobodyIssues = assertOutcome(toNobody, 412, 'bundle.conditional-reference-none');
    assert.deepEqual(hiddenIssues.map((i) => i.code), nobodyIssues.map((i) => i.code));
    assert.ok(!toHidden.text.includes(hidden.id));
    const toSeen = await postBundle(asDoctor, 'transaction', [{ resource: observation('seen'), request: { method: 'POST', url: 'Observation' } }]);
    assert.equal(toSeen.status, 200, toSeen.text);
    assert.equal(toSeen.body.entry[0].resource.subject.reference, `Patient/${seen.id}`);
  });
}, { auditWait: 'on' }); // the tests read the traces right after the accesses
