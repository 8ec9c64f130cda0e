/**
 * Reading and writing FR Core's identity-reliability extension
 * (https://hl7.fr/ig/fhir/core/StructureDefinition-fr-core-identity-reliability.html,
 * reference §1.3): identityStatus, comment (the RNIV attributes DOUT, FICT,
 * HOMA and the management codes), validationMode, validationDate,
 * methodCollection and dateInterrogationINSi. FR Core allows the extension
 * more than once on a Patient (1..* in fr-core-patient-ins); all are read,
 * and the server writes the status into the first.
 */
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM, IDENTITY_STATUS_SYSTEM, METHOD_COLLECTION_SYSTEM, type IdentityStatus } from '../fr-core.js';

type Json = Record<string, unknown>;

export interface Reliability {
  /** Every identityStatus code found (more than one is an error the caller reports). */
  readonly statuses: readonly string[];
  /** Codes of fr-core-cs-identity-status-comment in `comment` (DOUT, FICT, HOMA, DOUB…). */
  readonly comments: readonly string[];
  readonly validationMode?: { readonly system?: string; readonly code: string };
  readonly validationDate?: string;
  /** The collection channel's code, in FR Core's fr-core-cs-method-collection (or without a system); another system's code is not read. */
  readonly methodCollection?: string;
  readonly insiDate?: string;
}

/**
 * DOUT and FICT are read whatever their coding system (none, or another one).
 * FR Core's invariant fr-core-identity-reliability-1 and the RNIV (reference
 * §1.3, EXI SI 09) test the code alone, and the two readings fail differently:
 * taking a stray 'DOUT' as a doubt at worst keeps an identity PROV until the
 * client codes it properly, while ignoring it would call INSi and qualify an
 * identity its author flagged as doubtful or fictitious — the unsafe side.
 * HOMA and the management codes still need FR Core's system: they only inform.
 */
const DOUBT_CODES: ReadonlySet<unknown> = new Set(['DOUT', 'FICT']);

/**
 * The code systems earlier FR Core releases coded identityStatus and comment
 * in: the French extension of HL7 v2 table 0445, `fr-core-v2-0445` in FR Core
 * 1.x and `fr-core-cs-v2-0445` in 2.0 to 2.2, one list holding the statuses
 * (PROV, VALI, and RECUP, QUAL once the RNIV named them) and the attributes
 * and management codes (DOUT, FICT, HOMA, DOUB, VIDE…). FR Core now splits
 * them into fr-core-cs-identity-status and fr-core-cs-identity-status-comment,
 * same codes, same meaning. Clients built on those releases still send them,
 * so they are read as the current codes rather than refused: a status so
 * coded is a claim like any other, which the lifecycle checks (next-status.ts:
 * the server decides; a claim the evidence does not support is a 422 naming
 * the rule) and which is stored back in the current system. Dropping it, as
 * before, hid the refusal and stored PROV. A code of these systems that is no
 * status (DOUT, VIDE…), or a status from any other system, is a 422
 * (vigilance.status-unknown, naming system and code): identityStatus is bound
 * (required) to FR Core's status value set.
 */
export const LEGACY_RELIABILITY_SYSTEMS: ReadonlySet<unknown> = new Set([
  'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445',
  'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-v2-0445',
]);

/** The status code as read: the code alone in FR Core's systems (current or earlier), else system and code, which no status equals. */
function statusCode(coding: Json): string {
  const code = String(coding.code ?? '');
  return coding.system === undefined || coding.system === IDENTITY_STATUS_SYSTEM || LEGACY_RELIABILITY_SYSTEMS.has(coding.system) ? code : `${String(coding.system)}|${code}`;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function reliabilityExtensions(patient: Json): Json[] {
  return list(patient.extension).filter((e) => e.url === IDENTITY_RELIABILITY);
}

function parts(patient: Json, url: string): Json[] {
  return reliabilityExtensions(patient).flatMap((e) => list(e.extension).filter((p) => p.url === url));
}

function coding(part: Json | undefined): Json | undefined {
  return part?.valueCoding as Json | undefined;
}

/** The identity-reliability content of a Patient. */
export function readReliability(patient: Json): Reliability {
  const statuses = parts(patient, 'identityStatus')
    .map((p) => coding(p))
    .filter((c): c is Json => c !== undefined)
    .map(statusCode);
  const comments = [...new Set(parts(patient, 'comment').flatMap((p) =>
    list((p.valueCodeableConcept as Json | undefined)?.coding)
      .filter((c) => typeof c.code === 'string' && (c.system === IDENTITY_STATUS_COMMENT_SYSTEM || LEGACY_RELIABILITY_SYSTEMS.has(c.system) || DOUBT_CODES.has(c.code)))
      .map((c) => c.code as string)))];
  const mode = coding(parts(patient, 'validationMode')[0]);
  const validationDate = parts(patient, 'validationDate')[0]?.valueDate;
  const methodCoding = coding(parts(patient, 'methodCollection')[0]);
  const method = methodCoding?.system === undefined || methodCoding.system === METHOD_COLLECTION_SYSTEM ? methodCoding?.code : undefined;
  const insiDate = parts(patient, 'dateInterrogationINSi')[0]?.valueDate;
  return {
    statuses,
    comments,
    ...(typeof mode?.code === 'string' ? { validationMode: { code: mode.code, ...(typeof mode.system === 'string' ? { system: mode.system } : {}) } } : {}),
    ...(typeof validationDate === 'string' ? { validationDate } : {}),
    ...(typeof method === 'string' ? { methodCollection: method } : {}),
    ...(typeof insiDate === 'string' ? { insiDate } : {}),
  };
}

export interface ReliabilityChange {
  readonly status: IdentityStatus;
  /** Set when INSi was queried in this write (YYYY-MM-DD). */
  readonly insiDate?: string;
  /** Removes validationMode and validationDate: a check of traits that have since changed vouches for nothing. */
  readonly dropDocument?: boolean;
  /** Removes methodCollection: the traits are no longer those the Appli carte Vitale delivered. */
  readonly dropCollection?: boolean;
}

const STATUS_DISPLAY: Readonly<Record<IdentityStatus, string>> = {
  PROV: 'Identité provisoire',
  VALI: 'Identité validée',
  RECUP: 'Identité récupérée',
  QUAL: 'Identité qualifiée',
};

/** A copy of the Patient whose identity-reliability extension carries the server's status. */
export function withReliability(patient: Json, change: ReliabilityChange): Json {
  const removed = new Set(['identityStatus', ...(change.insiDate ? ['dateInterrogationINSi'] : []), ...(change.dropDocument ? ['validationMode', 'validationDate'] : []), ...(change.dropCollection ? ['methodCollection'] : [])]);
  const others = list(patient.extension).filter((e) => e.url !== IDENTITY_RELIABILITY);
  const existing = reliabilityExtensions(patient).map((e) => ({ ...e, extension: list(e.extension).filter((p) => !removed.has(String(p.url))) }));
  const [first = { url: IDENTITY_RELIABILITY, extension: [] }, ...rest] = existing;
  const added: Json[] = [
    { url: 'identityStatus', valueCoding: { system: IDENTITY_STATUS_SYSTEM, code: change.status, display: STATUS_DISPLAY[change.status] } },
    ...(change.insiDate ? [{ url: 'dateInterrogationINSi', valueDate: change.insiDate }] : []),
  ];
  const kept = [first, ...rest].map((e, i) => (i === 0 ? { ...e, extension: [...added, ...list(e.extension)] } : e))
    .filter((e) => list(e.extension).length > 0);
  return { ...patient, extension: [...others, ...kept] };
}
