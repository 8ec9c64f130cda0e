/**
 * The target of a merge recorded before merge records kept `targetBefore`
 * (merge-log.ts): such a record does not say whether a result-patient
 * replaced the target's content, so $unmerge reads the target's history to
 * tell, from the store within its own write unit. The version the merge wrote is the newest one holding the "replaces"
 * link to the source whose predecessor does not; the predecessor is the
 * target as it was.
 *
 * - The merge only added identifiers and the link (no result-patient):
 *   removing them is exact, and keeps the changes made since.
 * - A result-patient replaced the content and the predecessor is shown whole:
 *   the predecessor is what targetBefore would hold, and is restored.
 * - Otherwise the target cannot be restored exactly: history shows the
 *   predecessor without its INS (REDACTED, vigilance/past-ins.ts), or it was
 *   RECUP and the INS it held aside is not in the record, or the merge's
 *   version is not found. The merge is still undone, the target losing what
 *   the merge added, and the outcome warns and names the version to review.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseJson } from '../../core/json/decimal-json.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import type { HistoryCursor } from '../../storage/query.js';
import { readReliability } from '../vigilance/reliability.js';
import { REDACTED, withPastInsWithheld } from '../vigilance/past-ins.js';
import { withoutMeta, withoutMergeAdditions } from './merge-operation.js';
import type { MergeRecord } from './merge-log.js';
import { patientIdOf, type Json } from './parameters.js';
import { links } from './patient-links.js';

export type OldMergeTarget =
  | { readonly kind: 'only-added' }
  | { readonly kind: 'replaced'; readonly before: Json }
  | { readonly kind: 'unknown'; readonly version?: string };

/** History entries read at most: a merge's version is normally among the target's latest. */
const HISTORY_LIMIT = 1_000;
const HISTORY_PAGE = 100;

const versionOf = (resource: Json): string | undefined => {
  const id = (resource.meta as Json | undefined)?.versionId;
  return typeof id === 'string' ? id : undefined;
};

const replacesSource = (patient: Json, source: string, baseUrl: string): boolean =>
  links(patient).some((l) => l.type === 'replaces' && patientIdOf((l.other as Json | undefined)?.reference, baseUrl) === source);

const redacted = (resource: Json): boolean => {
  const security = (resource.meta as Json | undefined)?.security;
  return Array.isArray(security) && security.some((s: Json) => s.system === REDACTED.system && s.code === REDACTED.code);
};

/**
 * The target's versions, newest first, deletions left out, read from the
 * store inside the $unmerge unit (one operation, audited once, with no
 * history right of its own) and shown as history shows them: an INS the
 * identity no longer holds as QUAL is withheld and the version marked
 * REDACTED (past-ins.ts), so $unmerge restores nothing history would hide.
 */
async function targetVersions(reader: StoreReader, target: string): Promise<Json[]> {
  const rows: StoredVersion[] = [];
  let after: HistoryCursor | undefined;
  for (;;) {
    const page = await reader.history({ resourceType: 'Patient', id: target, count: HISTORY_PAGE, ...(after ? { after } : {}) });
    rows.push(...page.rows);
    const last = page.rows.at(-1);
    if (!page.hasNext || last === undefined || rows.length >= HISTORY_LIMIT) break;
    after = { lastUpdated: last.lastUpdated, rid: last.rid, versionId: last.versionId };
  }
  const shown = await withPastInsWithheld(rows.filter((v) => v.content !== null), reader);
  return [...shown].sort((a, b) => b.versionId - a.versionId).map((v) => parseJson(v.content as string) as Json);
}

/** What the target's history says of a merge recorded without `targetBefore`; `baseUrl` tells local links from others. */
export async function judgeOldMergeTarget(reader: StoreReader, record: MergeRecord, baseUrl: string): Promise<OldMergeTarget> {
  const versions = await targetVersions(reader, record.target);
  for (let i = 0; i + 1 < versions.length; i++) {
    const merged = versions[i] as Json;
    const before = versions[i + 1] as Json;
    if (!replacesSource(merged, record.source, baseUrl) || replacesSource(before, record.source, baseUrl)) continue;
    const version = versionOf(before);
    const unknown: OldMergeTarget = { kind: 'unknown', ...(version !== undefined ? { version } : {}) };
    if (redacted(before) || redacted(merged)) return unknown;
    if (isDeepStrictEqual(withoutMergeAdditions(merged, record, baseUrl), withoutMeta(before))) return { kind: 'only-added' };
    // A RECUP target held its INS aside; the record does not have it, so restoring would lose it unsaid.
    if (readReliability(before).statuses[0] === 'RECUP') return unknown;
    return { kind: 'replaced', before: withoutMeta(before) };
  }
  return { kind: 'unknown' };
}
