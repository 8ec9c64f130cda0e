/**
 * Group commit for the embedded store. Write units submitted while a batch is
 * being prepared run one after another inside one SQLite transaction, each in
 * its own savepoint (a failing unit rolls back alone), and the batch commits
 * with a single fsync. No unit is acknowledged before that commit and the
 * flush after it: durability stays total (synchronous=FULL) while concurrent
 * writers share the cost.
 *
 * Flushes are pipelined: the next batch runs while the previous one's flush
 * is in progress (the event loop would otherwise wait idle for the disk), and
 * the batches committed during a flush share the next one. Acknowledgements
 * keep commit order. Reads may see a committed batch before its flush ends,
 * as they always could between COMMIT and the flush; what the flush protects
 * is the answer to the writer.
 */
import type Database from 'better-sqlite3';

interface Unit<T> {
  readonly work: () => Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  /** Runs alone, between two batches, outside any transaction (a checkpoint). */
  readonly exclusive?: true;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class WriteQueue {
  private readonly pending: Unit<unknown>[] = [];
  private draining = false;
  /** The flush that will start once the running one ends, shared by every batch committed meanwhile. */
  private nextFlush: Promise<void> | undefined;
  /** The latest flush started or queued (settled, never rejected: a chain to start the next one after). */
  private flushes: Promise<void> = Promise.resolve();
  /** Settles once every batch committed so far is acknowledged or failed. */
  private acknowledged: Promise<void> = Promise.resolve();

  /**
   * `durable` runs after each COMMIT and before any unit of the batch is
   * acknowledged (the WAL flush, off the event loop: see wal-sync.ts).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = 256,
    private readonly durable: () => Promise<void> = () => Promise.resolve(),
    /** Called after each COMMIT (before the flush): where a checkpoint gets scheduled. */
    private readonly committed: () => void = () => undefined,
  ) {}

  submit<T>(work: () => Promise<T>): Promise<T> {
    return this.enqueue({ work } as const);
  }

  /**
   * Runs `task` once the batches submitted before it have committed, and holds
   * later ones back until it ends. The write connection is idle meanwhile, so
   * that another connection can take the file's write lock.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue({ work: task, exclusive: true } as const);
  }

  private enqueue<T>(unit: { work: () => Promise<T>; exclusive?: true }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ ...unit, resolve, reject } as Unit<unknown>);
      if (!this.draining) {
        this.draining = true;
        // Let the requests that arrived in the same turn join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once everything submitted so far is committed, flushed and answered. */
  async idle(): Promise<void> {
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
    await this.acknowledged;
  }

  /** A flush that starts after this call (so after the caller's COMMIT), shared with the batches committed until it starts. */
  private flushAfterCommit(): Promise<void> {
    if (!this.nextFlush) {
      const flush = this.flushes.then(() => {
        this.nextFlush = undefined;
        return this.durable();
      });
      this.nextFlush = flush;
      this.flushes = flush.catch(() => undefined);
    }
    return this.nextFlush;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const head = this.pending[0] as Unit<unknown>;
        if (head.exclusive) {
          this.pending.shift();
          await head.work().then(head.resolve, head.reject);
          continue;
        }
        const barrier = this.pending.findIndex((unit) => unit.exclusive);
        const size = Math.min(this.maxBatch, barrier === -1 ? this.pending.length : barrier);
        await this.runBatch(this.pending.splice(0, size));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Unit<unknown>[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    for (const unit of batch) {
      this.db.exec('SAVEPOINT unit');
      try {
        const value = await unit.work();
        this.db.exec('RELEASE unit');
        outcomes.push({ ok: true, value });
      } catch (error) {
        this.db.exec('ROLLBACK TO unit');
        this.db.exec('RELEASE unit');
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const unit of batch) unit.reject(error);
      return;
    }
    this.committed();
    const flushed = this.flushAfterCommit();
    // Not awaited: the next batch runs during the flush. Answers go out in commit order.
    this.acknowledged = Promise.all([this.acknowledged, flushed]).then(
      () => {
        batch.forEach((unit, index) => {
          const outcome = outcomes[index] as Outcome;
          if (outcome.ok) unit.resolve(outcome.value);
          else unit.reject(outcome.error);
        });
      },
      (error: unknown) => {
        // Committed but not known to be on disk: nobody may be told it is.
        for (const unit of batch) unit.reject(error);
      },
    );
  }
}
