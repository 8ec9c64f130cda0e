/**
 * The target of a merge recorded before merge records kept `targetBefore`
 * (merge-log.ts): such a record does not say whether a result-patient
 * replaced the target's content, so $unmerge reads the target's history to
 * tell. The version the merge wrote is the newest one holding the "replaces"
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
import type { FhirRequest } from '../../fhir/rest/types.js';
import { readReliability } from '../vigilance/reliability.js';
import { REDACTED } from '../vigilance/past-ins.js';
import { searchAll, type Send } from './engine-requests.js';
import type { MergeRecord } from './merge-log.js';
import { patientIdOf, type Json } from './parameters.js';
import { identifiersOf, links } from './patient-links.js';

export type OldMergeTarget =
  | { readonly kind: 'only-added' }
  | { readonly kind: 'replaced'; readonly before: Json }
  | { readonly kind: 'unknown'; readonly version?: string };

/** History entries read at most: a merge's version is normally among the target's latest. */
const HISTORY_LIMIT = 1_000;

function withoutMeta(resource: Json): Json {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

const versionOf = (resource: Json): string | undefined => {
  const id = (resource.meta as Json | undefined)?.versionId;
  return typeof id === 'string' ? id : undefined;
};

const replacesSource = (patient: Json, source: string): boolean =>
  links(patient).some((l) => l.type === 'replaces' && patientIdOf((l.other as Json | undefined)?.reference) === source);

const redacted = (resource: Json): boolean => {
  const security = (resource.meta as Json | undefined)?.security;
  return Array.isArray(security) && security.some((s: Json) => s.system === REDACTED.system && s.code === REDACTED.code);
};

/** The merge's version less what a merge without result-patient adds: the source's identifiers (use=old) and the link. */
function lessMergeAdditions(merged: Json, record: MergeRecord): Json {
  const added = new Set(record.addedIdentifiers.map((i) => `${i.system}|${i.value}`));
  const identifier = identifiersOf(merged).filter((i) => !(i.use === 'old' && added.has(`${String(i.system)}|${String(i.value)}`)));
  const link = links(merged).filter((l) => !(l.type === 'replaces' && patientIdOf((l.other as Json | undefined)?.reference) === record.source));
  const { identifier: _i, link: _l, ...rest } = withoutMeta(merged);
  return { ...rest, ...(identifier.length > 0 ? { identifier } : {}), ...(link.length > 0 ? { link } : {}) };
}

/** What the target's history says of a merge recorded without `targetBefore`. */
export async function judgeOldMergeTarget(send: Send, parent: FhirRequest, record: MergeRecord): Promise<OldMergeTarget> {
  const versions = (await searchAll(send, parent, `Patient/${record.target}/_history`, [['_count', '100']], HISTORY_LIMIT))
    .sort((a, b) => Number(versionOf(b)) - Number(versionOf(a)));
  for (let i = 0; i + 1 < versions.length; i++) {
    const merged = versions[i] as Json;
    const before = versions[i + 1] as Json;
    if (!replacesSource(merged, record.source) || replacesSource(before, record.source)) continue;
    const version = versionOf(before);
    const unknown: OldMergeTarget = { kind: 'unknown', ...(version !== undefined ? { version } : {}) };
    if (redacted(before) || redacted(merged)) return unknown;
    if (isDeepStrictEqual(lessMergeAdditions(merged, record), withoutMeta(before))) return { kind: 'only-added' };
    // A RECUP target held its INS aside; the record does not have it, so restoring would lose it unsaid.
    if (readReliability(before).statuses[0] === 'RECUP') return unknown;
    return { kind: 'replaced', before: withoutMeta(before) };
  }
  return { kind: 'unknown' };
}
