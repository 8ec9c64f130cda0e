/**
 * A search reads its rows by one of several paths (read-search-page.ts): from
 * a selective condition's index, by a scan in rid order bounded to a window,
 * and, when the window finds too few matches, by the smallest condition's
 * index or by scanning on. Each path must return exactly the rows the plain
 * scan returns, in the same order, page after page; and each data shape must
 * take the path meant for it, or the search is right but slow.
 *
 * The population is built so that each shape exists beyond the scan budget
 * (rows in creation order, i = 0 … N-1):
 * - family "Alpha…" for i % 3 = 0, "Beta…" otherwise;
 * - gender female for even i;
 * - born in 2021 from i = 6,500 on, in the 1950s–1990s before;
 * - living in Lille for i % 200 = 1 below 4,000 and from i = 5,000 on, Douai elsewhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import { ResourceIndexer } from '../../src/fhir/indexing/index.js';
import { parseSearch } from '../../src/fhir/search/parse-search.js';
import { createEngine } from '../../src/platform/create-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import { PostgresRunner } from '../../src/storage/postgres/postgres-runner.js';
import type { SearchPlan } from '../../src/storage/query.js';
import { readSearchPage, SCAN_BUDGET, type ReadPath } from '../../src/storage/sql/read-search-page.js';
import { compileSearch } from '../../src/storage/sql/search-sql.js';
import type { SqlRunner } from '../../src/storage/sql/sql-store-core.js';
import { SqliteRunner } from '../../src/storage/sqlite/sqlite-runner.js';
import { SQLITE_FILE_NAME } from '../../src/storage/sqlite/sqlite-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';

const PATIENTS = 8_000;

function patient(i: number): Record<string, unknown> {
  const year = i >= 6_500 ? 2021 : 1950 + (i % 45);
  const lille = (i < 4_000 && i % 200 === 1) || i >= 5_000;
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'urn:socle:test-read-paths', value: String(i) }],
    name: [{ family: `${i % 3 === 0 ? 'Alpha' : 'Beta'}${i}` }],
    gender: i % 2 === 0 ? 'female' : 'male',
    birthDate: `${year}-06-15`,
    address: [{ city: lille ? 'Lille' : 'Douai' }],
  };
}

function countOf(matches: (i: number) => boolean): number {
  return Array.from({ length: PATIENTS }, (_, i) => i).filter(matches).length;
}

function planOf(query: string, count = 20): SearchPlan {
  const schema = r4Schema();
  const pairs = [...new URLSearchParams(query)] as [string, string][];
  const indexer = new ResourceIndexer(schema);
  const coveredParams = (type: string, code: string): readonly string[] => indexer.coveredParams(type, code);
  const tokenFoldsCase = (type: string, param: string): boolean => indexer.tokenFoldsCase(type, param);
  const parsed = parseSearch(['Patient'], pairs, { schema, baseUrl: 'http://test/fhir', now: Date.now(), coveredParams, tokenFoldsCase, strict: true, defaultCount: count, maxCount: 1000 });
  return { resourceTypes: parsed.resourceTypes, where: parsed.where, sort: parsed.sort, count, total: 'none' };
}

/** The reference: every match, in rid order, read by the plain unbounded scan. */
async function allByScan(runner: SqlRunner, plan: SearchPlan): Promise<number[]> {
  const rows = await runner.queryTuples(compileSearch({ ...plan, count: PATIENTS }, runner.dialect).page);
  return rows.map((row) => Number(row[0]));
}

/** Every page of a search through readSearchPage, following the rid cursor: rids, and the path of each page. */
async function allByPages(runner: SqlRunner, plan: SearchPlan): Promise<{ rids: number[]; paths: ReadPath[] }> {
  const rids: number[] = [];
  const paths: ReadPath[] = [];
  let cursor: SearchPlan['cursor'];
  for (;;) {
    const page = await readSearchPage({ ...plan, ...(cursor ? { cursor } : {}) }, runner);
    paths.push(page.path);
    const pageRids = page.rows.slice(0, plan.count).map((row) => Number(row[0]));
    rids.push(...pageRids);
    if (page.rows.length <= plan.count) return { rids, paths };
    cursor = { values: [], rid: pageRids[pageRids.length - 1] as number, direction: 'next' };
  }
}

for (const backend of backendNames()) {
  describe(`search read paths [${backend}]`, () => {
    let prepared: PreparedBackend;
    let runner: SqlRunner;
    let close: () => Promise<void>;

    before(async () => {
      prepared = await prepareBackend(backend);
      const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent' });
      const store = await openStore(config);
      try {
        const engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
        for (let start = 0; start < PATIENTS; start += 500) {
          const entry = Array.from({ length: 500 }, (_, k) => ({ resource: patient(start + k), request: { method: 'POST', url: 'Patient' } }));
          const response = await engine.handle({
            method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, baseUrl: 'http://test/fhir', language: 'en',
            body: { resourceType: 'Bundle', type: 'transaction', entry },
          });
          assert.equal(response.status, 200);
        }
      } finally {
        await store.close();
      }
      if (backend === 'sqlite') {
        const db = new Database(join(prepared.settings.dataDir, SQLITE_FILE_NAME), { readonly: true });
        runner = new SqliteRunner(db);
        close = async () => {
          db.close();
        };
      } else {
        const client = new pg.Client({ connectionString: prepared.settings.databaseUrl });
        await client.connect();
        await client.query('ANALYZE');
        runner = new PostgresRunner(client);
        close = () => client.end();
      }
    });
    after(async () => {
      await close?.();
      await prepared.cleanup();
    });

    test('the population is laid out for a window of 4,000 rows (change both together)', () => {
      assert.equal(SCAN_BUDGET, 4_000);
    });

    test('a selective condition drives the search from its index', async () => {
      const plan = planOf('identifier=urn:socle:test-read-paths|4321&gender=male');
      const { rids, paths } = await allByPages(runner, plan);
      assert.deepEqual(paths, ['index']);
      assert.deepEqual(rids, await allByScan(runner, plan));
      assert.equal(rids.length, 1);
    });

    test('conditions frequent together fill the page within the window, page after page', async () => {
      const plan = planOf('family=beta&gender=female', 500);
      const { rids, paths } = await allByPages(runner, plan);
      assert.deepEqual(rids, await allByScan(runner, plan));
      assert.equal(rids.length, countOf((i) => i % 3 !== 0 && i % 2 === 0));
      assert.equal(paths[0], 'window');
    });

    test('conditions frequent alone but rare together fall back to the smallest index, with the same rows', async () => {
      const plan = planOf('family=alpha&birthdate=ge2020');
      const { rids, paths } = await allByPages(runner, plan);
      const expected = await allByScan(runner, plan);
      assert.deepEqual(rids, expected);
      assert.equal(expected.length, countOf((i) => i % 3 === 0 && i >= 6_500));
      assert.equal(paths[0], 'fallback');
    });

    test('when the window found some matches and every index is longer than the rest of the scan, the scan goes on', async () => {
      const plan = planOf('address-city=lille&family=beta');
      const { rids, paths } = await allByPages(runner, plan);
      const expected = await allByScan(runner, plan);
      assert.deepEqual(rids, expected);
      assert.equal(paths[0], 'scan-on');
    });

    test('a search with no match anywhere returns no row, whichever path it takes', async () => {
      const plan = planOf('family=alpha&birthdate=ge2020&gender=female&address-city=douai');
      const page = await readSearchPage(plan, runner);
      assert.deepEqual(page.rows, []);
    });

    test('a search sorted by a value is not bounded to a window (its first page may lie anywhere)', async () => {
      const plan = { ...planOf('family=alpha&birthdate=ge2020'), sort: [{ by: { table: 'date', param: 'Patient.birthdate' }, descending: true }] } as SearchPlan;
      const page = await readSearchPage(plan, runner);
      assert.equal(page.path, 'scan');
      assert.equal(page.rows.length, 21);
    });

    test('a page read backwards (a previous link) is not bounded either, and holds the rows just before its cursor', async () => {
      const plan = planOf('family=alpha&birthdate=ge2020');
      const all = await allByScan(runner, plan);
      const cursorRid = all[30] as number;
      const page = await readSearchPage({ ...plan, cursor: { values: [], rid: cursorRid, direction: 'previous' } }, runner);
      assert.equal(page.path, 'scan');
      // Read backwards: the 20 rows before the cursor, nearest first, and one more to tell that a previous page exists.
      assert.deepEqual(page.rows.map((row) => Number(row[0])), all.slice(9, 30).reverse());
    });

    test('a search over several types is not bounded to one type\'s window', async () => {
      const plan = { ...planOf('family=alpha&birthdate=ge2020'), resourceTypes: ['Patient', 'Practitioner'] } as SearchPlan;
      const page = await readSearchPage(plan, runner);
      assert.equal(page.path, 'scan');
      assert.deepEqual(page.rows.slice(0, 20).map((row) => Number(row[0])), (await allByScan(runner, planOf('family=alpha&birthdate=ge2020'))).slice(0, 20));
    });
  });
}
