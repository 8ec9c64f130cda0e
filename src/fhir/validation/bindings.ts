/**
 * Required bindings (http://hl7.org/fhir/R4/terminologies.html#required):
 * the value SHALL be one of the codes of the value set. Only value sets the
 * model could expand completely offline are enforced.
 */
import type { FhirSchema } from '../definitions/schema.js';
import { isObject } from './json-values.js';

export interface CodeSet {
  readonly codes: ReadonlySet<string>;
  /** "system|code" pairs. */
  readonly pairs: ReadonlySet<string>;
  readonly systems: ReadonlySet<string>;
}

const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'Money', 'SimpleQuantity', 'MoneyQuantity']);
const TEXT_TYPES = new Set(['code', 'string', 'uri', 'url', 'canonical']);

/** The code sets of one schema, each built the first time it is needed. */
export class RequiredBindings {
  private readonly sets = new Map<string, CodeSet | null>();

  constructor(private readonly schema: FhirSchema) {}

  /** The codes of a value set, or undefined when it is not enforced. */
  codeSet(url: string): CodeSet | undefined {
    let set = this.sets.get(url);
    if (set === undefined) {
      const valueSet = this.schema.valueSet(url);
      set = valueSet?.complete
        ? {
          codes: new Set(valueSet.codes.map((pair) => pair[1])),
          pairs: new Set(valueSet.codes.map((pair) => `${pair[0]}|${pair[1]}`)),
          systems: new Set(valueSet.codes.map((pair) => pair[0])),
        }
        : null;
      this.sets.set(url, set);
    }
    return set ?? undefined;
  }
}


function codingInSet(set: CodeSet, coding: unknown): boolean {
  if (!isObject(coding) || typeof coding.system !== 'string' || typeof coding.code !== 'string') return false;
  return set.pairs.has(`${coding.system}|${coding.code}`);
}

function describeCoding(coding: unknown): string {
  if (!isObject(coding)) return String(coding);
  return `${typeof coding.system === 'string' ? coding.system : ''}|${typeof coding.code === 'string' ? coding.code : ''}`;
}

/**
 * The code that breaks the binding, or undefined when the value conforms (or
 * is of a type bindings do not constrain). A code matches whatever its system;
 * a Coding must be in the set by system and code; a CodeableConcept needs at
 * least one such Coding, text alone does not satisfy a required binding.
 */
export function bindingViolation(set: CodeSet, typeCode: string, value: unknown): string | undefined {
  if (TEXT_TYPES.has(typeCode)) {
    return typeof value === 'string' && !set.codes.has(value) ? value : undefined;
  }
  if (typeCode === 'Coding') {
    return codingInSet(set, value) ? undefined : describeCoding(value);
  }
  if (typeCode === 'CodeableConcept') {
    if (!isObject(value)) return undefined;
    const codings = Array.isArray(value.coding) ? value.coding : [];
    if (codings.some((c) => codingInSet(set, c))) return undefined;
    if (codings.length > 0) return codings.map(describeCoding).join(', ');
    return typeof value.text === 'string' ? value.text : '';
  }
  if (QUANTITY_TYPES.has(typeCode)) {
    if (!isObject(value) || typeof value.code !== 'string') return undefined;
    const known = typeof value.system === 'string' ? set.pairs.has(`${value.system}|${value.code}`) : set.codes.has(value.code);
    return known ? undefined : value.code;
  }
  return undefined;
}

const bindings = new WeakMap<FhirSchema, RequiredBindings>();

/** One set of code sets per schema, shared by every validation. */
export function requiredBindings(schema: FhirSchema): RequiredBindings {
  let found = bindings.get(schema);
  if (!found) {
    found = new RequiredBindings(schema);
    bindings.set(schema, found);
  }
  return found;
}
