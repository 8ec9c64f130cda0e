/**
 * The durable, hash-chained audit trail. Entries are written by group commit:
 * whatever was recorded while the previous batch was being written goes in
 * the next one, in one store transaction that also extends the chain
 * (chain-hash.ts), under a lock so that two processes never fork it. A
 * request waits for its batch (EngineDeps.audit.flush() in engine.handle):
 * an access is answered only once its trace is durable, and the wait is
 * shared by every request of the batch, so its cost is amortised.
 *
 * AuditEvents are written straight to the store, not through the API, whose
 * write hooks refuse every change of them (immutability.ts).
 */
import type { AuditEntry, AuditRecorder } from '../core/audit-entry.js';
import { newId } from '../core/ids.js';
import type { EngineDeps } from '../fhir/rest/context.js';
import { newVersion, type AnalysedResource, type JsonResource } from '../fhir/rest/resource-version.js';
import type { Collection } from '../storage/collection.js';
import type { AgentDirectory } from './agent-directory.js';
import { auditEvents } from './audit-event.js';
import { auditEventIndex } from './audit-index.js';
import { chainHash, GENESIS, HEAD_KEY, sequenceKey, type ChainHead, type ChainLink } from './chain-hash.js';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting (in-process callers): a failure is logged, never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class ChainedRecorder implements AuditRecorder {
  private pending: AuditEntry[] = [];
  private next: Deferred | undefined;
  private current: Deferred | undefined;
  private running = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly chain: Collection<ChainLink | ChainHead>,
    private readonly agents: AgentDirectory,
    private readonly baseUrl: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  record(entry: AuditEntry): void {
    this.pending.push(entry);
    this.next ??= deferred();
    if (!this.running) {
      this.running = true;
      // Let the entries of this turn of the event loop join the batch.
      setImmediate(() => void this.runBatch());
    }
  }

  flush(): Promise<void> {
    return this.next?.promise ?? this.current?.promise ?? Promise.resolve();
  }

  private async runBatch(): Promise<void> {
    const batch = this.next as Deferred;
    const entries = this.pending;
    this.current = batch;
    this.next = undefined;
    this.pending = [];
    try {
      // One retry: a transient store failure (a serialisation conflict, a dropped connection) must not lose traces.
      await this.write(entries).catch(() => this.write(entries));
      batch.resolve();
    } catch (error) {
      this.onError(error);
      batch.reject(error);
    }
    if (this.pending.length > 0) await this.runBatch();
    else this.running = false;
  }

  private async write(entries: readonly AuditEntry[]): Promise<void> {
    const { deps } = this;
    const events: JsonResource[] = [];
    for (const entry of entries) {
      const details = entry.principal?.kind === 'practitioner' ? await this.agents.detailsOf(entry.principal.fhirUser) : undefined;
      events.push(...(auditEvents(entry, details, newId) as JsonResource[]));
    }
    // Indexed before the unit starts, so that the unit stays short; sharded with the patient's data.
    const analysed = events.map((event): AnalysedResource => {
      const index = auditEventIndex(event, this.baseUrl);
      const patient = index.reference.find((r) => r.param === 'patient')?.targetId;
      return { resource: event, index, shardKey: patient ?? (event.id as string) };
    });
    const now = deps.clock.now();
    await deps.store.transaction(async (tx) => {
      await tx.lock('audit.chain');
      const head = (await this.chain.get(HEAD_KEY, tx)) as ChainHead | undefined;
      let sequence = head?.sequence ?? 0;
      let previous = head?.hash ?? GENESIS;
      for (const item of analysed) {
        const id = item.resource.id as string;
        const stored = await tx.writeVersion(newVersion(item, id, 1, now, 'POST'));
        sequence += 1;
        const hash = chainHash(previous, JSON.parse(stored.content as string) as Record<string, unknown>);
        await this.chain.put(sequenceKey(sequence), { sequence, id, previous, hash }, tx);
        previous = hash;
      }
      await this.chain.put(HEAD_KEY, { sequence, hash: previous }, tx);
    });
  }
}
