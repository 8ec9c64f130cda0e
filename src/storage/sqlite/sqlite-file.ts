/**
 * One database file of the embedded store, WAL journal: a write connection
 * behind its group-commit queue (write-queue.ts) with its durability barrier
 * (wal-sync.ts), and a read-only connection that never sees uncommitted
 * writes. The store has two: the resources' file and the audit log's.
 */
import Database from 'better-sqlite3';
import { applyMigrations } from '../sql/migrator.js';
import type { MigrationTarget } from '../sql/schema.js';
import { SqliteRunner } from './sqlite-runner.js';
import { WalSync } from './wal-sync.js';
import { WriteQueue } from './write-queue.js';

/**
 * SQLite's largest memory map (SQLITE_MAX_MMAP_SIZE in better-sqlite3's
 * build). Reads through the map copy no page; past it, each page is a read().
 */
const MMAP_BYTES = 0x7fff0000;

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
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return db;
}

export interface SqliteFileOptions {
  readonly file: string;
  /** The migrations whose tables live in this file. */
  readonly targets: readonly MigrationTarget[];
  /** Flush the WAL before acknowledging a commit (SOCLE_SQLITE_SYNC=full). */
  readonly durable: boolean;
  readonly onQuery?: (operation: string, milliseconds: number) => void;
}

export class SqliteFile {
  readonly reader: SqliteRunner;
  readonly writer: SqliteRunner;
  private readonly queue: WriteQueue;

  private constructor(
    readonly writeDb: Database.Database,
    private readonly readDb: Database.Database,
    private readonly walSync: WalSync,
    /** Versions applied when the file was opened. */
    readonly appliedAtOpen: readonly number[],
    private readonly options: SqliteFileOptions,
  ) {
    this.reader = new SqliteRunner(readDb, options.onQuery);
    this.writer = new SqliteRunner(writeDb, options.onQuery);
    this.queue = new WriteQueue(writeDb, 256, () => walSync.sync());
  }

  /** Opens (creating if needed) the file and applies its pending migrations. */
  static async open(options: SqliteFileOptions): Promise<SqliteFile> {
    const writeDb = openConnection(options.file, false);
    // The schema must exist before a read-only connection can prepare against it.
    let applied: number[];
    writeDb.exec('BEGIN IMMEDIATE');
    try {
      applied = await applyMigrations(new SqliteRunner(writeDb), options.targets);
      writeDb.exec('COMMIT');
    } catch (error) {
      writeDb.exec('ROLLBACK');
      writeDb.close();
      throw error;
    }
    const readDb = openConnection(options.file, true);
    const walSync = await WalSync.open(options.file, options.durable);
    return new SqliteFile(writeDb, readDb, walSync, applied, options);
  }

  /** Runs a write unit in the next group commit of this file. */
  submit<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.submit(work);
  }

  /** Applies migrations added since the file was opened (none, short of a code change at run time). */
  migrate(): Promise<number[]> {
    return this.queue.submit(() => applyMigrations(this.writer, this.options.targets));
  }

  async close(): Promise<void> {
    await this.queue.idle();
    await this.walSync.close();
    this.readDb.close();
    this.writeDb.close();
  }
}
