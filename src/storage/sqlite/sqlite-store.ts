/**
 * The embedded store: SQLite files in the data folder, WAL journal, each with
 * a read connection that never sees uncommitted writes and a write connection
 * behind its group-commit queue (sqlite-file.ts). Resources, their history,
 * index and module documents live in socle.sqlite; the audit log in
 * audit.sqlite, because a trace is appended on every request and any commit
 * to a file makes SQLite drop the page cache of that file's readers: with the
 * log beside the resources, every read paid for the traces of the reads
 * before it (docs/ARCHITECTURE.md, "Two files").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLogAppender, AuditLogStore } from '../audit-log.js';
import type { Store, StoreCapabilities, WriteTransaction } from '../contract.js';
import { SqlAuditAppender, SqlReader, SqlWriter } from '../sql/sql-store-core.js';
import { moveLegacyAuditLog } from './legacy-audit-log.js';
import { SqliteFile } from './sqlite-file.js';

export interface SqliteStoreOptions {
  /** Folder of the database files, created if missing; ':memory:' is not supported (two connections must share a file). */
  readonly dataDir: string;
  readonly synchronous: 'full' | 'normal';
  readonly onQuery?: (operation: string, milliseconds: number) => void;
}

export const SQLITE_FILE_NAME = 'socle.sqlite';
export const AUDIT_FILE_NAME = 'audit.sqlite';

class SqliteTransaction extends SqlWriter implements WriteTransaction {
  lock(): Promise<void> {
    // Write units already run one at a time on the single write connection.
    return Promise.resolve();
  }

  lockAll(): Promise<void> {
    return Promise.resolve();
  }

  lockResources(): Promise<void> {
    return Promise.resolve();
  }
}

export class SqliteStore extends SqlReader implements Store {
  readonly capabilities: StoreCapabilities = { backend: 'sqlite', shardKeyOnIndexRows: false };
  private readonly tx: SqliteTransaction;
  private readonly auditLog: AuditLogAppender;
  private closed = false;
  /** Versions open() applied, reported by the first migrate(). */
  private appliedAtOpen: number[];

  private constructor(
    private readonly main: SqliteFile,
    private readonly audit: SqliteFile,
  ) {
    super(main.reader, audit.reader);
    // A write unit reads the audit log as committed: the log is never part of a resource transaction.
    this.tx = new SqliteTransaction(main.writer, audit.reader);
    this.auditLog = new SqlAuditAppender(audit.writer);
    this.appliedAtOpen = [...new Set([...main.appliedAtOpen, ...audit.appliedAtOpen])].sort((a, b) => a - b);
  }

  /** Opens (creating if needed) both files, applies pending migrations and moves a legacy audit log to its file. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const durable = options.synchronous === 'full';
    const onQuery = options.onQuery ? { onQuery: options.onQuery } : {};
    const auditFile = join(options.dataDir, AUDIT_FILE_NAME);
    const main = await SqliteFile.open({ file: join(options.dataDir, SQLITE_FILE_NAME), targets: ['main'], durable, checkpointThread: true, ...onQuery });
    let audit: SqliteFile;
    try {
      audit = await SqliteFile.open({ file: auditFile, targets: ['audit'], durable, ...onQuery });
    } catch (error) {
      await main.close();
      throw error;
    }
    try {
      moveLegacyAuditLog(main.writeDb, auditFile);
    } catch (error) {
      await Promise.all([main.close(), audit.close()]);
      throw error;
    }
    return new SqliteStore(main, audit);
  }

  async transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('store closed');
    // Units run one at a time on the one transaction object: the effects taken when a unit ends are its own.
    let effects: (() => void)[] = [];
    const result = await this.main.submit(async () => {
      try {
        return await work(this.tx);
      } finally {
        effects = this.tx.takeEffects();
      }
    });
    // Reached only once the unit's batch is durably committed; a rolled-back unit throws above.
    for (const effect of effects) effect();
    return result;
  }

  auditTransaction<T>(work: (log: AuditLogAppender) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    // The audit file's queue runs one unit at a time inside BEGIN IMMEDIATE: that is the log's lock, across processes too.
    return this.audit.submit(() => work(this.auditLog));
  }

  /** Migrations are applied by open(); the first call reports those, as `socle migrate` shows them. */
  async migrate(): Promise<number[]> {
    const later = [...(await this.main.migrate()), ...(await this.audit.migrate())];
    const applied = [...this.appliedAtOpen, ...later];
    this.appliedAtOpen = [];
    return applied;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.main.close(), this.audit.close()]);
  }
}

/**
 * The audit file alone, for the audit writer's thread: its own connections,
 * its own queue; SQLite's write lock (BEGIN IMMEDIATE) orders its appends
 * with any other writer's. The store must have been opened first (migrations).
 */
export async function openSqliteAuditLog(options: SqliteStoreOptions): Promise<AuditLogStore> {
  const file = await SqliteFile.open({
    file: join(options.dataDir, AUDIT_FILE_NAME), targets: ['audit'], durable: options.synchronous === 'full',
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  const appender = new SqlAuditAppender(file.writer);
  return {
    auditTransaction: (work) => file.submit(() => work(appender)),
    close: () => file.close(),
  };
}
