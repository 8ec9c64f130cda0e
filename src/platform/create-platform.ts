/**
 * Composes the platform: the FHIR engine and the service modules around it.
 * The server and the CLI both start from here, so a command works on the very
 * same engine, rules and operations as the HTTP API.
 */
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import type { FhirSchema } from '../fhir/definitions/schema.js';
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { ConformanceClaims } from '../fhir/rest/interactions/capabilities.js';
import { Collection } from '../storage/collection.js';
import type { Store } from '../storage/contract.js';
import { routeTypes, type TypeSource } from '../storage/type-routing.js';
import type { Logger } from '../server/observability/logger.js';
import { createEngine } from './create-engine.js';
import type { ModuleFactory, SocleModule } from './module.js';
import { MODULE_FACTORIES } from './modules.js';

export interface PlatformDeps {
  readonly config: Config;
  readonly store: Store;
  readonly schema: FhirSchema;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface Platform {
  readonly engine: FhirEngine;
  readonly modules: readonly SocleModule[];
  close(): Promise<void>;
}

/** The modules' profiles and guides together, each listed once. */
function conformanceClaims(modules: readonly SocleModule[]): ConformanceClaims {
  const profiles = new Map<string, Set<string>>();
  const guides = new Set<string>();
  for (const { conformance } of modules) {
    for (const [type, urls] of Object.entries(conformance?.supportedProfiles ?? {})) {
      const set = profiles.get(type) ?? new Set<string>();
      for (const url of urls) set.add(url);
      profiles.set(type, set);
    }
    for (const guide of conformance?.implementationGuides ?? []) guides.add(guide);
  }
  return { supportedProfiles: Object.fromEntries([...profiles].map(([type, urls]) => [type, [...urls]])), implementationGuides: [...guides] };
}

export async function createPlatform(deps: PlatformDeps, factories: readonly ModuleFactory[] = MODULE_FACTORIES): Promise<Platform> {
  const engine = createEngine(deps);
  const context = {
    ...deps,
    engine,
    collection: <T>(name: string, options = {}) => new Collection<T>(deps.store, name, deps.clock, options),
  };
  const modules: SocleModule[] = [];
  let guard: SocleModule['accessGuard'];
  const sources: TypeSource[] = [];
  for (const factory of factories) {
    const module = await factory(context);
    for (const operation of module.operations ?? []) engine.deps.operations.add(operation);
    engine.deps.writeHooks.push(...(module.writeHooks ?? []));
    if (module.auditRecorder) engine.deps.audit = module.auditRecorder;
    if (module.capabilitySecurity) engine.deps.capabilitySecurity = module.capabilitySecurity;
    if (module.accessGuard) engine.deps.guard = guard = module.accessGuard;
    sources.push(...(module.typeSources ?? []));
    modules.push(module);
  }
  for (const module of modules) for (const policy of module.accessPolicies ?? []) guard?.add(policy);
  // The engine reads those types from their module; modules keep the plain store for their own data.
  engine.deps.store = routeTypes(deps.store, sources);
  engine.deps.conformanceClaims = conformanceClaims(modules);
  engine.deps.typeCapabilities = new Map(sources.flatMap((s) => (s.capability ? [[s.resourceType, s.capability] as const] : [])));
  return {
    engine,
    modules,
    async close() {
      for (const module of [...modules].reverse()) await module.close?.();
    },
  };
}
