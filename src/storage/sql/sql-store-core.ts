/**
 * Reads and writes written once over a minimal SQL runner, so that SQLite and
 * PostgreSQL behave identically; each backend only supplies its runner, its
 * transactions and its locks.
 */
import type { IndexSet } from '../../fhir/indexing/index-set.js';
import type { IndexedResource, MetaCoding, MetaInUse, NewDocument, StoredDocument, StoredVersion, StoreReader, NewVersion, WriteMethod } from '../contract.js';
import type { AuditLogAppender, AuditLogFilter, AuditLogQuery, AuditLogRecord, AuditLogTip } from '../audit-log.js';
import { auditAppend, auditCount, auditGet, auditGetMany, auditHead, auditQuery, auditTip } from './audit-log-sql.js';
import { deleteDocument, findDocuments, getDocument, putDocument, scanDocuments } from './documents-sql.js';
import { qualifiedParam, type HistoryPage, type HistoryQuery, type IncludeRequest, type RevIncludeRequest, type SearchPage, type SearchPlan } from '../query.js';
import { ConcurrentWriteError } from '../concurrent-write.js';
import { indexKey } from './index-key.js';
import { paramKey } from './param-key.js';
import { pageLinks, pageTotal } from '../search-page.js';
import type { Dialect } from './dialect.js';
import { balanced, empty, join, limit as limitClause, raw, sql, Sql } from './fragment.js';
import { indexRows, type IndexTableRows } from './index-rows.js';
import { historySql, includeSql, revIncludeSql } from './reads-sql.js';
import { RESOURCE_COLUMNS } from './search-sql.js';
import { readSearchPage } from './read-search-page.js';
import { INDEX_TABLE_NAMES } from './schema.js';

export type Row = Record<string, unknown>;

export interface SqlRunner {
  readonly dialect: Dialect;
  query(statement: Sql): Promise<Row[]>;
  /** Rows as arrays in column order: no per-row objects (the hot read paths). */
  queryTuples(statement: Sql): Promise<unknown[][]>;
  /** Runs a statement; returns the number of rows changed. */
  execute(statement: Sql): Promise<number>;
  /** Runs a statement already written with the dialect's placeholders (hot, fixed texts). */
  executeText(text: string, values: readonly unknown[]): Promise<number>;
  /**
   * Runs a one-row INSERT and returns the key the database generated for it
   * (`keyColumn`: the table's integer primary key).
   */
  insertReturningKey(statement: Sql, keyColumn: string): Promise<number>;
}

/** Raised when another transaction changed the resource first (PostgreSQL only); the unit is retried. */
export { ConcurrentWriteError };

/** The index rows of one resource, to insert. */
export interface IndexEntry {
  readonly rid: number;
  readonly resourceType: string;
  readonly shardKey: string;
  readonly index: IndexSet;
}

/** "?, ?, …" binding each rid: a list as long as a reindex batch, without nesting fragments. */
function ridList(rids: readonly number[]): Sql {
  return new Sql(['', ...rids.slice(1).map(() => ', '), ''], rids);
}

/** Rows per multi-row INSERT: fewer statements, bounded parameter counts. */
const ROWS_PER_INSERT = 64;
const BINARY_CHUNK_SIZE = 1024 * 1024;
/** The largest version_id the INTEGER column holds (2^31 − 1 on PostgreSQL). */
const MAX_VERSION_ID = 2_147_483_647;

/** One row of `resources` as a write leaves it. */
export interface ResourceRow {
  readonly type: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: number;
  readonly deleted: number;
  readonly method: WriteMethod;
  readonly shardKey: string;
  readonly content: string | null;
}

export function toStoredVersion(row: Row): StoredVersion {
  return {
    rid: Number(row.rid),
    resourceType: row.type as string,
    id: row.id as string,
    versionId: Number(row.version_id),
    lastUpdated: Number(row.last_updated),
    deleted: Number(row.deleted) === 1,
    method: row.method as WriteMethod,
    content: (row.content as string | null) ?? null,
  };
}

/** A row of RESOURCE_COLUMNS as an array, in that order. */
export function tupleToStoredVersion(row: readonly unknown[]): StoredVersion {
  return {
    rid: Number(row[0]),
    resourceType: row[1] as string,
    id: row[2] as string,
    versionId: Number(row[3]),
    lastUpdated: Number(row[4]),
    deleted: Number(row[5]) === 1,
    method: row[6] as WriteMethod,
    content: (row[7] as string | null) ?? null,
  };
}

const RESOURCE_COLUMN_COUNT = RESOURCE_COLUMNS.split(', ').length;

export class SqlReader implements StoreReader {
  /** `auditRunner` reads the audit log, which the embedded store keeps in a file of its own. */
  constructor(
    protected readonly runner: SqlRunner,
    protected readonly auditRunner: SqlRunner = runner,
  ) {}

  protected get dialect(): Dialect {
    return this.runner.dialect;
  }

  /**
   * The runner that reads the current rows of these resources. A transaction
   * holding writes back (PostgreSQL's) reads them without sending its other
   * writes first when none of those is of one of these resources.
   */
  protected rowRunner(_resources: readonly { readonly resourceType: string; readonly id: string }[]): SqlRunner {
    return this.runner;
  }

  async readCurrent(resourceType: string, id: string): Promise<StoredVersion | undefined> {
    const rows = await this.rowRunner([{ resourceType, id }]).queryTuples(sql`SELECT ${raw(RESOURCE_COLUMNS)} FROM resources WHERE type = ${resourceType} AND id = ${id}`);
    return rows[0] ? tupleToStoredVersion(rows[0]) : undefined;
  }

  async readVersion(resourceType: string, id: string, versionId: number): Promise<StoredVersion | undefined> {
    // version_id is an INTEGER column: PostgreSQL refuses a larger parameter (int4 out of range) where SQLite finds nothing.
    if (!Number.isInteger(versionId) || versionId < 1 || versionId > MAX_VERSION_ID) return undefined;
    const rows = await this.runner.query(
      sql`SELECT ${raw(RESOURCE_COLUMNS)} FROM resources WHERE type = ${resourceType} AND id = ${id} AND version_id = ${versionId}
          UNION ALL
          SELECT ${raw(RESOURCE_COLUMNS.split(', ').map((c) => `h.${c}`).join(', '))} FROM resource_history h JOIN resources r ON r.rid = h.rid
          WHERE r.type = ${resourceType} AND r.id = ${id} AND h.version_id = ${versionId}`,
    );
    return rows[0] ? toStoredVersion(rows[0]) : undefined;
  }

  async readMany(refs: readonly { readonly resourceType: string; readonly id: string }[]): Promise<StoredVersion[]> {
    if (refs.length === 0) return [];
    const pairs = refs.map((r) => sql`(type = ${r.resourceType} AND id = ${r.id})`);
    const rows = await this.rowRunner(refs).query(sql`SELECT ${raw(RESOURCE_COLUMNS)} FROM resources WHERE deleted = 0 AND (${balanced(pairs, 'OR')})`);
    return rows.map(toStoredVersion);
  }

  async search(plan: SearchPlan): Promise<SearchPage> {
    const { rows, compiled, cheapCount } = await readSearchPage(plan, this.runner);
    const more = rows.length > plan.count;
    const pageRows = more ? rows.slice(0, plan.count) : rows;
    if (compiled.reversed) pageRows.reverse();
    // The rid bound of later pages, taken once the first page is read (only a next page needs it).
    const maxRid = plan.maxRid ?? (more ? await this.maxRid() : 0);
    // The default estimate counts only when it is cheap: a selective driver, or a plain listing of a type.
    const total = await pageTotal(plan, { size: pageRows.length, more, cheap: cheapCount }, async (cap) => {
      const [countRow] = await this.runner.query(cap === undefined ? compiled.count : compiled.cappedCount(cap + 1));
      return Number(countRow?.total ?? 0);
    });
    return {
      rows: pageRows.map(tupleToStoredVersion),
      sortValues: pageRows.map((row) => compiled.sortColumns.map((_, index) => (row[RESOURCE_COLUMN_COUNT + index] ?? null) as string | number | null)),
      ...pageLinks(plan, more),
      maxRid,
      ...(total !== undefined ? { total } : {}),
    };
  }

  async includes(request: IncludeRequest): Promise<StoredVersion[]> {
    if (request.sources.length === 0 || request.params.length === 0) return [];
    return (await this.runner.query(includeSql(request))).map(toStoredVersion);
  }

  async revIncludes(request: RevIncludeRequest): Promise<StoredVersion[]> {
    if (request.targets.length === 0 || request.params.length === 0) return [];
    const wanted = new Set(request.targets.map((t) => `${t.resourceType}/${t.id}`));
    // A canonical reference names its target by URL, and by version when it gives one.
    const canonicals = request.canonicals ?? [];
    const namedByUrl = (url: unknown, version: unknown): boolean => canonicals.some((c) => indexKey(c.url) === url
      && (version === null || version === undefined || (c.version !== undefined && c.version.toLowerCase() === String(version).toLowerCase())));
    const seen = new Set<number>();
    const result: StoredVersion[] = [];
    for (const row of await this.runner.query(revIncludeSql(request))) {
      if (!wanted.has(`${String(row.ref_type)}/${String(row.ref_id)}`) && !namedByUrl(row.ref_url, row.ref_version)) continue;
      const version = toStoredVersion(row);
      if (seen.has(version.rid)) continue;
      seen.add(version.rid);
      result.push(version);
    }
    return result;
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const compiled = historySql(query);
    const rows = await this.runner.query(compiled.page);
    const more = rows.length > query.count;
    let total: number | undefined;
    if (query.id !== undefined) {
      const [countRow] = await this.runner.query(compiled.count);
      total = Number(countRow?.total ?? 0);
    }
    return {
      rows: (more ? rows.slice(0, query.count) : rows).map((row) => {
        const version = toStoredVersion(row);
        return Number(row.prev_deleted) === 1 ? { ...version, followsDeletion: true } : version;
      }),
      hasNext: more,
      ...(total !== undefined ? { total } : {}),
    };
  }

  async *readBinary(rid: number, versionId: number): AsyncIterable<Buffer> {
    // One chunk per query keeps memory flat whatever the payload's size.
    for (let seq = 0; ; seq += 1) {
      const rows = await this.runner.query(sql`SELECT data FROM binary_chunks WHERE rid = ${rid} AND version_id = ${versionId} AND seq = ${seq}`);
      const data = rows[0]?.data;
      if (!data) return;
      yield Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array);
    }
  }

  documentGet(collection: string, key: string): Promise<StoredDocument | undefined> {
    return getDocument(this.runner, collection, key);
  }

  documentFind(collection: string, name: string, value: string, count: number): Promise<StoredDocument[]> {
    return findDocuments(this.runner, collection, name, value, count);
  }

  documentScan(collection: string, afterKey: string | undefined, count: number): Promise<StoredDocument[]> {
    return scanDocuments(this.runner, collection, afterKey, count);
  }

  auditGet(id: string): Promise<AuditLogRecord | undefined> {
    return auditGet(this.auditRunner, id);
  }

  auditGetMany(ids: readonly string[]): Promise<AuditLogRecord[]> {
    return auditGetMany(this.auditRunner, ids);
  }

  auditQuery(query: AuditLogQuery): Promise<AuditLogRecord[]> {
    return auditQuery(this.auditRunner, query);
  }

  auditCount(where: readonly AuditLogFilter[], maxSeq: number | undefined, cap?: number): Promise<number> {
    return auditCount(this.auditRunner, where, maxSeq, cap);
  }

  auditTip(): Promise<AuditLogTip | undefined> {
    return auditTip(this.auditRunner);
  }

  auditHead(): Promise<AuditLogTip | undefined> {
    return auditHead(this.auditRunner);
  }

  async indexFormat(): Promise<number> {
    const [row] = await this.runner.query(sql`SELECT version FROM index_format WHERE id = 1`);
    return Number(row?.version ?? 1);
  }

  async metaInUse(resourceType?: string): Promise<MetaInUse> {
    const ofType = resourceType === undefined ? empty : sql` AND rid IN (SELECT rid FROM resources WHERE type = ${resourceType})`;
    const codings = async (param: string): Promise<MetaCoding[]> => {
      const rows = await this.runner.query(sql`SELECT DISTINCT system, code FROM idx_token WHERE pkey = ${paramKey(qualifiedParam('Resource', param))}${ofType} ORDER BY system, code`);
      return rows.map((row) => ({ ...(row.system ? { system: String(row.system) } : {}), code: String(row.code) }));
    };
    const profiles = await this.runner.query(sql`SELECT DISTINCT value FROM idx_uri WHERE pkey = ${paramKey(qualifiedParam('Resource', '_profile'))}${ofType} ORDER BY value`);
    return { profiles: profiles.map((row) => String(row.value)), tags: await codings('_tag'), security: await codings('_security') };
  }

  async countResources(): Promise<number> {
    const [row] = await this.runner.query(sql`SELECT COUNT(*) AS n FROM resources WHERE deleted = 0`);
    return Number(row?.n ?? 0);
  }

  private async maxRid(): Promise<number> {
    const [row] = await this.runner.query(sql`SELECT MAX(rid) AS m FROM resources`);
    return Number(row?.m ?? 0);
  }
}

/** The audit log's write side on one connection; the caller holds the log's lock. */
export class SqlAuditAppender implements AuditLogAppender {
  constructor(private readonly runner: SqlRunner) {}

  auditHead(): Promise<AuditLogTip | undefined> {
    return auditHead(this.runner);
  }

  auditAppend(records: readonly AuditLogRecord[]): Promise<void> {
    return auditAppend(this.runner, records);
  }
}

/** Reads plus the one write: a new version of a resource with its index. */
export class SqlWriter extends SqlReader {
  private effects: (() => void)[] = [];

  afterCommit(effect: () => void): void {
    this.effects.push(effect);
  }

  /** The effects registered since the last call, for the store to run once the unit has committed (or to drop). */
  takeEffects(): (() => void)[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  documentPut(collection: string, document: NewDocument): Promise<void> {
    return putDocument(this.runner, collection, document);
  }

  documentDelete(collection: string, key: string): Promise<boolean> {
    return deleteDocument(this.runner, collection, key);
  }

  async writeVersion(version: NewVersion): Promise<StoredVersion> {
    // A create has a fresh server-assigned id: nothing to look up (the unique index guards the impossible clash).
    const isCreate = version.method === 'POST' && version.versionId === 1;
    const [existing] = isCreate
      ? []
      // Locked (PostgreSQL) before the current version is copied to history: a rewrite in place of that
      // version ($meta-add) committing in between would otherwise be lost from the copy.
      : await this.rowRunner([version]).query(sql`SELECT rid, version_id, shard_key FROM resources WHERE type = ${version.resourceType} AND id = ${version.id}${raw(this.dialect.lockRowsForUpdate)}`);
    const deleted = version.content === null ? 1 : 0;
    const shardKey = version.shardKey ?? (existing ? String(existing.shard_key) : version.id);
    const row: ResourceRow = {
      type: version.resourceType, id: version.id, versionId: version.versionId, lastUpdated: version.lastUpdated,
      deleted, method: version.method, shardKey, content: version.content,
    };
    let rid: number;
    if (existing) {
      rid = Number(existing.rid);
      if (Number(existing.version_id) + 1 !== version.versionId) throw new ConcurrentWriteError(`${version.resourceType}/${version.id}`);
      await this.replaceResourceRow(rid, Number(existing.version_id), row);
      await this.deleteIndexRows([rid]);
    } else {
      if (version.versionId !== 1) throw new ConcurrentWriteError(`${version.resourceType}/${version.id}`);
      rid = await this.insertResourceRow(row);
    }
    if (version.index) await this.insertIndex([{ rid, resourceType: version.resourceType, shardKey, index: version.index }]);
    if (version.binary) await this.insertBinary(rid, version, shardKey);
    return {
      rid,
      resourceType: version.resourceType,
      id: version.id,
      versionId: version.versionId,
      lastUpdated: version.lastUpdated,
      deleted: deleted === 1,
      method: version.method,
      content: version.content,
    };
  }

  /** Inserts a new resource row; returns its rid. */
  protected async insertResourceRow(row: ResourceRow): Promise<number> {
    return this.runner.insertReturningKey(
      sql`INSERT INTO resources (type, id, version_id, last_updated, deleted, method, shard_key, content)
          VALUES (${row.type}, ${row.id}, ${row.versionId}, ${row.lastUpdated}, ${row.deleted}, ${row.method}, ${row.shardKey}, ${row.content})`,
      'rid',
    );
  }

  /** Moves the current version `previous` of `rid` to history and puts `row` in its place (the row is locked, or the units run one at a time). */
  protected async replaceResourceRow(rid: number, previous: number, row: ResourceRow): Promise<void> {
    await this.runner.execute(
      sql`INSERT INTO resource_history (${raw(RESOURCE_COLUMNS)}, shard_key) SELECT ${raw(RESOURCE_COLUMNS)}, shard_key FROM resources WHERE rid = ${rid}`,
    );
    const changed = await this.runner.execute(
      sql`UPDATE resources SET version_id = ${row.versionId}, last_updated = ${row.lastUpdated}, deleted = ${row.deleted},
          method = ${row.method}, shard_key = ${row.shardKey}, content = ${row.content}
          WHERE rid = ${rid} AND version_id = ${previous}`,
    );
    if (changed !== 1) throw new ConcurrentWriteError(`${row.type}/${row.id}`);
  }

  /** Removes the index rows of these resources, from every index table. */
  protected async deleteIndexRows(rids: readonly number[]): Promise<void> {
    // One rid (a write) compares with =; a reindex batch lists its rids.
    const where = rids.length === 1 ? sql`rid = ${rids[0]}` : sql`rid IN (${ridList(rids)})`;
    for (const table of [...INDEX_TABLE_NAMES, 'idx_text']) await this.runner.execute(sql`DELETE FROM ${raw(table)} WHERE ${where}`);
  }

  async reindexAfter(afterRid: number, limit: number, index: (resource: IndexedResource) => IndexSet | undefined): Promise<number | undefined> {
    const rows = await this.runner.queryTuples(
      sql`SELECT rid, type, id, shard_key, content FROM resources WHERE rid > ${afterRid} AND deleted = 0 ORDER BY rid${limitClause(limit)}${raw(this.dialect.lockRowsForUpdate)}`,
    );
    const last = rows[rows.length - 1];
    if (last === undefined) return undefined;
    const entries: IndexEntry[] = [];
    for (const [rid, type, id, shardKey, content] of rows) {
      const resource = { rid: Number(rid), resourceType: type as string, id: id as string, content: content as string };
      const indexSet = index(resource);
      if (indexSet) entries.push({ rid: resource.rid, resourceType: resource.resourceType, shardKey: shardKey as string, index: indexSet });
    }
    if (entries.length > 0) {
      // Only the rows of the resources read (locked): a resource deleted in the range may be recreated meanwhile.
      await this.deleteIndexRows(entries.map((e) => e.rid));
      await this.insertIndex(entries);
    }
    return Number(last[0]);
  }

  async rewriteContent(resourceType: string, id: string, versionId: number, read: string, content: string, index: IndexSet): Promise<boolean> {
    const [current] = await this.runner.query(
      sql`SELECT rid, version_id, shard_key FROM resources WHERE type = ${resourceType} AND id = ${id}${raw(this.dialect.lockRowsForUpdate)}`,
    );
    if (!current) return false;
    const rid = Number(current.rid);
    // Only over the content the change was made from: a concurrent change in between fails this unit, which the store runs again.
    const table = Number(current.version_id) === versionId ? 'resources' : 'resource_history';
    const changed = await this.runner.execute(
      sql`UPDATE ${raw(table)} SET content = ${content} WHERE rid = ${rid} AND version_id = ${versionId} AND deleted = 0 AND content = ${read}`,
    );
    if (changed !== 1) {
      const [exists] = await this.runner.query(sql`SELECT 1 AS one FROM ${raw(table)} WHERE rid = ${rid} AND version_id = ${versionId} AND deleted = 0`);
      if (exists) throw new ConcurrentWriteError(`${resourceType}/${id}`);
      return false;
    }
    if (table === 'resource_history') return true;
    await this.deleteIndexRows([rid]);
    await this.insertIndex([{ rid, resourceType, shardKey: String(current.shard_key), index }]);
    return true;
  }

  async setIndexFormat(version: number): Promise<void> {
    await this.runner.execute(
      sql`INSERT INTO index_format (id, version, updated_at) VALUES (1, ${version}, ${Date.now()})
          ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
    );
  }

  /** Multi-row INSERT texts by table and row count, built once: the write path's hottest strings. */
  private readonly insertTexts = new Map<string, string>();

  private insertText(table: string, columns: readonly string[], rowCount: number): string {
    const key = `${table}/${rowCount}`;
    let text = this.insertTexts.get(key);
    if (text === undefined) {
      const shard = this.dialect.shardKeyOnIndexRows;
      const names = ['rid', ...(shard ? ['shard_key'] : []), 'pkey', 'grp', ...columns];
      let parameter = 0;
      const tuples = Array.from({ length: rowCount }, () => `(${names.map(() => this.dialect.placeholder(++parameter)).join(', ')})`);
      // Identical rows are already merged by the indexer; a clustered key must never fail a write for one.
      text = `${this.dialect.insertIgnore} ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')}`;
      this.insertTexts.set(key, text);
    }
    return text;
  }

  /** Inserts the index rows of one resource (a write) or of many (a reindex batch: rows of several resources share each INSERT). */
  protected async insertIndex(entries: readonly IndexEntry[]): Promise<void> {
    const shard = this.dialect.shardKeyOnIndexRows;
    const tables = entries.map((entry) => indexRows(entry.resourceType, entry.index));
    const tableCount = tables[0]?.length ?? 0;
    for (let t = 0; t < tableCount; t++) {
      const { table, columns } = (tables[0] as IndexTableRows[])[t] as IndexTableRows;
      let values: unknown[] = [];
      let count = 0;
      for (let e = 0; e < entries.length; e++) {
        const { rid, shardKey } = entries[e] as IndexEntry;
        for (const row of ((tables[e] as IndexTableRows[])[t] as IndexTableRows).rows) {
          values.push(rid);
          if (shard) values.push(shardKey);
          for (const value of row) values.push(value);
          if (++count === ROWS_PER_INSERT) {
            await this.runner.executeText(this.insertText(table, columns, count), values);
            values = [];
            count = 0;
          }
        }
      }
      if (count > 0) await this.runner.executeText(this.insertText(table, columns, count), values);
    }
    for (const { rid, shardKey, index } of entries) {
      if (index.text.narrative === '' && index.text.content === '') continue;
      await this.runner.execute(
        shard
          ? sql`INSERT INTO idx_text (rid, shard_key, narrative, content) VALUES (${rid}, ${shardKey}, ${index.text.narrative}, ${index.text.content})`
          : sql`INSERT INTO idx_text (rid, narrative, content) VALUES (${rid}, ${index.text.narrative}, ${index.text.content})`,
      );
    }
  }

  private async insertBinary(rid: number, version: NewVersion, shardKey: string): Promise<void> {
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingSize = 0;
    const flush = async (): Promise<void> => {
      if (pendingSize === 0) return;
      const data = Buffer.concat(pending, pendingSize);
      await this.runner.execute(
        sql`INSERT INTO binary_chunks (rid, version_id, seq, shard_key, data) VALUES (${rid}, ${version.versionId}, ${seq}, ${shardKey}, ${data})`,
      );
      seq += 1;
      pending = [];
      pendingSize = 0;
    };
    for await (const chunk of version.binary?.chunks ?? []) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(BINARY_CHUNK_SIZE - pendingSize, chunk.length - offset);
        pending.push(chunk.subarray(offset, offset + take));
        pendingSize += take;
        offset += take;
        if (pendingSize === BINARY_CHUNK_SIZE) await flush();
      }
    }
    await flush();
  }
}
