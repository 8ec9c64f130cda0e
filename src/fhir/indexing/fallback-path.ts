/**
 * The full FHIRPath engine (the `fhirpath` package) for the expressions the
 * compiler does not handle. It costs microseconds per expression, so it is
 * only a safety net: compile-path.test.ts keeps the list of fallbacks short.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { JsonObject, Step } from './compile-expression.js';

type Evaluator = (resource: unknown, envVars?: Record<string, unknown>) => unknown[];

/** FHIRPath System types of literals and computed values, as the FHIR type the extractors know. */
const SYSTEM_TO_FHIR: Readonly<Record<string, string>> = {
  'System.String': 'string', 'System.Boolean': 'boolean', 'System.Integer': 'integer', 'System.Decimal': 'decimal',
  'System.Date': 'date', 'System.DateTime': 'dateTime', 'System.Time': 'time',
};

interface FhirPathNode {
  readonly data: unknown;
  readonly path: string | null;
  readonly fhirNodeDataType: string | null;
}

function isNode(item: unknown): item is FhirPathNode {
  return typeof item === 'object' && item !== null && 'fhirNodeDataType' in item && 'data' in item;
}

/**
 * A Step evaluating `expression` with the fhirpath engine on the focus item.
 * The engine is compiled once per focus type (it needs the type's path to
 * resolve choice elements). Evaluation errors (e.g. resolve(), which needs a
 * server) select nothing rather than fail the write.
 */
export function fallbackStep(expression: string, next: Step): Step {
  const byFocusType = new Map<string, Evaluator>();
  return (value, type, resource, out) => {
    let evaluate = byFocusType.get(type);
    if (!evaluate) {
      const path = value === resource ? expression : { base: type, expression };
      evaluate = fhirpath.compile(path, r4Model, { resolveInternalTypes: false }) as Evaluator;
      byFocusType.set(type, evaluate);
    }
    let items: unknown[];
    try {
      items = evaluate(value, { resource, rootResource: resource });
    } catch {
      return;
    }
    for (const item of items) emit(item, resource, out, next);
  };
}

function emit(item: unknown, resource: JsonObject, out: unknown[], next: Step): void {
  if (isNode(item)) {
    if (item.data === null || item.data === undefined) return;
    const declared = item.fhirNodeDataType ?? 'Element';
    // Backbone elements report their base type; the model knows them by path.
    const type = declared === 'BackboneElement' || declared === 'Element' ? (item.path ?? declared) : declared;
    next(item.data, type, resource, out);
    return;
  }
  const systemType = fhirpath.types([item])[0] ?? '';
  const type = SYSTEM_TO_FHIR[systemType];
  if (type) next(fhirpath.resolveInternalTypes(item) as unknown, type, resource, out);
}
