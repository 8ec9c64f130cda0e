import { raw, sql, type Sql } from './fragment.js';
import { SQLITE_CLUSTERED_TABLES } from './schema.js';

/**
 * What differs between the SQL of SQLite and PostgreSQL, declared once; the
 * search compiler and the schema ask the dialect instead of testing backends.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  placeholder(index: number): string;
  /** Substring test: `haystack` contains `needle`. */
  contains(haystack: Sql, needle: Sql): Sql;
  /** Null-safe equality. */
  isNotDistinct(left: Sql, right: Sql): Sql;
  /** Casts a bound parameter so the planner knows its type (PostgreSQL needs it in some positions). */
  typed(value: unknown, type: 'text' | 'bigint' | 'float'): Sql;
  /** Index rows carry the shard key and joins with resources include it (Citus co-location). */
  readonly shardKeyOnIndexRows: boolean;
  /**
   * Text after "FROM <index table> <alias>" making a per-resource probe use the
   * (rid, pkey) index. SQLite's planner, without statistics, would otherwise
   * range-scan the value index once per candidate row (seconds instead of µs).
   */
  probeHint(table: string): string;
  /**
   * Text closing a per-row EXISTS probe. PostgreSQL would otherwise turn each
   * probe into a semi-join and read every match before sorting, where probing
   * rows in rid order and stopping at the page size is the cheap plan
   * (OFFSET 0 keeps the sub-select a per-row SubPlan).
   */
  readonly probeSuffix: string;
  /** "INSERT … INTO" that skips a row whose key already exists. */
  readonly insertIgnore: string;
  /**
   * Text ending a SELECT whose rows the transaction is about to rewrite the
   * index of (a reindex), locking them against concurrent writers until it
   * ends. SQLite needs none: its write units already run one at a time.
   */
  readonly lockRowsForUpdate: string;
  /**
   * What a candidate read from a value index costs, in rows of a scan in rid
   * order (read-search-page.ts weighs the two). Measured on 100,000 patients,
   * family prefix plus birth date: on SQLite both cost ~0.5 µs; on PostgreSQL
   * a scanned row ~1.5 µs and an index candidate ~6 µs (random heap and index
   * pages through the buffer manager, and a hash of the candidates first).
   */
  readonly drivenRowCost: number;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  placeholder: () => '?',
  contains: (haystack, needle) => sql`instr(${haystack}, ${needle}) > 0`,
  isNotDistinct: (left, right) => sql`${left} IS ${right}`,
  typed: (value) => sql`${value}`,
  shardKeyOnIndexRows: false,
  insertIgnore: 'INSERT OR IGNORE INTO',
  lockRowsForUpdate: '',
  probeSuffix: '',
  drivenRowCost: 1,
  // Clustered tables are probed through their primary key, whose index SQLite names sqlite_autoindex_<table>_1
  // (sqlite-plans.test.ts guards this); the others through their (rid, pkey) index.
  probeHint: (table) => (SQLITE_CLUSTERED_TABLES.has(table) ? ` INDEXED BY sqlite_autoindex_${table}_1` : ` INDEXED BY ${table}_rid`),
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  placeholder: (index) => `$${index}`,
  contains: (haystack, needle) => sql`strpos(${haystack}, ${needle}) > 0`,
  isNotDistinct: (left, right) => sql`${left} IS NOT DISTINCT FROM ${right}`,
  typed: (value, type) => sql`${value}::${raw(type === 'float' ? 'double precision' : type)}`,
  shardKeyOnIndexRows: true,
  // PostgreSQL index tables are heaps without unique keys: nothing to ignore.
  insertIgnore: 'INSERT INTO',
  lockRowsForUpdate: ' FOR UPDATE',
  probeSuffix: ' OFFSET 0',
  drivenRowCost: 4,
  probeHint: () => '',
};
