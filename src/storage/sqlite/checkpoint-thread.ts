/**
 * Checkpoints of the resources' file, off the event loop.
 *
 * SQLite checkpoints a WAL database from the connection that commits once the
 * WAL passes 1,000 pages: the commit then copies every page the WAL holds
 * into the database file and flushes it. Once indexes outgrow the cache,
 * those pages are scattered, and at 100,000 patients the import spent a third
 * of its time there, on the event loop. The write connection now leaves it to
 * this thread (checkpoint-worker.ts), which the write queue runs between two
 * batches: no writer is active then, readers on the event loop go on, and the
 * RESTART checkpoint lets the next batch write the WAL from its start (a
 * checkpoint racing the writer never catches up, and the WAL grows unbounded).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/worker-module.js';

/**
 * PASSIVE copies what it can while writers go on; RESTART also waits until no
 * reader uses the WAL, so that the next writer starts it over.
 */
export type CheckpointMode = 'PASSIVE' | 'RESTART';

export type ToCheckpointer = { readonly kind: 'checkpoint'; readonly id: number; readonly mode: CheckpointMode } | { readonly kind: 'close' };

export type FromCheckpointer =
  | { readonly kind: 'done'; readonly id: number; readonly busy: boolean; readonly frames: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };

export interface CheckpointResult {
  /** A reader or writer kept it from finishing; the next one catches up. */
  readonly busy: boolean;
  /** WAL frames copied into the database file. */
  readonly frames: number;
}

interface Waiting {
  resolve(result: CheckpointResult): void;
  reject(error: Error): void;
}

export class CheckpointThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  checkpoint(mode: CheckpointMode): Promise<CheckpointResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ kind: 'checkpoint', id, mode } satisfies ToCheckpointer);
    });
  }

  /** Stops the thread once its checkpoint in progress, if any, has ended. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    // Idle, the thread is unreferenced; closing, the process must wait for it to exit.
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToCheckpointer);
    await exited;
  }

  private start(): Worker {
    const worker = startWorker(import.meta.url, 'checkpoint-worker', { file: this.file });
    this.worker = worker;
    worker.on('message', (message: FromCheckpointer) => {
      const waiting = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) worker.unref();
      if (message.kind === 'done') waiting?.resolve({ busy: message.busy, frames: message.frames });
      else waiting?.reject(new Error(message.message));
    });
    const lost = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      const all = [...this.waiting.values()];
      this.waiting.clear();
      for (const entry of all) entry.reject(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`checkpoint thread exited (code ${code})`)));
    return worker;
  }
}
