/**
 * Patient/$merge, on the model of FHIR R5's Patient merge operation
 * (https://hl7.org/fhir/R5/patient-operation-merge.html), which R4 lacks:
 * source-patient / source-patient-identifier, target-patient /
 * target-patient-identifier, result-patient, preview. In one write unit:
 * the target (the survivor) gets the source's identifiers marked use=old and
 * a link "replaces" to the source; the source becomes active=false with a
 * link "replaced-by" to the target; every resource of the source's Patient
 * compartment is re-pointed to the target (as HAPI FHIR and IHE PMIR do: a
 * client reading the survivor's record must find it whole, and searches by
 * patient must not need to know about merges). A merge record (merge-log.ts)
 * lets $unmerge undo exactly this. Every inner write goes through the engine,
 * so validation, indexing, write hooks, access control and audit apply.
 */
import { fail } from '../../core/errors.js';
import { informationOutcome } from '../../core/operation-outcome.js';
import { transactionAccess } from '../../fhir/rest/context.js';
import type { FhirOperation, OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import type { ModuleContext } from '../../platform/module.js';
import { recordMpiAccess } from './audit.js';
import { innerRequest, searchAll, type Send } from './engine-requests.js';
import type { MergeRecord, MovedResource, MpiStore } from './merge-log.js';
import { patientIdOf, postedParameters, responseJson, single, type Json, type Parameter } from './parameters.js';
import { identifiersOf, links, replacedBy, sameIdentifier } from './patient-links.js';
import { activeIns, differentInsSystem } from './identifier-evidence.js';
import { PENDING_INS_COLLECTION, type PendingIns, type PendingInsCollection } from '../vigilance/pending-ins.js';
import type { StoreReader } from '../../storage/contract.js';
import { lockPlannedWrites, plannedWrite, type PlannedWrite } from './merge-locks.js';
import { repointReferences } from './repoint-references.js';
import { resolvePatient } from './resolve-patient.js';
import { cloneJson } from '../../core/json/decimal-json.js';

/**
 * Compartment members that stay with the source: records of what happened to
 * that record (AuditEvent, immutable; Provenance) must keep saying so, and
 * Patient records linked to it keep their own links. They remain resolvable:
 * the source is kept, inactive, with its replaced-by link.
 */
const KEPT_WITH_SOURCE: ReadonlySet<string> = new Set(['Patient', 'AuditEvent', 'Provenance']);

/** Resources of one patient re-pointed in one merge at most; beyond, the merge is refused rather than left partial. */
const MAX_MOVED = 10_000;

/** Where the INS set aside for RECUP records is read, and through which reader (the merge's transaction when it writes). */
interface InsChecks {
  readonly pending: PendingInsCollection;
  readonly reader: StoreReader;
}

interface MergePlan {
  readonly source: Json;
  readonly target: Json;
  readonly newSource: Json;
  readonly newTarget: Json;
  readonly moved: { readonly resource: Json; readonly record: MovedResource }[];
  readonly addedIdentifiers: MergeRecord['addedIdentifiers'];
  /** Set when a result-patient replaces the target's content: the target as it was, and its INS set aside if RECUP. */
  readonly replacedTarget?: { readonly before: Json; readonly insAside?: Json };
}

export function withoutMeta(resource: Json): Json {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

function checkPair(source: Json, target: Json, result: Json | undefined, baseUrl: string): void {
  if (source.id === target.id) throw fail('mpi.merge.same-patient');
  if (replacedBy(source, baseUrl) !== undefined) throw fail('mpi.merge.source-merged');
  if (replacedBy(target, baseUrl) !== undefined) throw fail('mpi.merge.target-merged');
  if (result !== undefined && (result.resourceType !== 'Patient' || result.id !== target.id)) throw fail('mpi.merge.result-mismatch');
}

/** The INS a record holds: in use on it, or verified and set aside while it is RECUP (pending-ins.ts). */
async function insHeld(patient: Json, pending: PendingInsCollection, reader: StoreReader): Promise<Json[]> {
  const aside = await pending.get(String(patient.id), reader);
  return [...activeIns(patient), ...(aside ? [aside.identifier as Json] : [])];
}

/**
 * One INS is one person (reference §1.1: the matricule INS is the person's
 * own NIR or NIA): records holding different INS of the same kind are two
 * people, whatever their traits, and are not merged — an identity-vigilance
 * review corrects the wrong INS first. The result-patient, which replaces the
 * target, is held to the same rule. A NIA and a NIR are not compared (a NIA
 * waits for the NIR of the same person).
 */
async function checkOnePerson(source: Json, target: Json, result: Json | undefined, pending: PendingInsCollection, reader: StoreReader): Promise<void> {
  const fromSource = await insHeld(source, pending, reader);
  if (fromSource.length === 0) return;
  const survivors = [await insHeld(target, pending, reader), ...(result !== undefined ? [activeIns(result)] : [])];
  for (const held of survivors) {
    const system = differentInsSystem(fromSource, held);
    if (system !== undefined) throw fail('mpi.merge.different-ins', { system });
  }
}

/** The survivor: the result-patient given or the target as it is, plus the source's identifiers (use=old) and the link. */
function survivorOf(source: Json, target: Json, result: Json | undefined, baseUrl: string): { patient: Json; added: MergeRecord['addedIdentifiers'] } {
  const base = withoutMeta(result ?? target);
  const own = identifiersOf(base);
  const added = identifiersOf(source).filter((i) => typeof i.system === 'string' && typeof i.value === 'string' && !own.some((o) => sameIdentifier(o, i)));
  const patient = {
    ...base,
    identifier: [...own, ...added.map((i) => ({ ...i, use: 'old' }))],
    link: [...links(base).filter((l) => patientIdOf((l.other as Json | undefined)?.reference, baseUrl) !== String(source.id)), { other: { reference: `Patient/${String(source.id)}` }, type: 'replaces' }],
  };
  if (patient.identifier.length === 0) delete (patient as Json).identifier;
  return { patient, added: added.map((i) => ({ system: i.system as string, value: i.value as string })) };
}

/**
 * A survivor less what survivorOf added to a target without result-patient:
 * the source's identifiers marked use=old and the "replaces" link to it;
 * what else it holds (changes made since the merge) stays. $unmerge gives the
 * target back so (unmerge-operation.ts), and tells by it an old merge that
 * only added them (old-merge-target.ts).
 */
export function withoutMergeAdditions(survivor: Json, record: Pick<MergeRecord, 'source' | 'addedIdentifiers'>, baseUrl: string): Json {
  const added = new Set(record.addedIdentifiers.map((i) => `${i.system}|${i.value}`));
  const identifier = identifiersOf(survivor).filter((i) => !(i.use === 'old' && added.has(`${String(i.system)}|${String(i.value)}`)));
  const link = links(survivor).filter((l) => !(l.type === 'replaces' && patientIdOf((l.other as Json | undefined)?.reference, baseUrl) === record.source));
  const { identifier: _i, link: _l, ...rest } = withoutMeta(survivor);
  return { ...rest, ...(identifier.length > 0 ? { identifier } : {}), ...(link.length > 0 ? { link } : {}) };
}

async function plan(send: Send, context: OperationContext, list: readonly Parameter[], result: Json | undefined, checks: InsChecks): Promise<MergePlan> {
  const source = await resolvePatient(send, context.request, list, 'source');
  const target = await resolvePatient(send, context.request, list, 'target');
  const baseUrl = context.request.baseUrl;
  checkPair(source, target, result, baseUrl);
  await checkOnePerson(source, target, result, checks.pending, checks.reader);
  const sourceId = String(source.id);
  const targetId = String(target.id);
  const compartment = await searchAll(send, context.request, `Patient/${sourceId}/*`, [['_count', '500']], MAX_MOVED + 1);
  if (compartment.length > MAX_MOVED) throw fail('search.too-costly', { reason: `more than ${MAX_MOVED} resources in the source patient's compartment` });
  const moved: MergePlan['moved'][number][] = [];
  for (const resource of compartment) {
    if (KEPT_WITH_SOURCE.has(String(resource.resourceType))) continue;
    const copy = cloneJson(resource);
    const references = repointReferences(copy, sourceId, targetId, baseUrl);
    if (references.length > 0) moved.push({ resource: copy, record: { type: String(copy.resourceType), id: String(copy.id), references } });
  }
  const survivor = survivorOf(source, target, result, baseUrl);
  const newSource = {
    ...withoutMeta(source),
    active: false,
    link: [...links(source), { other: { reference: `Patient/${targetId}` }, type: 'replaced-by' }],
  };
  const aside = result !== undefined ? await checks.pending.get(targetId, checks.reader) : undefined;
  return {
    source, target, newSource, newTarget: survivor.patient, moved, addedIdentifiers: survivor.added,
    ...(result !== undefined ? { replacedTarget: { before: withoutMeta(target), ...(aside ? { insAside: aside.identifier as Json } : {}) } } : {}),
  };
}

/** What apply() writes: the moved resources, the source and the target, at the versions the plan read. */
function mergeWrites(merge: MergePlan): PlannedWrite[] {
  return [...merge.moved.map(({ resource }) => plannedWrite(resource)), plannedWrite(merge.source), plannedWrite(merge.target)];
}

/** A PUT of `resource` as its current version (If-Match): a concurrent change fails the whole unit. */
export async function putVersion(send: Send, context: OperationContext, resource: Json, version: unknown): Promise<Json> {
  const path = `${String(resource.resourceType)}/${String(resource.id)}`;
  const ifMatch = typeof version === 'string' ? `W/"${version}"` : undefined;
  const response = await send(innerRequest(context.request, 'PUT', path, [], withoutMeta(resource), ifMatch));
  return responseJson(response);
}

async function apply(send: Send, context: OperationContext, store: MpiStore, merge: MergePlan, tx: Parameters<MpiStore['merges']['put']>[2]): Promise<Json> {
  for (const { resource } of merge.moved) await putVersion(send, context, resource, (resource.meta as Json | undefined)?.versionId);
  await putVersion(send, context, merge.newSource, (merge.source.meta as Json | undefined)?.versionId);
  const stored = await putVersion(send, context, merge.newTarget, (merge.target.meta as Json | undefined)?.versionId);
  const record: MergeRecord = {
    source: String(merge.source.id),
    target: String(merge.target.id),
    status: 'merged',
    mergedAt: context.deps.clock.now(),
    ...(context.request.principal ? { by: context.request.principal.subject } : {}),
    sourceBefore: withoutMeta(merge.source),
    ...(merge.replacedTarget ? { targetBefore: merge.replacedTarget.before } : {}),
    ...(merge.replacedTarget?.insAside ? { targetInsAside: merge.replacedTarget.insAside } : {}),
    addedIdentifiers: merge.addedIdentifiers,
    moved: merge.moved.map((m) => m.record),
  };
  await store.merges.put(record.source, record, tx);
  return stored;
}

function mergeOperation(module: ModuleContext, store: MpiStore): FhirOperation {
  const pending = module.collection<PendingIns>(PENDING_INS_COLLECTION);
  return {
    name: 'merge',
    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-merge',
    types: ['Patient'],
    methods: ['POST'],
    access: 'write',
    async invoke(context): Promise<FhirResponse> {
      const list = postedParameters(context);
      const preview = single<boolean>(list, 'preview', 'Boolean') ?? false;
      const resultParts = list.filter((p) => p.name === 'result-patient');
      if (resultParts.length > 1) throw fail('mpi.parameter-invalid', { name: 'result-patient', reason: 'repeated' });
      const result = resultParts[0]?.part.resource as Json | undefined;
      let merge: MergePlan;
      let survivor: Json;
      if (preview) {
        merge = await plan(context.dispatch, context, list, result, { pending, reader: context.access.reader });
        survivor = merge.newTarget;
      } else {
        ({ merge, survivor } = await context.access.write(async (tx) => {
          const access = transactionAccess(tx);
          const send: Send = (request) => module.engine.dispatch(request, access);
          const planned = await plan(send, context, list, result, { pending, reader: tx });
          // Every resource the merge writes, locked before the first write in the order a Bundle locks in (merge-locks.ts).
          await lockPlannedWrites(tx, mergeWrites(planned));
          return { merge: planned, survivor: await apply(send, context, store, planned, tx) };
        }));
      }
      const source = String(merge.source.id);
      const target = String(merge.target.id);
      if (!preview) {
        // One record per patient (the trail files events by patient): the moved resources now belong to the target.
        recordMpiAccess(context, 'U', 'operation:merge', [source]);
        recordMpiAccess(context, 'U', 'operation:merge', [target], [`Patient/${target}`, ...merge.moved.map((m) => `${m.record.type}/${m.record.id}`)]);
      }
      const outcome = informationOutcome(preview ? 'mpi.merge.preview' : 'mpi.merge.outcome', { source, target, moved: merge.moved.length }, context.request.language);
      const parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'input', resource: context.request.body },
          { name: 'outcome', resource: outcome },
          { name: 'result', resource: survivor },
        ],
      };
      return { status: 200, headers: {}, body: { kind: 'json', value: parameters }, interaction: 'operation:merge' };
    },
  };
}

export { mergeOperation };
