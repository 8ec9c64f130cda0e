/**
 * The storage backends every contract test runs against: the embedded SQLite
 * store in a fresh temporary folder, and a real PostgreSQL server in a fresh
 * database (SOCLE_TEST_PG_URL names the server; default: local postgres, trust
 * authentication, as CI sets it up). Each test file gets its own store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../../src/config/settings.js';

export type BackendName = 'sqlite' | 'postgres';

export interface PreparedBackend {
  readonly name: BackendName;
  /** Settings that select and locate this store. */
  readonly settings: Pick<Config, 'dataDir' | 'databaseUrl'>;
  cleanup(): Promise<void>;
}

export const PG_ADMIN_URL = process.env.SOCLE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function backendNames(): BackendName[] {
  const only = process.env.SOCLE_TEST_BACKEND;
  if (only === 'sqlite' || only === 'postgres') return [only];
  return ['sqlite', 'postgres'];
}

function databaseUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function prepareBackend(name: BackendName): Promise<PreparedBackend> {
  const dataDir = await mkdtemp(join(tmpdir(), 'socle-test-'));
  if (name === 'sqlite') {
    return { name, settings: { dataDir, databaseUrl: '' }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const database = `socle_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    settings: { dataDir, databaseUrl: databaseUrl(PG_ADMIN_URL, database) },
    async cleanup() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
