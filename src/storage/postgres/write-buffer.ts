/**
 * The row writes of one PostgreSQL transaction, held back and sent together.
 * Each statement is a round trip to the server, and a write unit used to send
 * one per resource row and one per index table (~6 per create, ~17 per
 * update): a 3,000-entry transaction Bundle took ~18,000 of them. Held here,
 * the writes go in at most two statements per flush, whatever their number:
 * the changes of existing rows (history copies, updates, index rows removed),
 * then the new rows, each table's rows as one array per column
 * (`INSERT … SELECT * FROM unnest($1::bigint[], …)`), so that neither the text
 * nor the number of parameters grows with the rows (PostgreSQL takes at most
 * 65,535 parameters).
 *
 * The transaction flushes before any other statement it runs (a read must see
 * its own writes, and the database sees the writes in the order they were
 * made) and before COMMIT, inside the unit: a failing row fails the unit as it
 * did, all or nothing. Only statements that cannot see what is held go first:
 * advisory locks, module documents, and reads of the rows of resources none of
 * whose rows is held (postgres-store.ts), so that a Bundle's reads before each
 * write do not cut its writes into one flush per resource. New rows need their rid before they are sent, so rids are
 * taken from the resources' sequence in blocks (1, 2, 4, … 1,024 per round
 * trip); a transaction leaves the rest of its last block unused, as a rolled
 * back insert always did (rids are surrogate keys with gaps).
 */
import { indexRows, type ColumnKind } from '../sql/index-rows.js';
import { join, raw, sql, type Sql } from '../sql/fragment.js';
import { ConcurrentWriteError, type IndexEntry, type ResourceRow, type SqlRunner } from '../sql/sql-store-core.js';
import { INDEX_TABLE_NAMES } from '../sql/schema.js';
import { RESOURCE_COLUMNS } from '../sql/search-sql.js';

const ARRAY_TYPES: Readonly<Record<ColumnKind | 'int', string>> = { text: 'text[]', bigint: 'bigint[]', float: 'double precision[]', int: 'int[]' };

/** Resources (new rows, changed rows or index sets) held before a flush: bounds memory and the size of one statement. */
const MAX_HELD = 500;
/** The largest block of rids taken from the sequence in one round trip. */
const MAX_RID_BLOCK = 1024;

interface Replacement {
  readonly rid: number;
  readonly previous: number;
  readonly row: ResourceRow;
}

/** `unnest(${column 1}::type[], …)`: one array parameter per column. */
function unnest(columns: readonly (readonly [values: unknown[], kind: ColumnKind | 'int'])[]): Sql {
  return sql`unnest(${join(columns.map(([values, kind]) => sql`${values}::${raw(ARRAY_TYPES[kind])}`), ', ')})`;
}

/** The columns of resource rows, as arrays in RESOURCE_COLUMNS order plus shard_key. */
function resourceColumns(rids: number[], rows: readonly ResourceRow[]): [unknown[], ColumnKind | 'int'][] {
  return [
    [rids, 'bigint'],
    [rows.map((r) => r.type), 'text'],
    [rows.map((r) => r.id), 'text'],
    [rows.map((r) => r.versionId), 'int'],
    [rows.map((r) => r.lastUpdated), 'bigint'],
    [rows.map((r) => r.deleted), 'int'],
    [rows.map((r) => r.method), 'text'],
    [rows.map((r) => r.content), 'text'],
    [rows.map((r) => r.shardKey), 'text'],
  ];
}

export class WriteBuffer {
  private inserts: { rid: number; row: ResourceRow }[] = [];
  private replacements: Replacement[] = [];
  /** Rids whose stored index rows go (those still held here are dropped at once). */
  private deletes = new Set<number>();
  private index = new Map<number, IndexEntry[]>();
  /** Rids with a row held (inserted or replaced): a second change of one waits for a flush. */
  private rowsHeld = new Set<number>();
  /** "Type/id" of the rows held: reads of other resources' rows need not wait for a flush. */
  private resourcesHeld = new Set<string>();
  private freeRids: number[] = [];
  private nextBlock = 1;

  constructor(private readonly runner: SqlRunner) {}

  get isEmpty(): boolean {
    return this.inserts.length === 0 && this.replacements.length === 0 && this.deletes.size === 0 && this.index.size === 0;
  }

  /** Enough is held that the caller should flush. */
  get isFull(): boolean {
    return this.inserts.length + this.replacements.length >= MAX_HELD || this.index.size >= MAX_HELD || this.deletes.size >= MAX_HELD;
  }

  holdsRow(rid: number): boolean {
    return this.rowsHeld.has(rid);
  }

  holdsResource(resourceType: string, id: string): boolean {
    return this.resourcesHeld.has(`${resourceType}/${id}`);
  }

  async newRid(): Promise<number> {
    if (this.freeRids.length === 0) {
      const count = this.nextBlock;
      this.nextBlock = Math.min(count * 2, MAX_RID_BLOCK);
      const rows = await this.runner.queryTuples(sql`SELECT nextval(pg_get_serial_sequence('resources', 'rid')) FROM generate_series(1, ${count}::int)`);
      // Taken last first by pop(): the smallest first, so that a transaction's resources keep their order.
      this.freeRids = rows.map((row) => Number(row[0])).sort((a, b) => b - a);
    }
    return this.freeRids.pop() as number;
  }

  insertRow(rid: number, row: ResourceRow): void {
    this.inserts.push({ rid, row });
    this.rowsHeld.add(rid);
    this.resourcesHeld.add(`${row.type}/${row.id}`);
  }

  replaceRow(rid: number, previous: number, row: ResourceRow): void {
    this.replacements.push({ rid, previous, row });
    this.rowsHeld.add(rid);
    this.resourcesHeld.add(`${row.type}/${row.id}`);
  }

  deleteIndex(rids: readonly number[]): void {
    for (const rid of rids) {
      this.deletes.add(rid);
      this.index.delete(rid);
    }
  }

  insertIndex(entries: readonly IndexEntry[]): void {
    for (const entry of entries) {
      const held = this.index.get(entry.rid);
      if (held) held.push(entry);
      else this.index.set(entry.rid, [entry]);
    }
  }

  /** Sends what is held: the changes of stored rows first, then the new rows. */
  async flush(): Promise<void> {
    if (this.isEmpty) return;
    const { inserts, replacements, deletes, index } = this;
    this.inserts = [];
    this.replacements = [];
    this.deletes = new Set();
    this.index = new Map();
    this.rowsHeld = new Set();
    this.resourcesHeld = new Set();
    if (replacements.length > 0 || deletes.size > 0) await this.replace(replacements, [...deletes]);
    if (inserts.length > 0 || index.size > 0) await this.insert(inserts, [...index.values()].flat());
  }

  /**
   * One statement: the current versions copied to history, then replaced (the
   * copy reads the statement's snapshot, before the update), and the index rows
   * removed (the new ones come in the next statement, so no unique key of
   * idx_text meets its old row).
   */
  private async replace(replacements: readonly Replacement[], deletes: number[]): Promise<void> {
    const parts: Sql[] = [];
    if (replacements.length > 0) {
      const rids = replacements.map((r) => r.rid);
      parts.push(sql`moved AS (INSERT INTO resource_history (${raw(RESOURCE_COLUMNS)}, shard_key)
        SELECT ${raw(RESOURCE_COLUMNS)}, shard_key FROM resources WHERE rid = ANY(${rids}::bigint[]))`);
      const columns = resourceColumns(rids, replacements.map((r) => r.row));
      columns.push([replacements.map((r) => r.previous), 'int']);
      parts.push(sql`changed AS (UPDATE resources AS r SET version_id = v.version_id, last_updated = v.last_updated, deleted = v.deleted,
          method = v.method, content = v.content, shard_key = v.shard_key
        FROM ${unnest(columns)} AS v (${raw(RESOURCE_COLUMNS)}, shard_key, previous)
        WHERE r.rid = v.rid AND r.version_id = v.previous RETURNING 1)`);
    }
    if (deletes.length > 0) {
      [...INDEX_TABLE_NAMES, 'idx_text'].forEach((table, n) => parts.push(sql`${raw(`gone${n}`)} AS (DELETE FROM ${raw(table)} WHERE rid = ANY(${deletes}::bigint[]))`));
    }
    const counted = replacements.length > 0 ? raw('(SELECT count(*) FROM changed)') : raw('0');
    const [row] = await this.runner.query(sql`WITH ${join(parts, ', ')} SELECT ${counted} AS changed`);
    // The rows were locked when read: another writer cannot have moved them; a bug here must fail the unit, not lose a version.
    if (Number(row?.changed) !== replacements.length) throw new ConcurrentWriteError(replacements.map((r) => `${r.row.type}/${r.row.id}`).join(', '));
  }

  /** One statement inserting the new resource rows and every index row held, each table's rows as column arrays. */
  private async insert(inserts: readonly { rid: number; row: ResourceRow }[], entries: readonly IndexEntry[]): Promise<void> {
    const parts: Sql[] = [];
    if (inserts.length > 0) {
      parts.push(sql`fresh AS (INSERT INTO resources (${raw(RESOURCE_COLUMNS)}, shard_key)
        SELECT * FROM ${unnest(resourceColumns(inserts.map((i) => i.rid), inserts.map((i) => i.row)))})`);
    }
    const tables = entries.map((entry) => indexRows(entry.resourceType, entry.index));
    (tables[0] ?? []).forEach(({ table, columns, kinds }, t) => {
      const rids: number[] = [];
      const shards: string[] = [];
      const values: unknown[][] = [[], [], ...kinds.map(() => [])];
      entries.forEach((entry, e) => {
        for (const row of (tables[e] ?? [])[t]?.rows ?? []) {
          rids.push(entry.rid);
          shards.push(entry.shardKey);
          row.forEach((value, c) => (values[c] as unknown[]).push(value));
        }
      });
      if (rids.length === 0) return;
      const typed: [unknown[], ColumnKind | 'int'][] = [[rids, 'bigint'], [shards, 'text'], [values[0] as unknown[], 'int'], [values[1] as unknown[], 'int']];
      kinds.forEach((kind, c) => typed.push([values[c + 2] as unknown[], kind]));
      parts.push(sql`${raw(`rows${t}`)} AS (INSERT INTO ${raw(table)} (rid, shard_key, pkey, grp, ${raw(columns.join(', '))}) SELECT * FROM ${unnest(typed)})`);
    });
    const texts = entries.filter((e) => e.index.text.narrative !== '' || e.index.text.content !== '');
    if (texts.length > 0) {
      parts.push(sql`texts AS (INSERT INTO idx_text (rid, shard_key, narrative, content) SELECT * FROM ${unnest([
        [texts.map((e) => e.rid), 'bigint'], [texts.map((e) => e.shardKey), 'text'],
        [texts.map((e) => e.index.text.narrative), 'text'], [texts.map((e) => e.index.text.content), 'text'],
      ])})`);
    }
    if (parts.length > 0) await this.runner.execute(sql`WITH ${join(parts, ', ')} SELECT 1`);
  }
}

/** `runner` that first sends what `buffer` holds: every statement of the transaction sees its earlier writes. */
export function flushingFirst(runner: SqlRunner, buffer: WriteBuffer): SqlRunner {
  return {
    dialect: runner.dialect,
    query: async (statement) => (await buffer.flush(), runner.query(statement)),
    queryTuples: async (statement) => (await buffer.flush(), runner.queryTuples(statement)),
    execute: async (statement) => (await buffer.flush(), runner.execute(statement)),
    executeText: async (text, values) => (await buffer.flush(), runner.executeText(text, values)),
    insertReturningKey: async (statement, keyColumn) => (await buffer.flush(), runner.insertReturningKey(statement, keyColumn)),
  };
}
