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
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/worker-module.js';
import type { StoreSettings } from '../storage/open-store.js';
import type { AuditBatch } from './audit-batch.js';

export type ToWriter = { readonly kind: 'batch'; readonly id: number; readonly batch: AuditBatch } | { readonly kind: 'close' };

export type FromWriter =
  | { readonly kind: 'done'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly error: { name: string; message: string } }
  | { readonly kind: 'fatal'; readonly error: { name: string; message: string } }
  | { readonly kind: 'closed' };

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

function asError(error: { name: string; message: string }): Error {
  return Object.assign(new Error(error.message), { name: error.name });
}

export class AuditWriterThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  private readonly settings: StoreSettings;

  constructor(settings: StoreSettings) {
    // Only what opening the log needs crosses to the thread.
    this.settings = { databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, sqliteSync: settings.sqliteSync, pgPoolSize: settings.pgPoolSize };
  }

  /** Writes one batch on the thread; resolves once it is durable. */
  write(batch: AuditBatch): Promise<void> {
    if (this.closing) return Promise.reject(new Error('audit writer closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ kind: 'batch', id, batch } satisfies ToWriter);
    });
  }

  /** Lets the batches sent so far finish, then stops the thread. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private start(): Worker {
    const worker = startWorker(import.meta.url, 'audit-writer-worker', this.settings);
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: FromWriter) => this.receive(message));
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`audit writer thread exited (code ${code})`)));
    return worker;
  }

  private receive(message: FromWriter): void {
    if (message.kind === 'done' || message.kind === 'failed') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      // Idle, the thread must not keep the process alive; closing, it must until it has exited.
      if (this.pending.size === 0 && !this.closing) this.worker?.unref();
      if (message.kind === 'done') waiting?.resolve();
      else waiting?.reject(asError(message.error));
    } else if (message.kind === 'fatal') {
      const worker = this.worker;
      this.worker = undefined;
      this.failAll(asError(message.error));
      void worker?.terminate();
    }
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const entry of waiting) entry.reject(error);
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWriter);
    await exited;
  }
}
