/**
 * The official R4 examples (hl7.fhir.r4.examples 4.0.1) as an oracle for
 * search. A deterministic sample is loaded; for each example and each search
 * parameter of its type, the parameter's FHIRPath expression is evaluated
 * with the reference engine (the fhirpath package), and each value gives
 * queries that http://hl7.org/fhir/R4/search.html says must find the example:
 * token system|code, |code, code and :text; a string's first characters, in
 * upper case too; date eq at the value's own precision, ge/le the ends of a
 * Period or Timing; reference Type/id as written, :Type, :identifier and
 * canonical URLs; uri as written; number and quantity eq their written value
 * (with |system|code); composites from their components; :missing=false.
 * Each query carries _id, so that answers stay small. A value of a datatype
 * the parameter type does not search (a string onset for a date, an
 * Attachment for a reference) gives no query.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { decimalText, parseJson } from '../../src/core/json/decimal-json.js';
import type { SearchParameterDefinition } from '../../src/fhir/definitions/model.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import { backendNames } from '../support/backends.js';
import { engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

type Json = Record<string, any>;
/** A node of the fhirpath package's answer (resolveInternalTypes: false). */
interface FhirNode { readonly data: any; readonly fhirNodeDataType?: string; readonly parentResNode?: FhirNode; readonly propName?: string; readonly index?: number | null }
type Query = [name: string, value: string];

/** One example in SAMPLE_EVERY, in file name order. */
const SAMPLE_EVERY = 6;

/** Each exclusion of the oracle, with its reason. */
const EXCLUSIONS = {
  invalid: 'examples the engine refuses as invalid (~27 of 5,306, the official-examples loading tests list them) are not loaded',
  contained: 'a reference to a contained resource (#id) has no literal form a search can name',
  comparator: 'a Quantity with a comparator (<5) is a bound, not a value eq can equal',
  sampledData: 'SampledData (reached by value-quantity) is a series of values, not one quantity',
  bareCanonical: 'a canonical neither absolute nor Type/id (Library.relatedArtifact "library-fhir-helpers-predecessor") reads as a bare id in a query',
  lastUpdated: '_lastUpdated is the server\'s, not the example\'s',
} as const;

const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Duration', 'Count', 'Distance', 'SimpleQuantity', 'MoneyQuantity']);
const LOCAL_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

const schema = r4Schema();
const folder = examplesFolder();

function examplesFolder(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
  } catch {
    return existsSync('/tmp/ex/package/package.json') ? '/tmp/ex/package' : undefined;
  }
}

function sample(dir: string): Json[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.')).sort();
  return files.filter((_, i) => i % SAMPLE_EVERY === 0)
    .map((f) => parseJson(readFileSync(join(dir, f), 'utf8')) as Json)
    .filter((r) => typeof r.resourceType === 'string' && typeof r.id === 'string');
}

/** search.html#escaping: "$", "," and "|" in a value are escaped with "\". */
const esc = (value: string): string => value.replace(/[\\,$|]/g, (c) => `\\${c}`);

/** The fhirpath package resolves nothing: "resolve() is T" on a relative reference means "starts with T/". */
function evaluate(node: unknown, expression: string, resource: Json): FhirNode[] {
  const withoutResolve = expression.replace(/\.where\(resolve\(\) is ([A-Za-z]+)\)/g, ".where(reference.startsWith('$1/'))");
  try {
    return fhirpath.evaluate(node as Json, withoutResolve, { resource }, r4Model as any, { resolveInternalTypes: false }) as FhirNode[];
  } catch (error) {
    // EXCLUSIONS.comparator: the package refuses "as Quantity" on one ("Cannot convert a FHIR.Quantity that has a comparator").
    if (/comparator/.test((error as Error).message)) return [];
    throw error;
  }
}

/** The number as the example writes it (1.50, 1E-22), not as JavaScript would. */
function writtenNumber(holder: any, key: string | number): string | undefined {
  const value = holder?.[key];
  if (typeof value !== 'number') return undefined;
  return decimalText(holder, key) ?? String(value);
}

function tokenQueries(code: string, type: string, v: any): Query[] {
  const coding = (c: Json): Query[] => c?.code === undefined ? [] : [
    [code, c.system ? `${esc(c.system)}|${esc(c.code)}` : `|${esc(c.code)}`], [code, esc(c.code)],
  ];
  switch (type) {
    case 'Coding': return coding(v);
    case 'CodeableConcept': {
      const text: string | undefined = v.text ?? v.coding?.find((c: Json) => c.display)?.display;
      return [...(v.coding ?? []).flatMap(coding), ...(text ? [[`${code}:text`, esc(text.slice(0, 40))] as Query] : [])];
    }
    case 'Identifier':
      return v.value === undefined ? [] : [[code, esc(v.value)], ...(v.system ? [[code, `${esc(v.system)}|${esc(v.value)}`] as Query] : [])];
    case 'ContactPoint': return v.value ? [[code, esc(v.value)], [code, esc(v.value.toUpperCase())]] : [];
    case 'boolean': return [[code, String(v)]];
    case 'code': case 'string': case 'id': case 'uri': case 'url': case 'canonical': case 'oid': case 'uuid': return [[code, esc(String(v))]];
    default: return [];
  }
}

function stringQueries(code: string, type: string, v: any): Query[] {
  const parts: unknown[] = type === 'HumanName' ? [v.family, ...(v.given ?? []), v.text, ...(v.prefix ?? []), ...(v.suffix ?? [])]
    : type === 'Address' ? [...(v.line ?? []), v.city, v.district, v.state, v.postalCode, v.country, v.text]
      : ['string', 'markdown', 'code', 'id', 'uri', 'url', 'canonical'].includes(type) ? [v] : [];
  return parts.filter((p): p is string => typeof p === 'string' && /[\p{L}\p{N}]/u.test(p))
    .flatMap((p) => [[code, esc(p.slice(0, 60))], [code, esc(p.slice(0, 20).toUpperCase())]] as Query[]);
}

function dateQueries(code: string, type: string, v: any): Query[] {
  switch (type) {
    case 'date': case 'dateTime': case 'instant': return [[code, `eq${v}`]];
    case 'Period': return [...(v.start ? [[code, `ge${v.start}`] as Query] : []), ...(v.end ? [[code, `le${v.end}`] as Query] : [])];
    case 'Timing': {
      const events = [...(v.event ?? [])].sort();
      const bounds = v.repeat?.boundsPeriod;
      return [
        ...(events.length > 0 ? [[code, `ge${events[0]}`], [code, `le${events[events.length - 1]}`]] as Query[] : []),
        ...(bounds?.start ? [[code, `ge${bounds.start}`] as Query] : []), ...(bounds?.end ? [[code, `le${bounds.end}`] as Query] : []),
      ];
    }
    default: return [];
  }
}

function referenceQueries(code: string, type: string, v: any): Query[] {
  if (type === 'Reference') {
    const ref: unknown = v.reference;
    const queries: Query[] = [];
    if (typeof ref === 'string' && !ref.startsWith('#')) { // EXCLUSIONS.contained
      queries.push([code, esc(ref)]);
      const local = LOCAL_REFERENCE.exec(ref);
      if (local && !local[1]) queries.push([`${code}:${ref.split('/')[0]}`, ref.split('/')[1]!]);
    }
    if (v.identifier?.value) {
      queries.push([`${code}:identifier`, v.identifier.system ? `${esc(v.identifier.system)}|${esc(v.identifier.value)}` : esc(v.identifier.value)]);
    }
    return queries;
  }
  if (['canonical', 'uri', 'url'].includes(type) && typeof v === 'string') {
    // A canonical's "|version" is the search's own url|version (search.html#versions). EXCLUSIONS.bareCanonical
    return /^[a-z][a-z0-9+.-]*:|^[A-Z][A-Za-z]+\//i.test(v) ? [[code, v.replace(/[\\,$]/g, (c) => `\\${c}`)]] : [];
  }
  if (typeof v?.resourceType === 'string' && typeof v.id === 'string') return [[code, `${v.resourceType}/${v.id}`]];
  return [];
}

function numberQueries(code: string, node: FhirNode): Query[] {
  const holder = node.index !== null && node.index !== undefined ? node.parentResNode?.data?.[node.propName!] : node.parentResNode?.data;
  const written = writtenNumber(holder, node.index ?? node.propName!);
  return written === undefined ? [] : [[code, written]];
}

function quantityQueries(code: string, type: string, v: any): Query[] {
  // EXCLUSIONS.comparator, EXCLUSIONS.sampledData: no query.
  if (QUANTITY_TYPES.has(type) && v.comparator === undefined) {
    const value = writtenNumber(v, 'value');
    if (value === undefined) return [];
    return [[code, `eq${value}`], ...(v.system && v.code ? [[code, `${value}|${esc(v.system)}|${esc(v.code)}`] as Query] : [])];
  }
  if (type === 'Money') {
    const value = writtenNumber(v, 'value');
    return value === undefined ? [] : [[code, `eq${value}`], ...(v.currency ? [[code, `${value}|urn:iso:std:iso:4217|${v.currency}`] as Query] : [])];
  }
  if (type === 'Range') {
    const low = writtenNumber(v.low, 'value');
    const high = writtenNumber(v.high, 'value');
    return [...(low ? [[code, `ge${low}`] as Query] : []), ...(high ? [[code, `le${high}`] as Query] : [])];
  }
  return [];
}

function queriesOfNode(definition: SearchParameterDefinition, code: string, node: FhirNode): Query[] {
  const type = node.fhirNodeDataType ?? (typeof node === 'boolean' ? 'boolean' : '');
  const value = node.data ?? node;
  if (value === null || value === undefined) return [];
  switch (definition.type) {
    case 'token': return tokenQueries(code, type, value);
    case 'string': return stringQueries(code, type, value);
    case 'date': return dateQueries(code, type, value);
    case 'reference': return referenceQueries(code, type, value);
    case 'number': return numberQueries(code, node);
    case 'quantity': return quantityQueries(code, type, value);
    case 'uri': return typeof value === 'string' ? [[code, esc(value)]] : [];
    default: return [];
  }
}

/** A composite's value: the first query of each component, joined by "$" (search.html#composite). */
function compositeQueries(definition: SearchParameterDefinition, example: Json): Query[] {
  const queries: Query[] = [];
  for (const root of evaluate(example, definition.expression!, example)) {
    const parts: string[] = [];
    for (const component of definition.component ?? []) {
      const componentDefinition = schema.searchParameterByUrl(component.definition);
      const first = componentDefinition && evaluate(root, component.expression, example)
        .flatMap((node) => queriesOfNode(componentDefinition, '', node)).find(([name]) => name === '');
      if (!first) break;
      parts.push(first[1].replace(/\$/g, '\\$'));
    }
    if (parts.length === (definition.component ?? []).length) queries.push([definition.code, parts.join('$')]);
  }
  return queries;
}

/** Every query the oracle derives for one example, with :missing=false for each parameter that has one. */
function oracleQueries(example: Json): Query[] {
  const queries: Query[] = [];
  for (const [code, definition] of schema.searchParameters(example.resourceType)) {
    // EXCLUSIONS.lastUpdated; special parameters (near) have no value to derive.
    if (!definition.expression || code === '_lastUpdated' || definition.type === 'special') continue;
    const own = definition.type === 'composite'
      ? compositeQueries(definition, example)
      : evaluate(example, definition.expression, example).flatMap((node) => queriesOfNode(definition, code, node));
    const unique = [...new Map(own.map((q) => [q.join('='), q])).values()];
    queries.push(...unique);
    if (unique.length > 0 && definition.type !== 'composite') queries.push([`${code}:missing`, 'false']);
  }
  return queries;
}

for (const backend of backendNames()) {
  describe(`official R4 examples as a search oracle [${backend}]`, { skip: folder ? false : 'hl7.fhir.r4.examples is not installed' }, () => {
    let store: EngineOnBackend;
    const loaded: Json[] = [];
    before(async () => {
      store = await engineOn(backend);
      for (const example of sample(folder!)) {
        const response = await store.engine.handle(engineRequest('PUT', `${example.resourceType}/${example.id}`, { body: example, contentType: 'application/fhir+json' }));
        if (response.status < 300) loaded.push(example); // EXCLUSIONS.invalid
      }
    });
    after(() => store?.close());

    test('each value of each search parameter finds its example, by every query the spec says must match', async (t) => {
      const misses: string[] = [];
      let count = 0;
      for (const example of loaded) {
        for (const [name, value] of oracleQueries(example)) {
          count++;
          const response = await store.engine.handle(engineRequest('GET', example.resourceType, { query: [[name, value], ['_id', example.id]] }));
          const found = response.status === 200
            && ((responseJson(response).entry ?? []) as Json[]).some((entry) => entry.resource?.id === example.id);
          if (!found) misses.push(`${example.resourceType}/${example.id} ${name}=${value} → ${response.status}`);
        }
      }
      t.diagnostic(`${loaded.length} examples, ${count} queries; left out: ${Object.values(EXCLUSIONS).join('; ')}`);
      assert.ok(loaded.length > 800 && count > 20_000, `the oracle ran (${loaded.length} examples, ${count} queries)`);
      assert.deepEqual(misses, []);
    });
  });
}
