/**
 * Identity-vigilance on every Patient write (issue #3; reference §1.3, RNIV
 * EXI SI 07 and 09; FR Core fr-core-patient and fr-core-patient-ins): the
 * server reads the evidence of the write, asks INSi when an INS must be
 * verified, computes the status (next-status.ts) and stores the Patient as
 * the status allows, inside the write's transaction:
 *
 * 1. gather the evidence (write-evidence.ts) — broken INS, inconsistent
 *    traits and unknown codes are refused with a 422 here;
 * 2. verify the INS with INSi when needed — a new INS INSi does not confirm
 *    is refused with the mismatching traits; an INS read from the Appli carte
 *    Vitale is not (RNIV 1 v2.0 §4.3.4: qualified without an INSi call, and
 *    no dateInterrogationINSi, as no call was made);
 * 3. decide the status — forbidden claims are refused with the rule;
 * 4. shape the Patient: the INS only on a QUAL identity, set aside for a
 *    RECUP one (pending-ins.ts), the server's status, the FR Core profiles;
 * 5. on a status change, write the Provenance (and the review Task when an
 *    INS-backed status is lost) and record the audit entry;
 * 6. an INS newly held by a QUAL record that another active QUAL record
 *    holds too opens a doublon Task (duplicate-ins.ts).
 */
import type { AuditEntry } from '../../core/audit-entry.js';
import type { Principal } from '../../core/principal.js';
import { fail } from '../../core/errors.js';
import type { WriteHook, WriteHookContext } from '../../fhir/rest/write-hooks.js';
import { createInTransaction } from '../../fhir/rest/write-hooks.js';
import type { JsonResource } from '../../fhir/rest/resource-version.js';
import { IDENTIFIER_TYPE_SYSTEM, PATIENT_INS_PROFILE, PATIENT_PROFILE, type IdentityStatus } from '../fr-core.js';
import { INS_KIND_RULES, frTypeCodes, insKindOf, type FhirIdentifier } from '../ins/ins-identifier.js';
import type { InsiLookup, TraitName } from '../insi/contract.js';
import type { Logger } from '../../server/observability/logger.js';
import { appliCarteVitaleHolds, insiCallNeeded, nextStatus, type StatusDecision, type StatusInput } from './next-status.js';
import type { PendingIns, PendingInsCollection } from './pending-ins.js';
import type { StoreReader } from '../../storage/contract.js';
import { withPastInsWithheld } from './past-ins.js';
import { readReliability, withReliability } from './reliability.js';
import { reviewTask, statusAuditEntry, statusProvenance, type StatusChange } from './status-records.js';
import { TRAIT_PATHS } from './trait-changes.js';
import { activeInsOf, gatherEvidence, sameIns, type WriteEvidence } from './write-evidence.js';
import { duplicateInsAuditEntry, duplicateInsTask, otherQualifiedHolders } from './duplicate-ins.js';
import { identifiersOf, linkedIds, replacedBy } from '../mpi/patient-links.js';
import { frenchDay, latestFrenchDay } from '../french-day.js';

type Json = Record<string, unknown>;

export interface VigilanceDeps {
  readonly insi: InsiLookup;
  readonly pending: PendingInsCollection;
  /** Where accepted-with-warning INS checks are noted: message keys and the request id only, never a value. */
  readonly logger?: Logger;
  /** Checked before an INSi verification made for the write's author (caller kind, per-client rate: insi/call.ts). */
  readonly insiGate?: (principal: Principal | undefined) => void;
}

/** Short element names of the traits, for messages in either language. */
const TRAIT_ELEMENTS: Readonly<Record<TraitName, string>> = {
  family: 'name.family', given: 'name.given', gender: 'gender', birthdate: 'birthDate', birthplace: 'birthPlace',
};

/** Step 2: INSi's verdict on the INS, when the state machine needs one; a new INS it rejects is refused. */
async function verifyIns(
  evidence: WriteEvidence, insi: InsiLookup, tx: StoreReader, gate: () => void,
): Promise<{ input: StatusInput; queried: boolean }> {
  const { input } = evidence;
  if (!insiCallNeeded(input) || ('verified' in input.ins && input.ins.verified !== undefined)) return { input, queried: false };
  if (!evidence.ins?.value || !evidence.traits) return { input: { ...input, ins: { kind: input.ins.kind as 'new' | 'kept', verified: false } }, queried: false };
  gate();
  // Through the write's own transaction: on PostgreSQL a lookup on another pooled connection can deadlock a full pool.
  // With its OID: the same number under another authority's system (a NIR sent as a NIA or a test INS) is not the register's INS.
  const system = typeof evidence.ins.system === 'string' ? evidence.ins.system : undefined;
  const verdict = await insi.verify(String(evidence.ins.value).toUpperCase(), evidence.traits, system, tx);
  if (!verdict.valid && input.ins.kind === 'new') {
    if (verdict.mismatches.includes('ins')) throw fail('ins.insi-unknown', {}, { expression: ['Patient.identifier'] });
    const traits = verdict.mismatches.filter((m): m is TraitName => m !== 'ins');
    throw fail('ins.insi-mismatch', { traits: traits.map((t) => TRAIT_ELEMENTS[t]).join(', ') }, { expression: traits.map((t) => TRAIT_PATHS[t]) });
  }
  return { input: { ...input, ins: { kind: input.ins.kind as 'new' | 'kept', verified: verdict.valid } }, queried: true };
}

/**
 * The INS identifier as stored: value in capitals, and FR Core's type coding
 * (fr-core-patient-ins fixes type to fr-core-v2-0203#INS-NIR, INS-NIA…) added
 * when the client left it out, whether without a type or with codings of
 * other systems only, which are kept after it.
 */
function normalisedIns(identifier: FhirIdentifier): FhirIdentifier {
  const typeCode = INS_KIND_RULES[insKindOf(identifier)!].typeCode;
  const coding = { system: IDENTIFIER_TYPE_SYSTEM, code: typeCode };
  const type = frTypeCodes(identifier).includes(typeCode)
    ? identifier.type
    : { ...identifier.type, coding: [coding, ...(identifier.type?.coding ?? [])] };
  return { ...identifier, value: String(identifier.value).toUpperCase(), type };
}

/** Step 4: the Patient as the decided status allows it to be stored. */
function shapePatient(resource: Json, decision: Extract<StatusDecision, { ok: true }>, evidence: WriteEvidence, insiDate: string | undefined): Json {
  // Identifiers keep their order (an unchanged rewrite stays the same version);
  // an INS coming back from aside (RECUP → QUAL) goes last.
  const onPatient = decision.insPlacement === 'patient' ? evidence.ins : undefined;
  const written = Array.isArray(resource.identifier) ? (resource.identifier as FhirIdentifier[]) : [];
  const identifiers = written.flatMap((identifier) => {
    if (!insKindOf(identifier)) return [identifier];
    if (identifier === onPatient) return [normalisedIns(identifier)];
    return onPatient && identifier.use === 'old' ? [identifier] : [];
  });
  if (onPatient && !written.includes(onPatient)) identifiers.push(normalisedIns(onPatient));
  const { identifier: _dropped, ...rest } = resource;
  const meta = (resource.meta ?? {}) as Json;
  const profiles = (Array.isArray(meta.profile) ? (meta.profile as string[]) : []).filter((p) => p !== PATIENT_PROFILE && p !== PATIENT_INS_PROFILE);
  const shaped: Json = {
    ...rest,
    meta: { ...meta, profile: [...profiles, PATIENT_PROFILE, ...(decision.status === 'QUAL' ? [PATIENT_INS_PROFILE] : [])] },
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
  };
  return withReliability(shaped, {
    status: decision.status, dropDocument: decision.dropDocument, dropCollection: decision.dropAppliCarteVitale, ...(insiDate ? { insiDate } : {}),
  });
}

/**
 * The INSi query date of an INS the identity keeps without a new query, when
 * the write leaves it out: FR Core's dateInterrogationINSi records every INSi
 * call, and the server, which made the call, keeps it on a RECUP or QUAL
 * identity — from the stored version, else from the day the INS set aside was
 * confirmed (a client adding a document check to a RECUP identity need not
 * copy it). Dated as the French services date their calls: the day in
 * Europe/Paris (french-day.ts), not the UTC day.
 */
function heldInsiDate(status: IdentityStatus, resource: Json, current: Json | undefined, aside: PendingIns | undefined): string | undefined {
  if ((status !== 'RECUP' && status !== 'QUAL') || readReliability(resource).insiDate !== undefined) return undefined;
  return (current ? readReliability(current).insiDate : undefined) ?? (aside ? frenchDay(aside.verifiedAt) : undefined);
}

/** Step 5: Provenance, review Task and audit entry of a status change. */
async function recordChange(context: WriteHookContext, change: StatusChange, review: boolean): Promise<void> {
  // A Patient entering with the default status (manual creation gives PROV) is recorded in the audit trail only:
  // a Provenance for every created Patient would double the cost of every create and import. Every later
  // change, and an entry straight into VALI/RECUP/QUAL, gets its Provenance.
  if (change.from === undefined && change.to === 'PROV' && !review) {
    recordAfterCommit(context, statusAuditEntry(change, [], context.request.requestId));
    return;
  }
  const provenance = await createInTransaction(context, statusProvenance(change));
  const entities = [`Provenance/${provenance.id}`];
  if (review) entities.push(`Task/${(await createInTransaction(context, reviewTask(change))).id}`);
  recordAfterCommit(context, statusAuditEntry(change, entities, context.request.requestId));
}

/** A status change is in the audit trail only once the Patient's write is committed: a rolled-back transaction changed nothing. */
function recordAfterCommit(context: WriteHookContext, entry: AuditEntry): void {
  context.tx.afterCommit(() => context.deps.audit.record(entry));
}

/**
 * A former INS (use old) is never verified against INSi, so it may not be
 * claimed: it stays where it already was, and enters a record only with the
 * record it identified, the Patient this one `replaces` (a merge), which must
 * hold it. Otherwise anyone could attach another person's INS and have the
 * cross-references (PIXm) join two people.
 */
async function checkFormerIns(old: readonly FhirIdentifier[], resource: Json, context: WriteHookContext): Promise<void> {
  const kept = context.current ? (identifiersOf(context.current) as FhirIdentifier[]) : [];
  const added = old.filter((identifier) => !kept.some((k) => sameIns(k, identifier)));
  if (added.length === 0) return;
  const held: FhirIdentifier[] = [];
  for (const id of linkedIds(resource, context.request.baseUrl, 'replaces')) {
    const stored = await context.tx.readCurrent('Patient', id);
    if (stored && !stored.deleted && stored.content !== null) held.push(...(identifiersOf(JSON.parse(stored.content) as Json) as FhirIdentifier[]));
  }
  if (added.some((identifier) => !held.some((h) => sameIns(h, identifier)))) {
    throw fail('ins.old-unproven', {}, { expression: ['Patient.identifier'] });
  }
}

/**
 * An INS read from the Appli carte Vitale qualifies without INSi (RNIV 1 v2.0
 * §4.3.4), so the reading is taken only from those INSi itself admits: a
 * professional's or a structure's software reads the app (QR code, NFC), and
 * Socle's own work; a patient's token cannot qualify its own record that way.
 */
function checkAppliCarteVitaleReader(input: StatusInput, principal: Principal | undefined): void {
  if (input.appliCarteVitale === 'fresh' && principal?.kind === 'patient' && appliCarteVitaleHolds(input)) {
    throw fail('vigilance.appli-carte-vitale-forbidden', {}, { expression: ["Patient.extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability').extension('methodCollection')"] });
  }
}

async function applyVigilance(resource: JsonResource, context: WriteHookContext, deps: VigilanceDeps): Promise<JsonResource> {
  const aside = context.current ? await deps.pending.get(context.id, context.tx) : undefined;
  const evidence = gatherEvidence(resource, context.current, aside?.identifier, latestFrenchDay(context.deps.clock.now()));
  checkAppliCarteVitaleReader(evidence.input, context.request.principal);
  const { input, queried } = await verifyIns(evidence, deps.insi, context.tx, () => deps.insiGate?.(context.request.principal));
  const decision = nextStatus(input);
  if (!decision.ok) throw fail(decision.key, decision.params, { expression: ["Patient.extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability')"] });
  if (decision.status !== 'QUAL' && evidence.oldIns.length > 0) throw fail('ins.old-not-qualified', {}, { expression: ['Patient.identifier'] });
  await checkFormerIns(evidence.oldIns, resource, context);

  if (evidence.warnings.length > 0) {
    context.warn(evidence.warnings);
    deps.logger?.info({ reqId: context.request.requestId, warnings: evidence.warnings.map((w) => w.message) }, 'identity-vigilance: INS accepted with warnings');
  }
  const now = context.deps.clock.now();
  const insiDate = queried ? frenchDay(now) : heldInsiDate(decision.status, resource, context.current, aside);
  const stored = shapePatient(resource, decision, evidence, insiDate);
  if (decision.insPlacement === 'aside' && evidence.ins) {
    await deps.pending.put(context.id, { identifier: normalisedIns(evidence.ins), verifiedAt: aside && input.ins.kind === 'kept' && !queried ? aside.verifiedAt : now }, context.tx);
  } else if (aside) {
    await deps.pending.delete(context.id, context.tx);
  }
  if (decision.reasons.length > 0) {
    const change: StatusChange = {
      patientId: context.id, to: decision.status, reasons: decision.reasons, now,
      ...(input.previous ? { from: input.previous } : {}),
      ...(context.request.principal ? { principal: context.request.principal } : {}),
    };
    await recordChange(context, change, decision.review);
  }
  if (decision.insPlacement === 'patient' && evidence.ins) await reportDuplicateIns(context, stored, evidence.ins, now);
  return stored as JsonResource;
}

/**
 * One INS, one person (duplicate-ins.ts): when this write puts an INS on a
 * QUAL record that did not hold it in use, any other active QUAL record
 * holding it is a doublon, reported by a Task, never in the answer.
 */
async function reportDuplicateIns(context: WriteHookContext, stored: Json, ins: FhirIdentifier, now: number): Promise<void> {
  const current = context.current;
  // Held in use: an inactive or merged-away record made active again is a doublon again (duplicate-ins.ts).
  const alreadyHeld = current !== undefined && current.active !== false && replacedBy(current, context.request.baseUrl) === undefined
    && readReliability(current).statuses[0] === 'QUAL' && sameIns(activeInsOf(current), ins);
  if (alreadyHeld || stored.active === false || replacedBy(stored, context.request.baseUrl) !== undefined) return;
  const others = await otherQualifiedHolders(context.tx, ins, context.id, context.request.baseUrl);
  if (others.length === 0) return;
  const { principal } = context.request;
  const task = await createInTransaction(context, duplicateInsTask(context.id, others, now, principal));
  recordAfterCommit(context, duplicateInsAuditEntry(context.id, others, task.id, now, principal, context.request.requestId));
}

/**
 * fr-core-patient-ins is the profile of a qualified identity: a write sets it
 * on QUAL Patients only (shapePatient), and $meta-add, which changes meta
 * without a write, may not claim it for another status.
 */
function checkInsProfileClaim(resource: JsonResource): void {
  const profiles = ((resource.meta as Json | undefined)?.profile ?? []) as unknown[];
  const status = readReliability(resource).statuses[0] ?? 'PROV';
  if (profiles.includes(PATIENT_INS_PROFILE) && status !== 'QUAL') {
    throw fail('vigilance.ins-profile-not-qualified', { status }, { expression: ['Patient.meta.profile'] });
  }
}

/**
 * The WriteHook on Patient: status lifecycle on writes, the set-aside INS
 * removed with the Patient, and the INS withheld from past versions of an
 * identity no longer QUAL (past-ins.ts).
 */
export function patientVigilanceHook(deps: VigilanceDeps): WriteHook {
  return {
    types: ['Patient'],
    beforeWrite: (resource, context) => applyVigilance(resource, context, deps),
    async beforeDelete(context) {
      await deps.pending.delete(context.id, context.tx);
    },
    shownVersions: (versions, context) => withPastInsWithheld(versions, context.reader),
    beforeMetaChange: async (resource) => checkInsProfileClaim(resource),
  };
}
