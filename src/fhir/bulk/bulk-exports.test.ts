import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { isFhirError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { createLogger } from '../../server/observability/logger.js';
import { Collection } from '../../storage/collection.js';
import type { Store } from '../../storage/contract.js';
import { openStore } from '../../storage/open-store.js';
import type { FhirEngine } from '../rest/engine.js';
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import { BulkExports, STALE_MS } from './bulk-exports.js';
import type { ExportJob } from './export-job.js';
import { JobStore } from './job-store.js';
import { r4Schema } from '../definitions/schema.js';

const OWNER: Principal = { kind: 'system', subject: 'client-a', clientId: 'client-a', scopes: ['system/*.rs'] };

let folder: string;
let store: Store;
let now = 1_700_000_000_000;
const clock = { now: () => now };

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'socle-bulk-'));
  store = await openStore(loadConfig({}, { dataDir: folder, databaseUrl: '', logLevel: 'silent', demo: 'off' }));
});

after(async () => {
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

/** An engine whose searches wait for `open()`, then answer one Patient per search. */
function gatedEngine(): { engine: FhirEngine; open: () => void; searches: FhirRequest[] } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const searches: FhirRequest[] = [];
  const dispatch = async (request: FhirRequest): Promise<FhirResponse> => {
    searches.push(request);
    await gate;
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: `p${searches.length}` }, search: { mode: 'match' } }] };
    return { status: 200, headers: {}, interaction: 'search-type', body: { kind: 'text', text: JSON.stringify(bundle) } };
  };
  const engine = { dispatch, deps: { store, schema: r4Schema(), audit: { flush: async () => undefined }, compartment: { patientsOfResource: () => [] } } } as unknown as FhirEngine;
  return { engine, open, searches };
}

function setUp(engine: FhirEngine, maxJobs = 2): { exports: BulkExports; jobs: JobStore } {
  const jobs = new JobStore(new Collection<ExportJob>(store, 'bulk.jobs', clock), join(folder, 'bulk'));
  const exports = new BulkExports({ jobs, engine, clock, logger: createLogger('silent'), settings: { maxJobs, fileSize: 1 << 20, expiryMs: 3_600_000, pageSize: 100 } });
  return { exports, jobs };
}

function newJob(overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    id: randomUUID(), status: 'in-progress', request: 'http://socle/fhir/$export', baseUrl: 'http://socle/fhir', language: 'en', level: 'system',
    types: ['Patient', 'Observation'], typeFilters: {}, owner: OWNER, createdAt: now, transactionTime: now, heartbeat: now,
    progress: { done: 0, total: 0, resources: 0 }, output: [], errors: [], ...overrides,
  };
}

async function until(jobs: JobStore, id: string, done: (job: ExportJob | undefined) => boolean): Promise<ExportJob | undefined> {
  for (let i = 0; i < 5000; i++) {
    const job = await jobs.get(id);
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail('the job did not get there');
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

test('a job reads as its requester and saves its files and counts once complete', async () => {
  const { engine, open, searches } = gatedEngine();
  const { exports, jobs } = setUp(engine);
  open();
  const job = newJob();
  await exports.begin(job);
  const done = await until(jobs, job.id, (j) => j?.status === 'completed');
  assert.deepEqual(done?.output.map((f) => [f.type, f.name, f.count]), [['Patient', 'Patient-1.ndjson', 1]], 'only matches of the searched type');
  assert.deepEqual(searches.map((s) => [s.path, s.principal?.subject, s.headers.prefer]), [['Patient', 'client-a', 'handling=strict'], ['Observation', 'client-a', 'handling=strict']]);
  assert.deepEqual(await readdir(jobs.folder(job.id)), ['Patient-1.ndjson']);
  assert.equal((await exports.find(job.id, OWNER))?.status, 'completed');
  assert.equal(await exports.find(job.id, { ...OWNER, clientId: 'client-b' }), undefined, 'another client: as if unknown');
  assert.equal((await exports.find(job.id, { kind: 'operator', subject: 'admin', clientId: 'x', scopes: [] }))?.id, job.id);
  await exports.close();
});

test('beyond SOCLE_BULK_MAX_JOBS a kick-off gets 429 with Retry-After; a shutdown marks the running job interrupted and drops its files', async () => {
  const { engine, open } = gatedEngine();
  const { exports, jobs } = setUp(engine, 1);
  const running = newJob();
  await exports.begin(running);
  await assert.rejects(exports.begin(newJob()), (error) => isFhirError(error) && error.status === 429 && error.headers['retry-after'] === '30');
  assert.equal((await exports.find(running.id, OWNER))?.status, 'in-progress');
  const closing = exports.close();
  open();
  await closing;
  const stopped = await jobs.get(running.id);
  assert.equal(stopped?.status, 'failed');
  assert.equal(stopped?.failure, 'bulk.job-interrupted');
  assert.equal(await exists(jobs.folder(running.id)), false);
});

test('cancel stops a running job, then deletes it and its files', async () => {
  const { engine, open } = gatedEngine();
  const { exports, jobs } = setUp(engine);
  const job = newJob();
  await exports.begin(job);
  const cancelling = exports.cancel(job.id);
  open();
  await cancelling;
  assert.equal(await jobs.get(job.id), undefined);
  assert.equal(await exists(jobs.folder(job.id)), false);
  await exports.close();
});

test('the sweep: a job whose heartbeat fell silent is interrupted, a finished one expires with its files, orphan folders go', async () => {
  const { engine } = gatedEngine();
  const { exports, jobs } = setUp(engine);
  const silent = newJob({ heartbeat: now - STALE_MS - 1 });
  const alive = newJob({ heartbeat: now - 1000 });
  const expired = newJob({ status: 'completed', finishedAt: now - 3_600_000, output: [{ type: 'Patient', name: 'Patient-1.ndjson', count: 1, bytes: 10 }] });
  const kept = newJob({ status: 'completed', finishedAt: now - 1000 });
  for (const job of [silent, alive, expired, kept]) await jobs.save(job);
  await writeFile(join(await jobs.createFolder(expired.id), 'Patient-1.ndjson'), '{}\n');
  const orphan = join(jobs.root, randomUUID());
  await mkdir(orphan, { recursive: true });
  await exports.sweep(true);
  assert.equal((await jobs.get(silent.id))?.failure, 'bulk.job-interrupted');
  assert.equal((await jobs.get(alive.id))?.status, 'in-progress');
  assert.equal(await jobs.get(expired.id), undefined);
  assert.equal(await exists(jobs.folder(expired.id)), false);
  assert.equal((await jobs.get(kept.id))?.status, 'completed');
  assert.equal(await exists(orphan), false);
  // A status request applies the same rules: once past its expiry, the job is gone.
  now += 3_600_000;
  assert.equal(await exports.find(kept.id, OWNER), undefined);
  await exports.close();
});
