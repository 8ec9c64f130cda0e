import { discardingRecorder } from '../core/audit-entry.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import type { FhirSchema } from '../fhir/definitions/schema.js';
import { ResourceIndexer } from '../fhir/indexing/index.js';
import { internalOnlyGuard } from '../fhir/rest/access-guard.js';
import { storeAccess } from '../fhir/rest/context.js';
import { FhirEngine } from '../fhir/rest/engine.js';
import { PatientCompartment } from '../fhir/rest/patient-compartment.js';
import { OperationRegistry } from '../fhir/rest/operations.js';
import { everythingOperation } from '../fhir/rest/interactions/everything-operation.js';
import { SOFTWARE_VERSION } from '../fhir/rest/interactions/capabilities.js';
import { metaOperations } from '../fhir/rest/interactions/meta-operations.js';
import { versionsOperation } from '../fhir/rest/interactions/versions-operation.js';
import { Hl7Terminology, searchTerminology, terminologyCapabilities, terminologyOperations } from '../fhir/terminology/index.js';
import { validateResource } from '../fhir/validation/index.js';
import { ProfileValidation } from '../fhir/rest/profile-check.js';
import { profileCodeSets } from './profile-code-sets.js';
import type { Store } from '../storage/contract.js';

/** The operations the FHIR core itself serves ($validate is routed by the engine). */
function builtInOperations(schema: FhirSchema, terminology: Hl7Terminology): OperationRegistry {
  const registry = new OperationRegistry();
  registry.add(everythingOperation);
  registry.add(versionsOperation);
  for (const operation of metaOperations([...schema.resourceTypes])) registry.add(operation);
  for (const operation of terminologyOperations(terminology)) registry.add(operation);
  return registry;
}

export function publicBaseUrl(config: Pick<Config, 'baseUrl' | 'host' | 'port'>): string {
  return config.baseUrl || `http://${config.host}:${config.port}/fhir`;
}

/** The bare FHIR engine; createPlatform adds the modules' operations, write rules and audit recorder. */
export function createEngine(deps: { config: Config; store: Store; schema: FhirSchema; clock: Clock }): FhirEngine {
  const { config, schema } = deps;
  const indexer = new ResourceIndexer(schema, { baseUrl: publicBaseUrl(config) });
  // HL7's terminology is read on its first use, not here: start-up stays as fast.
  const terminology = new Hl7Terminology();
  const profiles = new ProfileValidation(schema, () => engine.deps, config.profileValidation, profileCodeSets(schema, terminology, () => engine.deps));
  const engine: FhirEngine = new FhirEngine({
    store: deps.store,
    schema,
    clock: deps.clock,
    indexer,
    validate: (resource, expectedType, options) => validateResource(schema, resource, { ...options, ...(expectedType ? { expectedType } : {}) }),
    profiles,
    defaultPageSize: config.defaultPageSize,
    maxPageSize: config.maxPageSize,
    timeZone: config.timeZone,
    maxBody: config.maxBody,
    operations: builtInOperations(schema, terminology),
    // Emptying the profile cache when definitions are written is the engine's own rule on those types.
    writeHooks: [profiles.hook],
    audit: discardingRecorder,
    guard: internalOnlyGuard,
    auditBeforeResponse: config.auditWait === 'on',
    compartment: new PatientCompartment(schema, indexer),
    // A search's ValueSets and CodeSystems are read on its own reader (its transaction, if any); reads never write.
    terminologyCapabilities: (baseUrl, now) => terminologyCapabilities(terminology, { baseUrl, now, softwareVersion: SOFTWARE_VERSION }),
    tokenTerminology: searchTerminology(terminology, (request, reader) => engine.dispatch(request, { ...storeAccess(engine.deps.store), reader })),
  });
  return engine;
}
