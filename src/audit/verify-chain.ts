/**
 * Checks the whole audit trail: walks the chain links in sequence order,
 * recomputes each hash from the stored AuditEvent, and names the first record
 * that was altered (content or link changed), removed (its AuditEvent or its
 * link gone) or rewritten (a second version: AuditEvents are written once).
 */
import type { Collection } from '../storage/collection.js';
import type { StoreReader } from '../storage/contract.js';
import { chainHash, GENESIS, HEAD_KEY, type ChainHead, type ChainLink } from './chain-hash.js';

export type ChainProblem = 'altered' | 'removed' | 'link-altered' | 'link-removed' | 'truncated';

export type ChainReport =
  | { readonly ok: true; readonly records: number }
  | { readonly ok: false; readonly records: number; readonly sequence: number; readonly id?: string; readonly problem: ChainProblem };

const PAGE = 500;

export async function verifyChain(
  reader: StoreReader, chain: Collection<ChainLink | ChainHead>, progress: (checked: number) => void = () => undefined,
): Promise<ChainReport> {
  let previous = GENESIS;
  let expected = 1;
  let after: string | undefined;
  for (;;) {
    const page = (await chain.scan(after, PAGE, reader)).filter((e) => e.key !== HEAD_KEY);
    if (page.length === 0) break;
    after = page[page.length - 1]?.key;
    const links = page.map((e) => e.value as ChainLink);
    const stored = await reader.readMany(links.map((l) => ({ resourceType: 'AuditEvent', id: l.id })));
    const byId = new Map(stored.map((v) => [v.id, v]));
    for (const link of links) {
      const records = expected - 1;
      if (link.sequence !== expected) return { ok: false, records, sequence: expected, problem: 'link-removed' };
      if (link.previous !== previous) return { ok: false, records, sequence: expected, id: link.id, problem: 'link-altered' };
      const version = byId.get(link.id);
      if (!version || version.content === null) return { ok: false, records, sequence: expected, id: link.id, problem: 'removed' };
      const hash = chainHash(previous, JSON.parse(version.content) as Record<string, unknown>);
      if (hash !== link.hash || version.versionId !== 1) return { ok: false, records, sequence: expected, id: link.id, problem: 'altered' };
      previous = link.hash;
      expected += 1;
    }
    progress(expected - 1);
    if (page.length < PAGE) break;
  }
  const head = (await chain.get(HEAD_KEY, reader)) as ChainHead | undefined;
  const records = expected - 1;
  // Links removed from the end: the head still counts them.
  if (head && (head.sequence !== records || head.hash !== previous)) {
    return { ok: false, records, sequence: records + 1, problem: head.sequence > records ? 'truncated' : 'link-altered' };
  }
  return { ok: true, records };
}
