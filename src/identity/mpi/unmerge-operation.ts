/**
 * Patient/$unmerge: undoes one $merge from its merge record (merge-log.ts),
 * in one write unit. The source gets back its content from before the merge
 * (active again, no replaced-by link); the target loses the "replaces" link
 * and the identifiers the merge added, or gets back its content from before
 * the merge when a result-patient replaced it (for a merge recorded before that
 * content was kept, from the target's history: old-merge-target.ts); each reference the merge re-pointed
 * goes back to the source if it still points where the merge left it (a
 * reference changed since by someone else is theirs). Input: source-patient
 * (the merged-away record), as in $merge. FHIR has no unmerge in R4 or R5;
 * the parameter names follow $merge's.
 */
import { fail } from '../../core/errors.js';
import { operationOutcome } from '../../core/operation-outcome.js';
import { transactionAccess } from '../../fhir/rest/context.js';
import type { FhirOperation, OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import type { ModuleContext } from '../../platform/module.js';
import { recordMpiAccess } from './audit.js';
import { readPatient, readResource, type Send } from './engine-requests.js';
import type { MergeRecord, MpiStore } from './merge-log.js';
import { putVersion, withoutMergeAdditions } from './merge-operation.js';
import { named, patientIdOf, postedParameters, type Json } from './parameters.js';
import { identifiersOf, replacedBy } from './patient-links.js';
import { checkAllLocked, lockPlannedWrites, type PlannedWrite } from './merge-locks.js';
import { judgeOldMergeTarget, type OldMergeTarget } from './old-merge-target.js';
import { restoreReferences } from './repoint-references.js';
import type { WriteTransaction } from '../../storage/contract.js';

function sourceIdOf(context: OperationContext): string {
  const list = postedParameters(context);
  const parts = named(list, 'source-patient');
  if (parts.length === 0) throw fail('mpi.merge.patient-required', { role: 'source' });
  if (parts.length > 1) throw fail('mpi.parameter-invalid', { name: 'source-patient', reason: 'repeated' });
  const id = patientIdOf((parts[0]?.part.valueReference as Json | undefined)?.reference, context.request.baseUrl);
  if (id === undefined) throw fail('mpi.parameter-invalid', { name: 'source-patient', reason: 'a reference to a Patient of this server expected' });
  return id;
}

async function moveBack(send: Send, context: OperationContext, record: MergeRecord): Promise<number> {
  let restored = 0;
  for (const moved of record.moved) {
    const resource = await readResource(send, context.request, `${moved.type}/${moved.id}`);
    if (!resource) continue;
    const count = restoreReferences(resource, moved.references);
    if (count === 0) continue;
    await putVersion(send, context, resource, (resource.meta as Json | undefined)?.versionId);
    restored++;
  }
  return restored;
}

/**
 * The target once the merge is undone. When a result-patient replaced it, its
 * content from before the merge, as a new version (the identity-vigilance
 * hook then judges it again: an INS it held is verified anew, one it held
 * aside goes back with it to be set aside again). Otherwise the target as it
 * is now, less the identifiers and the link the merge added, so that changes
 * made since stay.
 */
function targetAfterUndo(record: MergeRecord, target: Json, baseUrl: string, fromHistory?: Json): Json {
  const kept = record.targetBefore ?? fromHistory;
  if (kept) {
    const before = { ...kept, id: record.target };
    if (!record.targetInsAside) return before;
    return { ...before, identifier: [...identifiersOf(before), record.targetInsAside] };
  }
  return withoutMergeAdditions(target, record, baseUrl);
}

interface Undone {
  readonly record: MergeRecord;
  readonly source: Json;
  readonly restored: number;
  /** Set when the target could not be restored exactly (an old merge record, old-merge-target.ts). */
  readonly unverified?: Extract<OldMergeTarget, { kind: 'unknown' }>;
}

/** What undo() may write: the source, the target and the resources the merge moved. */
function undoWrites(record: MergeRecord): PlannedWrite[] {
  return [{ type: 'Patient', id: record.source }, { type: 'Patient', id: record.target }, ...record.moved.map(({ type, id }) => ({ type, id }))];
}

/**
 * The merge record to undo, once every resource undoing it may write is
 * locked, in the order a Bundle locks in (merge-locks.ts): the record names
 * them, so it is read, its resources locked, then read again; a merge or
 * unmerge of the same source that rewrote it meanwhile held the source's lock.
 */
async function lockedRecord(store: MpiStore, sourceId: string, tx: WriteTransaction): Promise<MergeRecord> {
  const seen = await store.merges.get(sourceId, tx);
  if (!seen || seen.status !== 'merged') throw fail('mpi.unmerge.not-merged');
  const locked = undoWrites(seen);
  await lockPlannedWrites(tx, locked);
  const record = await store.merges.get(sourceId, tx);
  if (!record || record.status !== 'merged') throw fail('mpi.unmerge.not-merged');
  checkAllLocked(locked, undoWrites(record));
  return record;
}

async function undo(send: Send, context: OperationContext, store: MpiStore, sourceId: string, tx: WriteTransaction): Promise<Undone> {
  const record = await lockedRecord(store, sourceId, tx);
  const target = await readPatient(send, context.request, record.target);
  const source = await readPatient(send, context.request, record.source);
  if (!target || !source) throw fail('mpi.unmerge.not-merged');
  if (replacedBy(target, context.request.baseUrl) !== undefined) throw fail('mpi.unmerge.superseded');
  // Read in this unit, as the store's own: the merge's history is a part of the undoing, not a read of the caller's.
  const old = record.targetBefore === undefined ? await judgeOldMergeTarget(tx, record, context.request.baseUrl) : undefined;
  const restored = await moveBack(send, context, record);
  await putVersion(send, context, targetAfterUndo(record, target, context.request.baseUrl, old?.kind === 'replaced' ? old.before : undefined), (target.meta as Json | undefined)?.versionId);
  const stored = await putVersion(send, context, { ...record.sourceBefore, id: record.source }, (source.meta as Json | undefined)?.versionId);
  await store.merges.put(record.source, { ...record, status: 'undone', undoneAt: context.deps.clock.now() }, tx);
  return { record, source: stored, restored, ...(old?.kind === 'unknown' ? { unverified: old } : {}) };
}

export function unmergeOperation(module: ModuleContext, store: MpiStore): FhirOperation {
  return {
    name: 'unmerge',
    types: ['Patient'],
    methods: ['POST'],
    access: 'write',
    async invoke(context): Promise<FhirResponse> {
      const sourceId = sourceIdOf(context);
      const { record, source, restored, unverified } = await context.access.write((tx) => {
        const access = transactionAccess(tx);
        return undo((request) => module.engine.dispatch(request, access), context, store, sourceId, tx);
      });
      // One record per patient: the resources given back belong to the source again.
      recordMpiAccess(context, 'U', 'operation:unmerge', [record.target]);
      recordMpiAccess(context, 'U', 'operation:unmerge', [record.source], [`Patient/${record.source}`, ...record.moved.map((m) => `${m.type}/${m.id}`)]);
      const outcome = operationOutcome([
        { severity: 'information', type: 'informational', message: 'mpi.unmerge.outcome', params: { source: record.source, target: record.target, moved: restored } },
        ...(unverified ? [{
          severity: 'warning' as const, type: 'incomplete' as const, message: 'mpi.unmerge.target-unverified' as const,
          params: { target: record.target, version: unverified.version ?? '?' },
        }] : []),
      ], context.request.language);
      const parameters = { resourceType: 'Parameters', parameter: [{ name: 'outcome', resource: outcome }, { name: 'result', resource: source }] };
      return { status: 200, headers: {}, body: { kind: 'json', value: parameters }, interaction: 'operation:unmerge' };
    },
  };
}
