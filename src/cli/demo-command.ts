/**
 * `socle demo [--patients N] [--professionals N] [--organisations N] [--seed S] [--region R]`:
 * generates the demo region (src/demo/) and loads it through the platform,
 * with a progress bar on stderr. Sizes default to the SOCLE_DEMO_* settings.
 * The same seed gives the same resources with the same ids, so running it
 * again updates them in place. Exit 0 when everything loaded, 1 when some
 * resources were rejected (listed), 2 for bad arguments.
 */
import { loadConfig } from '../config/load-config.js';
import { isFhirError } from '../core/errors.js';
import { demoOptionsOf, findDemoModule, type DemoOptions } from '../demo/index.js';
import { UnknownRegionError } from '../demo/generate-region.js';
import { withPlatform, type CliCommand } from './command.js';
import { createProgress, type Progress } from './progress.js';

const FLAGS: Readonly<Record<string, { key: keyof DemoOptions; max: number }>> = {
  '--patients': { key: 'patients', max: 10_000_000 },
  '--professionals': { key: 'professionals', max: 1_000_000 },
  '--organisations': { key: 'organisations', max: 100_000 },
  '--seed': { key: 'seed', max: 4_294_967_295 },
};

/** Parses the flags over the configured options; a string is the problem to print. */
export function parseDemoArgs(args: readonly string[], defaults: DemoOptions): DemoOptions | string {
  const options: { -readonly [K in keyof DemoOptions]: DemoOptions[K] } = { ...defaults };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] as string;
    const raw = args[i + 1];
    if (flag === '--region') {
      if (raw === undefined || !/^\d{2}$/.test(raw)) return '--region takes an INSEE region code of two digits (32 Hauts-de-France).';
      options.region = raw;
      continue;
    }
    const spec = FLAGS[flag];
    if (!spec) return `unknown option ${flag}`;
    const value = Number(raw);
    if (raw === undefined || !/^\d+$/.test(raw) || value > spec.max) return `${flag} takes a whole number from 0 to ${spec.max}.`;
    (options as Record<string, unknown>)[spec.key] = value;
  }
  return options;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [--patients N] [--professionals N] [--organisations N] [--seed S] [--region R]',
  summary: 'generate a demo region (organisations, professionals, patients) and load it',
  async run(args) {
    const config = loadConfig();
    const options = parseDemoArgs(args, demoOptionsOf(config));
    if (typeof options === 'string') {
      console.error(`socle demo: ${options}`);
      return 2;
    }
    const started = Date.now();
    let bar: Progress | undefined;
    try {
      return await withPlatform(async (platform) => {
        const report = await findDemoModule(platform.modules).seed(options, {
          // Phase lines until the bar starts; then the bar says it all.
          progress: (message) => {
            if (!bar) console.error(message);
          },
          tick: (done, total, counts) => {
            bar ??= createProgress(total, 'resources');
            bar.update(done, { loaded: counts.loaded, rejected: counts.rejections.length });
          },
        });
        bar?.stop();
        for (const rejection of report.rejections.slice(0, 100)) console.error(`rejected ${rejection.where}: ${rejection.reason}`);
        if (report.rejections.length > 100) console.error(`… and ${report.rejections.length - 100} more rejections`);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`Demo region ${options.region} (seed ${options.seed}): ${report.loaded} resources and ${report.registered} INSi register entries loaded, ${report.rejections.length} rejected, in ${seconds} s.`);
        return report.rejections.length > 0 ? 1 : 0;
      }, config);
    } catch (error) {
      bar?.stop();
      if (error instanceof UnknownRegionError) {
        console.error(`socle demo: ${error.message}`);
        return 2;
      }
      if (isFhirError(error)) {
        console.error(`socle demo: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};
