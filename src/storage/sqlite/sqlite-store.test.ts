/**
 * The embedded store's two files: the audit log is appended to audit.sqlite
 * and never commits to socle.sqlite (whose readers would otherwise lose their
 * page cache on every trace), and a data folder from before the split keeps
 * its whole trail, moved once and never duplicated.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditLogRecord } from '../audit-log.js';
import { sqliteDialect } from '../sql/dialect.js';
import { MIGRATIONS, type Migration } from '../sql/schema.js';
import { AUDIT_FILE_NAME, SQLITE_FILE_NAME, SqliteStore } from './sqlite-store.js';

function record(seq: number): AuditLogRecord {
  return {
    seq, id: `00000000-0000-7000-8000-00000000000${seq}`, recorded: 1_700_000_000_000 + seq, written: 1_700_000_000_000 + seq,
    patient: 'p1', agent: null, agentIdentifier: 'admin', action: 'R', outcome: '0', subtypes: ['read'], entities: ['Patient/p1'],
    content: `{"resourceType":"AuditEvent","n":${seq}}`, hash: String(seq).repeat(64).slice(0, 64),
  };
}

async function withFolder(run: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'socle-sqlite-files-'));
  try {
    await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** SQLite's own counter of commits by other connections to a file (PRAGMA data_version). */
function dataVersion(db: Database.Database): number {
  return Number(db.pragma('data_version', { simple: true }));
}

test('appending to the audit log commits to audit.sqlite only, never to the resources file', async () => {
  await withFolder(async (folder) => {
    const store = await SqliteStore.open({ dataDir: folder, synchronous: 'normal' });
    const resources = new Database(join(folder, SQLITE_FILE_NAME), { readonly: true });
    const audit = new Database(join(folder, AUDIT_FILE_NAME), { readonly: true });
    try {
      const [resourcesBefore, auditBefore] = [dataVersion(resources), dataVersion(audit)];
      await store.auditTransaction(async (log) => {
        assert.equal(await log.auditHead(), undefined);
        await log.auditAppend([record(1), record(2)]);
      });
      assert.equal(dataVersion(resources), resourcesBefore, 'socle.sqlite untouched');
      assert.notEqual(dataVersion(audit), auditBefore, 'audit.sqlite committed');
      assert.deepEqual(await store.auditHead(), { seq: 2, hash: record(2).hash });
      assert.deepEqual((await store.auditQuery({ where: [], descending: false, limit: 10 })).map((r) => r.seq), [1, 2]);
    } finally {
      resources.close();
      audit.close();
      await store.close();
    }
  });
});

/** A socle.sqlite as written before the split: the log (migration 3) and its head document in the main file. */
function writeLegacyFolder(folder: string, records: readonly AuditLogRecord[]): void {
  const db = new Database(join(folder, SQLITE_FILE_NAME));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version)) continue;
      for (const statement of migration.statements(sqliteDialect)) db.exec(statement);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, '2026-11-23T00:00:00Z');
    }
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'audit_log'`).get()) {
      for (const statement of (MIGRATIONS[2] as Migration).statements(sqliteDialect)) db.exec(statement);
    }
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, id, recorded, written, patient, agent, agent_ident, action, outcome, subtype, entities, content, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of records) {
      insert.run(r.seq, r.id, r.recorded, r.written, r.patient, r.agent, r.agentIdentifier, r.action, r.outcome, ` ${r.subtypes.join(' ')} `,
        ` ${r.entities.join(' ')} `, r.content, r.hash);
    }
    const last = records.at(-1) as AuditLogRecord;
    db.prepare(`INSERT OR REPLACE INTO kv_documents (collection, key, value, updated_at) VALUES ('audit.chain', 'head', ?, 0)`)
      .run(JSON.stringify({ sequence: last.seq, hash: last.hash }));
  } finally {
    db.close();
  }
}

test('a data folder from before the split keeps its trail: records and head move to audit.sqlite, once', async () => {
  await withFolder(async (folder) => {
    const legacy = [record(1), record(2), record(3)];
    writeLegacyFolder(folder, legacy);
    let store = await SqliteStore.open({ dataDir: folder, synchronous: 'normal' });
    try {
      assert.deepEqual(await store.auditQuery({ where: [], descending: false, limit: 10 }), legacy);
      assert.deepEqual(await store.auditHead(), { seq: 3, hash: legacy[2]?.hash });
      assert.equal(await store.documentGet('audit.chain', 'head'), undefined, 'the head document is gone from the main file');
      // The chain goes on from the moved head.
      await store.auditTransaction(async (log) => log.auditAppend([record(4)]));
    } finally {
      await store.close();
    }
    const main = new Database(join(folder, SQLITE_FILE_NAME), { readonly: true });
    try {
      assert.equal(main.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'audit_log'`).get(), undefined);
    } finally {
      main.close();
    }

    // A crash after the copy but before the clean-up leaves the legacy rows behind: the next open moves nothing twice.
    writeLegacyFolder(folder, legacy);
    store = await SqliteStore.open({ dataDir: folder, synchronous: 'normal' });
    try {
      assert.deepEqual((await store.auditQuery({ where: [], descending: false, limit: 10 })).map((r) => r.seq), [1, 2, 3, 4]);
      assert.deepEqual(await store.auditHead(), { seq: 4, hash: record(4).hash }, 'a stale legacy head never moves the head back');
    } finally {
      await store.close();
    }
  });
});
