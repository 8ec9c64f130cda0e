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
import { WorkerClient } from '../../core/worker-client.js';

/**
 * PASSIVE copies what it can while writers go on; RESTART also waits until no
 * reader uses the WAL, so that the next writer starts it over.
 */
export type CheckpointMode = 'PASSIVE' | 'RESTART';

export interface CheckpointResult {
  /** A reader or writer kept it from finishing; the next one catches up. */
  readonly busy: boolean;
  /** WAL frames copied into the database file. */
  readonly frames: number;
}

export class CheckpointThread {
  private readonly client: WorkerClient<CheckpointMode, CheckpointResult>;

  constructor(file: string) {
    this.client = new WorkerClient(import.meta.url, 'checkpoint-worker', { file });
  }

  checkpoint(mode: CheckpointMode): Promise<CheckpointResult> {
    return this.client.request(mode);
  }

  /** Stops the thread once its checkpoint in progress, if any, has ended. */
  close(): Promise<void> {
    return this.client.close();
  }
}
