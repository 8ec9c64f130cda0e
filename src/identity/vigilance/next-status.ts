/**
 * The RNIV identity-status lifecycle as a pure function (reference §1.3,
 * open points §4; FR Core fr-core-cs-identity-status): the status is the
 * crossing of two pieces of evidence the server holds, never a client's word.
 *
 *   INS verified with INSi × identity document checked → QUAL
 *   INS verified only → RECUP · document only → VALI · neither → PROV
 *
 * - DOUT (doubtful) or FICT (fictitious) keep the identity PROV and forbid any
 *   INSi call; they cannot be combined (RNIV EXI SI 09, FR Core invariants
 *   fr-core-identity-reliability-1 and -2). A doubtful identity cannot be
 *   validated, so a document check is not stored under DOUT/FICT (one the
 *   identity held is removed too: the doubt covers it): once the doubt is
 *   lifted, only a check recorded then makes it VALI (write-evidence.ts also
 *   refuses a check dated before the last version under doubt).
 * - The INS held (on the Patient when QUAL, aside when RECUP) stays evidence
 *   while the traits it was verified with stay; a trait change needs a new
 *   INSi verification, else the INS is lost.
 * - A document check vouches for the traits it was made on: a trait change
 *   keeps it only when the same write records a new check (another mode or
 *   date). Open points §4 leave downgrades UNCONFIRMED; this is the design:
 *   "drop to PROV, or VALI while a document check remains valid".
 * - An INS read from the Appli carte Vitale (methodCollection AV) is both
 *   pieces of evidence at once: RNIV 1 v2.0 §4.3.4 counts such an identity,
 *   an ayant droit's included, as qualified, and excludes the INSi call (FR
 *   Core fr-core-cs-method-collection#AV, dateInterrogationINSi). It vouches
 *   for the INS and traits it delivered: a later trait edit voids it (the
 *   stored AV is dropped) and the held INS is re-verified as for any QUAL.
 *   AV is stored only with the INS it vouches for (dropped otherwise: no INS,
 *   DOUT/FICT), so that an INS added later is never taken for a reading.
 * - Losing an INS-backed status (RECUP, QUAL) opens an identity-vigilance review.
 * - A claimed status is checked, not obeyed: it may repeat the stored status
 *   (a client writing back what it read) or equal the computed one; anything
 *   else is refused with the rule it breaks.
 */
import type { ErrorKey } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n/messages.js';
import type { MessageParams } from '../../core/i18n/translate.js';
import type { IdentityStatus } from '../fr-core.js';
import type { TraitName } from '../insi/contract.js';

export type InsEvidence =
  /** No INS, now or before. */
  | { readonly kind: 'none' }
  /** An INS the identity did not hold; `verified` is INSi's verdict (undefined when not asked). */
  | { readonly kind: 'new'; readonly verified?: boolean }
  /** The INS the identity already holds, re-sent or kept aside; re-verified only when traits changed. */
  | { readonly kind: 'kept'; readonly verified?: boolean }
  /** The INS of a QUAL identity, left out of the write. */
  | { readonly kind: 'removed' };

export interface StatusInput {
  /** Stored status; undefined on a creation. */
  readonly previous?: IdentityStatus;
  /** identityStatus as written by the client. */
  readonly claimed?: IdentityStatus;
  readonly doubtful: boolean;
  readonly fictitious: boolean;
  /** An accepted validation mode in the write: a new check, the stored one again, or none. */
  readonly document: 'fresh' | 'kept' | 'none';
  /** The validation-mode code, for the record. */
  readonly documentMode?: string;
  readonly changedTraits: readonly TraitName[];
  readonly ins: InsEvidence;
  /**
   * The INS was read from the Appli carte Vitale (methodCollection AV): in this
   * write ('fresh': a new INS, or AV newly recorded), or the stored reading
   * again ('kept'). Absent when the write does not say AV.
   */
  readonly appliCarteVitale?: 'fresh' | 'kept';
}

export interface Reason {
  readonly key: MessageKey;
  readonly params: MessageParams;
}

export type StatusDecision =
  | {
    readonly ok: true;
    readonly status: IdentityStatus;
    /** Where the INS goes: on the Patient (QUAL only), aside (RECUP), or nowhere. */
    readonly insPlacement: 'patient' | 'aside' | 'none';
    /** The stored document check no longer covers the traits: remove it. */
    readonly dropDocument: boolean;
    /** The write says AV but the reading vouches for no INS of this record (none, DOUT/FICT, traits edited): remove methodCollection AV. */
    readonly dropAppliCarteVitale: boolean;
    /** Why the status is what it is, when it changed. */
    readonly reasons: readonly Reason[];
    /** An INS-backed status was lost: an identity-vigilance review is due. */
    readonly review: boolean;
  }
  | { readonly ok: false; readonly key: ErrorKey; readonly params: MessageParams };

const HAS_INS: ReadonlySet<IdentityStatus> = new Set(['RECUP', 'QUAL']);
const HAS_DOCUMENT: ReadonlySet<IdentityStatus> = new Set(['VALI', 'QUAL']);

function refuse(key: ErrorKey, params: MessageParams = {}): StatusDecision {
  return { ok: false, key, params };
}

/**
 * Whether the Appli carte Vitale vouches for the INS and the traits of this
 * write: read now, or read before with no trait changed since; never for
 * DOUT/FICT, and never for an INS the traits contradict.
 */
export function appliCarteVitaleHolds(input: StatusInput): boolean {
  const { appliCarteVitale: av, ins } = input;
  if (av === undefined || input.doubtful || input.fictitious) return false;
  if ((ins.kind !== 'new' && ins.kind !== 'kept') || ins.verified === false) return false;
  return av === 'fresh' || input.changedTraits.length === 0;
}

/** Whether INSi must be asked before deciding: a new INS, or a held one whose traits changed; never for DOUT/FICT nor an Appli carte Vitale reading. */
export function insiCallNeeded(input: StatusInput): boolean {
  if (input.doubtful || input.fictitious || appliCarteVitaleHolds(input)) return false;
  return input.ins.kind === 'new' || (input.ins.kind === 'kept' && input.changedTraits.length > 0);
}

function evidenceStatus(ins: boolean, document: boolean): IdentityStatus {
  if (ins) return document ? 'QUAL' : 'RECUP';
  return document ? 'VALI' : 'PROV';
}

/** The status to store for a Patient write, or the rule the write breaks. */
export function nextStatus(input: StatusInput): StatusDecision {
  const { previous, claimed, ins } = input;
  if (input.doubtful && input.fictitious) return refuse('vigilance.dout-fict-together');
  const attribute = input.doubtful ? 'DOUT' : input.fictitious ? 'FICT' : undefined;
  if (attribute && ins.kind === 'new') return refuse('vigilance.insi-forbidden', { attribute });

  const traitsChanged = input.changedTraits.length > 0;
  const appli = appliCarteVitaleHolds(input);
  const insHeld = appli || (attribute === undefined && (
    (ins.kind === 'new' && ins.verified === true)
    || (ins.kind === 'kept' && (!traitsChanged || ins.verified === true))));
  const documentHeld = appli || input.document === 'fresh' || (input.document === 'kept' && !traitsChanged);
  const status = attribute ? 'PROV' : evidenceStatus(insHeld, documentHeld);

  if (claimed !== undefined && claimed !== status && claimed !== previous) {
    if (attribute) return refuse('vigilance.attribute-forces-prov', { attribute, claimed });
    if (HAS_INS.has(claimed) && !insHeld) return refuse('vigilance.status-needs-ins', { claimed });
    if (HAS_DOCUMENT.has(claimed) && !documentHeld) return refuse('vigilance.status-needs-document', { claimed });
    return refuse('vigilance.status-mismatch', { claimed, computed: status });
  }

  return {
    ok: true,
    status,
    insPlacement: status === 'QUAL' ? 'patient' : status === 'RECUP' ? 'aside' : 'none',
    // A check recorded under doubt vouches for nothing once the doubt is lifted: not kept, so that lifting it never validates on it.
    dropDocument: (input.document === 'kept' && traitsChanged) || (attribute !== undefined && input.document !== 'none'),
    // Left behind without the INS it vouches for, a reading would make the next INS written with it pass unverified.
    dropAppliCarteVitale: input.appliCarteVitale !== undefined && !appli,
    reasons: previous === status ? [] : reasonsFor(input, status, attribute, appli),
    review: previous !== undefined && HAS_INS.has(previous) && !HAS_INS.has(status),
  };
}

function reasonsFor(input: StatusInput, status: IdentityStatus, attribute: string | undefined, appli: boolean): Reason[] {
  const { previous } = input;
  const reasons: Reason[] = [];
  const traits = { traits: input.changedTraits.join(', ') };
  const appliReason: Reason = { key: 'vigilance.reason.appli-carte-vitale', params: {} };
  if (previous === undefined) reasons.push({ key: 'vigilance.reason.created', params: {} });
  if (HAS_DOCUMENT.has(status) && !(previous && HAS_DOCUMENT.has(previous))) {
    reasons.push(appli && input.document !== 'fresh' ? appliReason : { key: 'vigilance.reason.document', params: { mode: input.documentMode ?? '-' } });
  }
  if (HAS_INS.has(status) && !(previous && HAS_INS.has(previous))) reasons.push(appli ? appliReason : { key: 'vigilance.reason.insi', params: {} });
  const lostIns = previous !== undefined && HAS_INS.has(previous) && !HAS_INS.has(status);
  const lostDocument = previous !== undefined && HAS_DOCUMENT.has(previous) && !HAS_DOCUMENT.has(status);
  if (attribute && (lostIns || lostDocument)) reasons.push({ key: 'vigilance.reason.attribute', params: { attribute } });
  else {
    if (lostIns && input.ins.kind === 'removed') reasons.push({ key: 'vigilance.reason.ins-removed', params: {} });
    if ((lostIns && input.ins.kind !== 'removed') || (lostDocument && input.changedTraits.length > 0)) {
      reasons.push({ key: 'vigilance.reason.traits', params: traits });
    }
    if (lostDocument && input.changedTraits.length === 0) reasons.push({ key: 'vigilance.reason.document-removed', params: {} });
  }
  return reasons.filter((r, i) => reasons.findIndex((o) => o.key === r.key) === i);
}
