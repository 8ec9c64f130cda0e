/**
 * A `socle` command: its name, one line of help, and what it does. Each
 * command group lives in its own file and is listed in commands.ts; main.ts
 * only parses the command name and runs it.
 */
import { systemClock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import { loadConfig } from '../config/load-config.js';
import { r4Schema } from '../fhir/definitions/schema.js';
import { createPlatform, type Platform } from '../platform/create-platform.js';
import { createLogger } from '../server/observability/logger.js';
import { openStore } from '../storage/open-store.js';

export interface CliCommand {
  readonly name: string;
  /** e.g. "import <file>" */
  readonly usage: string;
  readonly summary: string;
  /** Returns the exit code; -1 keeps the process running (serve). */
  run(args: readonly string[]): Promise<number>;
}

/**
 * Runs `work` on the platform the server would run (same configuration, same
 * store, same modules), then closes it. Errors go to the logs at warn level only.
 */
export async function withPlatform<T>(work: (platform: Platform, config: Config) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const store = await openStore(config);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  let platform: Platform | undefined;
  try {
    platform = await createPlatform({ config, store, schema: r4Schema(), clock: systemClock, logger });
    return await work(platform, config);
  } finally {
    await platform?.close();
    await store.close();
  }
}
