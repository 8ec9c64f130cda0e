/**
 * A bare FHIR engine (no HTTP, no modules) on a fresh store of one backend,
 * for the engine-level tests of test/fhir/.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import type { FhirRequest, FhirResponse } from '../../src/fhir/rest/types.js';
import { createEngine } from '../../src/platform/create-engine.js';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { prepareBackend, type BackendName } from './backends.js';

export const ENGINE_BASE = 'http://test/fhir';

export interface EngineOnBackend {
  readonly engine: FhirEngine;
  readonly store: Store;
  close(): Promise<void>;
}

export async function engineOn(backend: BackendName): Promise<EngineOnBackend> {
  const prepared = await prepareBackend(backend);
  const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent', demo: 'off' });
  const store = await openStore(config);
  const engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
  return {
    engine,
    store,
    async close() {
      await store.close();
      await prepared.cleanup();
    },
  };
}

/** A request to the engine at ENGINE_BASE. */
export function engineRequest(method: FhirRequest['method'], path: string, options: { body?: unknown; query?: [string, string][]; contentType?: string } = {}): FhirRequest {
  return {
    method, path, query: options.query ?? [], headers: options.contentType ? { contentType: options.contentType } : {},
    ...(options.body !== undefined ? { body: options.body } : {}), baseUrl: ENGINE_BASE, language: 'en',
  };
}

/** The JSON body of an engine response. */
export function responseJson(response: FhirResponse): Record<string, unknown> {
  const body = response.body;
  return (body?.kind === 'text' ? JSON.parse(body.text) : body?.kind === 'json' ? body.value : {}) as Record<string, unknown>;
}
