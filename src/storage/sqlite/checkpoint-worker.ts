/**
 * The checkpoint thread (checkpoint-thread.ts starts it): its own connection
 * to one database file, running the checkpoint it is asked for (PASSIVE or
 * RESTART). The copy of WAL pages into the database and the flushes that go
 * with it happen here, on the other core, not on the event loop.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../../core/worker-answers.js';
import type { CheckpointMode, CheckpointResult } from './checkpoint-thread.js';

answerRequests<CheckpointMode, CheckpointResult>(() => {
  const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
  // RESTART waits for readers to leave the WAL, while the write queue is paused: a reader
  // of this process holds its snapshot for one statement, so wait a little, not long.
  // A reader from another process holding a snapshot makes it give up (busy) and the
  // next checkpoint try again, rather than stall every write behind it.
  db.pragma('busy_timeout = 250');
  // Same as the write connection: the checkpoint flushes the WAL, then the database file.
  db.pragma('synchronous = NORMAL');
  return {
    handle(mode) {
      const [result] = db.pragma(`wal_checkpoint(${mode})`) as { busy: number; checkpointed: number }[];
      return { busy: result?.busy === 1, frames: result?.checkpointed ?? 0 };
    },
    close: () => {
      db.close();
    },
  };
});
