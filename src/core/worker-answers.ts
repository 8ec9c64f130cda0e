/**
 * The worker thread's side of worker-client.ts: opens the job once, answers
 * each request strictly in the order received, and on `close` closes the job
 * and lets the thread end. A job that cannot open is reported as fatal, so
 * that the requests waiting on it fail instead of waiting forever.
 */
import { parentPort } from 'node:worker_threads';
import type { ErrorShape, FromWorker, ToWorker } from './worker-client.js';

export interface WorkerJob<Body, Answer> {
  handle(body: Body): Answer | Promise<Answer>;
  close(): void | Promise<void>;
}

function describe(error: unknown): ErrorShape {
  return { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) };
}

export function answerRequests<Body, Answer>(open: () => WorkerJob<Body, Answer> | Promise<WorkerJob<Body, Answer>>): void {
  const port = parentPort;
  if (!port) throw new Error('answerRequests runs in a worker thread');
  const send = (message: FromWorker<Answer>): void => port.postMessage(message);
  // Requests that arrive while the job opens wait behind it, in order.
  let last: Promise<WorkerJob<Body, Answer> | undefined> = (async () => {
    try {
      return await open();
    } catch (error) {
      send({ kind: 'fatal', error: describe(error) });
      return undefined;
    }
  })();
  port.on('message', (message: ToWorker<Body>) => {
    last = last.then(async (job) => {
      if (message.kind === 'close') {
        await job?.close();
        port.close();
        return undefined;
      }
      try {
        if (!job) throw new Error('the worker job is not open');
        send({ kind: 'done', id: message.id, answer: await job.handle(message.body) });
      } catch (error) {
        send({ kind: 'failed', id: message.id, error: describe(error) });
      }
      return job;
    });
  });
}
