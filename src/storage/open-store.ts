import type { Config } from '../config/settings.js';
import type { Store } from './contract.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** The store the configuration asks for: PostgreSQL when SOCLE_DATABASE_URL is set, else the embedded SQLite file. */
export function openStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sqliteSync' | 'pgPoolSize'>,
  onQuery?: (operation: string, milliseconds: number) => void,
): Promise<Store> {
  if (config.databaseUrl) {
    return PostgresStore.open({ connectionString: config.databaseUrl, poolSize: config.pgPoolSize, ...(onQuery ? { onQuery } : {}) });
  }
  return SqliteStore.open({ dataDir: config.dataDir, synchronous: config.sqliteSync, ...(onQuery ? { onQuery } : {}) });
}
