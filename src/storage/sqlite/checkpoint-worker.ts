/**
 * The checkpoint thread (checkpoint-thread.ts starts it): its own connection
 * to one database file, running a RESTART checkpoint each time it is asked.
 * The copy of WAL pages into the database and the flushes that go with it
 * happen here, on the other core, not on the event loop.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromCheckpointer, ToCheckpointer } from './checkpoint-thread.js';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts runs as a worker thread');

const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
// RESTART waits for readers to leave the WAL, while the write queue is paused: a reader
// of this process holds its snapshot for one statement, so wait a little, not long.
// A reader from another process holding a snapshot makes it give up (busy) and the
// next checkpoint try again, rather than stall every write behind it.
db.pragma('busy_timeout = 250');
// Same as the write connection: the checkpoint flushes the WAL, then the database file.
db.pragma('synchronous = NORMAL');

port.on('message', (message: ToCheckpointer) => {
  if (message.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: FromCheckpointer;
  try {
    const [result] = db.pragma(`wal_checkpoint(${message.mode})`) as { busy: number; log: number; checkpointed: number }[];
    reply = { kind: 'done', id: message.id, busy: result?.busy === 1, frames: result?.checkpointed ?? 0 };
  } catch (error) {
    reply = { kind: 'failed', id: message.id, message: (error as Error).message };
  }
  port.postMessage(reply);
});
