/**
 * Reading the Parameters of $ins-retrieve and $ins-verify
 * (http://hl7.org/fhir/R4/parameters.html, operations.html#request): each
 * parameter in its declared value type, the cardinalities enforced, unknown
 * parameters refused ("in doubt, the strict behaviour"). Problems of form
 * answer 400, values that break a rule (a bad INS key, an unknown sex) 422.
 */
import { fail, validationFailure } from '../../core/errors.js';
import type { EngineDeps } from '../../fhir/rest/context.js';
import type { InsTraits } from '../fr-core.js';
import { isCalendarMonth, isPseudoMonth } from '../ins/check-ins-identifier.js';
import { parseInsNumber } from '../ins/nir.js';
import { hasLetter, splitGiven } from './normalise.js';
import { isFhirDate, isInseeCode, isInsSystem } from './reference-identity.js';

type Json = Record<string, unknown>;

const GENDERS: readonly string[] = ['male', 'female', 'other', 'unknown'];
const TRAIT_PARAMETERS = ['family', 'given', 'gender', 'birthdate', 'birthplace'];

/** The traits a caller sends; the birth place is optional in both operations. */
export type AskedTraits = InsTraits;

interface Parameter {
  readonly name: string;
  readonly value: Json;
}

function parametersOf(deps: EngineDeps, body: unknown, allowed: readonly string[]): Parameter[] {
  if (body === null || typeof body !== 'object' || (body as Json).resourceType !== 'Parameters') throw fail('insi.parameters-required');
  const result = deps.validate(body, 'Parameters');
  if (!result.valid) throw validationFailure(result.issues);
  const list = Array.isArray((body as Json).parameter) ? ((body as Json).parameter as Json[]) : [];
  return list.map((p) => {
    const name = String(p.name);
    if (!allowed.includes(name)) throw fail('insi.parameter-unknown', { name });
    return { name, value: p };
  });
}

/** The one value of `name` in one of the accepted value[x] types; undefined when absent and optional. */
function single(list: readonly Parameter[], name: string, types: readonly string[], required: boolean): string | Json | undefined {
  const found = list.filter((p) => p.name === name);
  if (found.length > 1) throw fail('insi.parameter-repeated', { name });
  if (found.length === 0) {
    if (required) throw fail('insi.parameter-missing', { name });
    return undefined;
  }
  return valueOf(found[0]!, types);
}

function valueOf(parameter: Parameter, types: readonly string[]): string | Json {
  for (const type of types) {
    const value = parameter.value[`value${type}`];
    if (value !== undefined) return value as string | Json;
  }
  throw fail('insi.parameter-type', { name: parameter.name, expected: types.map((t) => `value${t}`).join(' / ') });
}

function traitsFrom(list: readonly Parameter[]): AskedTraits {
  const family = single(list, 'family', ['String'], true) as string;
  if (!hasLetter(family)) throw fail('insi.name-invalid', { name: 'family' });
  const givenValues = list.filter((p) => p.name === 'given').map((p) => valueOf(p, ['String']) as string);
  if (givenValues.length === 0) throw fail('insi.parameter-missing', { name: 'given' });
  const given = splitGiven(givenValues);
  if (given.length === 0 || !given.every(hasLetter)) throw fail('insi.name-invalid', { name: 'given' });
  const gender = single(list, 'gender', ['Code', 'String'], true) as string;
  if (!GENDERS.includes(gender)) throw fail('insi.gender-invalid', { value: gender });
  const birthDate = single(list, 'birthdate', ['Date'], true) as string;
  if (!isFhirDate(birthDate)) throw fail('insi.birthdate-invalid');
  const place = single(list, 'birthplace', ['Code', 'String'], false) as string | undefined;
  if (place !== undefined && !isInseeCode(place.toUpperCase())) throw fail('insi.birthplace-invalid');
  return {
    family,
    given,
    gender: gender as InsTraits['gender'],
    birthDate,
    ...(place !== undefined ? { birthPlace: place.toUpperCase() } : {}),
  };
}

/** $ins-retrieve's input: family, given (1..*), gender, birthdate, birthplace (0..1). */
export function retrieveInput(deps: EngineDeps, body: unknown): AskedTraits {
  return traitsFrom(parametersOf(deps, body, TRAIT_PARAMETERS));
}

/** $ins-verify's input: `ins` (a string, or an Identifier with an INS system) and the same traits. */
export function verifyInput(deps: EngineDeps, body: unknown): { ins: string; system?: string; traits: AskedTraits } {
  const list = parametersOf(deps, body, ['ins', ...TRAIT_PARAMETERS]);
  const raw = single(list, 'ins', ['String', 'Code', 'Identifier'], true)!;
  const identifier = typeof raw === 'string' ? { value: raw } : (raw as { system?: string; value?: string });
  if (typeof identifier.value !== 'string') throw fail('insi.parameter-missing', { name: 'ins.value' });
  if (identifier.system !== undefined && !isInsSystem(identifier.system)) throw fail('insi.ins-system-unknown', { system: identifier.system });
  const parsed = parseInsNumber(identifier.value.trim());
  if (!parsed.ok) throw fail('insi.ins-invalid', { problem: parsed.problem });
  // The key does not cover the month's meaning (reference §1.2): 01–12, or an INSEE pseudo-month.
  const { month } = parsed.parts;
  if (!isCalendarMonth(month) && !isPseudoMonth(month)) throw fail('ins.number-month', { month });
  return {
    ins: identifier.value.trim().toUpperCase(),
    ...(identifier.system !== undefined ? { system: identifier.system } : {}),
    traits: traitsFrom(list),
  };
}
