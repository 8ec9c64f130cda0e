/**
 * AuditEvent read, search and history, served from the audit log
 * (storage/type-routing.ts routes the type here). Each trace is a resource
 * with a single version, written once. Its internal row id is its sequence
 * number negated: search results and includes are told apart by row id, and
 * the resources table's ids are positive, so the two never collide. The
 * snapshot bound of a paged search (maxRid) is a plain sequence number.
 */
import type { AuditLogFilter, AuditLogRecord } from '../storage/audit-log.js';
import type { StoredVersion, StoreReader } from '../storage/contract.js';
import type { HistoryPage, HistoryQuery, IncludeRequest, RevIncludeRequest, SearchPage, SearchPlan } from '../storage/query.js';
import { pageLinks, pageTotal } from '../storage/search-page.js';
import type { TypeSource } from '../storage/type-routing.js';
import { auditFilter, descendingOrder } from './audit-search.js';

function asVersion(record: AuditLogRecord): StoredVersion {
  return { rid: -record.seq, resourceType: 'AuditEvent', id: record.id, versionId: 1, lastUpdated: record.written, deleted: false, method: 'POST', content: record.content };
}

/** The references an include parameter follows in a trace (AuditEvent's reference search parameters). */
function referencesFor(param: string, content: string): string[] {
  const event = JSON.parse(content) as { agent?: { who?: { reference?: string } }[]; entity?: { what?: { reference?: string } }[] };
  const agents = (event.agent ?? []).map((a) => a.who?.reference);
  const entities = (event.entity ?? []).map((e) => e.what?.reference);
  const all = param === 'AuditEvent.agent' ? agents : param === 'AuditEvent.entity' ? entities
    : param === 'AuditEvent.patient' ? [...agents, ...entities].filter((r) => r?.startsWith('Patient/')) : [];
  return all.filter((r): r is string => r !== undefined);
}

export class AuditEventSource implements TypeSource {
  readonly resourceType = 'AuditEvent';
  /** Traces are never written through the API (immutability.ts) and are searched by the log's columns only (audit-search.ts). */
  readonly capability = {
    interactions: ['read', 'vread', 'search-type', 'history-instance', 'history-type'],
    searchParams: ['_id', '_lastUpdated', 'date', 'patient', 'agent', 'entity', 'action', 'outcome', 'subtype', 'type'],
  };

  constructor(private readonly reader: StoreReader) {}

  async readCurrent(id: string): Promise<StoredVersion | undefined> {
    const record = await this.reader.auditGet(id);
    return record ? asVersion(record) : undefined;
  }

  async readVersion(id: string, versionId: number): Promise<StoredVersion | undefined> {
    return versionId === 1 ? this.readCurrent(id) : undefined;
  }

  async readMany(ids: readonly string[]): Promise<StoredVersion[]> {
    return (await this.reader.auditGetMany(ids)).map(asVersion);
  }

  async search(plan: SearchPlan): Promise<SearchPage> {
    const where = plan.where.map(auditFilter);
    const descending = descendingOrder(plan.sort);
    const previous = plan.cursor?.direction === 'previous';
    // A previous page reads backwards from the cursor, then is put back in order.
    const rows = plan.count > 0
      ? await this.reader.auditQuery({
        where, descending: previous ? !descending : descending, limit: plan.count + 1,
        ...(plan.cursor ? { after: -plan.cursor.rid } : {}), ...(plan.maxRid !== undefined ? { maxSeq: plan.maxRid } : {}),
      })
      : [];
    const more = rows.length > plan.count;
    const page = more ? rows.slice(0, plan.count) : rows;
    if (previous) page.reverse();
    const maxRid = plan.maxRid ?? (more ? ((await this.reader.auditTip())?.seq ?? 0) : 0);
    // Counting traces is always an index range or a scan of one table: the estimate is given, capped.
    const total = await pageTotal(plan, { size: page.length, more, cheap: true }, (cap) => this.reader.auditCount(where, plan.maxRid, cap));
    return {
      rows: page.map(asVersion),
      sortValues: page.map((record) => plan.sort.map(() => record.written)),
      ...pageLinks(plan, more),
      maxRid,
      ...(total !== undefined ? { total } : {}),
    };
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    if (query.id !== undefined) {
      const version = await this.readCurrent(query.id);
      const inWindow = version && (query.since === undefined || version.lastUpdated >= query.since) && (query.until === undefined || version.lastUpdated <= query.until);
      return { rows: inWindow && query.count > 0 && !query.after ? [version] : [], hasNext: false, total: inWindow ? 1 : 0 };
    }
    const where: AuditLogFilter[] = [];
    if (query.since !== undefined) where.push({ field: 'written', op: '>=', value: query.since });
    if (query.until !== undefined) where.push({ field: 'written', op: '<=', value: query.until });
    const rows = await this.reader.auditQuery({ where, descending: true, limit: query.count + 1, ...(query.after ? { after: -query.after.rid } : {}) });
    const more = rows.length > query.count;
    return { rows: (more ? rows.slice(0, query.count) : rows).map(asVersion), hasNext: more };
  }

  async includes(request: IncludeRequest, main: StoreReader): Promise<StoredVersion[]> {
    const targets = new Map<string, { resourceType: string; id: string }>();
    const seqs = request.sources.map((s) => -s.rid);
    const records = seqs.length === 0 ? [] : await this.reader.auditQuery({ where: [{ field: 'seq', values: seqs }], descending: false, limit: seqs.length });
    for (const record of records) {
      for (const param of request.params) {
        for (const reference of referencesFor(param, record.content)) {
          const [resourceType, id] = reference.split('/') as [string, string];
          if (request.targetType === undefined || request.targetType === resourceType) targets.set(reference, { resourceType, id });
        }
      }
    }
    return (await main.readMany([...targets.values()])).slice(0, request.limit);
  }

  async revIncludes(request: RevIncludeRequest): Promise<StoredVersion[]> {
    const filters: AuditLogFilter[] = [];
    for (const param of request.params) {
      for (const target of request.targets) {
        if (param === 'AuditEvent.patient' && target.resourceType === 'Patient') filters.push({ field: 'patient', values: [target.id] });
        if (param === 'AuditEvent.agent') filters.push({ field: 'agent', values: [`${target.resourceType}/${target.id}`] });
        if (param === 'AuditEvent.entity') filters.push({ field: 'entity', reference: `${target.resourceType}/${target.id}` });
      }
    }
    if (filters.length === 0) return [];
    return (await this.reader.auditQuery({ where: [{ any: filters }], descending: false, limit: request.limit })).map(asVersion);
  }
}
