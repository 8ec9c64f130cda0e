/**
 * Patient/[id]/$everything (http://hl7.org/fhir/R4/patient-operation-everything.html):
 * the patient, its compartment and what those reference, paged like a search,
 * with _type, _since and _count; start/end are not applied and the answer
 * says so (refused under Prefer: handling=strict); a patient's token reaches
 * only their own. On both backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ids = (bundle: Json, mode?: string): string[] => (bundle.entry ?? [])
  .filter((e: Json) => e.resource?.resourceType !== 'OperationOutcome' && (mode === undefined || e.search?.mode === mode))
  .map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`).sort();

async function allPages(server: TestServer, first: Json): Promise<string[]> {
  const seen = ids(first);
  let next = first.link?.find((l: Json) => l.relation === 'next')?.url as string | undefined;
  while (next) {
    const page = await server.get(next);
    assert.equal(page.status, 200, page.text);
    seen.push(...ids(page.body));
    next = page.body.link?.find((l: Json) => l.relation === 'next')?.url;
  }
  return [...new Set(seen)].sort();
}

forEachBackend('Patient $everything', (server) => {
  let alice: Json; let bob: Json; let doctor: Json;
  let aliceObs: Json; let aliceCondition: Json; let bobObs: Json;

  before(async () => {
    const s = server();
    doctor = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Docteur' }] });
    alice = await s.create({ resourceType: 'Patient', name: [{ family: 'Alice' }], generalPractitioner: [{ reference: `Practitioner/${doctor.id}` }] });
    bob = await s.create({ resourceType: 'Patient', name: [{ family: 'Bob' }] });
    const observation = (patient: Json, extra: Json = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}` }, ...extra });
    aliceObs = await s.create(observation(alice, { performer: [{ reference: `Practitioner/${doctor.id}` }] }));
    aliceCondition = await s.create({ resourceType: 'Condition', subject: { reference: `Patient/${alice.id}` }, code: { text: 'asthme' } });
    bobObs = await s.create(observation(bob));
  });

  test('gives the patient, its compartment and the resources they reference, nothing of another patient', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything`);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'searchset');
    const found = ids(result.body);
    assert.deepEqual(found, [`Condition/${aliceCondition.id}`, `Observation/${aliceObs.id}`, `Patient/${alice.id}`, `Practitioner/${doctor.id}`].sort());
    assert.ok(!found.includes(`Observation/${bobObs.id}`));
    assert.ok(!found.includes(`Patient/${bob.id}`));
    assert.deepEqual(ids(result.body, 'include'), [`Practitioner/${doctor.id}`]);
  });

  test('_type limits the compartment types', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything?_type=Condition`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Condition/${aliceCondition.id}`]);
  });

  test('_since keeps what changed since then', async () => {
    const before = (await server().get(`Observation/${aliceObs.id}`)).body.meta.lastUpdated as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    const later = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'taille' }, subject: { reference: `Patient/${alice.id}` } });
    assert.ok(before < since);
    const result = await server().get(`Patient/${alice.id}/$everything?_since=${encodeURIComponent(since)}`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Observation/${later.id}`]);
    await server().delete(`Observation/${later.id}`);
  });

  test('_count pages, and following the next links gives everything', async () => {
    const first = await server().get(`Patient/${alice.id}/$everything?_count=1`);
    assert.equal(first.status, 200, first.text);
    assert.equal(ids(first.body, 'match').length, 1);
    assert.ok(first.body.link.some((l: Json) => l.relation === 'next'));
    const all = await allPages(server(), first.body);
    assert.deepEqual(all, [`Condition/${aliceCondition.id}`, `Observation/${aliceObs.id}`, `Patient/${alice.id}`, `Practitioner/${doctor.id}`].sort());
  });

  test('POST with a Parameters resource takes the same parameters', async () => {
    const result = await server().post(`Patient/${alice.id}/$everything`, { resourceType: 'Parameters', parameter: [{ name: '_type', valueCode: 'Observation' }] });
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Observation/${aliceObs.id}`]);
    const wrong = await server().post(`Patient/${alice.id}/$everything`, { resourceType: 'Patient' });
    assert.equal(wrong.status, 400, wrong.text);
    assert.equal(wrong.body.resourceType, 'OperationOutcome');
  });

  test('start and end are not applied: the Bundle says so, and handling=strict refuses them', async () => {
    const lenient = await server().get(`Patient/${alice.id}/$everything?start=2020-01-01`);
    assert.equal(lenient.status, 200, lenient.text);
    const notice = lenient.body.entry.find((e: Json) => e.search?.mode === 'outcome')?.resource;
    assert.equal(notice?.resourceType, 'OperationOutcome');
    assert.equal(notice.issue[0].severity, 'warning');
    assert.match(notice.issue[0].details.text, /start/);
    const strict = await server().get(`Patient/${alice.id}/$everything?start=2020-01-01`, { prefer: 'handling=strict' });
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.body.issue[0].details.coding[0].code, 'operation.parameter-unsupported');
  });

  test('an invalid _since is a 400 naming _since', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything?_since=notadate`);
    assert.equal(result.status, 400, result.text);
    assert.match(result.body.issue[0].details.text, /_since/);
  });

  test('an unknown patient is 404 and a deleted one 410, not an empty Bundle', async () => {
    assert.equal((await server().get('Patient/00000000-0000-4000-8000-000000000000/$everything')).status, 404);
    const gone = await server().create({ resourceType: 'Patient', name: [{ family: 'Parti' }] });
    assert.equal((await server().delete(`Patient/${gone.id}`)).status < 300, true);
    assert.equal((await server().get(`Patient/${gone.id}/$everything`)).status, 410);
  });

  test('a patient reaches their own record only, another patient’s answering as absent', async () => {
    const asAlice = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/*.rs'] });
    const own = await asAlice.get(`Patient/${alice.id}/$everything`);
    assert.equal(own.status, 200, own.text);
    const found = ids(own.body);
    assert.ok(found.includes(`Observation/${aliceObs.id}`));
    assert.ok(!found.includes(`Practitioner/${doctor.id}`), 'outside every compartment: not a patient’s to read');
    assert.equal((await asAlice.get(`Patient/${bob.id}/$everything`)).status, 404);
  });

  test('the CapabilityStatement lists the operation on Patient', async () => {
    const capability = await server().get('metadata');
    const patient = capability.body.rest[0].resource.find((r: Json) => r.type === 'Patient');
    const operation = patient.operation.find((o: Json) => o.name === 'everything');
    assert.equal(operation?.definition, 'http://hl7.org/fhir/OperationDefinition/Patient-everything');
  });
});
