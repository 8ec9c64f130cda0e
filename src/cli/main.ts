/**
 * The `socle` command. Each command reads the same configuration as the
 * server (environment variables, see README).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.js';
import { ConfigError } from '../config/settings.js';
import { loadConfig } from '../config/load-config.js';
import { r4Schema } from '../fhir/definitions/schema.js';
import { MIGRATIONS } from '../storage/sql/schema.js';
import { openStore } from '../storage/open-store.js';
import { createEngine, publicBaseUrl } from '../server/build-app.js';
import { createLogger } from '../server/observability/logger.js';
import { closeOnSignals, startServer } from '../server/start-server.js';
import { importFile } from './import-command.js';

const USAGE = `Usage: socle <command>

Commands:
  serve                  start the server (default)
  migrate                apply pending schema migrations and exit
  import <file>          load FHIR resources from NDJSON or a Bundle (JSON)
  help                   show this help

Configuration comes from environment variables; see README.md.`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  closeOnSignals(server, logger);
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config);
  const applied = await store.migrate();
  await store.close();
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  console.log(applied.length > 0 ? `Applied migrations ${applied.join(', ')}; schema at version ${latest}.` : `Schema up to date (version ${latest}).`);
}

async function importCommand(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('socle import: a file is required (NDJSON or a Bundle in JSON).');
    return 2;
  }
  const config = loadConfig();
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    console.error(`socle import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    return 2;
  }
  const store = await openStore(config);
  const engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
  const started = Date.now();
  try {
    const report = await importFile(engine, file, publicBaseUrl(config));
    const seconds = (Date.now() - started) / 1000;
    for (const rejection of report.rejections.slice(0, 1000)) console.error(`rejected ${rejection.where}: ${rejection.reason}`);
    if (report.rejections.length > 1000) console.error(`… and ${report.rejections.length - 1000} more rejections`);
    console.log(`Loaded ${report.loaded} resources, rejected ${report.rejected}, in ${seconds.toFixed(1)} s.`);
    return report.rejected > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  // `socle --help` must show the usage, not start a server.
  const [command = values.help === true ? 'help' : 'serve', ...rest] = positionals;
  try {
    switch (command) {
      case 'serve': await serve(); return -1;
      case 'migrate': await migrate(); return 0;
      case 'import': return await importCommand(rest[0]);
      case 'help': console.log(USAGE); return 0;
      default:
        console.error(`socle: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`socle: configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
