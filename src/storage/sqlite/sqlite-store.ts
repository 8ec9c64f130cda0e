/**
 * The embedded store: one SQLite file in the data folder, WAL journal.
 * Reads use their own connection and never see uncommitted writes; writes go
 * through the group-commit queue on a second connection.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store, StoreCapabilities, WriteTransaction } from '../contract.js';
import { applyMigrations } from '../sql/migrator.js';
import { SqlReader, SqlWriter } from '../sql/sql-store-core.js';
import { SqliteRunner } from './sqlite-runner.js';
import { WalSync } from './wal-sync.js';
import { WriteQueue } from './write-queue.js';

export interface SqliteStoreOptions {
  /** Folder of the database file, created if missing; ':memory:' is not supported (two connections must share the file). */
  readonly dataDir: string;
  readonly synchronous: 'full' | 'normal';
  readonly onQuery?: (operation: string, milliseconds: number) => void;
}

export const SQLITE_FILE_NAME = 'socle.sqlite';

function openConnection(file: string, readonly: boolean): Database.Database {
  const db = new Database(file, { readonly, fileMustExist: readonly });
  db.pragma('busy_timeout = 10000');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    // COMMIT writes the WAL without flushing it; the queue flushes it off the event loop
    // before acknowledging anything (wal-sync.ts) when SOCLE_SQLITE_SYNC=full.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('mmap_size = 268435456');
  return db;
}

class SqliteTransaction extends SqlWriter implements WriteTransaction {
  lock(): Promise<void> {
    // Write units already run one at a time on the single write connection.
    return Promise.resolve();
  }
}

export class SqliteStore extends SqlReader implements Store {
  readonly capabilities: StoreCapabilities = { backend: 'sqlite', shardKeyOnIndexRows: false };
  private readonly writeDb: Database.Database;
  private readonly readDb: Database.Database;
  private readonly queue: WriteQueue;
  private readonly tx: SqliteTransaction;
  private closed = false;
  /** Versions open() applied, reported by the first migrate(). */
  private appliedAtOpen: number[] = [];

  private constructor(
    writeDb: Database.Database,
    readDb: Database.Database,
    private readonly walSync: WalSync,
    options: SqliteStoreOptions,
  ) {
    super(new SqliteRunner(readDb, options.onQuery));
    this.writeDb = writeDb;
    this.readDb = readDb;
    this.queue = new WriteQueue(writeDb, 256, () => walSync.sync());
    this.tx = new SqliteTransaction(new SqliteRunner(writeDb, options.onQuery));
  }

  /** Opens (creating if needed) the store and applies pending migrations. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, SQLITE_FILE_NAME);
    const writeDb = openConnection(file, false);
    // The schema must exist before a read-only connection can prepare against it.
    const migrationRunner = new SqliteRunner(writeDb);
    writeDb.exec('BEGIN IMMEDIATE');
    let applied: number[];
    try {
      applied = await applyMigrations(migrationRunner);
      writeDb.exec('COMMIT');
    } catch (error) {
      writeDb.exec('ROLLBACK');
      writeDb.close();
      throw error;
    }
    const readDb = openConnection(file, true);
    const walSync = await WalSync.open(file, options.synchronous === 'full');
    const store = new SqliteStore(writeDb, readDb, walSync, options);
    store.appliedAtOpen = applied;
    return store;
  }

  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return this.queue.submit(() => work(this.tx));
  }

  /** Migrations are applied by open(); the first call reports those, as `socle migrate` shows them. */
  async migrate(): Promise<number[]> {
    const applied = [...this.appliedAtOpen, ...(await this.queue.submit(() => applyMigrations(new SqliteRunner(this.writeDb))))];
    this.appliedAtOpen = [];
    return applied;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    await this.walSync.close();
    this.readDb.close();
    this.writeDb.close();
  }
}
