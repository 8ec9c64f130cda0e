/**
 * Two transaction Bundles changing the same resources in opposite orders, sent
 * at the same moment through HTTP, on both backends. On PostgreSQL each would
 * lock its first resource and wait for the other's (a deadlock, one of them
 * aborted); the store takes the locks of every resource a Bundle changes up
 * front, in one order, so the second waits for the first and both succeed.
 * The same for Patient/$merge and $unmerge crossing a Bundle or each other, and
 * for conditional patches on the same criteria.
 * On SQLite the single writer runs them one after the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { frenchPatient, insCriteria, IPP_SYSTEM, jsonPatch, sleep, type Json } from '../support/fixtures.js';
import { postBundle } from '../support/outcome.js';

/** How many times the crossing pair is sent (the old code deadlocked in every round). */
const ROUNDS = 12;

function putEntry(resource: { readonly resourceType: string; readonly id: string; readonly [element: string]: unknown }): unknown {
  return { fullUrl: `${resource.resourceType}/${resource.id}`, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
}

/**
 * PostgreSQL aborts one of two deadlocked transactions and the store runs it
 * again, so a round that deadlocked still answers 200 twice: what tells is the
 * store's count of units run again after a deadlock (socle_db_unit_retries_total
 * at /metrics), which must not move. SQLite, one writer, never counts one.
 */
async function deadlockRetries(server: TestServer): Promise<number> {
  return unitRetries(server, 'deadlock');
}

async function unitRetries(server: TestServer, reason: 'deadlock' | 'concurrent-write'): Promise<number> {
  const { text } = await server.get('/metrics');
  const line = text.split('\n').find((l) => l.startsWith(`socle_db_unit_retries_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** Asserts that no unit was run again after a deadlock since the count was `before`. */
async function assertNoDeadlockRetries(server: TestServer, before: number): Promise<void> {
  assert.equal(await deadlockRetries(server) - before, 0, 'deadlocks were detected and the losers run again');
}

/** An address that says which Bundle of which round wrote it. */
function city(round: number, bundle: string): { city: string; country: string }[] {
  return [{ city: `Ville ${bundle}${round}`, country: 'FR' }];
}

/** A conditional create (If-None-Exist on the patient's INS), entry of a transaction. */
function createIfNoneExist(patient: Json): unknown {
  return { resource: patient, request: { method: 'POST', url: 'Patient', ifNoneExist: insCriteria(patient) } };
}

/** A conditional update (PUT Patient?identifier=INS), entry of a transaction. */
function conditionalPut(patient: Json): unknown {
  return { resource: patient, request: { method: 'PUT', url: `Patient?${insCriteria(patient)}` } };
}

async function countMatching(server: TestServer, patient: Json): Promise<number> {
  const found = await server.get(`Patient?${insCriteria(patient)}`);
  assert.equal(found.status, 200, found.text);
  return (found.body.entry ?? []).length;
}

/** A FHIRPath Patch entry (fhirpatch.html) replacing one element of the resource at `url`. */
function replaceEntry(url: string, path: string, value: Json): unknown {
  const operation = { name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: path }, { name: 'value', ...value }] };
  return { resource: { resourceType: 'Parameters', parameter: [operation] }, request: { method: 'PATCH', url } };
}

const patientRef = (id: string): Json => ({ reference: `Patient/${id}` });

function mergeParameters(source: string, target: string): Json {
  return { resourceType: 'Parameters', parameter: [{ name: 'source-patient', valueReference: patientRef(source) }, { name: 'target-patient', valueReference: patientRef(target) }] };
}

/** A patient known only by a local IPP (no NIR: two of them are never refused as two people), with `count` Observations. */
async function patientWithObservations(server: TestServer, count: number): Promise<{ id: string; observations: string[] }> {
  const { id } = await server.create({ ...frenchPatient(), identifier: [{ system: IPP_SYSTEM, value: randomUUID() }] });
  const entries = Array.from({ length: count }, (_, i) => ({
    resource: { resourceType: 'Observation', status: 'final', code: { text: `mesure ${i}` }, subject: patientRef(id), valueString: 'avant' },
    request: { method: 'POST', url: 'Observation' },
  }));
  const created = await postBundle(server, 'transaction', entries);
  assert.equal(created.status, 200, created.text);
  return { id, observations: created.body.entry.map((e: { response: { location: string } }) => /Observation\/([^/]+)/.exec(e.response.location)?.[1]) };
}

async function subjectsOf(server: TestServer, observations: readonly string[]): Promise<string[]> {
  const read = await Promise.all(observations.map((id) => server.get(`Observation/${id}`)));
  return [...new Set(read.map((r) => String(r.body.subject.reference)))];
}

async function versionOf(server: TestServer, path: string): Promise<number> {
  const read = await server.get(path);
  assert.equal(read.status, 200, read.text);
  return Number(read.body.meta.versionId);
}

forEachBackend('crossing transactions', (server) => {
  test('two transactions updating the same two resources in opposite orders both succeed, one after the other', async () => {
    const a = await server().create(frenchPatient({ family: 'Aubert' }));
    const b = await server().create(frenchPatient({ family: 'Bernard' }));
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS; round++) {
      const [first, second] = await Promise.all([
        postBundle(server(), 'transaction', [putEntry({ ...a, address: city(round, 'a') }), putEntry({ ...b, address: city(round, 'a') })]),
        postBundle(server(), 'transaction', [putEntry({ ...b, address: city(round, 'b') }), putEntry({ ...a, address: city(round, 'b') })]),
      ]);
      assert.equal(first.status, 200, `round ${round}: ${first.text}`);
      assert.equal(second.status, 200, `round ${round}: ${second.text}`);
      // Both changed both resources: whichever ran second holds its city in both, never one of each.
      const [readA, readB] = await Promise.all([server().get(`Patient/${a.id}`), server().get(`Patient/${b.id}`)]);
      assert.equal(readA.body.address[0].city, readB.body.address[0].city, `round ${round}: one Bundle's change survives whole`);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
    assert.equal(await versionOf(server(), `Patient/${a.id}`), 1 + 2 * ROUNDS);
    assert.equal(await versionOf(server(), `Patient/${b.id}`), 1 + 2 * ROUNDS);
  });

  test('crossing transactions that create the same new client-assigned ids both succeed', async () => {
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS / 2; round++) {
      const a = { ...frenchPatient(), id: `croise-a-${round}-${Date.now()}` };
      const b = { ...frenchPatient(), id: `croise-b-${round}-${Date.now()}` };
      const [first, second] = await Promise.all([
        postBundle(server(), 'transaction', [putEntry({ ...a, address: [{ city: 'Lyon' }] }), putEntry({ ...b, address: [{ city: 'Lyon' }] })]),
        postBundle(server(), 'transaction', [putEntry({ ...b, address: [{ city: 'Brest' }] }), putEntry({ ...a, address: [{ city: 'Brest' }] })]),
      ]);
      assert.equal(first.status, 200, `round ${round}: ${first.text}`);
      assert.equal(second.status, 200, `round ${round}: ${second.text}`);
      assert.equal(await versionOf(server(), `Patient/${a.id}`), 2);
      assert.equal(await versionOf(server(), `Patient/${b.id}`), 2);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
  });

  test('crossing transactions with the same two conditional creates (If-None-Exist) create each patient once, without a deadlock', async () => {
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS / 2; round++) {
      const a = frenchPatient({ family: 'Aubert' });
      const b = frenchPatient({ family: 'Bernard' });
      const [first, second] = await Promise.all([
        postBundle(server(), 'transaction', [createIfNoneExist(a), createIfNoneExist(b)]),
        postBundle(server(), 'transaction', [createIfNoneExist(b), createIfNoneExist(a)]),
      ]);
      assert.equal(first.status, 200, `round ${round}: ${first.text}`);
      assert.equal(second.status, 200, `round ${round}: ${second.text}`);
      // The criteria locks serialise the two: one creates both, the other finds both.
      const statuses = [...first.body.entry, ...second.body.entry].map((e: { response: { status: string } }) => e.response.status.slice(0, 3)).sort();
      assert.deepEqual(statuses, ['200', '200', '201', '201'], `round ${round}`);
      assert.equal(await countMatching(server(), a), 1);
      assert.equal(await countMatching(server(), b), 1);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
  });

  test('crossing transactions with the same two conditional updates both succeed, one after the other', async () => {
    const a = await server().create(frenchPatient({ family: 'Aubert' }));
    const b = await server().create(frenchPatient({ family: 'Bernard' }));
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS / 2; round++) {
      const [first, second] = await Promise.all([
        postBundle(server(), 'transaction', [conditionalPut({ ...a, address: city(round, 'a') }), conditionalPut({ ...b, address: city(round, 'a') })]),
        postBundle(server(), 'transaction', [conditionalPut({ ...b, address: city(round, 'b') }), conditionalPut({ ...a, address: city(round, 'b') })]),
      ]);
      assert.equal(first.status, 200, `round ${round}: ${first.text}`);
      assert.equal(second.status, 200, `round ${round}: ${second.text}`);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
    assert.equal(await versionOf(server(), `Patient/${a.id}`), 1 + ROUNDS);
    assert.equal(await versionOf(server(), `Patient/${b.id}`), 1 + ROUNDS);
  });

  test('a transaction holding a resource and wanting criteria, crossing one holding those criteria and wanting the resource, both succeed', async () => {
    // The first updates A by id and looks B up by its INS (If-None-Exist); the second updates B by its INS
    // and A by id: each would hold what the other waits for, unless every criteria lock is taken before any resource lock.
    const a = await server().create(frenchPatient({ family: 'Aubert' }));
    const b = await server().create(frenchPatient({ family: 'Bernard' }));
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS / 2; round++) {
      const [first, second] = await Promise.all([
        postBundle(server(), 'transaction', [putEntry({ ...a, address: city(round, 'a') }), createIfNoneExist(b)]),
        postBundle(server(), 'transaction', [conditionalPut({ ...b, address: city(round, 'b') }), putEntry({ ...a, address: city(round, 'b') })]),
      ]);
      assert.equal(first.status, 200, `round ${round}: ${first.text}`);
      assert.equal(second.status, 200, `round ${round}: ${second.text}`);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
    assert.equal(await versionOf(server(), `Patient/${a.id}`), 1 + ROUNDS);
    assert.equal(await versionOf(server(), `Patient/${b.id}`), 1 + ROUNDS / 2);
    assert.equal(await countMatching(server(), b), 1);
  });

  test('a $merge and a transaction changing its moved resources and its target, crossing, both succeed without a deadlock', async () => {
    // The merge rewrites the source's Observations, then the source, then the target; the Bundle patches the
    // first and last Observation and the target. Locked as each is written, the merge would hold an Observation
    // and wait for the target while the Bundle, locking in ascending order, held the target and waited for it.
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS; round++) {
      const target = await server().create(frenchPatient());
      const source = await patientWithObservations(server(), 20);
      const [first, last] = [source.observations[0] as string, source.observations[19] as string];
      const crossing = (step: string): unknown[] => [
        replaceEntry(`Observation/${last}`, 'Observation.value', { valueString: `${step} ${round}` }),
        replaceEntry(`Patient/${target.id}`, 'Patient.address[0].city', { valueString: `Ville ${step} ${round}` }),
        replaceEntry(`Observation/${first}`, 'Observation.value', { valueString: `${step} ${round}` }),
      ];
      // The Bundle sent a little later each round, so that it lands at every step of the merge.
      const [merged, duringMerge] = await Promise.all([
        server().post('Patient/$merge', mergeParameters(source.id, target.id)),
        sleep(round * 4).then(() => postBundle(server(), 'transaction', crossing('fusion'))),
      ]);
      assert.equal(merged.status, 200, `round ${round}: ${merged.text}`);
      assert.equal(duringMerge.status, 200, `round ${round}: ${duringMerge.text}`);
      assert.deepEqual(await subjectsOf(server(), source.observations), [`Patient/${target.id}`], `round ${round}: every Observation moved`);
      const [unmerged, duringUnmerge] = await Promise.all([
        server().post('Patient/$unmerge', { resourceType: 'Parameters', parameter: [{ name: 'source-patient', valueReference: patientRef(source.id) }] }),
        sleep(round * 4).then(() => postBundle(server(), 'transaction', crossing('séparation'))),
      ]);
      assert.equal(unmerged.status, 200, `round ${round}: ${unmerged.text}`);
      assert.equal(duringUnmerge.status, 200, `round ${round}: ${duringUnmerge.text}`);
      assert.deepEqual(await subjectsOf(server(), source.observations), [`Patient/${source.id}`], `round ${round}: every Observation moved back`);
      assert.equal((await server().get(`Observation/${first}`)).body.valueString, `séparation ${round}`);
      assert.equal((await server().get(`Patient/${target.id}`)).body.address[0].city, `Ville séparation ${round}`);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
  });

  test('two merges of the same pair in opposite directions, crossing: one merges, the other is refused, without a deadlock', async () => {
    const deadlocksBefore = await deadlockRetries(server());
    for (let round = 0; round < ROUNDS; round++) {
      const a = await patientWithObservations(server(), 5);
      const b = await patientWithObservations(server(), 5);
      const answers = await Promise.all([
        server().post('Patient/$merge', mergeParameters(a.id, b.id)),
        server().post('Patient/$merge', mergeParameters(b.id, a.id)),
      ]);
      const statuses = answers.map((answer) => answer.status).sort();
      assert.deepEqual(statuses, [200, 422], `round ${round}: ${answers.map((answer) => answer.text).join('\n')}`);
      const refused = answers.find((answer) => answer.status === 422);
      assert.match(String(refused?.body.issue[0].details.coding[0].code), /^mpi\.merge\.(source|target)-merged$/);
      const survivor = answers[0]?.status === 200 ? b.id : a.id;
      assert.deepEqual(await subjectsOf(server(), [...a.observations, ...b.observations]), [`Patient/${survivor}`]);
    }
    await assertNoDeadlockRetries(server(), deadlocksBefore);
  });

  test('concurrent conditional patches on the same criteria apply one after the other, none run again after a conflict', async () => {
    // Each takes the criteria's lock before looking the resource up, as a conditional update does: the next one
    // finds the version the previous one wrote, instead of colliding with it and being run again (or refused, 409).
    const patient = await server().create(frenchPatient());
    const conflictsBefore = await unitRetries(server(), 'concurrent-write');
    const PATCHES = 8;
    const answers = await Promise.all(Array.from({ length: PATCHES }, (_, i) =>
      jsonPatch(server(), `Patient?${insCriteria(patient)}`, [{ op: 'add', path: '/address/-', value: { city: `Ville ${i}`, country: 'FR' } }])));
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    const stored = (await server().get(`Patient/${patient.id}`)).body;
    assert.equal(stored.address.length, 1 + PATCHES, 'every patch applied to the version the previous one wrote');
    assert.equal(Number(stored.meta.versionId), 1 + PATCHES);
    assert.equal(await unitRetries(server(), 'concurrent-write') - conflictsBefore, 0, 'conditional patches collided and were run again');
  });
});
