/**
 * The storage contract: what the FHIR layer may ask of a store. Two backends
 * implement it with identical behaviour (sqlite/ and postgres/); one contract
 * test suite runs against both. Storage knows rows, index values and query
 * plans; it knows nothing of HTTP and little of FHIR.
 */
import type { AuditLogAppender, AuditLogReader } from './audit-log.js';
import type { IndexSet } from '../fhir/indexing/index-set.js';
import type { SearchPlan, SearchPage, IncludeRequest, RevIncludeRequest, HistoryQuery, HistoryPage } from './query.js';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One version of one resource as stored. */
export interface StoredVersion {
  /** Internal surrogate key of the resource (all its versions share it); never shown to clients. */
  readonly rid: number;
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  /** Milliseconds since the epoch. */
  readonly lastUpdated: number;
  readonly deleted: boolean;
  readonly method: WriteMethod;
  /** The resource as JSON text, meta included; null for a deletion. */
  readonly content: string | null;
  /**
   * Set by `history` only: the version before this one was a deletion, so this
   * write brought the resource back (its PUT answered 201 Created).
   */
  readonly followsDeletion?: boolean;
}

/** A current resource as a reindex reads it (reindex.ts). */
export interface IndexedResource {
  readonly rid: number;
  readonly resourceType: string;
  readonly id: string;
  /** The stored JSON text. */
  readonly content: string;
}

/** A chunked binary payload (Binary.data kept out of the JSON). */
export interface BinaryPayload {
  readonly size: number;
  readonly chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

export interface NewVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: number;
  readonly method: WriteMethod;
  readonly content: string | null;
  /**
   * The key this row would be sharded on: the id of the patient whose compartment
   * holds the resource, or the resource's own id when it is in none; null keeps
   * the current row's key (a deletion stays where the resource was).
   */
  readonly shardKey: string | null;
  /** Search index values; null for a deletion. */
  readonly index: IndexSet | null;
  readonly binary?: BinaryPayload;
}

/** Reads that both a store and a write transaction offer (a transaction sees its own writes). */
export interface StoreReader extends AuditLogReader {
  /** The current version of a resource, deleted or not; undefined when it never existed. */
  readCurrent(resourceType: string, id: string): Promise<StoredVersion | undefined>;
  readVersion(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined>;
  /** Current, non-deleted versions of the given resources, in no particular order. */
  readMany(refs: readonly { readonly resourceType: string; readonly id: string }[]): Promise<StoredVersion[]>;
  search(plan: SearchPlan): Promise<SearchPage>;
  /** Targets of the given reference parameters of the given resources (for _include). */
  includes(request: IncludeRequest): Promise<StoredVersion[]>;
  /** Resources whose reference parameter points to the given resources (for _revinclude). */
  revIncludes(request: RevIncludeRequest): Promise<StoredVersion[]>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** Streams the binary payload of a Binary version, chunk by chunk. */
  readBinary(rid: number, versionId: number): AsyncIterable<Buffer>;
  /** A module document by key (see collection.ts); undefined when absent. */
  documentGet(collection: string, key: string): Promise<StoredDocument | undefined>;
  /** Documents whose declared lookup `name` has exactly `value`, in key order. */
  documentFind(collection: string, name: string, value: string, limit: number): Promise<StoredDocument[]>;
  /** Documents in key order after `afterKey` (exclusive), at most `limit`. */
  documentScan(collection: string, afterKey: string | undefined, limit: number): Promise<StoredDocument[]>;
  /** The profiles, tags and security labels the current resources carry (of one type, or of all), from their index rows. */
  metaInUse(resourceType?: string): Promise<MetaInUse>;
}

/** Distinct meta values in use (http://hl7.org/fhir/R4/resource-operation-meta.html). */
export interface MetaInUse {
  readonly profiles: readonly string[];
  readonly tags: readonly MetaCoding[];
  readonly security: readonly MetaCoding[];
}

export interface MetaCoding {
  readonly system?: string;
  readonly code: string;
}

/** A module document as stored: JSON text under a key, in a named collection. */
export interface StoredDocument {
  readonly key: string;
  readonly value: string;
  /** Milliseconds since the epoch of the last write. */
  readonly updatedAt: number;
}

/** A document to write, with the lookup values it can be found by. */
export interface NewDocument {
  readonly key: string;
  readonly value: string;
  readonly lookups: readonly (readonly [name: string, value: string])[];
  readonly updatedAt: number;
}

export interface WriteTransaction extends StoreReader {
  /**
   * Writes a new version: the current row is replaced, the previous version
   * moves to history, and the search index is rewritten, all in this transaction.
   */
  writeVersion(version: NewVersion): Promise<StoredVersion>;
  /**
   * Serialises concurrent transactions that work on the same logical key
   * (conditional create/update on the same criteria). Held until the end of the transaction.
   */
  lock(key: string): Promise<void>;
  /**
   * The locks of lock() for several keys, taken all at once in one global
   * order: two transactions needing overlapping sets never each hold one the
   * other waits for. A transaction taking these and lockResources() takes these first.
   */
  lockAll(keys: readonly string[]): Promise<void>;
  /**
   * Locks the resources this transaction is about to change ("Type/id", existing
   * or not yet), all at once and in one global order, until it ends: two
   * transactions changing overlapping sets then run one after the other instead
   * of each holding one resource and waiting for the other's (a deadlock).
   */
  lockResources(identities: readonly string[]): Promise<void>;
  /** Writes (replaces) a module document and its lookups, in this transaction. */
  documentPut(collection: string, document: NewDocument): Promise<void>;
  /** Removes a module document and its lookups; false when there was none. */
  documentDelete(collection: string, key: string): Promise<boolean>;
  /**
   * Runs `effect` once this transaction is durably committed, never if it is
   * rolled back: what must only be said of writes that happened (an audit
   * record of an identity-status change) waits for the commit. Effects run in
   * the order given and must not throw.
   */
  afterCommit(effect: () => void): void;
  /**
   * Rewrites the search index of the current resources after `afterRid`, at
   * most `limit` of them in rid order, with the rows `index` computes from
   * each (undefined: that resource keeps its rows). The resources read are
   * locked against concurrent writes until the transaction ends, so that no
   * write falls between the read and the rewrite. Returns the last rid read,
   * undefined when none was left.
   */
  reindexAfter(afterRid: number, limit: number, index: (resource: IndexedResource) => IndexSet | undefined): Promise<number | undefined>;
  /**
   * Replaces the content of one stored version in place, without a new
   * version: what $meta-add and $meta-delete do to meta (they are defined
   * not to create versions). When it is the current version, its search
   * index is replaced by `index`. `read` is the content the change was made
   * from: if the stored one differs by then (a concurrent change), the
   * transaction fails as a concurrent write does and the store may run it
   * again. False when that version does not exist.
   */
  rewriteContent(resourceType: string, id: string, versionId: number, read: string, content: string, index: IndexSet): Promise<boolean>;
  /** Records the index format the stored index rows follow (fhir/indexing/index-format.ts). */
  setIndexFormat(version: number): Promise<void>;
}

/** What differs between backends, declared rather than tested by name. */
export interface StoreCapabilities {
  readonly backend: 'sqlite' | 'postgres';
  /** Every index row carries the shard key (ready for Citus co-location). */
  readonly shardKeyOnIndexRows: boolean;
}

export interface Store extends StoreReader {
  readonly capabilities: StoreCapabilities;
  /**
   * Runs `work` as one atomic unit: all its writes are committed together and
   * durably before the promise resolves, or none is if it throws.
   */
  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs `work` as one atomic, durable append to the audit log, holding the
   * log's lock (no other process or unit appends meanwhile). It is not part of
   * any resource transaction: the log may live in a file of its own.
   */
  auditTransaction<T>(work: (log: AuditLogAppender) => Promise<T>): Promise<T>;
  /** Applies pending schema migrations; returns the versions applied. */
  migrate(): Promise<number[]>;
  /** The index format the stored index rows follow, as last recorded (1: written before it was recorded). */
  indexFormat(): Promise<number>;
  /** How many current (not deleted) resources there are: what a reindex reads. */
  countResources(): Promise<number>;
  /** Timings of database work, for metrics. */
  onQuery?: (operation: string, milliseconds: number) => void;
  close(): Promise<void>;
}
