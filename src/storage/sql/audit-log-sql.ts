/**
 * The audit log's SQL (storage/audit-log.ts), written once for both backends.
 * Entities and subtypes are kept as one text each, every item framed by
 * spaces (" Patient/1 Observation/2 "), so that "has this entity" is a
 * substring test on the row itself instead of a second table to write on
 * every access.
 */
import type { AuditLogFilter, AuditLogQuery, AuditLogRecord, AuditLogTip } from '../audit-log.js';
import { join, limit, raw, sql, type Sql } from './fragment.js';
import type { Row, SqlRunner } from './sql-store-core.js';

const COLUMNS = 'seq, id, recorded, written, patient, agent, agent_ident, action, outcome, subtype, entities, content, hash';

const COLUMN_OF = {
  id: 'id', patient: 'patient', agent: 'agent', agentIdentifier: 'agent_ident', action: 'action', outcome: 'outcome',
  recorded: 'recorded', written: 'written',
} as const;

/** Rows per multi-row INSERT (13 parameters each, well under both backends' limits). */
const ROWS_PER_INSERT = 50;

/** A list kept as one text, each item framed by spaces, so that membership is a substring test. */
function frame(items: readonly string[]): string {
  return items.length === 0 ? ' ' : ` ${items.join(' ')} `;
}

function framed(text: unknown): string[] {
  const trimmed = String(text).trim();
  return trimmed === '' ? [] : trimmed.split(' ');
}

function toRecord(row: Row): AuditLogRecord {
  return {
    seq: Number(row.seq),
    id: row.id as string,
    recorded: Number(row.recorded),
    written: Number(row.written),
    patient: (row.patient as string | null) ?? null,
    agent: (row.agent as string | null) ?? null,
    agentIdentifier: (row.agent_ident as string | null) ?? null,
    action: row.action as string,
    outcome: row.outcome as string,
    subtypes: framed(row.subtype),
    entities: framed(row.entities),
    content: row.content as string,
    hash: row.hash as string,
  };
}

function condition(filter: AuditLogFilter, runner: SqlRunner): Sql {
  if ('all' in filter) return filter.all.length === 0 ? raw('1 = 1') : sql`(${join(filter.all.map((f) => condition(f, runner)), ' AND ')})`;
  if ('any' in filter) return filter.any.length === 0 ? raw('1 = 0') : sql`(${join(filter.any.map((f) => condition(f, runner)), ' OR ')})`;
  if ('not' in filter) return sql`NOT ${condition(filter.not, runner)}`;
  if (filter.field === 'entity') {
    const needle = filter.reference.startsWith('*/') ? `${filter.reference.slice(1)} ` : ` ${filter.reference} `;
    return runner.dialect.contains(raw('entities'), sql`${needle}`);
  }
  if (filter.field === 'seq') return filter.values.length === 0 ? raw('1 = 0') : sql`seq IN (${join(filter.values.map((v) => sql`${v}`), ', ')})`;
  if (filter.field === 'subtype') return runner.dialect.contains(raw('subtype'), sql`${` ${filter.code} `}`);
  if ('op' in filter) return sql`${raw(COLUMN_OF[filter.field])} ${raw(filter.op)} ${filter.value}`;
  const column = raw(COLUMN_OF[filter.field]);
  const values = filter.values.filter((v): v is string => v !== null);
  const parts: Sql[] = [];
  if (values.length > 0) parts.push(sql`${column} IN (${join(values.map((v) => sql`${v}`), ', ')})`);
  if (values.length < filter.values.length) parts.push(sql`${column} IS NULL`);
  return parts.length === 0 ? raw('1 = 0') : sql`(${join(parts, ' OR ')})`;
}

function whereClause(where: readonly AuditLogFilter[], maxSeq: number | undefined, runner: SqlRunner, extra: Sql[] = []): Sql {
  const parts = [...where.map((f) => condition(f, runner)), ...extra];
  if (maxSeq !== undefined) parts.push(sql`seq <= ${maxSeq}`);
  return parts.length === 0 ? raw('') : sql` WHERE ${join(parts, ' AND ')}`;
}

export async function auditGet(runner: SqlRunner, id: string): Promise<AuditLogRecord | undefined> {
  const [row] = await runner.query(sql`SELECT ${raw(COLUMNS)} FROM audit_log WHERE id = ${id}`);
  return row ? toRecord(row) : undefined;
}

export async function auditGetMany(runner: SqlRunner, ids: readonly string[]): Promise<AuditLogRecord[]> {
  if (ids.length === 0) return [];
  const rows = await runner.query(sql`SELECT ${raw(COLUMNS)} FROM audit_log WHERE id IN (${join(ids.map((id) => sql`${id}`), ', ')})`);
  return rows.map(toRecord);
}

export async function auditQuery(runner: SqlRunner, query: AuditLogQuery): Promise<AuditLogRecord[]> {
  const after = query.after === undefined ? [] : [query.descending ? sql`seq < ${query.after}` : sql`seq > ${query.after}`];
  const rows = await runner.query(
    sql`SELECT ${raw(COLUMNS)} FROM audit_log${whereClause(query.where, query.maxSeq, runner, after)} ORDER BY seq ${raw(query.descending ? 'DESC' : 'ASC')}${limit(query.limit)}`,
  );
  return rows.map(toRecord);
}

export async function auditCount(runner: SqlRunner, where: readonly AuditLogFilter[], maxSeq: number | undefined, cap?: number): Promise<number> {
  const inner = sql`SELECT 1 FROM audit_log${whereClause(where, maxSeq, runner)}${cap === undefined ? raw('') : limit(cap + 1)}`;
  const [row] = await runner.query(sql`SELECT COUNT(*) AS total FROM (${inner}) counted`);
  return Number(row?.total ?? 0);
}

export async function auditTip(runner: SqlRunner): Promise<AuditLogTip | undefined> {
  const [row] = await runner.query(sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  return row ? { seq: Number(row.seq), hash: row.hash as string } : undefined;
}

export async function auditHead(runner: SqlRunner): Promise<AuditLogTip | undefined> {
  const [row] = await runner.query(sql`SELECT seq, hash FROM audit_head WHERE id = 1`);
  return row ? { seq: Number(row.seq), hash: row.hash as string } : undefined;
}

/** Multi-row INSERT texts by row count, built once (the audit path runs on every request). */
const insertTexts = new Map<string, string>();

function insertText(runner: SqlRunner, rowCount: number): string {
  const key = `${runner.dialect.name}/${rowCount}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    let parameter = 0;
    const columns = COLUMNS.split(', ');
    const tuples = Array.from({ length: rowCount }, () => `(${columns.map(() => runner.dialect.placeholder(++parameter)).join(', ')})`);
    text = `INSERT INTO audit_log (${COLUMNS}) VALUES ${tuples.join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

export async function auditAppend(runner: SqlRunner, records: readonly AuditLogRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
    const chunk = records.slice(start, start + ROWS_PER_INSERT);
    const values: unknown[] = [];
    for (const r of chunk) {
      values.push(r.seq, r.id, r.recorded, r.written, r.patient, r.agent, r.agentIdentifier, r.action, r.outcome, frame(r.subtypes),
        frame(r.entities), r.content, r.hash);
    }
    await runner.executeText(insertText(runner, chunk.length), values);
  }
  const last = records.at(-1);
  if (last) {
    await runner.executeText(
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, ${runner.dialect.placeholder(1)}, ${runner.dialect.placeholder(2)})
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      [last.seq, last.hash],
    );
  }
}
