/**
 * The audit module: the durable, tamper-evident trail of every access to
 * data (IHE BALP AuditEvents, appended to the audit log and hash-chained,
 * storage/audit-log.ts). It is composed first, so
 * that the engine records to it from the start, and it serves the AuditEvent
 * type from the log (audit-event-source.ts). Patients list their traces
 * through the API (GET AuditEvent?patient=…, within their compartment);
 * `socle audit verify` checks the chain. The records are built and written
 * on a thread of their own (audit-writer-thread.ts), with its own connection
 * to the log, opened from the same storage settings as the store.
 */
import type { ModuleFactory } from '../platform/module.js';
import { AgentDirectory } from './agent-directory.js';
import { AuditEventSource } from './audit-event-source.js';
import { AuditWriterThread } from './audit-writer-thread.js';
import { ChainedRecorder } from './chained-recorder.js';
import { auditEventsImmutable } from './immutability.js';

/** Batch gathering time when responses do not wait for their traces (chained-recorder.ts). */
const LINGER_MS = 5;

export const auditModule: ModuleFactory = (context) => {
  const { store, clock, logger, config } = context;
  const writer = new AuditWriterThread(config);
  const recorder = new ChainedRecorder(
    (batch) => writer.write(batch), clock, new AgentDirectory(store, () => clock.now()),
    // Never the entries themselves: they name patients.
    (error) => logger.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'audit batch failed'),
    config.auditWait === 'on' ? 0 : LINGER_MS,
  );
  return {
    name: 'audit',
    auditRecorder: recorder,
    typeSources: [new AuditEventSource(store)],
    writeHooks: [auditEventsImmutable],
    async close() {
      await recorder.flush();
      await writer.close();
    },
  };
};
