import { discardingRecorder } from '../core/audit-entry.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import type { FhirSchema } from '../fhir/definitions/schema.js';
import { ResourceIndexer } from '../fhir/indexing/index.js';
import { FhirEngine } from '../fhir/rest/engine.js';
import { OperationRegistry } from '../fhir/rest/operations.js';
import { validateResource } from '../fhir/validation/index.js';
import type { Store } from '../storage/contract.js';

export function publicBaseUrl(config: Pick<Config, 'baseUrl' | 'host' | 'port'>): string {
  return config.baseUrl || `http://${config.host}:${config.port}/fhir`;
}

/** The bare FHIR engine; createPlatform adds the modules' operations, write rules and audit recorder. */
export function createEngine(deps: { config: Config; store: Store; schema: FhirSchema; clock: Clock }): FhirEngine {
  const { config, schema } = deps;
  return new FhirEngine({
    store: deps.store,
    schema,
    clock: deps.clock,
    indexer: new ResourceIndexer(schema, { baseUrl: publicBaseUrl(config) }),
    validate: (resource, expectedType) => validateResource(schema, resource, expectedType ? { expectedType } : {}),
    defaultPageSize: config.defaultPageSize,
    maxPageSize: config.maxPageSize,
    maxBody: config.maxBody,
    operations: new OperationRegistry(),
    writeHooks: [],
    audit: discardingRecorder,
  });
}
