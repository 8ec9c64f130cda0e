/**
 * Reading and writing FR Core's identity-reliability extension
 * (https://hl7.fr/ig/fhir/core/StructureDefinition-fr-core-identity-reliability.html,
 * reference §1.3): identityStatus, comment (the RNIV attributes DOUT, FICT,
 * HOMA and the management codes), validationMode, validationDate,
 * methodCollection and dateInterrogationINSi. FR Core allows the extension
 * more than once on a Patient (1..* in fr-core-patient-ins); all are read,
 * and the server writes the status into the first.
 */
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM, IDENTITY_STATUS_SYSTEM, type IdentityStatus } from '../fr-core.js';

type Json = Record<string, unknown>;

export interface Reliability {
  /** Every identityStatus code found (more than one is an error the caller reports). */
  readonly statuses: readonly string[];
  /** Codes of fr-core-cs-identity-status-comment in `comment` (DOUT, FICT, HOMA, DOUB…). */
  readonly comments: readonly string[];
  readonly validationMode?: { readonly system?: string; readonly code: string };
  readonly validationDate?: string;
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
    .filter((c): c is Json => c !== undefined && (c.system === undefined || c.system === IDENTITY_STATUS_SYSTEM))
    .map((c) => String(c.code ?? ''));
  const comments = [...new Set(parts(patient, 'comment').flatMap((p) =>
    list((p.valueCodeableConcept as Json | undefined)?.coding)
      .filter((c) => typeof c.code === 'string' && (c.system === IDENTITY_STATUS_COMMENT_SYSTEM || DOUBT_CODES.has(c.code)))
      .map((c) => c.code as string)))];
  const mode = coding(parts(patient, 'validationMode')[0]);
  const validationDate = parts(patient, 'validationDate')[0]?.valueDate;
  const method = coding(parts(patient, 'methodCollection')[0])?.code;
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
}

const STATUS_DISPLAY: Readonly<Record<IdentityStatus, string>> = {
  PROV: 'Identité provisoire',
  VALI: 'Identité validée',
  RECUP: 'Identité récupérée',
  QUAL: 'Identité qualifiée',
};

/** A copy of the Patient whose identity-reliability extension carries the server's status. */
export function withReliability(patient: Json, change: ReliabilityChange): Json {
  const removed = new Set(['identityStatus', ...(change.insiDate ? ['dateInterrogationINSi'] : []), ...(change.dropDocument ? ['validationMode', 'validationDate'] : [])]);
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
