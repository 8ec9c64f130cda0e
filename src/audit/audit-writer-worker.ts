/**
 * The audit writer's thread (audit-writer-thread.ts starts it): opens its own
 * connection to the audit log and writes the batches it is sent, one at a
 * time, answering each once it is durable or has failed. Nothing here is on
 * the request path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openAuditLog, type StoreSettings } from '../storage/open-store.js';
import { writeAuditBatch } from './audit-batch.js';
import type { ToWriter, FromWriter } from './audit-writer-thread.js';

const port = parentPort;
if (!port) throw new Error('audit-writer-worker.ts runs as a worker thread');

function describe(error: unknown): { name: string; message: string } {
  return { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) };
}

const send = (message: FromWriter): void => port.postMessage(message);

try {
  const log = await openAuditLog(workerData as StoreSettings);
  // Messages are handled strictly in order: the chain is appended batch after batch.
  let last = Promise.resolve();
  port.on('message', (message: ToWriter) => {
    last = last.then(async () => {
      if (message.kind === 'close') {
        await log.close();
        send({ kind: 'closed' });
        port.close();
        return;
      }
      try {
        await writeAuditBatch(log, message.batch);
        send({ kind: 'done', id: message.id });
      } catch (error) {
        send({ kind: 'failed', id: message.id, error: describe(error) });
      }
    });
  });
} catch (error) {
  send({ kind: 'fatal', error: describe(error) });
}
