/**
 * GET /metadata: the CapabilityStatement (http://hl7.org/fhir/R4/capabilitystatement.html),
 * generated from the same definitions that drive the engine, so it cannot drift from it.
 */
import { createHash } from 'node:crypto';
import { fail } from '../../../core/errors.js';
import type { TypeCapability } from '../../../storage/type-routing.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { applySubset, needsSubset } from '../../search/summary.js';
import { operationDefinitionUrl } from '../operation-definition.js';
import type { FhirOperation, OperationRegistry } from '../operations.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { subsetOf } from './read-subset.js';

export const SOFTWARE_VERSION = '0.1.0';

/** Search parameters the engine does not evaluate (special types, named queries). */
const UNSUPPORTED_PARAMS = new Set(['_query']);

const TYPE_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];

/** Types with no RESTful endpoint: "there is no RESTful endpoint associated with" Parameters (parameters.html). */
export const NO_ENDPOINT_TYPES: ReadonlySet<string> = new Set(['Parameters']);

function searchParams(schema: FhirSchema, type: string): Record<string, unknown>[] {
  return [...schema.searchParameters(type).values()]
    .filter((p) => p.type !== 'special' && !UNSUPPORTED_PARAMS.has(p.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => ({ name: p.code, definition: p.url, type: p.type, ...(p.description ? { documentation: p.description.split('\r\n')[0] } : {}) }));
}

const VALIDATE = { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' };

/** Its published definition, else the one this server serves for an operation it describes, else a name only Socle knows. */
function operationEntry(baseUrl: string): (operation: FhirOperation) => Record<string, unknown> {
  return (operation) => ({
    name: operation.name,
    definition: operation.definition
      ?? (operation.description ? operationDefinitionUrl(operation, baseUrl) : `urn:socle:operation:${operation.name}`),
  });
}

/**
 * What the service modules' resources follow: the profiles each type's resources claim (identity's FR Core
 * patients, the directory's Annuaire profiles), declared as supportedProfile so that a client knows which
 * `_profile` values find them, and the guides defining those profiles (implementationGuide).
 */
export interface ConformanceClaims {
  readonly supportedProfiles: Readonly<Record<string, readonly string[]>>;
  readonly implementationGuides: readonly string[];
}

function build(
  schema: FhirSchema, allOperations: readonly FhirOperation[], baseUrl: string, now: number,
  security: Record<string, unknown> | undefined, narrowed: ReadonlyMap<string, TypeCapability>, claims: ConformanceClaims | undefined,
): unknown {
  const operations = allOperations.filter((op) => op.unlisted !== true);
  const resources = schema.resourceTypes.filter((type) => !NO_ENDPOINT_TYPES.has(type)).map((type) => {
    const references = [...schema.searchParameters(type).values()].filter((p) => p.type === 'reference');
    const own = narrowed.get(type);
    const interactions = own?.interactions ?? TYPE_INTERACTIONS;
    const can = (code: string): boolean => interactions.includes(code);
    const params = searchParams(schema, type).filter((p) => !own || own.searchParams.includes(String(p.name)));
    return {
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      ...(claims?.supportedProfiles[type] ? { supportedProfile: claims.supportedProfiles[type] } : {}),
      interaction: interactions.map((code) => ({ code })),
      versioning: can('update') ? 'versioned-update' : 'versioned',
      readHistory: can('vread'),
      updateCreate: can('update'),
      conditionalCreate: can('create'),
      conditionalRead: 'full-support',
      conditionalUpdate: can('update'),
      conditionalDelete: can('delete') ? 'single' : 'not-supported',
      referencePolicy: ['literal', 'logical', 'local'],
      searchInclude: ['*', ...references.map((p) => `${type}:${p.code}`)],
      searchRevInclude: schema.resourceTypes.flatMap((source) =>
        [...schema.searchParameters(source).values()]
          .filter((p) => p.type === 'reference' && (!p.target || p.target.includes(type)))
          .map((p) => `${source}:${p.code}`),
      ),
      searchParam: params,
      operation: [VALIDATE, ...operations.filter((op) => op.types?.includes(type)).map(operationEntry(baseUrl))],
    };
  });
  const instantiates = [...new Set(operations.flatMap((op) => (op.instantiates ? [op.instantiates] : [])))];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(now).toISOString(),
    publisher: 'Socle',
    kind: 'instance',
    ...(instantiates.length > 0 ? { instantiates } : {}),
    software: { name: 'Socle', version: SOFTWARE_VERSION },
    implementation: { description: 'Socle — plateforme des services socles du numérique en santé / national e-health core services', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    // JSON Patch, and FHIRPath Patch as a Parameters resource (http.html#patch, fhirpatch.html).
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    ...(claims && claims.implementationGuides.length > 0 ? { implementationGuide: claims.implementationGuides } : {}),
    rest: [{
      mode: 'server',
      ...(security ? { security } : {}),
      resource: resources,
      interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
      searchParam: searchParams(schema, 'Parameters').filter((p) => String(p.name).startsWith('_')),
      ...(operations.some((op) => op.system) ? { operation: operations.filter((op) => op.system).map(operationEntry(baseUrl)) } : {}),
    }],
  };
}

/** Built once per engine (its operations) and base URL: the statement only changes with the code. */
const caches = new WeakMap<OperationRegistry, Map<string, { readonly text: string; readonly etag: string }>>();

/** What GET /metadata may serve besides the CapabilityStatement (capabilitystatement.html#mode). */
export interface CapabilityExtras {
  readonly security?: (baseUrl: string) => Record<string, unknown>;
  readonly narrowed?: ReadonlyMap<string, TypeCapability>;
  readonly terminology?: (baseUrl: string, now: number) => Record<string, unknown>;
  readonly claims?: ConformanceClaims;
}

/**
 * The `mode` parameter (http.html#capabilities): full and normative give the same statement, this server
 * having no other than the full one (servers MAY ignore the mode); terminology gives the
 * TerminologyCapabilities statement.
 */
function metadataMode(request: FhirRequest, extras: CapabilityExtras): 'statement' | 'terminology' {
  const modes = request.query.filter(([name]) => name === 'mode').map(([, value]) => value);
  if (modes.length === 0) return 'statement';
  const [mode] = modes;
  if (modes.length === 1 && (mode === 'full' || mode === 'normative')) return 'statement';
  if (modes.length === 1 && mode === 'terminology' && extras.terminology) return 'terminology';
  throw fail('metadata.mode-invalid', { mode: modes.join(',') });
}

export function capabilities(
  schema: FhirSchema, operations: OperationRegistry, request: FhirRequest, now: number, extras: CapabilityExtras = {},
): FhirResponse {
  const mode = metadataMode(request, extras);
  let cache = caches.get(operations);
  if (!cache) {
    cache = new Map();
    caches.set(operations, cache);
  }
  // _summary and _elements as on a read (search.html#summary, #elements), the subset marked SUBSETTED.
  const subset = subsetOf(request);
  const key = `${mode} ${request.baseUrl}${needsSubset(subset) ? ` ${subset.summary ?? ''} ${subset.elements?.join(',') ?? ''}` : ''}`;
  let built = cache.get(key);
  if (!built) {
    const statement = mode === 'terminology'
      ? extras.terminology!(request.baseUrl, now)
      : build(schema, operations.all(), request.baseUrl, now, extras.security?.(request.baseUrl), extras.narrowed ?? new Map(), extras.claims);
    const text = JSON.stringify(needsSubset(subset) ? applySubset(schema, statement as Record<string, unknown>, subset) : statement);
    // An ETag, as http.html#capabilities asks: the statement changes only with the code and the base URL.
    built = { text, etag: `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"` };
    if (cache.size > 16) cache.clear();
    cache.set(key, built);
  }
  // A client holding the statement revalidates it with its ETag (RFC 9110 §13.1.2, weak comparison): 304 without a body.
  const held = request.headers.ifNoneMatch?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (held?.some((tag) => tag === '*' || tag === built.etag.replace(/^W\//, ''))) return { status: 304, headers: { etag: built.etag }, interaction: 'capabilities' };
  return { status: 200, headers: { etag: built.etag }, interaction: 'capabilities', body: { kind: 'text', text: built.text } };
}
