import type { Config } from '../config/settings.js';
import type { AuditLogStore } from './audit-log.js';
import type { Store } from './contract.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { openSqliteAuditLog, SqliteStore } from './sqlite/sqlite-store.js';

export type StoreSettings = Pick<Config, 'databaseUrl' | 'dataDir' | 'sqliteSync' | 'pgPoolSize'>;

/** The store the configuration asks for: PostgreSQL when SOCLE_DATABASE_URL is set, else the embedded SQLite file. */
export function openStore(
  config: StoreSettings,
  onQuery?: (operation: string, milliseconds: number) => void,
  onRetry?: (reason: string) => void,
): Promise<Store> {
  if (config.databaseUrl) {
    return PostgresStore.open({
      connectionString: config.databaseUrl, poolSize: config.pgPoolSize, ...(onQuery ? { onQuery } : {}), ...(onRetry ? { onRetry } : {}),
    });
  }
  return SqliteStore.open({ dataDir: config.dataDir, synchronous: config.sqliteSync, ...(onQuery ? { onQuery } : {}) });
}

/**
 * The audit log's write side alone, on connections of its own (the audit
 * writer's thread): audit.sqlite, or one PostgreSQL connection. Open the
 * store first: migrations are its to apply; here they are found done.
 */
export function openAuditLog(config: StoreSettings): Promise<AuditLogStore> {
  if (config.databaseUrl) return PostgresStore.open({ connectionString: config.databaseUrl, poolSize: 1 });
  return openSqliteAuditLog({ dataDir: config.dataDir, synchronous: config.sqliteSync });
}
