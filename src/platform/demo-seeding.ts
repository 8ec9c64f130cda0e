/**
 * Demo data on the first start (README, "Demo data"): the embedded store is
 * seeded unless NODE_ENV=production; a PostgreSQL store only with SOCLE_DEMO=on.
 * A marker document records that seeding ran, so that a restart never seeds twice.
 */
import type { Config } from '../config/settings.js';
import { Collection } from '../storage/collection.js';
import type { Logger } from '../server/observability/logger.js';
import type { Platform } from './create-platform.js';

interface SeedMarker {
  readonly seededAt: string;
  readonly modules: readonly string[];
}

export function demoWanted(config: Pick<Config, 'demo' | 'databaseUrl'>, env: NodeJS.ProcessEnv = process.env): boolean {
  if (config.demo === 'on') return true;
  if (config.demo === 'off') return false;
  return config.databaseUrl === '' && env.NODE_ENV !== 'production';
}

/** Seeds every module's demo data once; returns whether it ran. */
export async function seedDemo(platform: Platform, progress: (message: string) => void): Promise<string[]> {
  const seeded: string[] = [];
  for (const module of platform.modules) {
    if (!module.seedDemo) continue;
    progress(`demo: ${module.name}`);
    await module.seedDemo(progress);
    seeded.push(module.name);
  }
  return seeded;
}

export async function seedDemoOnFirstStart(config: Config, platform: Platform, logger: Logger): Promise<boolean> {
  if (!demoWanted(config)) return false;
  const store = platform.engine.deps.store;
  const markers = new Collection<SeedMarker>(store, 'platform.demo', platform.engine.deps.clock);
  if (await markers.get('seeded')) return false;
  const modules = await seedDemo(platform, (message) => logger.info({ step: message }, 'seeding demo data'));
  await markers.put('seeded', { seededAt: new Date(platform.engine.deps.clock.now()).toISOString(), modules });
  return true;
}
