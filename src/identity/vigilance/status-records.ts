/**
 * What a status change leaves behind, in the same transaction as the Patient:
 * a Provenance (http://hl7.org/fhir/R4/provenance.html) saying who changed
 * the status, from what to what and why; for a lost INS-backed status, an
 * identity-vigilance Task (http://hl7.org/fhir/R4/task.html) for the
 * identity-vigilance unit; and the audit entry. Texts are French with the
 * English in FHIR's translation extension, and name traits, never values.
 */
import type { AuditEntry } from '../../core/audit-entry.js';
import type { JsonResource } from '../../fhir/rest/resource-version.js';
import type { MessageKey } from '../../core/i18n/messages.js';
import { translate, type MessageParams } from '../../core/i18n/translate.js';
import type { Principal } from '../../core/principal.js';
import type { IdentityStatus } from '../fr-core.js';
import type { Reason } from './next-status.js';

/** Socle's code system for identity-vigilance work items and activities. */
export const VIGILANCE_CODE_SYSTEM = 'urn:socle:identity-vigilance';
const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';

type Json = Record<string, unknown>;

/** The element extension carrying an English translation of a French string (FHIR's translation extension). */
function english(text: string): Json {
  return { extension: [{ url: TRANSLATION, extension: [{ url: 'lang', valueCode: 'en' }, { url: 'content', valueString: text }] }] };
}

/** A catalogue message in French, and the extension with its English; params may differ by language. */
export function bilingualText(key: MessageKey, fr: MessageParams, en: MessageParams = fr): [string, Json] {
  return [translate(key, fr, 'fr'), english(translate(key, en, 'en'))];
}

/** Reasons joined in one language; trait codes become their names. */
function reasonText(reasons: readonly Reason[], language: 'fr' | 'en'): string {
  return reasons.map((r) => {
    const traits = typeof r.params.traits === 'string' && r.params.traits !== ''
      ? r.params.traits.split(', ').map((t) => translate(`vigilance.trait.${t}` as MessageKey, {}, language)).join(', ')
      : r.params.traits;
    return translate(r.key, { ...r.params, traits }, language);
  }).join(language === 'fr' ? ' ; ' : '; ');
}

/** Who did it, as a Reference: the fhirUser, else the professional's idNat_PS, else the client; never a patient's INS. */
export function agentReference(principal: Principal | undefined): Json {
  if (!principal) return { display: 'Auteur inconnu (requête non authentifiée) / unknown author' };
  const display = principal.display ? { display: principal.display } : {};
  if (principal.fhirUser) return { reference: principal.fhirUser, ...display };
  if (principal.kind === 'practitioner' && principal.nationalId) return { identifier: { system: ID_NAT_PS, value: principal.nationalId }, ...display };
  if (principal.kind === 'patient') return { display: 'Patient' };
  return { identifier: { system: `urn:socle:client`, value: principal.clientId }, ...display };
}

export interface StatusChange {
  readonly patientId: string;
  readonly from?: IdentityStatus;
  readonly to: IdentityStatus;
  readonly reasons: readonly Reason[];
  readonly principal?: Principal;
  readonly now: number;
}

function transitionParams(change: StatusChange, language: 'fr' | 'en'): MessageParams {
  return { from: change.from ?? '∅', to: change.to, reason: reasonText(change.reasons, language) };
}

/** The Provenance of a status change; the target is the Patient (its new version number is not known inside the write). */
export function statusProvenance(change: StatusChange): JsonResource {
  const [text, translation] = bilingualText('vigilance.transition', transitionParams(change, 'fr'), transitionParams(change, 'en'));
  return {
    resourceType: 'Provenance',
    target: [{ reference: `Patient/${change.patientId}` }],
    recorded: new Date(change.now).toISOString(),
    activity: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: change.from ? 'UPDATE' : 'CREATE' },
        { system: VIGILANCE_CODE_SYSTEM, code: 'identity-status-change', display: `${change.from ?? '∅'} → ${change.to}` },
      ],
      text: `${change.from ?? '∅'} → ${change.to}`,
    },
    reason: [{
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATADMIN' }],
      text,
      _text: translation,
    }],
    agent: [{
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
      who: agentReference(change.principal),
    }],
  };
}

/** The identity-vigilance review opened when a RECUP or QUAL identity loses its INS-backed status. */
export function reviewTask(change: StatusChange): JsonResource {
  const [description, translation] = bilingualText('vigilance.task-description', transitionParams(change, 'fr'), transitionParams(change, 'en'));
  const requester = change.principal?.fhirUser ? { requester: { reference: change.principal.fhirUser } } : {};
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'urgent',
    code: { coding: [{ system: VIGILANCE_CODE_SYSTEM, code: 'identity-vigilance-review', display: 'Revue d’identitovigilance' }] },
    description,
    _description: translation,
    focus: { reference: `Patient/${change.patientId}` },
    for: { reference: `Patient/${change.patientId}` },
    authoredOn: new Date(change.now).toISOString(),
    ...requester,
  };
}

/** The audit entry of a status change: who, which patient, which records; no trait value. */
export function statusAuditEntry(change: StatusChange, entities: readonly string[], requestId?: string): AuditEntry {
  return {
    action: change.from ? 'U' : 'C',
    interaction: `identity-status:${change.from ?? 'none'}-${change.to}`,
    outcome: '0',
    ...(change.principal ? { principal: change.principal } : {}),
    patients: [change.patientId],
    entities: [`Patient/${change.patientId}`, ...entities],
    recorded: change.now,
    purposeOfUse: 'PATADMIN',
    ...(requestId ? { requestId } : {}),
  };
}
