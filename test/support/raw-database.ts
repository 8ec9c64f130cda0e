/**
 * Direct SQL on a test server's database, bypassing Socle: for tests that
 * tamper with stored data the way an intruder with database access would.
 * Placeholders are written `?` and numbered for PostgreSQL. On SQLite the
 * audit log's file is attached, so that its tables are named as on PostgreSQL.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { PreparedBackend } from './backends.js';

export async function rawSql<T = Record<string, unknown>>(prepared: PreparedBackend, text: string, params: readonly unknown[] = []): Promise<T[]> {
  if (prepared.settings.databaseUrl) {
    const client = new pg.Client({ connectionString: prepared.settings.databaseUrl });
    await client.connect();
    try {
      let n = 0;
      const result = await client.query(text.replace(/\?/g, () => `$${(n += 1)}`), params as unknown[]);
      return result.rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(prepared.settings.dataDir, 'socle.sqlite'));
  try {
    db.pragma('busy_timeout = 10000');
    const auditFile = join(prepared.settings.dataDir, 'audit.sqlite');
    if (existsSync(auditFile)) db.prepare('ATTACH DATABASE ? AS audit').run(auditFile);
    const statement = db.prepare(text);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
  } finally {
    db.close();
  }
}
