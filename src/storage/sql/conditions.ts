/**
 * Compiles search conditions into SQL predicates on a resources row.
 * Range semantics follow http://hl7.org/fhir/R4/search.html#prefix: the search
 * value and the stored value are both ranges [low, high].
 */
import type { CanonicalKeys, Condition, IndexTable, RangePrefix } from '../query.js';
import type { Dialect } from './dialect.js';
import { balanced, join, limit as limitClause, raw, sql, type Sql } from './fragment.js';
import { indexKey } from './index-key.js';
import { paramKey } from './param-key.js';

/** The largest code point: every string starting with p sorts below p + MAX_CHAR. */
const MAX_CHAR = '\u{10FFFF}';

const TABLE: Record<IndexTable, string> = {
  string: 'idx_string',
  token: 'idx_token',
  date: 'idx_date',
  number: 'idx_number',
  quantity: 'idx_quantity',
  reference: 'idx_reference',
  uri: 'idx_uri',
};

export function indexTableName(table: IndexTable): string {
  return TABLE[table];
}

/** Gives unique aliases to nested subqueries. */
export class AliasSource {
  private next = 0;
  take(prefix: string): string {
    this.next += 1;
    return `${prefix}${this.next}`;
  }
}

export interface ConditionContext {
  readonly dialect: Dialect;
  readonly aliases: AliasSource;
}

/**
 * A predicate comparing a stored range [low, high] with a search range, by prefix.
 * Each case also states a bound implied by the rule (low <= high always holds),
 * so that an index on low or on high can serve it as a range scan.
 */
export function rangePredicate(low: Sql, high: Sql, prefix: RangePrefix, searchLow: number, searchHigh: number): Sql {
  switch (prefix) {
    case 'eq':
      return sql`(${low} >= ${searchLow} AND ${low} <= ${searchHigh} AND ${high} <= ${searchHigh})`;
    case 'ne':
      return sql`NOT (${low} >= ${searchLow} AND ${high} <= ${searchHigh})`;
    case 'gt':
      return sql`${high} > ${searchHigh}`;
    case 'lt':
      return sql`${low} < ${searchLow}`;
    case 'ge':
      return sql`(${high} >= ${searchLow} AND (${high} > ${searchHigh} OR (${low} >= ${searchLow} AND ${high} <= ${searchHigh})))`;
    case 'le':
      return sql`(${low} <= ${searchHigh} AND (${low} < ${searchLow} OR (${low} >= ${searchLow} AND ${high} <= ${searchHigh})))`;
    case 'sa':
      return sql`${low} > ${searchHigh}`;
    case 'eb':
      return sql`${high} < ${searchLow}`;
    case 'ap':
      // The caller widens the search range; approximately means overlapping it.
      return sql`(${high} >= ${searchLow} AND ${low} <= ${searchHigh})`;
  }
}

function tableOf(condition: Condition): IndexTable {
  switch (condition.kind) {
    case 'string': return 'string';
    case 'token': return 'token';
    case 'range': return condition.table;
    case 'reference': return 'reference';
    case 'uri': return 'uri';
    default: throw new Error(`no index table for ${condition.kind}`);
  }
}

function paramOf(condition: Condition): string {
  if ('param' in condition) return condition.param;
  throw new Error(`no parameter for ${condition.kind}`);
}

/**
 * `<alias>.pkey` matching the parameter, or any of `also`: the parameters
 * whose rows stand for its own (a value is stored once, under the most
 * specific parameter: fhir/indexing/string-coverage.ts).
 */
export function pkeyMatch(alias: string, param: string, also: readonly string[] | undefined): Sql {
  if (also === undefined || also.length === 0) return sql`${raw(`${alias}.pkey`)} = ${paramKey(param)}`;
  return sql`${raw(`${alias}.pkey`)} IN (${join([param, ...also].map((p) => sql`${paramKey(p)}`), ', ')})`;
}

function alsoOf(condition: Condition): readonly string[] | undefined {
  return condition.kind === 'string' || condition.kind === 'present' ? condition.also : undefined;
}

/** `column` starts with `prefix`, as a range an index serves. */
function prefixRange(column: Sql, prefix: string): Sql {
  return sql`${column} >= ${prefix} AND ${column} < ${prefix + MAX_CHAR}`;
}

/** `column` equal to one of `values` (none: false). */
function inList(column: Sql, values: readonly string[]): Sql {
  if (values.length === 0) return raw('1 = 0');
  if (values.length === 1) return sql`${column} = ${values[0] as string}`;
  return sql`${column} IN (${join(values.map((v) => sql`${v}`), ', ')})`;
}

/** Predicates on one index row (alias `i`) for a value condition. */
export function rowPredicates(condition: Condition, i: string, ctx: ConditionContext): Sql[] {
  const col = (name: string): Sql => raw(`${i}.${name}`);
  const parts: Sql[] = [];
  switch (condition.kind) {
    case 'string':
      if (condition.match === 'exact') parts.push(sql`${col('exact')} = ${condition.value}`);
      // The whole value where the index cut it (index-rows.ts): a scan either way, so the longer text costs no index.
      else if (condition.match === 'contains') parts.push(ctx.dialect.contains(raw(`COALESCE(${i}.whole, ${i}.norm)`), sql`${condition.value}`));
      else parts.push(prefixRange(col('norm'), indexKey(condition.value)));
      break;
    case 'token':
      if (condition.code !== undefined) parts.push(sql`${col('code')} = ${indexKey(condition.code)}`);
      if (condition.codes !== undefined) {
        parts.push(condition.codes.length === 0 ? raw('1 = 0') : sql`${col('code')} IN (${join(condition.codes.map((c) => sql`${indexKey(c)}`), ', ')})`);
      }
      if (condition.system === null) parts.push(sql`${col('system')} IS NULL`);
      else if (condition.system !== undefined) parts.push(sql`${col('system')} = ${indexKey(condition.system)}`);
      if (condition.textPrefix !== undefined) {
        parts.push(prefixRange(col('text'), condition.textPrefix));
      }
      if (condition.ofType !== undefined) parts.push(sql`${col('of_type')} = ${condition.ofType}`);
      if (condition.codePrefix !== undefined) {
        parts.push(prefixRange(col('code'), indexKey(condition.codePrefix)));
      }
      break;
    case 'range':
      parts.push(rangePredicate(col('low'), col('high'), condition.prefix, condition.low, condition.high));
      // Without a system, the code may match Quantity.code or the human unit (search.html#quantity).
      if (condition.code !== undefined && condition.system === undefined) {
        parts.push(sql`(${col('code')} = ${indexKey(condition.code)} OR ${col('unit')} = ${condition.code})`);
      } else if (condition.code !== undefined) parts.push(sql`${col('code')} = ${indexKey(condition.code)}`);
      if (condition.system === null) parts.push(sql`${col('system')} IS NULL`);
      else if (condition.system !== undefined) parts.push(sql`${col('system')} = ${condition.system}`);
      break;
    case 'reference':
      if (condition.targetId !== undefined) parts.push(sql`${col('target_id')} = ${indexKey(condition.targetId)}`);
      if (condition.targetTypes !== undefined) {
        parts.push(sql`${col('target_type')} IN (${join(condition.targetTypes.map((t) => sql`${t}`), ', ')})`);
      }
      if (condition.url !== undefined) parts.push(sql`${col('url')} = ${indexKey(condition.url)}`);
      if (condition.version !== undefined) parts.push(sql`${col('version')} = ${condition.version}`);
      if (condition.versionBelow !== undefined) {
        const below = `${condition.versionBelow}.`;
        parts.push(sql`(${col('version')} = ${condition.versionBelow} OR (${prefixRange(col('version'), below)}))`);
      }
      if (condition.identifierValue !== undefined) parts.push(sql`${col('ident_value')} = ${indexKey(condition.identifierValue)}`);
      if (condition.identifierSystem === null) parts.push(sql`${col('ident_system')} IS NULL`);
      else if (condition.identifierSystem !== undefined) parts.push(sql`${col('ident_system')} = ${condition.identifierSystem}`);
      break;
    case 'uri':
      if (condition.values !== undefined) parts.push(inList(col('value'), condition.values.map((v) => indexKey(v))));
      if (condition.prefix !== undefined) parts.push(prefixRange(col('value'), indexKey(condition.prefix)));
      break;
    default:
      throw new Error(`not a value condition: ${condition.kind}`);
  }
  return parts;
}

function shardJoin(ctx: ConditionContext, index: string, resource: string): Sql {
  return ctx.dialect.shardKeyOnIndexRows ? raw(` AND ${index}.shard_key = ${resource}.shard_key`) : raw('');
}

/** A correlated EXISTS probe, kept per row where the dialect needs telling (probeSuffix). */
function existsSql(ctx: ConditionContext, subquery: Sql): Sql {
  return sql`EXISTS (${subquery}${raw(ctx.dialect.probeSuffix)})`;
}

function exists(condition: Condition, r: string, ctx: ConditionContext): Sql {
  const i = ctx.aliases.take('i');
  const name = indexTableName(tableOf(condition));
  const table = raw(`${name} ${i}${ctx.dialect.probeHint(name)}`);
  const predicates = rowPredicates(condition, i, ctx);
  return existsSql(ctx, sql`SELECT 1 FROM ${table} WHERE ${raw(`${i}.rid = ${r}.rid`)}${shardJoin(ctx, i, r)} AND ${pkeyMatch(i, paramOf(condition), alsoOf(condition))}${predicates.length > 0 ? sql` AND ${join(predicates, ' AND ')}` : raw('')}`);
}

/** " AND c1 AND c2…", or nothing. */
function andAll(conditions: readonly Sql[]): Sql {
  return conditions.length > 0 ? sql` AND ${balanced(conditions, 'AND')}` : raw('');
}

/**
 * The canonical resource (alias `t`) has the version the reference row (alias
 * `ref`) names, if it names one: compared as written and lower-cased, as the
 * token index may keep it (a version is a string: its token folds case).
 */
function versionMatches(keys: CanonicalKeys, ref: string, t: string, ctx: ConditionContext): Sql {
  if (keys.versionParam === undefined) return raw('1 = 1');
  const v = ctx.aliases.take('v');
  return sql`(${raw(`${ref}.version IS NULL`)} OR EXISTS (SELECT 1 FROM ${raw(`idx_token ${v}`)} WHERE ${raw(`${v}.rid = ${t}.rid`)}${shardJoin(ctx, v, t)} AND ${raw(`${v}.pkey`)} = ${paramKey(keys.versionParam)} AND (${raw(`${v}.code = ${ref}.version OR ${v}.code = LOWER(${ref}.version)`)})))`;
}

/**
 * A chain through a canonical reference (references.html#canonical): the
 * reference names by url (and version) a resource of the target type whose
 * `url` row holds it, found through the (pkey, value) index of idx_uri.
 */
function chainByUrl(condition: Extract<Condition, { kind: 'chain' }>, keys: CanonicalKeys, r: string, ctx: ConditionContext): Sql {
  const ref = ctx.aliases.take('ref');
  const u = ctx.aliases.take('u');
  const target = ctx.aliases.take('t');
  const inner = condition.where.map((c) => compileCondition(c, target, ctx));
  return existsSql(ctx, sql`SELECT 1 FROM ${raw(`idx_reference ${ref}${ctx.dialect.probeHint('idx_reference')}`)} JOIN ${raw(`idx_uri ${u}`)} ON ${raw(`${u}.pkey`)} = ${paramKey(keys.urlParam)} AND ${raw(`${u}.value = ${ref}.url`)} JOIN ${raw(`resources ${target}`)} ON ${raw(`${target}.rid = ${u}.rid`)}${shardJoin(ctx, u, target)} AND ${raw(`${target}.type`)} = ${condition.targetType} AND ${raw(`${target}.deleted = 0`)} WHERE ${raw(`${ref}.rid = ${r}.rid`)}${shardJoin(ctx, ref, r)} AND ${raw(`${ref}.pkey`)} = ${paramKey(condition.param)} AND ${raw(`${ref}.url IS NOT NULL`)} AND ${versionMatches(keys, ref, target, ctx)}${andAll(inner)}`);
}

/** _has through a canonical reference: some source names this resource's url (and version). */
function reverseByUrl(condition: Extract<Condition, { kind: 'reverse' }>, keys: CanonicalKeys, r: string, ctx: ConditionContext): Sql {
  const u = ctx.aliases.take('u');
  const ref = ctx.aliases.take('ref');
  const source = ctx.aliases.take('s');
  const inner = condition.where.map((c) => compileCondition(c, source, ctx));
  return existsSql(ctx, sql`SELECT 1 FROM ${raw(`idx_uri ${u}`)} JOIN ${raw(`idx_reference ${ref}`)} ON ${raw(`${ref}.pkey`)} = ${paramKey(condition.param)} AND ${raw(`${ref}.url = ${u}.value`)} JOIN ${raw(`resources ${source}`)} ON ${raw(`${source}.rid = ${ref}.rid AND ${source}.deleted = 0`)} WHERE ${raw(`${u}.rid = ${r}.rid`)}${shardJoin(ctx, u, r)} AND ${raw(`${u}.pkey`)} = ${paramKey(keys.urlParam)} AND ${versionMatches(keys, ref, r, ctx)}${andAll(inner)}`);
}

/** A predicate on the resources row aliased `r`. */
export function compileCondition(condition: Condition, r: string, ctx: ConditionContext): Sql {
  switch (condition.kind) {
    case 'string':
    case 'token':
    case 'range':
    case 'reference':
    case 'uri':
      return exists(condition, r, ctx);
    case 'present': {
      const i = ctx.aliases.take('i');
      const name = indexTableName(condition.table);
      return existsSql(ctx, sql`SELECT 1 FROM ${raw(`${name} ${i}${ctx.dialect.probeHint(name)}`)} WHERE ${raw(`${i}.rid = ${r}.rid`)}${shardJoin(ctx, i, r)} AND ${pkeyMatch(i, condition.param, condition.also)}`);
    }
    case 'id':
      if (condition.ids.length === 0) return raw('1 = 0');
      return sql`${raw(`${r}.id`)} IN (${join(condition.ids.map((id) => sql`${id}`), ', ')})`;
    case 'lastUpdated': {
      const column = raw(`${r}.last_updated`);
      return rangePredicate(column, column, condition.prefix, condition.low, condition.high);
    }
    case 'text': {
      const x = ctx.aliases.take('x');
      return existsSql(ctx, sql`SELECT 1 FROM ${raw(`idx_text ${x}`)} WHERE ${raw(`${x}.rid = ${r}.rid`)} AND ${ctx.dialect.contains(raw(`${x}.${condition.field}`), sql`${condition.value}`)}`);
    }
    case 'composite': {
      const aliases = condition.components.map(() => ctx.aliases.take('c'));
      const from = condition.components.map((c, n) => {
        const name = indexTableName(tableOf(c));
        return raw(`${name} ${aliases[n]}${n === 0 ? ctx.dialect.probeHint(name) : ''}`);
      });
      const first = aliases[0] as string;
      const predicates: Sql[] = [raw(`${first}.rid = ${r}.rid`)];
      condition.components.forEach((component, n) => {
        const a = aliases[n] as string;
        if (n > 0) predicates.push(raw(`${a}.rid = ${first}.rid AND ${a}.grp = ${first}.grp`));
        predicates.push(sql`${raw(`${a}.pkey`)} = ${paramKey(paramOf(component))}`);
        predicates.push(...rowPredicates(component, a, ctx));
      });
      return existsSql(ctx, sql`SELECT 1 FROM ${join(from, ', ')} WHERE ${join(predicates, ' AND ')}`);
    }
    case 'chain': {
      const ref = ctx.aliases.take('ref');
      const target = ctx.aliases.take('t');
      const inner = condition.where.map((c) => compileCondition(c, target, ctx));
      const byId = existsSql(ctx, sql`SELECT 1 FROM ${raw(`idx_reference ${ref}${ctx.dialect.probeHint('idx_reference')}`)} JOIN ${raw(`resources ${target}`)} ON ${raw(`${target}.type`)} = ${condition.targetType} AND ${raw(`${target}.id = ${ref}.target_id AND ${target}.deleted = 0`)} WHERE ${raw(`${ref}.rid = ${r}.rid`)}${shardJoin(ctx, ref, r)} AND ${raw(`${ref}.pkey`)} = ${paramKey(condition.param)} AND ${raw(`${ref}.target_type`)} = ${condition.targetType}${andAll(inner)}`);
      return condition.canonical ? sql`(${byId} OR ${chainByUrl(condition, condition.canonical, r, ctx)})` : byId;
    }
    case 'reverse': {
      const ref = ctx.aliases.take('ref');
      const source = ctx.aliases.take('s');
      const inner = condition.where.map((c) => compileCondition(c, source, ctx));
      const byId = existsSql(ctx, sql`SELECT 1 FROM ${raw(`idx_reference ${ref}`)} JOIN ${raw(`resources ${source}`)} ON ${raw(`${source}.rid = ${ref}.rid AND ${source}.deleted = 0`)} WHERE ${raw(`${ref}.pkey`)} = ${paramKey(condition.param)} AND ${raw(`${ref}.target_id = ${r}.id AND ${ref}.target_type = ${r}.type`)}${andAll(inner)}`);
      return condition.canonical ? sql`(${byId} OR ${reverseByUrl(condition, condition.canonical, r, ctx)})` : byId;
    }
    case 'or':
      if (condition.any.length === 0) return raw('1 = 0');
      return sql`(${balanced(condition.any.map((c) => compileCondition(c, r, ctx)), 'OR')})`;
    case 'and':
      if (condition.all.length === 0) return raw('1 = 1');
      return sql`(${balanced(condition.all.map((c) => compileCondition(c, r, ctx)), 'AND')})`;
    case 'not':
      return sql`NOT (${compileCondition(condition.condition, r, ctx)})`;
    case 'type':
      if (condition.types.length === 0) return raw('1 = 0');
      return sql`${raw(`${r}.type`)} IN (${join(condition.types.map((t) => sql`${t}`), ', ')})`;
  }
}

/** Conditions that can drive a search from their value index (positive value matches, or an OR of them). */
export function canDrive(condition: Condition): boolean {
  switch (condition.kind) {
    case 'string':
    case 'token':
    case 'range':
    case 'reference':
    case 'uri':
    case 'id':
      return true;
    case 'or':
      return condition.any.length > 0 && condition.any.every((c) => c.kind !== 'or' && c.kind !== 'id' && canDrive(c));
    default:
      return false;
  }
}

/** The rids matching a driving condition, read from its value index. */
function driverRows(condition: Condition, ctx: ConditionContext, limit?: number): Sql {
  if (condition.kind === 'or') {
    // A capped branch is its own derived table: neither SQLite nor PostgreSQL accepts a bare LIMIT before UNION.
    const branches = condition.any.map((c) => {
      if (limit === undefined) return driverRows(c, ctx);
      const u = ctx.aliases.take('u');
      return sql`SELECT ${raw(`${u}.rid`)} FROM (${driverRows(c, ctx, limit)}) ${raw(u)}`;
    });
    return join(branches, ' UNION ');
  }
  const i = ctx.aliases.take('d');
  const predicates = rowPredicates(condition, i, ctx);
  const capped = limit !== undefined ? limitClause(limit) : raw('');
  return sql`SELECT ${raw(`${i}.rid`)} FROM ${raw(`${indexTableName(tableOf(condition))} ${i}`)} WHERE ${pkeyMatch(i, paramOf(condition), alsoOf(condition))}${predicates.length > 0 ? sql` AND ${join(predicates, ' AND ')}` : raw('')}${capped}`;
}

/** The driving condition as a predicate on `r`: r.rid among the index's matches. */
export function compileDriver(condition: Condition, r: string, ctx: ConditionContext): Sql {
  if (condition.kind === 'id') return compileCondition(condition, r, ctx);
  return sql`${raw(`${r}.rid`)} IN (${driverRows(condition, ctx)})`;
}

/** Counts a driving condition's index matches, stopping at `cap`: a cheap selectivity estimate. */
export function estimateSql(condition: Condition, cap: number, ctx: ConditionContext): Sql {
  if (condition.kind === 'id') return sql`SELECT ${condition.ids.length} AS n`;
  return sql`SELECT COUNT(*) AS n FROM (${driverRows(condition, ctx, cap)}) e`;
}
