/**
 * The audit module: the durable, tamper-evident trail of every access to
 * data (IHE BALP AuditEvents, hash-chained in the collection `audit.chain`).
 * It is composed first, so that the engine records to it from the start.
 * Patients list their traces through the API (GET AuditEvent?patient=…,
 * within their compartment); `socle audit verify` checks the chain.
 */
import { publicBaseUrl } from '../platform/create-engine.js';
import type { ModuleFactory } from '../platform/module.js';
import { AgentDirectory } from './agent-directory.js';
import { CHAIN_COLLECTION, type ChainHead, type ChainLink } from './chain-hash.js';
import { ChainedRecorder } from './chained-recorder.js';
import { auditEventsImmutable } from './immutability.js';

export const auditModule: ModuleFactory = (context) => {
  const { engine, store, clock, logger, config } = context;
  const chain = context.collection<ChainLink | ChainHead>(CHAIN_COLLECTION);
  const recorder = new ChainedRecorder(
    engine.deps, chain, new AgentDirectory(store, () => clock.now()), publicBaseUrl(config),
    // Never the entries themselves: they name patients.
    (error) => logger.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'audit batch failed'),
  );
  return {
    name: 'audit',
    auditRecorder: recorder,
    writeHooks: [auditEventsImmutable],
    async close() {
      await recorder.flush();
    },
  };
};
