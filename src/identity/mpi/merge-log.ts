/**
 * What a merge changed, kept in the identity module's own collection so that
 * $unmerge undoes exactly that and nothing else: the source as it was, the
 * identifiers and link added to the target (or the whole target as it was,
 * when a result-patient replaced it), and each reference re-pointed
 * (where, from what, to what). Also the pairs an identity-vigilance reviewer
 * declared not to be duplicates. Ids only, plus the source's (and a replaced
 * target's) own content, which is health data kept under the same protection
 * as the resources.
 */
import type { Collection } from '../../storage/collection.js';
import type { ModuleContext } from '../../platform/module.js';
import type { Json } from './parameters.js';

export interface MovedReference {
  /** Path of the Reference.reference inside the resource, as keys and indexes. */
  readonly path: readonly (string | number)[];
  readonly before: string;
  readonly after: string;
}

export interface MovedResource {
  readonly type: string;
  readonly id: string;
  readonly references: readonly MovedReference[];
}

export interface MergeRecord {
  readonly source: string;
  readonly target: string;
  readonly status: 'merged' | 'undone';
  readonly mergedAt: number;
  readonly undoneAt?: number;
  /** Who asked (principal subject), for the vigilance team's follow-up. */
  readonly by?: string;
  /** The source Patient before the merge, without meta. */
  readonly sourceBefore: Json;
  /**
   * The target before the merge, without meta, when a result-patient replaced
   * its content: removing what the merge added cannot give back what the
   * result-patient left out (local identifiers, the INS, the status).
   * Absent from records written before it was kept.
   */
  readonly targetBefore?: Json;
  /** The INS the target held aside (RECUP, vigilance/pending-ins.ts) at the merge, for the restored target to be verified and set aside again. */
  readonly targetInsAside?: Json;
  /** Identifiers the merge added to the target (system and value). */
  readonly addedIdentifiers: readonly { readonly system: string; readonly value: string }[];
  readonly moved: readonly MovedResource[];
}

export interface NotDuplicate {
  readonly patients: readonly [string, string];
  readonly markedAt: number;
  readonly by?: string;
}

export interface MpiStore {
  readonly merges: Collection<MergeRecord>;
  readonly notDuplicates: Collection<NotDuplicate>;
}

export function openMpiStore(context: ModuleContext): MpiStore {
  return {
    merges: context.collection<MergeRecord>('identity.mpi-merges', { lookups: (r) => ({ target: r.target, status: r.status }) }),
    notDuplicates: context.collection<NotDuplicate>('identity.mpi-not-duplicates', { lookups: (r) => ({ patient: [...r.patients] }) }),
  };
}

/** The key of an unordered pair of patients. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
