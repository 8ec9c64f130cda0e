/**
 * Which identifiers of a Patient are an INS, after FR Core's
 * fr-core-patient-ins slices (https://hl7.fr/ig/fhir/core/StructureDefinition-fr-core-patient-ins.html):
 * INS-NIR (urn:oid:1.2.250.1.213.1.4.8, use official, or old after a merge),
 * INS-NIA (…4.9, use temp), INS-NIR-TEST (…4.10) and INS-NIR-DEMO (…4.11),
 * both use official. Reference §0 and §1.3. FR Core documents `old` (an INS
 * kept after a merge) for the NIR only; a merge keeps a NIA, test or demo
 * INS the same way, so `old` is accepted for every kind: it is never the
 * active INS, and it too is only stored on a QUAL identity.
 *
 * The NIR system is shared with the billing number (NSS, fr-core-patient's
 * slice typed NH): an identifier of that system typed NH is not an INS.
 */
import { IDENTIFIER_TYPE_SYSTEM, INS_C_SYSTEM, INS_SYSTEMS } from '../fr-core.js';

export type InsKind = keyof typeof INS_SYSTEMS;

export interface InsKindRule {
  readonly kind: InsKind;
  readonly system: string;
  /** The fr-core-cs-v2-0203 type code of the slice. */
  readonly typeCode: string;
  /** The uses accepted: the slice's active use first, then `old` (kept after a merge). */
  readonly uses: readonly string[];
}

export const INS_KIND_RULES: Readonly<Record<InsKind, InsKindRule>> = {
  NIR: { kind: 'NIR', system: INS_SYSTEMS.NIR, typeCode: 'INS-NIR', uses: ['official', 'old'] },
  NIA: { kind: 'NIA', system: INS_SYSTEMS.NIA, typeCode: 'INS-NIA', uses: ['temp', 'old'] },
  TEST: { kind: 'TEST', system: INS_SYSTEMS.TEST, typeCode: 'INS-NIR-TEST', uses: ['official', 'old'] },
  DEMO: { kind: 'DEMO', system: INS_SYSTEMS.DEMO, typeCode: 'INS-NIR-DEMO', uses: ['official', 'old'] },
};

/** The billing-number type (v2-0203 NH) that FR Core puts on the NIR system for the NSS slice. */
export const NSS_TYPE_CODE = 'NH';

export interface FhirIdentifier {
  readonly use?: string;
  readonly system?: string;
  readonly value?: string;
  readonly type?: { readonly coding?: readonly { readonly system?: string; readonly code?: string }[] };
  readonly [key: string]: unknown;
}

/** The type codes of an identifier in FR Core's identifier-type code system. */
export function frTypeCodes(identifier: FhirIdentifier): string[] {
  return (identifier.type?.coding ?? []).filter((c) => c.system === IDENTIFIER_TYPE_SYSTEM && typeof c.code === 'string').map((c) => c.code as string);
}

function isBillingNumber(identifier: FhirIdentifier): boolean {
  return (identifier.type?.coding ?? []).some((c) => c.code === NSS_TYPE_CODE);
}

/**
 * True for the billing number (NSS) on the NIR system: fr-core-patient's NSS
 * slice, typed NH. It is stored as typed, with neither key nor trait check
 * (an ayant droit's NSS is the insured parent's NIR, whose sex and birth are
 * not the patient's; records migrated from billing systems carry numbers
 * without a valid key), on an identity of any status, and searchable as any
 * identifier. It is never an INS: never verified with INSi, never a reason to
 * qualify, and never used to link records — neither $ihe-pix
 * cross-references nor $match identifier evidence take it, since two people
 * (a parent and a child, twins) can share it.
 */
export function isNssBillingNumber(identifier: FhirIdentifier): boolean {
  return identifier.system === INS_KIND_RULES.NIR.system && isBillingNumber(identifier);
}

/**
 * True for the obsolete computed INS (INS-C): its system, or FR Core's INS-C
 * type on a system that is no INS's. Kept as the secondary identifier
 * fr-core-patient allows, it is never an INS: never verified, never a reason
 * to qualify, and, as a value computed from a card's data that two people
 * could share, never used to link records ($ihe-pix, $match, $duplicates).
 * The INS-C type on an INS system is an INS identifier of the wrong type (a
 * 422: ins.type-invalid).
 */
export function isComputedIns(identifier: FhirIdentifier): boolean {
  return identifier.system === INS_C_SYSTEM || (insKindOf(identifier) === undefined && frTypeCodes(identifier).includes('INS-C'));
}

/** Whether an identifier may link two records as the same person: not the billing number, nor the INS-C. */
export function linksRecords(identifier: FhirIdentifier): boolean {
  return !isNssBillingNumber(identifier) && !isComputedIns(identifier);
}

/** The INS kind of an identifier, or undefined when it is not an INS (other system, or the NSS billing number). */
export function insKindOf(identifier: FhirIdentifier): InsKind | undefined {
  const rule = Object.values(INS_KIND_RULES).find((r) => r.system === identifier.system);
  if (!rule) return undefined;
  if (rule.kind === 'NIR' && isBillingNumber(identifier)) return undefined;
  return rule.kind;
}

/** True for an INS identifier in use (not one kept as `old` after a merge). */
export function isActiveIns(identifier: FhirIdentifier): boolean {
  return insKindOf(identifier) !== undefined && identifier.use !== 'old';
}

/** Positions of the INS identifiers of a Patient. */
export function insIdentifierIndexes(identifiers: readonly FhirIdentifier[]): number[] {
  return identifiers.flatMap((identifier, index) => (insKindOf(identifier) ? [index] : []));
}
