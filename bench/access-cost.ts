/**
 * The cost of access control and audit on a read (issue #4: under 15% of the
 * read's time), measured in-process on the same engine in the same run: the
 * same Patient reads, 10 in flight like wrk's 10 connections, once as
 * in-process work (no principal: no policy, no audit) and once as an operator
 * would make them over HTTP (policy decision point, AuditEvent per read).
 * Alternated A/B/A/B, best of each, so that the machine's noise falls on both
 * sides. The bearer check itself is a cache hit per request once a token has
 * been verified (auth/bearer/).
 *
 * Two figures for the audit, because its work is split: what a read pays on
 * the request path (handing its entry to the recorder), timed up to the last
 * answer; and what the audit writer's thread sustains (building, hashing,
 * appending and flushing the records), timed until every record of the run is
 * on disk. The second must stay above the rate reads are served at, or traces
 * would queue up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discardingRecorder } from '../src/core/audit-entry.js';
import { systemClock } from '../src/core/clock.js';
import type { Principal } from '../src/core/principal.js';
import { loadConfig } from '../src/config/load-config.js';
import { r4Schema } from '../src/fhir/definitions/schema.js';
import type { FhirRequest } from '../src/fhir/rest/types.js';
import { createPlatform } from '../src/platform/create-platform.js';
import { createLogger } from '../src/server/observability/logger.js';
import { openStore } from '../src/storage/open-store.js';

export interface AccessCostResult {
  readonly reads: number;
  /** Reads per second without, then with, access control and audit (request path: up to the last answer). */
  readonly bare: number;
  readonly guarded: number;
  /** Records per second the audit writer sustained: the same run, timed until all its records were durable. */
  readonly writerRate: number;
  /** Reads per second with access control but the audit trail switched off (to tell the two costs apart). */
  readonly policyOnly: number;
  /** Share of a guarded read's time spent on access control and audit. */
  readonly overhead: number;
  /** Share of a read's time spent on access control alone. */
  readonly policyOverhead: number;
}

const OPERATOR: Principal = { kind: 'operator', subject: 'admin', clientId: 'bench', scopes: ['system/*.cruds'] };
const BASE = 'http://127.0.0.1:8080/fhir';

async function timeReads(run: (i: number) => Promise<void>, count: number, inFlight = 10): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) await run(next++);
  }));
  return (performance.now() - started) / 1000;
}

export async function runAccessCostBench(options: { reads?: number; patients?: number } = {}): Promise<AccessCostResult> {
  const reads = options.reads ?? 20_000;
  const folder = await mkdtemp(join(tmpdir(), 'socle-access-cost-'));
  const config = loadConfig({}, { dataDir: folder, databaseUrl: '', logLevel: 'silent', demo: 'off' });
  const store = await openStore(config);
  const platform = await createPlatform({ config, store, schema: r4Schema(), clock: systemClock, logger: createLogger('silent') });
  try {
    const { engine } = platform;
    const request = (path: string, principal?: Principal, body?: unknown): FhirRequest => ({
      method: body ? 'POST' : 'GET', path, query: [], headers: body ? { contentType: 'application/fhir+json' } : {}, baseUrl: BASE, language: 'fr',
      ...(body ? { body } : {}), ...(principal ? { principal } : {}),
    });
    const ids: string[] = [];
    for (let i = 0; i < (options.patients ?? 500); i += 1) {
      const created = await engine.handle(request('Patient', undefined, { resourceType: 'Patient', name: [{ family: `Bench${i}`, given: ['Jean'] }], gender: 'male', birthDate: '1980-05-17' }));
      ids.push(/Patient\/([^/]+)/.exec(created.headers.location ?? '')?.[1] as string);
    }
    const read = (principal?: Principal) => async (i: number): Promise<void> => {
      const response = await engine.handle(request(`Patient/${ids[i % ids.length]}`, principal));
      if (response.status !== 200) throw new Error(`read answered ${response.status}`);
    };
    const guardedRun = async (): Promise<{ answered: number; durable: number }> => {
      const answered = await timeReads(read(OPERATOR), reads);
      const flushStart = performance.now();
      await engine.deps.audit.flush();
      return { answered, durable: answered + (performance.now() - flushStart) / 1000 };
    };
    await timeReads(read(), 2000);
    await guardedRun();
    const policyOnlyRun = async (): Promise<number> => {
      const recorder = engine.deps.audit;
      engine.deps.audit = discardingRecorder;
      try {
        return await timeReads(read(OPERATOR), reads);
      } finally {
        engine.deps.audit = recorder;
      }
    };
    let bare = Infinity;
    let guarded = Infinity;
    let durable = Infinity;
    let policyOnly = Infinity;
    for (let round = 0; round < 2; round += 1) {
      bare = Math.min(bare, await timeReads(read(), reads));
      policyOnly = Math.min(policyOnly, await policyOnlyRun());
      const run = await guardedRun();
      guarded = Math.min(guarded, run.answered);
      durable = Math.min(durable, run.durable);
    }
    return {
      reads, bare: reads / bare, guarded: reads / guarded, writerRate: reads / durable, policyOnly: reads / policyOnly,
      overhead: 1 - bare / guarded, policyOverhead: 1 - bare / policyOnly,
    };
  } finally {
    await platform.close();
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runAccessCostBench();
  console.log(`reads/s without access control and audit ${Math.round(result.bare)}, with both ${Math.round(result.guarded)} (${(result.overhead * 100).toFixed(1)}% of a read's time), with access control only ${Math.round(result.policyOnly)} (${(result.policyOverhead * 100).toFixed(1)}%); audit writer ${Math.round(result.writerRate)} records/s`);
}
