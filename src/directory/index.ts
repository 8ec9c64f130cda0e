/**
 * The directory of professionals and organisations (issue #3): Practitioner,
 * PractitionerRole and Organization after the Annuaire Santé profiles, loaded
 * from the national public extracts through the FHIR engine, found by the
 * Annuaire's searches (national-search-parameters.ts). Its own data: the
 * import state (collection "directory.import-state") and what the enriching
 * extracts added ("directory.enrichment"). No demo seeding here:
 * the demo data builds on fhir-builders.ts and identifiers.ts.
 */
import { basename } from 'node:path';
import type { AuditEntry } from '../core/audit-entry.js';
import { SYSTEM_PRINCIPAL } from '../core/principal.js';
import type { ModuleFactory, SocleModule } from '../platform/module.js';
import { publicBaseUrl } from '../platform/create-engine.js';
import type { Enrichment } from './enrichment.js';
import type { StateChunk } from './import-state.js';
import { importExtract, type ImportOptions, type ImportReport } from './import-extract.js';
import { FR_CORE_PROFILE, PROFILE } from './code-systems.js';

export type { ImportReport, ImportCounts, ImportOptions } from './import-extract.js';

export interface DirectoryModule extends SocleModule {
  readonly name: 'directory';
  /** Imports one public extraction file (see import-extract.ts). */
  importExtract(file: string, options?: ImportOptions): Promise<ImportReport>;
}

/** The Annuaire Santé guide (its ImplementationGuide's canonical), whose public (DP) profiles the import writes. */
const ANNUAIRE_GUIDE = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/ImplementationGuide/ans.fhir.fr.annuaire';

/** The profiles the import's resources claim in meta.profile (fhir-builders.ts), as they write them; HealthcareService is built (service-builders.ts) but nothing imports it yet. */
const DIRECTORY_PROFILES = {
  Practitioner: [PROFILE.practitioner, FR_CORE_PROFILE.practitioner],
  PractitionerRole: [PROFILE.practitionerRole, FR_CORE_PROFILE.practitionerRole],
  Organization: [PROFILE.organization, FR_CORE_PROFILE.organization],
};

export const directoryModule: ModuleFactory = (context): DirectoryModule => {
  const state = context.collection<StateChunk>('directory.import-state');
  const enrichment = context.collection<Enrichment>('directory.enrichment');
  const baseUrl = publicBaseUrl(context.config);
  return {
    name: 'directory',
    conformance: { supportedProfiles: DIRECTORY_PROFILES, implementationGuides: [ANNUAIRE_GUIDE] },
    async importExtract(file, options) {
      const report = await importExtract({ engine: context.engine, baseUrl, state, enrichment, now: () => context.clock.now() }, file, options);
      context.engine.deps.audit.record(importAuditEntry(report, context.clock.now()));
      return report;
    },
  };
};

/**
 * One audit record per imported file, by Socle itself: the directory's
 * resources are written in bulk with no record each (bulk-put.ts), and who
 * changed the directory, when and how much must still be traceable. Names
 * and counts of a public file only: no personal data.
 */
function importAuditEntry(report: ImportReport, now: number): AuditEntry {
  const c = report.counts;
  return {
    action: 'U',
    interaction: 'operation:directory-import',
    outcome: c.rejected > 0 ? '4' : '0',
    ...(c.rejected > 0 ? { outcomeDescription: `${c.rejected} rejected lines` } : {}),
    principal: SYSTEM_PRINCIPAL,
    patients: [],
    entities: [],
    query: `kind=${report.kind}&file=${basename(report.file)}&lines=${c.lines}&created=${c.created}&updated=${c.updated}&unchanged=${c.unchanged}&deactivated=${c.deactivated}&rejected=${c.rejected}`,
    recorded: now,
  };
}

/** The directory module among a platform's modules. */
export function findDirectoryModule(modules: readonly SocleModule[]): DirectoryModule {
  const found = modules.find((m) => m.name === 'directory');
  if (!found) throw new Error('the directory module is not part of this platform');
  return found as DirectoryModule;
}
