/**
 * Checks the whole audit trail: walks the audit log in sequence order,
 * recomputes each hash from the stored record, and names the first record
 * that was altered (its content or hash changed) or removed (a gap in the
 * sequence, or records missing at the end according to the chain's head).
 */
import type { StoreReader } from '../storage/contract.js';
import { chainHash, GENESIS } from './chain-hash.js';

export type ChainProblem = 'altered' | 'removed' | 'truncated';

export type ChainReport =
  | { readonly ok: true; readonly records: number }
  | { readonly ok: false; readonly records: number; readonly sequence: number; readonly id?: string; readonly problem: ChainProblem };

const PAGE = 1000;

export async function verifyChain(reader: StoreReader, progress: (checked: number) => void = () => undefined): Promise<ChainReport> {
  let previous = GENESIS;
  let expected = 1;
  for (;;) {
    const page = await reader.auditQuery({ where: [], descending: false, after: expected - 1, limit: PAGE });
    for (const record of page) {
      const records = expected - 1;
      if (record.seq !== expected) return { ok: false, records, sequence: expected, problem: 'removed' };
      if (chainHash(previous, record.content) !== record.hash) return { ok: false, records, sequence: expected, id: record.id, problem: 'altered' };
      previous = record.hash;
      expected += 1;
    }
    if (page.length > 0) progress(expected - 1);
    if (page.length < PAGE) break;
  }
  const head = await reader.auditHead();
  const records = expected - 1;
  if (head && (head.seq !== records || head.hash !== previous)) {
    return { ok: false, records, sequence: records + 1, problem: head.seq > records ? 'truncated' : 'altered' };
  }
  return { ok: true, records };
}
