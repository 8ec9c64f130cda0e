/**
 * The directory of professionals and organisations (issue #3): Practitioner,
 * PractitionerRole and Organization after the Annuaire Santé profiles, loaded
 * from the national public extracts through the FHIR engine, found by the
 * Annuaire's searches (national-search-parameters.ts). Its own data: the
 * import state (collection "directory.import-state") and what the enriching
 * extracts added ("directory.enrichment"). No demo seeding here:
 * the demo data builds on fhir-builders.ts and identifiers.ts.
 */
import type { ModuleFactory, SocleModule } from '../platform/module.js';
import { publicBaseUrl } from '../platform/create-engine.js';
import type { Enrichment } from './enrichment.js';
import type { StateChunk } from './import-state.js';
import { importExtract, type ImportOptions, type ImportReport } from './import-extract.js';

export type { ImportReport, ImportCounts, ImportOptions } from './import-extract.js';

export interface DirectoryModule extends SocleModule {
  readonly name: 'directory';
  /** Imports one public extraction file (see import-extract.ts). */
  importExtract(file: string, options?: ImportOptions): Promise<ImportReport>;
}

export const directoryModule: ModuleFactory = (context): DirectoryModule => {
  const state = context.collection<StateChunk>('directory.import-state');
  const enrichment = context.collection<Enrichment>('directory.enrichment');
  const baseUrl = publicBaseUrl(context.config);
  return {
    name: 'directory',
    importExtract: (file, options) => importExtract({ engine: context.engine, baseUrl, state, enrichment, now: () => context.clock.now() }, file, options),
  };
};

/** The directory module among a platform's modules. */
export function findDirectoryModule(modules: readonly SocleModule[]): DirectoryModule {
  const found = modules.find((m) => m.name === 'directory');
  if (!found) throw new Error('the directory module is not part of this platform');
  return found as DirectoryModule;
}
