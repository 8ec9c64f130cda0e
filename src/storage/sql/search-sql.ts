/**
 * Turns a SearchPlan into the SQL of one page and of its total.
 * Paging is by keyset (the sort values and rid of the row a page starts
 * after), never by offset, so pages stay correct while data change: rows
 * inserted or deleted elsewhere shift nothing, and rows created after the
 * search began are left out by the rid bound.
 */
import type { Cursor, SearchPlan, SortKey } from '../query.js';
import { AliasSource, compileCondition, compileDriver, indexTableName, pkeyMatch, type ConditionContext } from './conditions.js';
import type { Dialect } from './dialect.js';
import { balanced, join, limit as limitClause, raw, sql, type Sql } from './fragment.js';
import { MATCH_ONLY_GROUP } from './index-rows.js';

export const RESOURCE_COLUMNS = 'rid, type, id, version_id, last_updated, deleted, method, content';

/** The column an index sort compares, on index alias `s`. */
function sortColumn(key: SortKey, s: string): string {
  if (key.by === 'id' || key.by === 'lastUpdated') throw new Error('not an index sort');
  switch (key.by.table) {
    case 'string': return `${s}.norm`;
    case 'token': return `${s}.code`;
    case 'date':
    case 'number':
    case 'quantity': return key.descending ? `${s}.high` : `${s}.low`;
    case 'reference': return `COALESCE(${s}.target_id, ${s}.url)`;
    case 'uri': return `${s}.value`;
  }
}

/** The sort value of a row: the lowest value ascending, the highest descending (search.html#_sort). */
function sortExpression(key: SortKey, r: string, ctx: ConditionContext): Sql {
  if (key.by === 'id') return raw(`${r}.id`);
  if (key.by === 'lastUpdated') return raw(`${r}.last_updated`);
  const s = ctx.aliases.take('o');
  const aggregate = key.descending ? 'MAX' : 'MIN';
  const table = indexTableName(key.by.table);
  // A name's later words (MATCH_ONLY_GROUP) are not values of their own: "Zorro Alpha" sorts under z.
  const wholeValues = key.by.table === 'string' ? raw(` AND ${s}.grp <> ${MATCH_ONLY_GROUP}`) : raw('');
  const value = sql`(SELECT ${raw(`${aggregate}(${sortColumn(key, s)})`)} FROM ${raw(`${table} ${s}${ctx.dialect.probeHint(table)}`)} WHERE ${raw(`${s}.rid = ${r}.rid`)} AND ${pkeyMatch(s, key.by.param, key.by.also)}${wholeValues})`;
  const [preferred, ...others] = key.by.preferred ?? [];
  if (preferred === undefined) return value;
  const p = ctx.aliases.take('o');
  return sql`COALESCE((SELECT ${raw(`${aggregate}(${sortColumn(key, p)})`)} FROM ${raw(`${table} ${p}${ctx.dialect.probeHint(table)}`)} WHERE ${raw(`${p}.rid = ${r}.rid`)} AND ${pkeyMatch(p, preferred, others)}), ${value})`;
}

function baseFilters(plan: SearchPlan, r: string, ctx: ConditionContext, driver?: number): Sql[] {
  const filters: Sql[] = [raw(`${r}.deleted = 0`)];
  if (plan.resourceTypes.length === 1) filters.push(sql`${raw(`${r}.type`)} = ${plan.resourceTypes[0]}`);
  else if (plan.resourceTypes.length > 1) filters.push(sql`${raw(`${r}.type`)} IN (${join(plan.resourceTypes.map((t) => sql`${t}`), ', ')})`);
  if (plan.maxRid !== undefined) filters.push(sql`${raw(`${r}.rid`)} <= ${plan.maxRid}`);
  plan.where.forEach((condition, index) => {
    filters.push(index === driver ? compileDriver(condition, r, ctx) : compileCondition(condition, r, ctx));
  });
  return filters;
}

/** Rows strictly after (next) or before (previous) the cursor, in the sort order, nulls last. */
function cursorPredicate(cursor: Cursor, keys: readonly SortKey[], columns: readonly string[]): Sql {
  const next = cursor.direction === 'next';
  const alternatives: Sql[] = [];
  const equalSoFar: Sql[] = [];
  keys.forEach((key, index) => {
    const column = raw(columns[index] as string);
    const value = cursor.values[index] ?? null;
    let beyond: Sql;
    if (value === null) beyond = next ? raw('1 = 0') : sql`${column} IS NOT NULL`;
    else if (next === !key.descending) beyond = sql`(${column} > ${value}${next ? sql` OR ${column} IS NULL` : raw('')})`;
    else beyond = sql`(${column} < ${value}${next ? sql` OR ${column} IS NULL` : raw('')})`;
    alternatives.push(equalSoFar.length > 0 ? sql`(${join(equalSoFar, ' AND ')} AND ${beyond})` : beyond);
    equalSoFar.push(value === null ? sql`${column} IS NULL` : sql`${column} = ${value}`);
  });
  const ridBeyond = next ? sql`${raw('rid')} > ${cursor.rid}` : sql`${raw('rid')} < ${cursor.rid}`;
  alternatives.push(equalSoFar.length > 0 ? sql`(${join(equalSoFar, ' AND ')} AND ${ridBeyond})` : ridBeyond);
  return alternatives.length === 1 ? (alternatives[0] as Sql) : sql`(${join(alternatives, ' OR ')})`;
}

function orderBy(keys: readonly SortKey[], columns: readonly string[], reversed: boolean): Sql {
  const terms = keys.map((key, index) => {
    const descending = key.descending !== reversed;
    return `${columns[index]} ${descending ? 'DESC' : 'ASC'} NULLS ${reversed ? 'FIRST' : 'LAST'}`;
  });
  terms.push(`rid ${reversed ? 'DESC' : 'ASC'}`);
  return raw(terms.join(', '));
}

export interface CompiledSearch {
  /** Selects RESOURCE_COLUMNS then k0…kn (the sort values), count + 1 rows. */
  readonly page: Sql;
  readonly count: Sql;
  /** Counts matches up to `cap` rows only. */
  cappedCount(cap: number): Sql;
  /** The page was fetched backwards (previous link): the caller reverses the rows. */
  readonly reversed: boolean;
  readonly sortColumns: readonly string[];
}

/**
 * `driver` is the index in plan.where of the condition whose value index
 * yields the candidate rows; without one, resources are scanned in rid order
 * and every condition is probed per row (fast when matches are frequent).
 */
export function compileSearch(plan: SearchPlan, dialect: Dialect, driver?: number): CompiledSearch {
  const ctx: ConditionContext = { dialect, aliases: new AliasSource() };
  const filters = baseFilters(plan, 'r', ctx, driver);
  const where = balanced(filters, 'AND');
  const count = sql`SELECT COUNT(*) AS total FROM resources r WHERE ${where}`;
  const reversed = plan.cursor?.direction === 'previous';
  const columns = plan.sort.map((_, index) => `k${index}`);
  const sortSelect = plan.sort.map((key, index) => sql`, ${sortExpression(key, 'r', ctx)} AS ${raw(columns[index] as string)}`);
  const limit = plan.count + 1;
  const inner = sql`SELECT ${raw(RESOURCE_COLUMNS.split(', ').map((c) => `r.${c}`).join(', '))}${join(sortSelect, '')} FROM resources r WHERE ${where}`;
  const cursorFilter = plan.cursor ? sql` WHERE ${cursorPredicate(plan.cursor, plan.sort, columns)}` : raw('');
  const page = sql`SELECT * FROM (${inner}) q${cursorFilter} ORDER BY ${orderBy(plan.sort, columns, reversed)}${limitClause(limit)}`;
  const cappedCount = (cap: number): Sql => sql`SELECT COUNT(*) AS total FROM (SELECT 1 FROM resources r WHERE ${where}${limitClause(cap)}) c`;
  return { page, count, cappedCount, reversed, sortColumns: columns };
}

/**
 * Whether a scan in rid order can be bounded to a window of rows: one type,
 * results in rid order (no _sort), read forwards. Other searches sort or read
 * backwards, and a window of the first rows would not hold their first page.
 */
export function canBoundScan(plan: SearchPlan): boolean {
  return plan.resourceTypes.length === 1 && plan.sort.length === 0 && plan.cursor?.direction !== 'previous' && plan.count > 0;
}

/**
 * The rid of the `budget`-th resource of the plan's type a scan would read
 * (after the cursor, within maxRid): a window of that many rows, read through
 * the (type, rid) index alone. No row when fewer remain.
 */
export function scanWindowEnd(plan: SearchPlan, budget: number): Sql {
  if (!Number.isSafeInteger(budget) || budget < 1) throw new Error(`invalid scan budget ${budget}`);
  const filters: Sql[] = [sql`type = ${plan.resourceTypes[0]}`];
  if (plan.maxRid !== undefined) filters.push(sql`rid <= ${plan.maxRid}`);
  if (plan.cursor) filters.push(sql`rid > ${plan.cursor.rid}`);
  return sql`SELECT rid FROM resources WHERE ${balanced(filters, 'AND')} ORDER BY rid${limitClause(1)}${raw(` OFFSET ${budget - 1}`)}`;
}
