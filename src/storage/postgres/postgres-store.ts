/**
 * The production store: PostgreSQL through node-postgres. Every write unit is
 * one transaction on its own pooled connection; PostgreSQL's own group commit
 * and fsync make acknowledged writes durable.
 */
import pg from 'pg';
import { fail } from '../../core/errors.js';
import type { AuditLogAppender } from '../audit-log.js';
import type { NewDocument, Store, StoreCapabilities, StoredDocument, WriteTransaction } from '../contract.js';
import { deleteDocument, findDocuments, getDocument, putDocument, scanDocuments } from '../sql/documents-sql.js';
import { sql } from '../sql/fragment.js';
import { applyMigrations } from '../sql/migrator.js';
import { ConcurrentWriteError, SqlAuditAppender, SqlReader, SqlWriter, type IndexEntry, type ResourceRow, type SqlRunner } from '../sql/sql-store-core.js';
import { PostgresRunner } from './postgres-runner.js';
import { keyLocksSql, resourceLocksSql } from './resource-locks.js';
import { flushingFirst, WriteBuffer } from './write-buffer.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  readonly poolSize: number;
  readonly onQuery?: (operation: string, milliseconds: number) => void;
  /** Told each time a write unit is run again, with why (retryReason): a deadlock should never be one. */
  readonly onRetry?: (reason: string) => void;
}

/** int8 (BIGINT, COUNT) as JS numbers: our values stay below 2^53. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Error codes after which the whole unit is safely retried. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 4;
const MIGRATION_LOCK = 0x50c1e;

/** The advisory lock key of audit log appends: one chain, never forked by two servers. */
const AUDIT_LOG_LOCK = 'audit.log';

/**
 * A write unit on one pooled connection. Its row writes are held in a buffer
 * (write-buffer.ts) and sent together, before any other statement and before COMMIT.
 */
class PostgresTransaction extends SqlWriter implements WriteTransaction {
  private constructor(
    private readonly held: WriteBuffer,
    /** The connection's runner, sending nothing held first. */
    private readonly direct: SqlRunner,
  ) {
    super(flushingFirst(direct, held));
  }

  static on(runner: SqlRunner): PostgresTransaction {
    return new PostgresTransaction(new WriteBuffer(runner), runner);
  }

  /** Reads of resources none of whose rows is held see the same rows before a flush as after: no need to send first. */
  protected override rowRunner(resources: readonly { readonly resourceType: string; readonly id: string }[]): SqlRunner {
    return resources.some((r) => this.held.holdsResource(r.resourceType, r.id)) ? this.runner : this.direct;
  }

  /** Sends the writes still held. */
  flush(): Promise<void> {
    return this.held.flush();
  }

  protected override async insertResourceRow(row: ResourceRow): Promise<number> {
    const rid = await this.held.newRid();
    this.held.insertRow(rid, row);
    if (this.held.isFull) await this.held.flush();
    return rid;
  }

  protected override async replaceResourceRow(rid: number, previous: number, row: ResourceRow): Promise<void> {
    // Two changes of one row in one statement would be one change too few in history.
    if (this.held.holdsRow(rid)) await this.held.flush();
    this.held.replaceRow(rid, previous, row);
    if (this.held.isFull) await this.held.flush();
  }

  protected override async deleteIndexRows(rids: readonly number[]): Promise<void> {
    this.held.deleteIndex(rids);
    if (this.held.isFull) await this.held.flush();
  }

  protected override async insertIndex(entries: readonly IndexEntry[]): Promise<void> {
    this.held.insertIndex(entries);
    if (this.held.isFull) await this.held.flush();
  }

  // Locks and module documents neither read nor write resource or index rows: they need not wait for a flush.

  async lock(key: string): Promise<void> {
    await this.direct.query(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
  }

  async lockAll(keys: readonly string[]): Promise<void> {
    const statement = keyLocksSql(keys);
    if (statement) await this.direct.query(statement);
  }

  async lockResources(identities: readonly string[]): Promise<void> {
    const statement = resourceLocksSql(identities);
    if (statement) await this.direct.query(statement);
  }

  override documentGet(collection: string, key: string): Promise<StoredDocument | undefined> {
    return getDocument(this.direct, collection, key);
  }

  override documentFind(collection: string, name: string, value: string, count: number): Promise<StoredDocument[]> {
    return findDocuments(this.direct, collection, name, value, count);
  }

  override documentScan(collection: string, afterKey: string | undefined, count: number): Promise<StoredDocument[]> {
    return scanDocuments(this.direct, collection, afterKey, count);
  }

  override documentPut(collection: string, document: NewDocument): Promise<void> {
    return putDocument(this.direct, collection, document);
  }

  override documentDelete(collection: string, key: string): Promise<boolean> {
    return deleteDocument(this.direct, collection, key);
  }

  /** The audit log's appender on this transaction's connection, once the log's lock is held. */
  async auditLog(): Promise<AuditLogAppender> {
    await this.lock(AUDIT_LOG_LOCK);
    return new SqlAuditAppender(this.runner);
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentWriteError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

const RETRY_REASONS: Readonly<Record<string, string>> = { '40001': 'serialization', '40P01': 'deadlock', '23505': 'unique-violation' };

/** Why a retryable unit failed, for the metrics. */
function retryReason(error: unknown): string {
  if (error instanceof ConcurrentWriteError) return 'concurrent-write';
  return RETRY_REASONS[String((error as { code?: unknown }).code)] ?? 'other';
}

export class PostgresStore extends SqlReader implements Store {
  readonly capabilities: StoreCapabilities = { backend: 'postgres', shardKeyOnIndexRows: true };
  /** Versions open() applied, reported by the first migrate(). */
  private appliedAtOpen: number[] = [];

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresStoreOptions,
  ) {
    super(new PostgresRunner(pool, options.onQuery));
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      types,
      // JIT compilation pays off for long analytical queries; for Socle's short ones it only adds
      // tens of milliseconds whenever the planner's cost estimate is high (a LIMIT-ed scan).
      options: '-c jit=off',
    });
    // An idle client losing its server must not crash the process.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, options);
    try {
      store.appliedAtOpen = await store.applyPending();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    return this.unit(work);
  }

  auditTransaction<T>(work: (log: AuditLogAppender) => Promise<T>): Promise<T> {
    return this.unit(async (tx) => work(await tx.auditLog()));
  }

  private async unit<T>(work: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const tx = PostgresTransaction.on(new PostgresRunner(client, this.options.onQuery));
        const result = await work(tx);
        // Inside the unit: a held write that fails fails the unit (and may retry it) as it would have when made.
        await tx.flush();
        await client.query('COMMIT');
        // A failed attempt's effects went with its transaction object.
        for (const effect of tx.takeEffects()) effect();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!isRetryable(error)) throw error;
        this.options.onRetry?.(retryReason(error));
        if (attempt >= MAX_ATTEMPTS) {
          // Still losing the race: a version conflict for the client to resolve (http.html#concurrency, 409), not a server fault.
          throw fail('version.concurrent-update', { target: error instanceof ConcurrentWriteError ? error.message : '-' });
        }
        // A little random delay, so that the writers that collided do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      } finally {
        client.release();
      }
    }
  }

  /** Migrations are applied by open(); the first call reports those too, as `socle migrate` shows them. */
  async migrate(): Promise<number[]> {
    const applied = [...this.appliedAtOpen, ...(await this.applyPending())];
    this.appliedAtOpen = [];
    return applied;
  }

  private async applyPending(): Promise<number[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const applied = await applyMigrations(new PostgresRunner(client), ['main', 'audit']);
      await client.query('COMMIT');
      return applied;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
