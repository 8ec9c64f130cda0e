/**
 * The audit writer's thread (audit-writer-thread.ts starts it): opens its own
 * connection to the audit log and writes the batches it is sent, one at a
 * time (the chain is appended batch after batch), answering each once it is
 * durable or has failed. Nothing here is on the request path.
 */
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../core/worker-answers.js';
import { openAuditLog, type StoreSettings } from '../storage/open-store.js';
import { writeAuditBatch, type AuditBatch } from './audit-batch.js';

answerRequests<AuditBatch, void>(async () => {
  const log = await openAuditLog(workerData as StoreSettings);
  return { handle: (batch) => writeAuditBatch(log, batch), close: () => log.close() };
});
