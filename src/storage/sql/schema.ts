/**
 * The storage schema, versioned. Both backends apply the same migrations,
 * written once with the dialect's column types. See docs/ARCHITECTURE.md
 * ("Storage schema") for the reasons behind each table.
 *
 * - resources: the current version of every resource (deleted ones too, as a
 *   marker), with its JSON text; rid is the internal surrogate key.
 * - resource_history: every superseded version (the current one stays in resources).
 * - idx_*: search index values, one table per search parameter type, rewritten
 *   in the same transaction as the resource.
 * - binary_chunks: Binary payloads in 1 MiB chunks, per version.
 * - shard_key: the patient a row belongs to (or its own id), the distribution
 *   column for Citus; on index rows in PostgreSQL only (SQLite is single-node).
 */
import type { Dialect } from './dialect.js';

/**
 * Where a migration's tables live: 'main' with the resources, 'audit' with
 * the audit log. One database holds both on PostgreSQL; the embedded store
 * keeps the audit log in a file of its own (sqlite-store.ts), each file with
 * its own schema_migrations.
 */
export type MigrationTarget = 'main' | 'audit';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly target: MigrationTarget;
  statements(dialect: Dialect): string[];
}

interface ColumnTypes {
  readonly int: string;
  readonly bigint: string;
  readonly text: string;
  /** Text compared byte-wise, so that range scans on prefixes use the index. */
  readonly key: string;
  readonly float: string;
  readonly blob: string;
  readonly rid: string;
}

function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect.name === 'sqlite'
    ? { int: 'INTEGER', bigint: 'INTEGER', text: 'TEXT', key: 'TEXT', float: 'REAL', blob: 'BLOB', rid: 'INTEGER PRIMARY KEY' }
    : { int: 'INTEGER', bigint: 'BIGINT', text: 'TEXT', key: 'TEXT COLLATE "C"', float: 'DOUBLE PRECISION', blob: 'BYTEA', rid: 'BIGSERIAL PRIMARY KEY' };
}

/** Index tables: their value columns and the indexes that serve search. */
interface IndexTableDefinition {
  readonly name: string;
  readonly columns: (t: ColumnTypes) => string;
  /** Indexes serving searches by value. */
  readonly indexes: readonly string[];
  /**
   * SQLite only: the table is clustered on this key (WITHOUT ROWID), which then
   * also serves per-resource probes and deletes; one B-tree fewer per row written.
   * Possible only where every key column is NOT NULL.
   */
  readonly clusteredKey?: string;
}

const INDEX_TABLES: readonly IndexTableDefinition[] = [
  { name: 'idx_string', columns: (t) => `norm ${t.key} NOT NULL, exact ${t.key} NOT NULL`, indexes: ['pkey, norm'], clusteredKey: 'rid, pkey, grp, norm, exact' },
  {
    name: 'idx_token',
    columns: (t) => `system ${t.key}, code ${t.key}, text ${t.key}, of_type ${t.key}`,
    indexes: ['pkey, code, system'],
  },
  { name: 'idx_date', columns: (t) => `low ${t.bigint} NOT NULL, high ${t.bigint} NOT NULL`, indexes: ['pkey, low', 'pkey, high'], clusteredKey: 'rid, pkey, grp, low, high' },
  { name: 'idx_number', columns: (t) => `low ${t.float} NOT NULL, high ${t.float} NOT NULL`, indexes: ['pkey, low'], clusteredKey: 'rid, pkey, grp, low, high' },
  {
    name: 'idx_quantity',
    columns: (t) => `system ${t.key}, code ${t.key}, unit ${t.text}, low ${t.float} NOT NULL, high ${t.float} NOT NULL`,
    indexes: ['pkey, code, low'],
  },
  {
    name: 'idx_reference',
    columns: (t) => `target_type ${t.key}, target_id ${t.key}, url ${t.key}, version ${t.key}, ident_system ${t.key}, ident_value ${t.key}`,
    indexes: ['pkey, target_id', 'pkey, url', 'pkey, ident_value'],
  },
  { name: 'idx_uri', columns: (t) => `value ${t.key} NOT NULL`, indexes: ['pkey, value'], clusteredKey: 'rid, pkey, grp, value' },
];

export const INDEX_TABLE_NAMES = INDEX_TABLES.map((t) => t.name);

/** Index tables SQLite stores clustered on (rid, pkey, …): probes read them without a secondary index. */
export const SQLITE_CLUSTERED_TABLES: ReadonlySet<string> = new Set(INDEX_TABLES.filter((t) => t.clusteredKey).map((t) => t.name));

const initial: Migration = {
  version: 1,
  name: 'initial schema: resources, history, search indexes, binaries',
  target: 'main',
  statements(dialect) {
    const t = columnTypes(dialect);
    const shardOnIndex = dialect.shardKeyOnIndexRows ? `shard_key ${t.key} NOT NULL, ` : '';
    const statements = [
      `CREATE TABLE resources (
        rid ${t.rid},
        type ${t.key} NOT NULL,
        id ${t.key} NOT NULL,
        version_id ${t.int} NOT NULL,
        last_updated ${t.bigint} NOT NULL,
        deleted ${t.int} NOT NULL DEFAULT 0,
        method ${t.text} NOT NULL,
        shard_key ${t.key} NOT NULL,
        content ${t.text}
      )`,
      'CREATE UNIQUE INDEX resources_type_id ON resources (type, id)',
      'CREATE INDEX resources_type_rid ON resources (type, rid)',
      'CREATE INDEX resources_type_updated ON resources (type, last_updated)',
      'CREATE INDEX resources_updated ON resources (last_updated)',
      `CREATE TABLE resource_history (
        rid ${t.bigint} NOT NULL,
        version_id ${t.int} NOT NULL,
        type ${t.key} NOT NULL,
        id ${t.key} NOT NULL,
        last_updated ${t.bigint} NOT NULL,
        deleted ${t.int} NOT NULL,
        method ${t.text} NOT NULL,
        shard_key ${t.key} NOT NULL,
        content ${t.text},
        PRIMARY KEY (rid, version_id)
      )`,
      'CREATE INDEX history_type_updated ON resource_history (type, last_updated)',
      'CREATE INDEX history_updated ON resource_history (last_updated)',
      `CREATE TABLE binary_chunks (
        rid ${t.bigint} NOT NULL,
        version_id ${t.int} NOT NULL,
        seq ${t.int} NOT NULL,
        shard_key ${t.key} NOT NULL,
        data ${t.blob} NOT NULL,
        PRIMARY KEY (rid, version_id, seq)
      )`,
      `CREATE TABLE idx_text (
        rid ${t.bigint} NOT NULL PRIMARY KEY,
        ${shardOnIndex}narrative ${t.text} NOT NULL,
        content ${t.text} NOT NULL
      )`,
    ];
    for (const table of INDEX_TABLES) {
      const clustered = dialect.name === 'sqlite' && table.clusteredKey !== undefined;
      const head = `CREATE TABLE ${table.name} (rid ${t.bigint} NOT NULL, ${shardOnIndex}pkey ${t.int} NOT NULL, grp ${t.int} NOT NULL DEFAULT 0, ${table.columns(t)}`;
      statements.push(clustered ? `${head}, PRIMARY KEY (${table.clusteredKey})) WITHOUT ROWID` : `${head})`);
      if (!clustered) statements.push(`CREATE INDEX ${table.name}_rid ON ${table.name} (rid, pkey)`);
      table.indexes.forEach((columns, i) => {
        statements.push(`CREATE INDEX ${table.name}_v${i} ON ${table.name} (${columns})`);
      });
    }
    // The shard key is looked up only by a distributed PostgreSQL (Citus); SQLite is single-node.
    if (dialect.name === 'postgres') statements.push('CREATE INDEX resources_shard ON resources (shard_key)');
    return statements;
  },
};

/**
 * Module collections: small JSON documents a service module owns outside the
 * FHIR resources (accounts, the INSi register, OpenID Connect
 * grants), each in its own named collection, looked up by key or by the
 * lookup values the module declares (collection.ts).
 */
const collections: Migration = {
  version: 2,
  name: 'module collections: documents by key with declared lookups',
  target: 'main',
  statements(dialect) {
    const t = columnTypes(dialect);
    const clustered = dialect.name === 'sqlite' ? ' WITHOUT ROWID' : '';
    return [
      `CREATE TABLE kv_documents (
        collection ${t.key} NOT NULL,
        key ${t.key} NOT NULL,
        value ${t.text} NOT NULL,
        updated_at ${t.bigint} NOT NULL,
        PRIMARY KEY (collection, key)
      )${clustered}`,
      `CREATE TABLE kv_lookups (
        collection ${t.key} NOT NULL,
        name ${t.key} NOT NULL,
        value ${t.key} NOT NULL,
        key ${t.key} NOT NULL,
        PRIMARY KEY (collection, name, value, key)
      )${clustered}`,
      'CREATE INDEX kv_lookups_key ON kv_lookups (collection, key)',
    ];
  },
};

/**
 * The audit log (storage/audit-log.ts): one row per access record, appended
 * in sequence order and never changed. Three B-trees per row (the sequence,
 * the id, the patient's listing) where a resource with its search index takes
 * about twenty: the trail is written on every request. `patient` is the shard
 * key; the entity references are one space-framed text (audit-log-sql.ts).
 */
const auditLog: Migration = {
  version: 3,
  name: 'audit log: append-only access records with their hash chain',
  target: 'audit',
  statements(dialect) {
    const t = columnTypes(dialect);
    return [
      `CREATE TABLE audit_log (
        seq ${t.bigint} NOT NULL PRIMARY KEY,
        id ${t.key} NOT NULL,
        recorded ${t.bigint} NOT NULL,
        written ${t.bigint} NOT NULL,
        patient ${t.key},
        agent ${t.key},
        agent_ident ${t.key},
        action ${t.key} NOT NULL,
        outcome ${t.key} NOT NULL,
        subtype ${t.key} NOT NULL,
        entities ${t.text} NOT NULL,
        content ${t.text} NOT NULL,
        hash ${t.key} NOT NULL
      )`,
      'CREATE UNIQUE INDEX audit_log_id ON audit_log (id)',
      'CREATE INDEX audit_log_patient ON audit_log (patient, seq)',
    ];
  },
};

/**
 * The audit chain's head (storage/audit-log.ts, auditHead) as a one-row table
 * beside the log, moved by every append. It was a module document
 * (`audit.chain` in kv_documents) until the log got a write path, and on the
 * embedded store a file, of its own; on PostgreSQL the head is carried over
 * here, on SQLite by the move of the log to its file (legacy-audit-log.ts).
 */
const auditHead: Migration = {
  version: 4,
  name: 'audit log: the chain head beside the log',
  target: 'audit',
  statements(dialect) {
    const t = columnTypes(dialect);
    const create = `CREATE TABLE audit_head (
        id ${t.int} NOT NULL PRIMARY KEY,
        seq ${t.bigint} NOT NULL,
        hash ${t.key} NOT NULL
      )`;
    if (dialect.name !== 'postgres') return [create];
    return [
      create,
      `INSERT INTO audit_head (id, seq, hash)
        SELECT 1, (value::json->>'sequence')::bigint, value::json->>'hash' FROM kv_documents WHERE collection = 'audit.chain' AND key = 'head'`,
      `DELETE FROM kv_documents WHERE collection = 'audit.chain'`,
    ];
  },
};

/**
 * The index format: which version of the indexing rules (string
 * normalisation, token case, name parts…: fhir/indexing/index-format.ts) the
 * search index rows follow, one row (`id = 1`). A store made before this
 * migration holds rows of format 1; the server rebuilds the index at start
 * when its code writes a newer format (storage/reindex.ts), then records it.
 */
const indexFormat: Migration = {
  version: 5,
  name: 'index format: the indexing rules the search index rows follow',
  target: 'main',
  statements(dialect) {
    const t = columnTypes(dialect);
    return [
      `CREATE TABLE index_format (
        id ${t.int} NOT NULL PRIMARY KEY,
        version ${t.int} NOT NULL,
        updated_at ${t.bigint} NOT NULL
      )`,
      'INSERT INTO index_format (id, version, updated_at) VALUES (1, 1, 0)',
    ];
  },
};

/**
 * String rows whose value the index cut (past 1,024 characters or bytes) keep
 * the whole normalised value beside, unindexed, for :contains: a word past
 * the cut was otherwise never found. NULL on every other row; the index
 * format bump (7) fills it for stored resources.
 */
const stringWhole: Migration = {
  version: 6,
  name: 'string index: the whole normalised value of a cut one, for :contains',
  target: 'main',
  statements(dialect) {
    return [`ALTER TABLE idx_string ADD COLUMN whole ${columnTypes(dialect).text}`];
  },
};

/** Every migration, in order. Append; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, collections, auditLog, auditHead, indexFormat, stringWhole];

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`;
