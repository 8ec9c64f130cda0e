/**
 * A reference identity of the register: an INS (matricule + OID of its
 * assigning authority) and its five traits (reference §1.1), read from a
 * fr-core-patient-ins Patient and checked before it enters the register.
 */
import { fail, type FhirError } from '../../core/errors.js';
import { INS_SYSTEMS, traitsOf, type InsTraits } from '../fr-core.js';
import { isCalendarMonth, isPseudoMonth } from '../ins/check-ins-identifier.js';
import { parseInsNumber } from '../ins/nir.js';
import type { InsiIdentity } from './contract.js';
import { hasLetter } from './normalise.js';

type Json = Record<string, unknown>;

const INS_SYSTEM_VALUES: readonly string[] = Object.values(INS_SYSTEMS);

/** FHIR date (http://hl7.org/fhir/R4/datatypes.html#date), and a real calendar day when complete. */
export function isFhirDate(value: string): boolean {
  if (!/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(value) || value.startsWith('0000')) return false;
  if (value.length < 10) return true;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An INSEE (COG) code of a birth place: a commune (Corsica 2A/2B included) or 99xxx for a country. */
export function isInseeCode(value: string): boolean {
  return /^(\d{5}|2[AB]\d{3})$/.test(value);
}

/** True when `system` is one of the four INS OIDs (NIR, NIA, test, demo). */
export function isInsSystem(system: string): boolean {
  return INS_SYSTEM_VALUES.includes(system);
}

/**
 * The problem with an identity, or undefined when it may enter the register:
 * a well-keyed INS under an INS OID, the five traits present and well formed,
 * and the INS agreeing with the traits it encodes (sex digit 1 male / 2 female,
 * last two digits of the birth year; reference §1.2).
 */
export function identityProblem(identity: InsiIdentity): FhirError | undefined {
  const parsed = parseInsNumber(identity.ins);
  if (!parsed.ok) return fail('insi.ins-invalid', { problem: parsed.problem });
  if (!isCalendarMonth(parsed.parts.month) && !isPseudoMonth(parsed.parts.month)) return fail('ins.number-month', { month: parsed.parts.month });
  if (!isInsSystem(identity.system)) return fail('insi.ins-system-unknown', { system: identity.system });
  const { traits } = identity;
  if (!hasLetter(traits.family)) return fail('insi.reference-trait-missing', { trait: 'family' });
  if (traits.given.length === 0 || !traits.given.every(hasLetter)) return fail('insi.reference-trait-missing', { trait: 'given' });
  if (traits.gender !== 'male' && traits.gender !== 'female' && traits.gender !== 'unknown') return fail('insi.reference-trait-missing', { trait: 'gender' });
  if (!isFhirDate(traits.birthDate)) return fail('insi.reference-trait-missing', { trait: 'birthDate' });
  if (traits.birthPlace === undefined || !isInseeCode(traits.birthPlace)) return fail('insi.reference-trait-missing', { trait: 'birthPlace' });
  const sex = traits.gender === 'male' ? '1' : traits.gender === 'female' ? '2' : undefined;
  if (sex !== undefined && parsed.parts.sex !== sex) return fail('insi.reference-inconsistent', { detail: 'sex digit / gender' });
  if (parsed.parts.year !== traits.birthDate.slice(2, 4)) return fail('insi.reference-inconsistent', { detail: 'birth year' });
  return undefined;
}

function insIdentifier(patient: Json): { system: string; value: string } | undefined {
  const identifiers = Array.isArray(patient.identifier) ? (patient.identifier as Json[]) : [];
  // An INS-NIR kept with use=old after a merge is not the current INS (FR Core).
  const current = identifiers.filter((i) => typeof i.system === 'string' && isInsSystem(i.system) && typeof i.value === 'string' && i.use !== 'old');
  const chosen = current.find((i) => i.system !== INS_SYSTEMS.NIA) ?? current[0];
  return chosen ? { system: chosen.system as string, value: (chosen.value as string).toUpperCase() } : undefined;
}

/** Reads a reference identity from a fr-core-patient-ins Patient; throws the catalogued reason when it cannot enter the register. */
export function identityFromPatient(patient: unknown): InsiIdentity {
  if (patient === null || typeof patient !== 'object' || (patient as Json).resourceType !== 'Patient') throw fail('insi.reference-not-patient');
  const ins = insIdentifier(patient as Json);
  if (!ins) throw fail('insi.reference-no-ins');
  const traits: InsTraits | undefined = traitsOf(patient as Json);
  if (!traits) throw fail('insi.reference-trait-missing', { trait: typeof (patient as Json).birthDate === 'string' ? 'family' : 'birthDate' });
  // traitsOf reads a missing gender as unknown; the register wants the trait itself (fr-core-patient-ins: gender 1..1).
  if (typeof (patient as Json).gender !== 'string') throw fail('insi.reference-trait-missing', { trait: 'gender' });
  const identity: InsiIdentity = {
    ins: ins.value,
    system: ins.system,
    traits: { ...traits, ...(traits.birthPlace !== undefined ? { birthPlace: traits.birthPlace.toUpperCase() } : {}) },
  };
  const problem = identityProblem(identity);
  if (problem) throw problem;
  return identity;
}
