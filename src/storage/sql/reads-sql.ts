/**
 * The read queries other than search, written once for both backends:
 * history (instance, type, system), includes and reverse includes.
 */
import type { HistoryQuery, IncludeRequest, RevIncludeRequest } from '../query.js';
import { join, limit, raw, sql, type Sql } from './fragment.js';
import { indexKey } from './index-key.js';
import { paramKey } from './param-key.js';
import { RESOURCE_COLUMNS } from './search-sql.js';

function historyFilters(query: HistoryQuery): Sql {
  const filters: Sql[] = [raw('1 = 1')];
  if (query.resourceType !== undefined) filters.push(sql`type = ${query.resourceType}`);
  if (query.id !== undefined) filters.push(sql`id = ${query.id}`);
  if (query.since !== undefined) filters.push(sql`last_updated >= ${query.since}`);
  if (query.until !== undefined) filters.push(sql`last_updated <= ${query.until}`);
  return join(filters, ' AND ');
}

const HISTORY_ORDER = 'ORDER BY last_updated DESC, rid DESC, version_id DESC';

/**
 * Every version, current and superseded, newest first; keyset on (last_updated, rid, version_id).
 * Each row of the page also says whether the version before it was a deletion
 * (`prev_deleted`): a version brought back by PUT answered 201, and its history
 * entry says so. Every superseded version is in resource_history, keyed by
 * (rid, version_id), so this is one primary-key probe per row of the page, made
 * after the LIMIT, and needs nothing recorded at write time.
 */
export function historySql(query: HistoryQuery): { page: Sql; count: Sql } {
  const filters = historyFilters(query);
  const union = sql`SELECT ${raw(RESOURCE_COLUMNS)} FROM resources WHERE ${filters} UNION ALL SELECT ${raw(RESOURCE_COLUMNS)} FROM resource_history WHERE ${filters}`;
  const after = query.after;
  const cursor = after
    ? sql` WHERE (last_updated < ${after.lastUpdated} OR (last_updated = ${after.lastUpdated} AND (rid < ${after.rid} OR (rid = ${after.rid} AND version_id < ${after.versionId}))))`
    : raw('');
  const previousDeleted = raw('CASE WHEN g.version_id > 1 AND g.deleted = 0 THEN (SELECT p.deleted FROM resource_history p WHERE p.rid = g.rid AND p.version_id = g.version_id - 1) END AS prev_deleted');
  return {
    page: sql`SELECT g.*, ${previousDeleted} FROM (SELECT * FROM (${union}) h${cursor} ${raw(HISTORY_ORDER)}${limit(query.count + 1)}) g ${raw(HISTORY_ORDER)}`,
    count: sql`SELECT COUNT(*) AS total FROM (${union}) h`,
  };
}

const prefixed = (alias: string): Sql => raw(RESOURCE_COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', '));

/**
 * The targets of the sources' references. A versioned reference
 * (Patient/1/_history/2) includes that version, as search.html#include asks
 * ("the specified version SHOULD be provided"): the current one when it is
 * that version, else the superseded one from resource_history. Versions are
 * compared as text, since a reference may name a version that is no number.
 */
export function includeSql(request: IncludeRequest): Sql {
  const rids = join(request.sources.map((s) => sql`${s.rid}`), ', ');
  const keys = join(request.params.map((p) => sql`${paramKey(p)}`), ', ');
  const typeFilter = request.targetType !== undefined ? sql` AND t.type = ${request.targetType}` : raw('');
  const sources = sql`ref.rid IN (${rids}) AND ref.pkey IN (${keys})${typeFilter}`;
  const current = sql`SELECT ${prefixed('t')} FROM idx_reference ref JOIN resources t ON t.type = ref.target_type AND t.id = ref.target_id AND t.deleted = 0 WHERE ${sources} AND (ref.version IS NULL OR ref.version = CAST(t.version_id AS TEXT))`;
  const former = sql`SELECT ${prefixed('h')} FROM idx_reference ref JOIN resources t ON t.type = ref.target_type AND t.id = ref.target_id JOIN resource_history h ON h.rid = t.rid AND ref.version = CAST(h.version_id AS TEXT) AND h.deleted = 0 WHERE ${sources} AND ref.version IS NOT NULL`;
  const canonical = canonicalTargetsSql(request, sources);
  return sql`SELECT DISTINCT * FROM (${current} UNION ALL ${former}${canonical}) i${limit(request.limit)}`;
}

/**
 * Targets named by canonical URL (references.html#canonical: "url|version"):
 * the canonical resources whose `url` parameter holds the URL and, when the
 * reference gives a version, whose `version` parameter holds it (compared as
 * written and lower-cased, as the token index may keep it).
 */
function canonicalTargetsSql(request: IncludeRequest, sources: Sql): Sql {
  const types = (request.canonicalTypes ?? []).filter((t) => request.targetType === undefined || t === request.targetType);
  if (types.length === 0) return raw('');
  const urlKeys = join(types.map((t) => sql`${paramKey(`${t}.url`)}`), ', ');
  const versionKeys = join(types.map((t) => sql`${paramKey(`${t}.version`)}`), ', ');
  const versionMatches = sql`EXISTS (SELECT 1 FROM idx_token v WHERE v.rid = t.rid AND v.pkey IN (${versionKeys}) AND (v.code = ref.version OR v.code = LOWER(ref.version)))`;
  return sql` UNION ALL SELECT ${prefixed('t')} FROM idx_reference ref JOIN idx_uri u ON u.pkey IN (${urlKeys}) AND u.value = ref.url JOIN resources t ON t.rid = u.rid AND t.deleted = 0 WHERE ${sources} AND ref.url IS NOT NULL AND (ref.version IS NULL OR ${versionMatches})`;
}

/** Selects the source rows plus the reference's target (ref_type, ref_id) for exact pair filtering by the caller. */
export function revIncludeSql(request: RevIncludeRequest): Sql {
  const ids = join([...new Set(request.targets.map((t) => t.id))].map((id) => sql`${id}`), ', ');
  const keys = join(request.params.map((p) => sql`${paramKey(p)}`), ', ');
  const urls = [...new Set((request.canonicals ?? []).map((c) => indexKey(c.url)))];
  const byUrl = urls.length > 0 ? sql` OR ref.url IN (${join(urls.map((u) => sql`${u}`), ', ')})` : raw('');
  return sql`SELECT ${prefixed('s')}, ref.target_type AS ref_type, ref.target_id AS ref_id, ref.url AS ref_url, ref.version AS ref_version FROM idx_reference ref JOIN resources s ON s.rid = ref.rid AND s.deleted = 0 WHERE ref.pkey IN (${keys}) AND (ref.target_id IN (${ids})${byUrl})${limit(request.limit)}`;
}
