/**
 * The durable, hash-chained audit trail. Entries are written by group commit:
 * whatever was recorded while the previous batch was being written goes in
 * the next one, which audit-batch.ts turns into chained records appended in
 * one audit transaction, under the log's lock so that two processes never
 * fork the chain. With SOCLE_AUDIT_WAIT=on a request waits for its batch
 * (engine.handle): an access is answered only once its trace is durable, and
 * the wait is shared by every request of the batch.
 *
 * The request only hands over its AuditEntry; the AuditEvents are built,
 * hashed and written by the writer, off the request path (on its own thread
 * in the server: audit-writer-thread.ts).
 */
import type { AuditEntry, AuditRecorder } from '../core/audit-entry.js';
import type { Clock } from '../core/clock.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AuditBatch } from './audit-batch.js';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting (in-process callers): a failure is logged, never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class ChainedRecorder implements AuditRecorder {
  private pending: AuditEntry[] = [];
  private next: Deferred | undefined;
  private current: Deferred | undefined;
  private running = false;

  constructor(
    /** Writes a batch durably: on the audit writer's thread (audit-writer-thread.ts), or in-process (audit-batch.ts). */
    private readonly writeBatch: (batch: AuditBatch) => Promise<void>,
    private readonly clock: Clock,
    private readonly agents: AgentDirectory,
    private readonly onError: (error: unknown) => void,
    /**
     * How long entries gather before a batch is written when nobody waits for
     * them (SOCLE_AUDIT_WAIT=off): a few milliseconds make batches of dozens
     * of records, so that each pays a small share of a commit. 0: at the next
     * turn of the event loop (responses wait for their batch).
     */
    private readonly lingerMs = 0,
  ) {}

  record(entry: AuditEntry): void {
    this.pending.push(entry);
    this.next ??= deferred();
    if (!this.running) {
      this.running = true;
      // Let the entries of this turn of the event loop (or of the linger time) join the batch.
      if (this.lingerMs > 0) setTimeout(() => void this.runBatch(), this.lingerMs);
      else setImmediate(() => void this.runBatch());
    }
  }

  flush(): Promise<void> {
    return this.next?.promise ?? this.current?.promise ?? Promise.resolve();
  }

  private async runBatch(): Promise<void> {
    const batch = this.next as Deferred;
    const entries = this.pending;
    this.current = batch;
    this.next = undefined;
    this.pending = [];
    try {
      // One retry: a transient store failure (a serialisation conflict, a dropped connection) must not lose traces.
      await this.write(entries).catch(() => this.write(entries));
      batch.resolve();
    } catch (error) {
      this.onError(error);
      batch.reject(error);
    }
    if (this.pending.length > 0) await this.runBatch();
    else this.running = false;
  }

  private async write(entries: readonly AuditEntry[]): Promise<void> {
    const items: AuditBatch['items'][number][] = [];
    for (const entry of entries) {
      // The directory is read here, on this thread's store; the writer receives plain data.
      const details = entry.principal?.kind === 'practitioner' ? await this.agents.detailsOf(entry.principal.fhirUser) : undefined;
      items.push(details ? { entry, details } : { entry });
    }
    await this.writeBatch({ now: this.clock.now(), items });
  }
}
