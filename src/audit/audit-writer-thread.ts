/**
 * The audit trail's writing, on a thread of its own. Building each
 * AuditEvent's JSON, hashing it into the chain, inserting it and committing
 * cost about 50 µs of CPU per access: on the event loop that was a fifth of a
 * read's time. The request path now only hands its entry to the recorder; the
 * recorder sends each batch here, and this thread (audit-writer-worker.ts)
 * writes it on its own connection to the log, on the other core.
 *
 * A batch is acknowledged only once it is durable, so that SOCLE_AUDIT_WAIT=on
 * keeps its promise. If the thread dies, the batches it held are failed (the
 * recorder retries them once) and the next batch starts a new thread.
 */
import { WorkerClient } from '../core/worker-client.js';
import type { StoreSettings } from '../storage/open-store.js';
import type { AuditBatch } from './audit-batch.js';

export class AuditWriterThread {
  private readonly client: WorkerClient<AuditBatch, void>;

  constructor(settings: StoreSettings) {
    // Only what opening the log needs crosses to the thread.
    const data: StoreSettings = { databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, sqliteSync: settings.sqliteSync, pgPoolSize: settings.pgPoolSize };
    this.client = new WorkerClient(import.meta.url, 'audit-writer-worker', data);
  }

  /** Writes one batch on the thread; resolves once it is durable. */
  write(batch: AuditBatch): Promise<void> {
    return this.client.request(batch);
  }

  /** Lets the batches sent so far finish, then stops the thread. */
  close(): Promise<void> {
    return this.client.close();
  }
}
