/**
 * One batch of the audit trail, from accesses to chained records: each entry
 * becomes its AuditEvents (one per patient, audit-event.ts), each event a row
 * of the log (audit-record.ts), and the rows are chained from the head and
 * appended in one audit transaction, under the log's lock. Everything here is
 * plain data in and out, so that the batch can be written on the audit
 * writer's thread (audit-writer-thread.ts) as well as in-process.
 */
import type { AuditEntry } from '../core/audit-entry.js';
import { newTimeOrderedId } from '../core/ids.js';
import type { AuditLogRecord, AuditLogStore } from '../storage/audit-log.js';
import type { AgentDetails } from './audit-event.js';
import { auditEvents } from './audit-event.js';
import { auditRecord, type UnchainedRecord } from './audit-record.js';
import { chainHash, GENESIS } from './chain-hash.js';

export interface AuditBatch {
  /** When the batch is written (meta.lastUpdated of its records), ms since the epoch. */
  readonly now: number;
  /** Each access with what the directory says of its professional, looked up beforehand (agent-directory.ts). */
  readonly items: readonly { readonly entry: AuditEntry; readonly details?: AgentDetails }[];
}

/** Where a batch is appended: a store, or the writer thread's own connection to the log. */
export type AuditLogSink = Pick<AuditLogStore, 'auditTransaction'>;

export async function writeAuditBatch(sink: AuditLogSink, batch: AuditBatch): Promise<void> {
  const unchained: UnchainedRecord[] = [];
  for (const { entry, details } of batch.items) {
    for (const event of auditEvents(entry, details, () => newTimeOrderedId(batch.now))) unchained.push(auditRecord(event, batch.now));
  }
  await sink.auditTransaction(async (log) => {
    const head = await log.auditHead();
    let sequence = head?.seq ?? 0;
    let previous = head?.hash ?? GENESIS;
    const records: AuditLogRecord[] = [];
    for (const record of unchained) {
      sequence += 1;
      previous = chainHash(previous, record.content);
      records.push({ ...record, seq: sequence, hash: previous });
    }
    await log.auditAppend(records);
  });
}
