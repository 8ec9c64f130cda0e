/**
 * One database file of the embedded store, WAL journal: a write connection
 * behind its group-commit queue (write-queue.ts) with its durability barrier
 * (wal-sync.ts), and a read-only connection that never sees uncommitted
 * writes. The store has two: the resources' file and the audit log's.
 */
import Database from 'better-sqlite3';
import { applyMigrations } from '../sql/migrator.js';
import type { MigrationTarget } from '../sql/schema.js';
import { CheckpointThread, type CheckpointResult } from './checkpoint-thread.js';
import { SqliteRunner } from './sqlite-runner.js';
import { WalSync } from './wal-sync.js';
import { WriteQueue } from './write-queue.js';

/**
 * SQLite's largest memory map (SQLITE_MAX_MMAP_SIZE in better-sqlite3's
 * build). Reads through the map copy no page; past it, each page is a read().
 */
const MMAP_BYTES = 0x7fff0000;

/**
 * Rows written between two checkpoints on the checkpoint thread. A larger
 * WAL lets a checkpoint write once a page that many batches changed (the
 * import gains), but reads pay for every page they must find in the WAL
 * rather than in the memory-mapped database: a single create dirties about
 * fifteen scattered pages, so 20,000 rows of creates are ~15,000 WAL frames.
 */
const CHECKPOINT_ROWS = 20_000;
/** Once writes pause this long, what the WAL holds is checkpointed, so that reads find every page in the database again. */
const IDLE_CHECKPOINT_MS = 200;
/** Pages of WAL past which the write connection checkpoints by itself: a backstop should the thread fall behind. */
const BACKSTOP_PAGES = 100_000;

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
  /** Checkpoint on a thread of its own (checkpoint-thread.ts) rather than in the committing call. */
  readonly checkpointThread?: boolean;
  /** Rows written between two checkpoints on that thread (default CHECKPOINT_ROWS). */
  readonly checkpointRows?: number;
}

export class SqliteFile {
  readonly reader: SqliteRunner;
  readonly writer: SqliteRunner;
  private readonly queue: WriteQueue;
  private readonly checkpointer: CheckpointThread | undefined;
  private readonly totalChanges: Database.Statement;
  private changesAtCheckpoint = 0;
  /** The checkpoint under way, if any (one at a time). */
  private checkpointing: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private completedCheckpoints = 0;

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
    this.totalChanges = writeDb.prepare('SELECT total_changes()').pluck();
    if (options.checkpointThread) {
      this.checkpointer = new CheckpointThread(options.file);
      writeDb.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    }
    this.queue = new WriteQueue(writeDb, { durable: () => walSync.sync(), committed: () => this.afterCommit() });
  }

  /** Checkpoints completed on the thread (the WAL restarted after each). */
  get checkpoints(): number {
    return this.completedCheckpoints;
  }

  /** After each commit: a checkpoint once enough rows have gone into the WAL, or once writes pause. */
  private afterCommit(): void {
    if (!this.checkpointer || this.closing) return;
    const changes = this.totalChanges.get() as number;
    if (changes - this.changesAtCheckpoint >= (this.options.checkpointRows ?? CHECKPOINT_ROWS)) this.startCheckpoint(changes);
    else this.checkpointWhenIdle();
  }

  private checkpointWhenIdle(): void {
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      const changes = this.totalChanges.get() as number;
      if (changes > this.changesAtCheckpoint) this.startCheckpoint(changes);
    }, IDLE_CHECKPOINT_MS);
    // An idle store must not be kept alive for it.
    this.idleTimer.unref();
  }

  private startCheckpoint(changes: number): void {
    const checkpointer = this.checkpointer;
    if (!checkpointer || this.checkpointing || this.closing) return;
    this.changesAtCheckpoint = changes;
    const report = this.options.onQuery ?? (() => undefined);
    const started = performance.now();
    let pause = 0;
    const restart = async (): Promise<CheckpointResult> => {
      const paused = performance.now();
      try {
        return await checkpointer.checkpoint('RESTART');
      } finally {
        pause = performance.now() - paused;
      }
    };
    // Most pages are copied while batches go on; the writer pauses only for the rest and the restart.
    // A failed checkpoint is retried by the next one; the backstop keeps the WAL bounded meanwhile.
    // Both show in the database timings (/metrics): a thread that keeps failing must not go unseen.
    this.checkpointing = checkpointer.checkpoint('PASSIVE')
      .then(() => this.queue.exclusive(restart))
      .then(
        (result) => {
          if (!result.busy) this.completedCheckpoints += 1;
          report('checkpoint', performance.now() - started);
          report('checkpoint-pause', pause);
        },
        () => report('checkpoint-failed', performance.now() - started),
      )
      .finally(() => {
        this.checkpointing = undefined;
        // Rows committed while it ran are checkpointed once writes pause.
        if (!this.closing && (this.totalChanges.get() as number) > this.changesAtCheckpoint) this.checkpointWhenIdle();
      });
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
    this.closing = true;
    clearTimeout(this.idleTimer);
    await this.queue.idle();
    await this.checkpointing;
    await this.checkpointer?.close();
    await this.walSync.close();
    this.readDb.close();
    this.writeDb.close();
  }
}
