/**
 * Query plans matter as much as results: a probe that range-scans a value
 * index once per candidate row turns a 5 ms search into seconds without
 * changing a single answer, so no functional test would notice. These tests
 * read SQLite's plans for the shapes the search compiler emits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Condition, SearchPlan } from '../query.js';
import { SqliteStore, SQLITE_FILE_NAME } from '../sqlite/sqlite-store.js';
import { sqliteDialect } from './dialect.js';
import { render } from './fragment.js';
import { compileSearch } from './search-sql.js';

const family: Condition = { kind: 'string', param: 'Patient.family', match: 'prefix', value: 'mart' };
const birthdate: Condition = { kind: 'range', table: 'date', param: 'Patient.birthdate', prefix: 'ge', low: 0, high: 1 };
const gender: Condition = { kind: 'token', param: 'Patient.gender', code: 'male' };

async function plans(where: Condition[], driver?: number, sort: SearchPlan['sort'] = []): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'socle-plans-'));
  try {
    const store = await SqliteStore.open({ dataDir: folder, synchronous: 'normal' });
    await store.close();
    const db = new Database(join(folder, SQLITE_FILE_NAME), { readonly: true });
    const plan: SearchPlan = { resourceTypes: ['Patient'], where, sort, count: 20, total: 'none', maxRid: 100 };
    const { text, values } = render(compileSearch(plan, sqliteDialect, driver).page, sqliteDialect.placeholder);
    const detail = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...values) as { detail: string }[]).map((r) => r.detail).join('\n');
    db.close();
    return detail;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test('per-row probes of a scanned search use the (rid, pkey) keys, never a value index', async () => {
  const detail = await plans([family, birthdate, gender]);
  const probes = detail.split('\n').filter((line) => line.includes('EXISTS'));
  assert.equal(probes.length, 3, detail);
  for (const probe of probes) assert.match(probe, /PRIMARY KEY \(rid=\? AND pkey=\?\)|idx_token_rid \(rid=\? AND pkey=\?\)/, detail);
});

test('a driving condition is read from its value index, the others probed per candidate', async () => {
  const detail = await plans([family, gender], 0);
  assert.match(detail, /idx_string_v0 \(pkey=\? AND norm>\? AND norm<\?\)/, detail);
  assert.match(detail, /idx_token_rid \(rid=\? AND pkey=\?\)/, detail);
});

test('sort keys are computed through the (rid, pkey) keys', async () => {
  const detail = await plans([gender], undefined, [{ by: { table: 'date', param: 'Patient.birthdate' }, descending: false }]);
  assert.match(detail, /SCALAR SUBQUERY[\s\S]*PRIMARY KEY \(rid=\? AND pkey=\?\)/, detail);
});
