/**
 * _summary and _elements (http://hl7.org/fhir/R4/search.html#summary,
 * #elements): subsets of a resource, marked SUBSETTED in meta.tag as the
 * specification asks so that nobody mistakes them for the whole.
 */
import { carryDecimals } from '../../core/json/decimal-json.js';
import type { FhirSchema } from '../definitions/schema.js';
import type { SummaryMode } from './parse-search.js';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

export interface Subset {
  readonly summary?: SummaryMode;
  readonly elements?: readonly string[];
}

export function needsSubset(subset: Subset): boolean {
  return (subset.summary !== undefined && subset.summary !== 'false' && subset.summary !== 'count') || subset.elements !== undefined;
}

/** Marks `resource` (a copy the caller owns) SUBSETTED in meta.tag, once however many subsets it went through. */
export function markSubsetted(resource: Record<string, unknown>): void {
  const meta = { ...((resource.meta as Record<string, unknown> | undefined) ?? {}) };
  const tags = Array.isArray(meta.tag) ? [...(meta.tag as { system?: unknown; code?: unknown }[])] : [];
  if (!tags.some((t) => t.system === SUBSETTED.system && t.code === SUBSETTED.code)) tags.push(SUBSETTED);
  meta.tag = tags;
  resource.meta = meta;
}

/**
 * The _elements names that apply to a resource of `resourceType`: a bare name
 * ("subject", R4's form) applies to every type; one prefixed with a type
 * ("Observation.subject", the form later releases and HAPI FHIR accept) to
 * that type only.
 */
export function elementsFor(resourceType: string, elements: readonly string[]): string[] {
  return elements.flatMap((name) => {
    const dot = name.indexOf('.');
    if (dot < 0) return [name];
    return name.slice(0, dot) === resourceType ? [name.slice(dot + 1)] : [];
  });
}

export function applySubset(schema: FhirSchema, resource: Record<string, unknown>, subset: Subset): Record<string, unknown> {
  const type = schema.type(resource.resourceType as string);
  if (!type || !needsSubset(subset)) return resource;
  const elements = subset.elements ? elementsFor(resource.resourceType as string, subset.elements) : undefined;
  const keep = (name: string): boolean => {
    if (ALWAYS.has(name)) return true;
    const stem = Object.keys(type.elements).find((e) => name === e || (type.elements[e]?.choice && name.startsWith(e)));
    const element = stem ? type.elements[stem] : undefined;
    const mandatory = (element?.min ?? 0) > 0;
    // A choice element is asked for by its base name (value) or by the name it has in JSON (valueQuantity).
    if (elements) return mandatory || elements.includes(stem ?? name) || elements.includes(name);
    switch (subset.summary) {
      case 'true': return mandatory || element?.summary === true;
      case 'text': return mandatory || stem === 'text';
      case 'data': return stem !== 'text';
      default: return true;
    }
  };
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) {
    const stem = name.startsWith('_') ? name.slice(1) : name;
    if (!keep(stem)) continue;
    const backbone = subset.summary === 'true' && !subset.elements && !name.startsWith('_') ? backboneOf(type.elements[name]?.types) : undefined;
    result[name] = backbone ? summaryOfBackbone(schema, backbone, value) : value;
  }
  carryDecimals(resource, result);
  markSubsetted(result);
  return result;
}

/** The backbone type an element holds (named by its path, "CapabilityStatement.rest"), if it holds one. */
function backboneOf(types: readonly string[] | undefined): string | undefined {
  const [only] = types ?? [];
  return types?.length === 1 && only?.includes('.') ? only : undefined;
}

/**
 * _summary=true inside a backbone element: "elements that are marked as
 * summary" are marked at every level of a resource (CapabilityStatement.rest
 * is, its interaction and searchParam are not), so they are chosen at every
 * level; data types (HumanName…) stay whole.
 */
function summaryOfBackbone(schema: FhirSchema, typeName: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((member) => summaryOfBackbone(schema, typeName, member));
  const type = schema.type(typeName);
  if (!type || typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    const stem = name.startsWith('_') ? name.slice(1) : name;
    const element = type.elements[stem];
    if (element && element.summary !== true && (element.min ?? 0) === 0) continue;
    const backbone = name.startsWith('_') ? undefined : backboneOf(element?.types);
    result[name] = backbone ? summaryOfBackbone(schema, backbone, member) : member;
  }
  carryDecimals(value, result);
  return result;
}
