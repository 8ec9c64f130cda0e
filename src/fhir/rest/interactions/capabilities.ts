/**
 * GET /metadata: the CapabilityStatement (http://hl7.org/fhir/R4/capabilitystatement.html),
 * generated from the same definitions that drive the engine, so it cannot drift from it.
 */
import type { FhirSchema } from '../../definitions/schema.js';
import type { FhirOperation, OperationRegistry } from '../operations.js';
import type { FhirRequest, FhirResponse } from '../types.js';

export const SOFTWARE_VERSION = '0.1.0';

/** Search parameters the engine does not evaluate (special types, named queries). */
const UNSUPPORTED_PARAMS = new Set(['_query']);

const TYPE_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type']
  .map((code) => ({ code }));

function searchParams(schema: FhirSchema, type: string): Record<string, unknown>[] {
  return [...schema.searchParameters(type).values()]
    .filter((p) => p.type !== 'special' && !UNSUPPORTED_PARAMS.has(p.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => ({ name: p.code, definition: p.url, type: p.type, ...(p.description ? { documentation: p.description.split('\r\n')[0] } : {}) }));
}

const VALIDATE = { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' };

function operationEntry(operation: FhirOperation): Record<string, unknown> {
  return { name: operation.name, definition: operation.definition ?? `urn:socle:operation:${operation.name}` };
}

function build(schema: FhirSchema, operations: readonly FhirOperation[], baseUrl: string, now: number, security?: Record<string, unknown>): unknown {
  const resources = schema.resourceTypes.map((type) => {
    const references = [...schema.searchParameters(type).values()].filter((p) => p.type === 'reference');
    return {
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: TYPE_INTERACTIONS,
      versioning: 'versioned-update',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalRead: 'full-support',
      conditionalUpdate: true,
      conditionalDelete: 'single',
      referencePolicy: ['literal', 'logical', 'local'],
      searchInclude: ['*', ...references.map((p) => `${type}:${p.code}`)],
      searchRevInclude: schema.resourceTypes.flatMap((source) =>
        [...schema.searchParameters(source).values()]
          .filter((p) => p.type === 'reference' && (!p.target || p.target.includes(type)))
          .map((p) => `${source}:${p.code}`),
      ),
      searchParam: searchParams(schema, type),
      operation: [VALIDATE, ...operations.filter((op) => op.types?.includes(type)).map(operationEntry)],
    };
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(now).toISOString(),
    publisher: 'Socle',
    kind: 'instance',
    software: { name: 'Socle', version: SOFTWARE_VERSION },
    implementation: { description: 'Socle — plateforme des services socles du numérique en santé / national e-health core services', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [{
      mode: 'server',
      ...(security ? { security } : {}),
      resource: resources,
      interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
      searchParam: searchParams(schema, 'Parameters').filter((p) => String(p.name).startsWith('_')),
      ...(operations.some((op) => op.system) ? { operation: operations.filter((op) => op.system).map(operationEntry) } : {}),
    }],
  };
}

/** Built once per engine (its operations) and base URL: the statement only changes with the code. */
const caches = new WeakMap<OperationRegistry, Map<string, string>>();

export function capabilities(
  schema: FhirSchema, operations: OperationRegistry, request: FhirRequest, now: number, security?: (baseUrl: string) => Record<string, unknown>,
): FhirResponse {
  let cache = caches.get(operations);
  if (!cache) {
    cache = new Map();
    caches.set(operations, cache);
  }
  let text = cache.get(request.baseUrl);
  if (!text) {
    text = JSON.stringify(build(schema, operations.all(), request.baseUrl, now, security?.(request.baseUrl)));
    if (cache.size > 16) cache.clear();
    cache.set(request.baseUrl, text);
  }
  return { status: 200, headers: {}, interaction: 'capabilities', body: { kind: 'text', text } };
}
