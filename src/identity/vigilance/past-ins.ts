/**
 * The INS in the past versions of a Patient (reference §1.3: only a qualified
 * identity may reference or exchange data with its INS). The write hook keeps
 * the INS off the current version of every identity that is not QUAL, but the
 * versions written while it was QUAL still hold it, and vread and history
 * serve them. Read through those, a past version shows an INS only when the
 * identity is QUAL now and still holds that INS (same system and value): an
 * identity that lost QUAL (trait edited, DOUT set, deleted) shows none, and a
 * re-qualified one does not show an INS it no longer carries.
 *
 * What is withheld is marked, so that the version is not taken for what was
 * written: the fr-core-patient-ins profile goes (the version no longer has the
 * INS that profile requires) and the security label REDACTED of
 * v3-ObservationValue ("some information has been removed from the source
 * object") is added.
 */
import { carryDecimals, parseJson, stringifyJson } from '../../core/json/decimal-json.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import { INS_SYSTEMS, PATIENT_INS_PROFILE } from '../fr-core.js';
import { insKindOf, type FhirIdentifier } from '../ins/ins-identifier.js';
import { readReliability } from './reliability.js';

type Json = Record<string, unknown>;

export const REDACTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED', display: 'redacted' } as const;

/** Every INS system shares this prefix: a version whose text lacks it holds no INS and is not parsed. */
const INS_OID_PREFIX = 'urn:oid:1.2.250.1.213.1.4.';
if (!Object.values(INS_SYSTEMS).every((system) => system.startsWith(INS_OID_PREFIX))) throw new Error('INS systems changed: update INS_OID_PREFIX');

function identifiersOf(resource: Json): FhirIdentifier[] {
  return Array.isArray(resource.identifier) ? (resource.identifier as FhirIdentifier[]) : [];
}

const insKey = (identifier: FhirIdentifier): string => `${identifier.system ?? ''}|${identifier.value ?? ''}`;

/** The INS a current version may still show in its past: all it holds when QUAL, none otherwise. */
function insOfQualified(current: StoredVersion | undefined): ReadonlySet<string> {
  if (!current || current.deleted || current.content === null) return new Set();
  const resource = parseJson(current.content) as Json;
  if (readReliability(resource).statuses[0] !== 'QUAL') return new Set();
  return new Set(identifiersOf(resource).filter((i) => insKindOf(i) !== undefined).map(insKey));
}

/** The meta of a version some INS was withheld from: labelled REDACTED, and without the INS profile unless an INS remains. */
function redactedMeta(meta: Json | undefined, stillIns: boolean): Json {
  const { profile, security, ...other } = (meta ?? {}) as Json & { profile?: string[]; security?: Json[] };
  const profiles = (profile ?? []).filter((url) => stillIns || url !== PATIENT_INS_PROFILE);
  return { ...other, ...(profiles.length > 0 ? { profile: profiles } : {}), security: [...(security ?? []), REDACTED] };
}

/** `version` without the INS identifiers outside `kept`; the same object when it has none. */
function withoutIns(version: StoredVersion, kept: ReadonlySet<string>): StoredVersion {
  if (version.content === null) return version;
  const resource = parseJson(version.content) as Json;
  const identifiers = identifiersOf(resource);
  const shown = identifiers.filter((i) => insKindOf(i) === undefined || kept.has(insKey(i)));
  if (shown.length === identifiers.length) return version;
  const meta = redactedMeta(resource.meta as Json | undefined, shown.some((i) => insKindOf(i) !== undefined));
  // The stored element order is kept; a meta the version lacked comes after its id.
  const redacted: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'identifier') {
      if (shown.length > 0) redacted.identifier = shown;
    } else redacted[key] = key === 'meta' ? meta : value;
    if (key === 'id' && !('meta' in resource)) redacted.meta = meta;
  }
  carryDecimals(resource, redacted);
  return { ...version, content: stringifyJson(redacted) };
}

/** Patient versions as vread and history show them: the INS only while the identity is QUAL and holds it. */
export async function withPastInsWithheld(versions: readonly StoredVersion[], reader: StoreReader): Promise<readonly StoredVersion[]> {
  const holding = versions.filter((v) => v.content !== null && v.content.includes(INS_OID_PREFIX));
  if (holding.length === 0) return versions;
  const ids = [...new Set(holding.map((v) => v.id))];
  const currents = new Map((await reader.readMany(ids.map((id) => ({ resourceType: 'Patient', id })))).map((c) => [c.id, c]));
  const kept = new Map(ids.map((id) => [id, insOfQualified(currents.get(id))]));
  const held = new Set(holding);
  return versions.map((v) => (held.has(v) ? withoutIns(v, kept.get(v.id) ?? new Set()) : v));
}
