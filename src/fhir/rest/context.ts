/**
 * What every interaction needs, passed explicitly. `access` is where reads
 * and writes go: the store itself, or the one transaction of a transaction Bundle.
 */
import type { AuditRecorder } from '../../core/audit-entry.js';
import type { Clock } from '../../core/clock.js';
import type { Store, StoreReader, WriteTransaction } from '../../storage/contract.js';
import type { TypeCapability } from '../../storage/type-routing.js';
import type { FhirSchema } from '../definitions/schema.js';
import type { ResourceIndexer } from '../indexing/index.js';
import type { ValidationResult } from '../validation/index.js';
import type { ParameterContext } from '../search/parse-parameter.js';
import type { SystemCodes, TerminologyUse } from '../search/terminology-modifiers.js';
import type { AccessGuard } from './access-guard.js';
import type { ConformanceClaims } from './interactions/capabilities.js';
import type { OperationRegistry } from './operations.js';
import type { PatientCompartment } from './patient-compartment.js';
import type { ProfileValidation } from './profile-check.js';
import type { FhirRequest } from './types.js';
import type { WriteHook } from './write-hooks.js';

export interface EngineDeps {
  /** Set again when the platform is composed: with the types modules serve routed to them (storage/type-routing.ts). */
  store: Store;
  readonly schema: FhirSchema;
  readonly clock: Clock;
  readonly indexer: ResourceIndexer;
  readonly validate: (resource: unknown, expectedType?: string, options?: { readonly skipEntryResources?: boolean }) => ValidationResult;
  /** Validation against profiles: $validate?profile=, and the profiles resources declare (profile-check.ts). */
  readonly profiles?: ProfileValidation;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** IANA zone of search dates written with a time but no zone (SOCLE_TIMEZONE); absent, UTC. */
  readonly timeZone?: string;
  /** Largest Binary returned inline (base64) in JSON. */
  readonly maxBody: number;
  /** Operations the service modules add ($ins-retrieve, $match…). */
  readonly operations: OperationRegistry;
  /** Rules the service modules enforce on writes, by resource type. */
  readonly writeHooks: WriteHook[];
  /** The CapabilityStatement's rest.security for a FHIR base (set by the auth module: SMART on FHIR). */
  capabilitySecurity?: (baseUrl: string) => Record<string, unknown>;
  /** The TerminologyCapabilities statement of GET /metadata?mode=terminology; absent, that mode answers 400. */
  readonly terminologyCapabilities?: (baseUrl: string, now: number) => Record<string, unknown>;
  /** Profiles and guides the modules' resources follow, for the CapabilityStatement; set when the platform is composed. */
  conformanceClaims?: ConformanceClaims;
  /** Types a module serves with fewer interactions or parameters than stored types (AuditEvent); set when the platform is composed. */
  typeCapabilities?: ReadonlyMap<string, TypeCapability>;
  /** Where accesses are recorded; set by the audit module when the platform is composed. */
  audit: AuditRecorder;
  /** Whether a principal's response waits until its audit records are durable (SOCLE_AUDIT_WAIT). */
  readonly auditBeforeResponse?: boolean;
  /** The policy decision point every interaction asks (access-guard.ts); set when the platform is composed. */
  guard: AccessGuard;
  /** Patient compartment membership, shared by the guard and the audit trail. */
  readonly compartment: PatientCompartment;
  /**
   * The codes behind the token modifiers :in, :not-in, :below and :above, read
   * as the request's caller on the search's reader (fhir/terminology/search-codes.ts);
   * absent, those modifiers answer 400.
   */
  readonly tokenTerminology?: (uses: readonly TerminologyUse[], request: FhirRequest, reader: StoreReader) => Promise<ReadonlyMap<string, readonly SystemCodes[]>>;
}

/** Where an interaction reads and writes. */
export interface DataAccess {
  readonly reader: StoreReader;
  /** Runs `work` atomically: its own unit, or inside the enclosing transaction. */
  write<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
  /** True inside a transaction Bundle (writes share one unit). */
  readonly inTransaction: boolean;
  /**
   * Runs `effect` once what was done through this access is committed: at
   * once outside a transaction, after its commit inside one, never when it
   * is rolled back (a store may run a transaction again after a conflict).
   */
  afterCommit(effect: () => void): void;
}

export function storeAccess(store: Store): DataAccess {
  return { reader: store, write: (work) => store.transaction(work), inTransaction: false, afterCommit: (effect) => effect() };
}

export function transactionAccess(tx: WriteTransaction): DataAccess {
  return { reader: tx, write: (work) => work(tx), inTransaction: true, afterCommit: (effect) => tx.afterCommit(effect) };
}

/** What parsing a search needs from the engine. */
export function parameterContext(deps: EngineDeps, baseUrl: string): ParameterContext {
  return {
    schema: deps.schema,
    baseUrl,
    now: deps.clock.now(),
    ...(deps.timeZone !== undefined ? { timeZone: deps.timeZone } : {}),
    compositeTypes: (resourceType, code) => deps.indexer.compositeComponents(resourceType, code).map((c) => c.type),
    coveredParams: (resourceType, code) => deps.indexer.coveredParams(resourceType, code),
    tokenFoldsCase: (resourceType, param) => deps.indexer.tokenFoldsCase(resourceType, param),
    uriReadsCanonicals: (resourceType, code) => deps.indexer.uriReadsCanonicals(resourceType, code),
  };
}
