/**
 * Durability and atomicity across a crash, on both backends: the real server
 * runs as a child process, takes concurrent writes, and dies by SIGKILL while
 * writes are in flight. Restarted on the same store, it must serve every
 * write it acknowledged, with its content, and every transaction Bundle must
 * be there whole or not at all (http://hl7.org/fhir/R4/http.html#transaction).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { authorizationFor, ServerProcess } from '../support/child-process.js';

interface Json {
  [key: string]: any;
}

async function fhir(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${base}/${path}`, {
    method,
    headers: { authorization: authorizationFor(base) ?? '', ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function total(base: string, query: string): Promise<number> {
  const result = await fhir(base, 'GET', `${query}&_total=accurate&_count=0`);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return Number(result.body.total);
}

/**
 * Runs `count` jobs, `concurrency` at a time, calling `crashWhen` after each
 * success; once it says so, no new job starts. Resolves when every started job has settled.
 */
async function drive(count: number, concurrency: number, job: (index: number) => Promise<boolean>, crashWhen: () => boolean, crash: () => Promise<void>): Promise<{ started: number }> {
  let next = 0;
  let crashed: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && crashed === undefined) {
      const index = next;
      next += 1;
      const acknowledged = await job(index).catch(() => false);
      if (acknowledged && crashed === undefined && crashWhen()) crashed = crash();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await crashed;
  return { started: next };
}

for (const backend of backendNames()) {
  describe(`durability across SIGKILL [${backend}]`, () => {
    let prepared: PreparedBackend;
    before(async () => {
      prepared = await prepareBackend(backend);
    });
    after(async () => {
      await prepared.cleanup();
    });

    test('every acknowledged create is readable with its content after a crash', async () => {
      const system = `urn:socle-test:durable:${randomUUID()}`;
      const family = `Durable${randomUUID().slice(0, 8)}`;
      const acknowledged = new Map<string, number>();
      const server = await ServerProcess.start(prepared);
      let inFlightAtCrash = 0;
      let inFlight = 0;
      const { started } = await drive(300, 48, async (i) => {
        inFlight += 1;
        try {
          const result = await fhir(server.base, 'POST', 'Patient', {
            resourceType: 'Patient', identifier: [{ system, value: `n${i}` }], name: [{ family, given: [`G${i}`] }], birthDate: '1980-01-01',
          });
          if (result.status !== 201) return false;
          acknowledged.set(result.body.id as string, i);
          return true;
        } finally {
          inFlight -= 1;
        }
      }, () => acknowledged.size >= 120, async () => {
        inFlightAtCrash = inFlight;
        await server.crash();
      });
      assert.ok(inFlightAtCrash > 0, 'writes were still in flight at the crash');
      assert.ok(started < 300 || inFlightAtCrash > 0);

      const restarted = await ServerProcess.start(prepared);
      try {
        for (const [id, i] of acknowledged) {
          const read = await fhir(restarted.base, 'GET', `Patient/${id}`);
          assert.equal(read.status, 200, `acknowledged Patient/${id} (n${i}) survives the crash`);
          assert.equal(read.body.identifier[0].value, `n${i}`);
          assert.equal(read.body.name[0].given[0], `G${i}`);
          assert.equal(read.body.meta.versionId, '1');
        }
        // What survived is whole: found by each of its indexed parameters alike.
        const byIdentifier = await total(restarted.base, `Patient?identifier=${encodeURIComponent(`${system}|`)}`);
        assert.ok(byIdentifier >= acknowledged.size, `${byIdentifier} stored, ${acknowledged.size} acknowledged`);
        assert.equal(await total(restarted.base, `Patient?family=${family}`), byIdentifier);
        assert.equal(await total(restarted.base, `Patient?birthdate=1980-01-01&identifier=${encodeURIComponent(`${system}|`)}`), byIdentifier);
        // And the store takes writes again.
        assert.equal((await fhir(restarted.base, 'POST', 'Patient', { resourceType: 'Patient' })).status, 201);
      } finally {
        assert.equal(await restarted.stop(), 0, restarted.logs);
      }
    });

    test('a transaction in flight at the crash is either all there or not at all', async () => {
      const run = randomUUID();
      const PATIENTS = 20;
      const systemOf = (k: number): string => `urn:socle-test:tx-crash:${run}:${k}`;
      const acknowledged = new Set<number>();
      const server = await ServerProcess.start(prepared);
      let inFlight = 0;
      let inFlightAtCrash = 0;
      const { started } = await drive(60, 8, async (k) => {
        inFlight += 1;
        try {
          return await sendTransaction(k);
        } finally {
          inFlight -= 1;
        }
      }, () => acknowledged.size >= 6, async () => {
        inFlightAtCrash = inFlight;
        await server.crash();
      });
      assert.ok(inFlightAtCrash > 0, 'transactions were in flight at the crash');

      async function sendTransaction(k: number): Promise<boolean> {
        const system = systemOf(k);
        const entries: Json[] = [];
        for (let j = 0; j < PATIENTS; j += 1) {
          entries.push({
            fullUrl: `urn:uuid:${randomUUID()}`,
            resource: { resourceType: 'Patient', identifier: [{ system, value: `p${j}` }], name: [{ family: `Tx${k}`, given: [`P${j}`] }] },
            request: { method: 'POST', url: 'Patient' },
          });
        }
        entries.push({
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'crash' }, identifier: [{ system, value: 'obs' }], subject: { reference: entries[PATIENTS - 1]!.fullUrl } },
          request: { method: 'POST', url: 'Observation' },
        });
        const result = await fhir(server.base, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: entries });
        if (result.status !== 200) return false;
        acknowledged.add(k);
        return true;
      }

      const restarted = await ServerProcess.start(prepared);
      try {
        for (let k = 0; k < started; k += 1) {
          const system = encodeURIComponent(`${systemOf(k)}|`);
          const patients = await total(restarted.base, `Patient?identifier=${system}`);
          const observations = await total(restarted.base, `Observation?identifier=${system}`);
          if (acknowledged.has(k)) {
            assert.equal(patients, PATIENTS, `acknowledged transaction ${k} is whole`);
          } else {
            assert.ok(patients === 0 || patients === PATIENTS, `transaction ${k}: ${patients} of ${PATIENTS} Patients after the crash`);
          }
          assert.equal(observations, patients === 0 ? 0 : 1, `transaction ${k}: its Observation goes with its Patients`);
          if (observations === 1) {
            const search = await fhir(restarted.base, 'GET', `Observation?identifier=${system}&_include=Observation:subject`);
            const included = (search.body.entry as Json[]).filter((e) => e.resource.resourceType === 'Patient');
            assert.equal(included.length, 1, `transaction ${k}: the Observation's subject is there`);
          }
        }
      } finally {
        assert.equal(await restarted.stop(), 0, restarted.logs);
      }
    });
  });
}
