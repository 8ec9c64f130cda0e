/** The commands of the FHIR core: serve, migrate, import. */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { loadConfig } from '../config/load-config.js';
import { publicBaseUrl } from '../platform/create-engine.js';
import { createLogger } from '../server/observability/logger.js';
import { closeOnSignals, startServer } from '../server/start-server.js';
import { MIGRATIONS } from '../storage/sql/schema.js';
import { openStore } from '../storage/open-store.js';
import { withPlatform, type CliCommand } from './command.js';
import { importFile } from './import-command.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve',
  summary: 'start the server (default)',
  async run() {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const server = await startServer(config, logger);
    closeOnSignals(server, logger);
    return -1;
  },
};

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending schema migrations and exit',
  async run() {
    const store = await openStore(loadConfig());
    const applied = await store.migrate();
    await store.close();
    const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    console.log(applied.length > 0 ? `Applied migrations ${applied.join(', ')}; schema at version ${latest}.` : `Schema up to date (version ${latest}).`);
    return 0;
  },
};

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import <file>',
  summary: 'load FHIR resources from NDJSON or a Bundle (JSON)',
  async run([file]) {
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
    const started = Date.now();
    return withPlatform(async (platform) => {
      const report = await importFile(platform.engine, file, publicBaseUrl(config));
      const seconds = (Date.now() - started) / 1000;
      for (const rejection of report.rejections.slice(0, 1000)) console.error(`rejected ${rejection.where}: ${rejection.reason}`);
      if (report.rejections.length > 1000) console.error(`… and ${report.rejections.length - 1000} more rejections`);
      console.log(`Loaded ${report.loaded} resources, rejected ${report.rejected}, in ${seconds.toFixed(1)} s.`);
      return report.rejected > 0 ? 1 : 0;
    }, config);
  },
};
