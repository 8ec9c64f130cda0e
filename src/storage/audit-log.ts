/**
 * The audit log: an append-only table of access records (the audit module's
 * AuditEvents), in sequence order, each with the hash that chains it to the
 * one before. It is not stored like other resources (a row and ~15 index rows
 * each): an access trace is written on every request and read rarely, so a
 * record is one row with the few columns its searches filter on (patient,
 * requestor, entity, time, action, outcome, interaction), and its JSON.
 * Storage knows the columns; the audit module decides what goes in them.
 *
 * The log has its own write path (Store.auditTransaction) and, on the
 * embedded store, its own file (audit.sqlite): a trace is appended on every
 * read, and a commit to the file the resources live in would make SQLite drop
 * the read connection's whole page cache (see docs/ARCHITECTURE.md).
 */

/** One record as stored. */
export interface AuditLogRecord {
  /** Position in the chain: 1, 2, 3… with no gap. */
  readonly seq: number;
  /** The AuditEvent's id. */
  readonly id: string;
  /** When the access happened (AuditEvent.recorded), ms since the epoch. */
  readonly recorded: number;
  /** When the record was written (meta.lastUpdated), ms since the epoch. */
  readonly written: number;
  /** The patient the access concerned (one record per patient); null when none. The shard key. */
  readonly patient: string | null;
  /** The requestor as a local reference ("Practitioner/…", "Patient/…"), or null (operators, anonymous). */
  readonly agent: string | null;
  /** The requestor's identifier value (national identifier, login), or null. */
  readonly agentIdentifier: string | null;
  readonly action: string;
  readonly outcome: string;
  /** The RESTful interaction, and the operation's name for an operation ("read"; "operation", "merge"…). */
  readonly subtypes: readonly string[];
  /** The local references of the entities, each as "Type/id". */
  readonly entities: readonly string[];
  /** The AuditEvent's JSON, meta included: exactly the text the hash covers. */
  readonly content: string;
  /** SHA-256 (hex) of the previous record's hash and this content. */
  readonly hash: string;
}

type EqualityField = 'id' | 'patient' | 'agent' | 'agentIdentifier' | 'action' | 'outcome';

/** What a query filters on; every value is bound data. */
export type AuditLogFilter =
  /** The field equals one of the values (null: the field is empty). */
  | { readonly field: EqualityField; readonly values: readonly (string | null)[] }
  /** An entity's local reference is exactly `reference`, or ends with "/<id>" when `reference` is "*\/<id>". */
  | { readonly field: 'entity'; readonly reference: string }
  /** The record is one of these positions in the chain. */
  | { readonly field: 'seq'; readonly values: readonly number[] }
  /** One of the subtypes is `code`. */
  | { readonly field: 'subtype'; readonly code: string }
  /** `field` compared with `value` (ms since the epoch). */
  | { readonly field: 'recorded' | 'written'; readonly op: '<' | '<=' | '>' | '>='; readonly value: number }
  | { readonly all: readonly AuditLogFilter[] }
  | { readonly any: readonly AuditLogFilter[] }
  | { readonly not: AuditLogFilter };

export interface AuditLogQuery {
  readonly where: readonly AuditLogFilter[];
  /** Sequence order, oldest first unless descending. */
  readonly descending: boolean;
  /** Only records after this sequence number in the query's order (a page cursor), exclusive. */
  readonly after?: number;
  /** Only records with seq ≤ maxSeq (the snapshot a paged search runs under). */
  readonly maxSeq?: number;
  readonly limit: number;
}

/** A record's position and hash: the last record's (the tip), or where the chain's head was last moved. */
export interface AuditLogTip {
  readonly seq: number;
  readonly hash: string;
}

export interface AuditLogReader {
  auditGet(id: string): Promise<AuditLogRecord | undefined>;
  auditGetMany(ids: readonly string[]): Promise<AuditLogRecord[]>;
  auditQuery(query: AuditLogQuery): Promise<AuditLogRecord[]>;
  /** Records matching `where` up to maxSeq, counted up to `cap` (cap + 1 means "more"). */
  auditCount(where: readonly AuditLogFilter[], maxSeq: number | undefined, cap?: number): Promise<number>;
  auditTip(): Promise<AuditLogTip | undefined>;
  /**
   * The chain's head: where the last append left it, kept apart from the
   * records, so that removing the last records (which leaves no gap in what
   * remains) is still detected. Undefined before the first append.
   */
  auditHead(): Promise<AuditLogTip | undefined>;
}

/** The log's write side, inside Store.auditTransaction (which holds the log's lock). */
export interface AuditLogAppender {
  auditHead(): Promise<AuditLogTip | undefined>;
  /** Appends records, whose seq must follow the head, and moves the head to the last one. */
  auditAppend(records: readonly AuditLogRecord[]): Promise<void>;
}

/** The audit log's write side alone: what a writer on its own thread opens (storage/open-store.ts, openAuditLog). */
export interface AuditLogStore {
  auditTransaction<T>(work: (log: AuditLogAppender) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
