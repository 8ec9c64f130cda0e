/**
 * A service module (identity, directory, auth, audit, record…) as the
 * platform composes it: what it adds to the FHIR engine (operations, write
 * rules), the HTTP routes it serves outside /fhir, the demo data it seeds, and
 * how it closes. Each module gets its dependencies in a ModuleContext and owns
 * its data: its FHIR resources through the engine, its other documents in its
 * own collections (storage/collection.ts). Recipe: a folder under src/ with an
 * index.ts exporting a ModuleFactory, listed in modules.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditRecorder } from '../core/audit-entry.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import type { FhirSchema } from '../fhir/definitions/schema.js';
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { AccessGuard } from '../fhir/rest/access-guard.js';
import type { FhirOperation } from '../fhir/rest/operations.js';
import type { ConformanceClaims } from '../fhir/rest/interactions/capabilities.js';
import type { AccessPolicy } from '../auth/policy/access-policy.js';
import type { WriteHook } from '../fhir/rest/write-hooks.js';
import type { Collection, CollectionOptions } from '../storage/collection.js';
import type { Store } from '../storage/contract.js';
import type { TypeSource } from '../storage/type-routing.js';
import type { Logger } from '../server/observability/logger.js';

export interface ModuleContext {
  readonly config: Config;
  readonly store: Store;
  readonly schema: FhirSchema;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The FHIR engine: modules read and write FHIR resources through it (engine.handle), never through SQL. */
  readonly engine: FhirEngine;
  /** One of the module's own document collections; name it "<module>.<what>". */
  collection<T>(name: string, options?: CollectionOptions<T>): Collection<T>;
}

export interface SocleModule {
  readonly name: string;
  readonly operations?: readonly FhirOperation[];
  readonly writeHooks?: readonly WriteHook[];
  /** The profiles its resources claim, by type, and the guides defining them (CapabilityStatement supportedProfile, implementationGuide). */
  readonly conformance?: Partial<ConformanceClaims>;
  /** rest.security of the CapabilityStatement for a FHIR base (the auth module: SMART on FHIR's oauth-uris). */
  readonly capabilitySecurity?: (baseUrl: string) => Record<string, unknown>;
  /** The audit module's recorder, which the engine then writes every access to. */
  readonly auditRecorder?: AuditRecorder;
  /** Resource types the module serves from its own storage instead of the resources table (the audit log's AuditEvents). */
  readonly typeSources?: readonly TypeSource[];
  /** The access module's policy decision point, which the engine asks at every interaction. */
  readonly accessGuard?: AccessGuard & { add(policy: AccessPolicy): void };
  /** Rules a module adds for its data (they can only narrow access; auth/policy/access-policy.ts). */
  readonly accessPolicies?: readonly AccessPolicy[];
  /** Routes outside /fhir (the OpenID Connect provider, login pages, the web spaces). */
  registerRoutes?(app: FastifyInstance): Promise<void> | void;
  /** Demo data for a first start; modules seed in the order of modules.ts. */
  seedDemo?(progress: (message: string) => void): Promise<void>;
  close?(): Promise<void>;
}

export type ModuleFactory = (context: ModuleContext) => SocleModule | Promise<SocleModule>;
