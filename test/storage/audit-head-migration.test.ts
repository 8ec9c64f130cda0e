/**
 * Migration 4 on PostgreSQL: a database whose audit chain head was a module
 * document (`audit.chain`, before the log had its own write path) keeps it as
 * the row of audit_head, so that records removed from the end of the log are
 * still detected after the upgrade. (The embedded store's move is tested in
 * src/storage/sqlite/sqlite-store.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { postgresDialect } from '../../src/storage/sql/dialect.js';
import { MIGRATIONS } from '../../src/storage/sql/schema.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { backendNames, prepareBackend } from '../support/backends.js';

test('PostgreSQL: the head document of a database from before migration 4 becomes the audit_head row', { skip: !backendNames().includes('postgres') }, async () => {
  const prepared = await prepareBackend('postgres');
  try {
    const client = new pg.Client({ connectionString: prepared.settings.databaseUrl });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
        for (const statement of migration.statements(postgresDialect)) await client.query(statement);
        await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [migration.version, migration.name, '2026-11-23T00:00:00Z']);
      }
      await client.query(`INSERT INTO kv_documents (collection, key, value, updated_at) VALUES ('audit.chain', 'head', $1, 0)`, [
        JSON.stringify({ sequence: 42, hash: 'ab'.repeat(32) }),
      ]);
    } finally {
      await client.end();
    }
    const store = await PostgresStore.open({ connectionString: prepared.settings.databaseUrl, poolSize: 2 });
    try {
      assert.deepEqual(await store.auditHead(), { seq: 42, hash: 'ab'.repeat(32) });
      assert.equal(await store.documentGet('audit.chain', 'head'), undefined, 'the document is gone');
      assert.deepEqual(await store.migrate(), MIGRATIONS.filter((m) => m.version >= 4).map((m) => m.version));
    } finally {
      await store.close();
    }
  } finally {
    await prepared.cleanup();
  }
});
