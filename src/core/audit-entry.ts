/**
 * What one access to data was, in the terms of the IHE Basic Audit Log
 * Patterns (https://profiles.ihe.net/ITI/BALP/): who, on whose behalf, which
 * patient, which resources, what action, the outcome, when, from where, why.
 * The engine and the services describe accesses with this; audit/ turns each
 * into a chained AuditEvent.
 */
import type { Principal } from './principal.js';

/** AuditEvent.action (http://hl7.org/fhir/R4/valueset-audit-event-action.html). */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** AuditEvent.outcome: 0 success, 4 minor failure (the request was refused), 8 serious, 12 major. */
export type AuditOutcome = '0' | '4' | '8' | '12';

export interface AuditEntry {
  readonly action: AuditAction;
  /** The FHIR interaction or operation ("read", "search-type", "operation:ins-retrieve", "login"…). */
  readonly interaction: string;
  readonly outcome: AuditOutcome;
  /** Short reason for a failure or a refusal (a catalogue key, never personal data). */
  readonly outcomeDescription?: string;
  /** Absent for an unauthenticated attempt. */
  readonly principal?: Principal;
  /** The patients whose data were touched (ids of Patient resources). */
  readonly patients: readonly string[];
  /** The resources touched, as "Type/id" or "Type/id/_history/n". */
  readonly entities: readonly string[];
  /** The query of a search, without its values when they could identify a person. */
  readonly query?: string;
  /** Milliseconds since the epoch. */
  readonly recorded: number;
  readonly sourceAddress?: string;
  /** Purpose of use (v3-ActReason: TREAT, ETREAT, PATADMIN, HOPERAT…). */
  readonly purposeOfUse?: string;
  readonly requestId?: string;
}

/** Where accesses are written; audit/ implements it with a durable, hash-chained trail. */
export interface AuditRecorder {
  record(entry: AuditEntry): void;
  /** Resolves once everything recorded so far is durable. */
  flush(): Promise<void>;
}

/** Keeps nothing: the bare engine's recorder until the audit module replaces it (createPlatform), and the benchmark's "no audit" side. */
export const discardingRecorder: AuditRecorder = { record: () => undefined, flush: () => Promise.resolve() };
