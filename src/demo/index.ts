/**
 * The demo module (issue #3, "Demo data"): on the first start of the embedded
 * store (SOCLE_DEMO, src/platform/demo-seeding.ts) and on `socle demo`, it
 * generates a coherent region (generate-region.ts) and loads it through the
 * INSi-like register and the FHIR engine (load-region.ts). It owns no data of
 * its own: what it writes belongs to the directory, identity and FHIR layers.
 */
import { publicBaseUrl } from '../platform/create-engine.js';
import type { ModuleContext, ModuleFactory, SocleModule } from '../platform/module.js';
import type { InsiIdentity } from '../identity/insi/contract.js';
import { InsiRegister } from '../identity/insi/register.js';
import { generateRegion, type DemoOptions } from './generate-region.js';
import { loadDemoRegion, type DemoLoadReport, type LoadOptions } from './load-region.js';

export type { DemoOptions } from './generate-region.js';
export type { DemoLoadReport } from './load-region.js';
/** Patient.id of each featured patient, whatever the seed (the auth module's demo accounts point to them). */
export { FEATURED_PATIENT_IDS } from './generate-population.js';

/** The sizes and seed the configuration asks for (SOCLE_DEMO_*). */
export function demoOptionsOf(config: ModuleContext['config']): DemoOptions {
  return {
    seed: config.demoSeed,
    region: config.demoRegion,
    organisations: config.demoOrganisations,
    professionals: config.demoProfessionals,
    patients: config.demoPatients,
  };
}

/** Generates and loads a region; the CLI and the first-start seeding share it. */
export async function seedRegion(context: ModuleContext, options: DemoOptions, load: Omit<LoadOptions, 'baseUrl'> = {}): Promise<DemoLoadReport> {
  const region = generateRegion(options);
  const register = InsiRegister.open((name, collectionOptions) => context.collection<InsiIdentity>(name, collectionOptions));
  // SQLite: batch entries share group commits. PostgreSQL: transactions, under half the pool,
  // since a Patient write may take a second connection (load-region.ts, LoadOptions).
  const embedded = context.config.databaseUrl === '';
  const concurrency = embedded ? 4 : Math.max(1, Math.min(4, Math.floor(context.config.pgPoolSize / 2) - 1));
  return loadDemoRegion(context.engine, register, region, {
    bundle: embedded ? 'batch' : 'transaction', concurrency, ...load, baseUrl: publicBaseUrl(context.config),
  });
}

export interface DemoModule extends SocleModule {
  readonly name: 'demo';
  /** Generates and loads a region with these options (socle demo). */
  seed(options: DemoOptions, load?: Omit<LoadOptions, 'baseUrl'>): Promise<DemoLoadReport>;
}

export const demoModule: ModuleFactory = (context): DemoModule => ({
  name: 'demo',
  seed: (options, load) => seedRegion(context, options, load),
  async seedDemo(progress) {
    const started = Date.now();
    const report = await seedRegion(context, demoOptionsOf(context.config), { progress });
    // Counts only: a rejection's reason may quote a value, and logs never carry personal data.
    progress(`demo: ${report.loaded} resources and ${report.registered} register entries in ${Date.now() - started} ms, ${report.rejections.length} rejected`);
    if (report.rejections.length > 0) context.logger.warn({ rejected: report.rejections.length }, 'demo data partly rejected: run socle demo to see why');
  },
});

/** The demo module among a platform's modules. */
export function findDemoModule(modules: readonly SocleModule[]): DemoModule {
  const found = modules.find((m) => m.name === 'demo');
  if (!found) throw new Error('the demo module is not part of this platform');
  return found as DemoModule;
}
