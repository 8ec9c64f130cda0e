/**
 * Opens the store (rebuilding the search index first when it was written under
 * older indexing rules), builds the app and listens; closes everything in order on
 * SIGINT/SIGTERM (in-flight requests finish, the store flushes its last commit).
 */
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../core/clock.js';
import type { Config } from '../config/settings.js';
import { r4Schema } from '../fhir/definitions/schema.js';
import { INDEX_FORMAT } from '../fhir/indexing/index-format.js';
import { openStore } from '../storage/open-store.js';
import { reindexIfOutdated } from '../storage/reindex.js';
import type { Store } from '../storage/contract.js';
import { createPlatform, type Platform } from '../platform/create-platform.js';
import { seedDemoOnFirstStart } from '../platform/demo-seeding.js';
import { buildApp } from './build-app.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly platform: Platform;
  readonly url: string;
  close(): Promise<void>;
}

/** `clock`: the system's, unless a test holds time still (a write at midnight in Paris). */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel), clock: Clock = systemClock): Promise<RunningServer> {
  const metrics = createMetrics();
  const schema = r4Schema();
  const store = await openStore(config, (operation, ms) => metrics.observeQuery(operation, ms), (reason) => metrics.observeRetry(reason));
  let platform: Platform | undefined;
  let app: FastifyInstance;
  try {
    platform = await createPlatform({ config, store, schema, clock, logger });
    // Rows written under older indexing rules would not be found: rebuilt before the first request.
    const { indexer } = platform.engine.deps;
    await reindexIfOutdated(store, { format: INDEX_FORMAT, index: (resource) => indexer.indexStored(resource.content) }, logger);
    await seedDemoOnFirstStart(config, platform, logger);
    app = await buildApp({ config, platform, logger, metrics });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await platform?.close();
    await store.close();
    throw error;
  }
  const running = platform;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, backend: store.capabilities.backend }, 'Socle is ready');
  let closing: Promise<void> | undefined;
  return {
    app,
    store,
    platform: running,
    url,
    close() {
      closing ??= (async () => {
        await app.close();
        await running.close();
        await store.close();
        logger.flush?.();
      })();
      return closing;
    },
  };
}

export function closeOnSignals(server: RunningServer, logger: Logger): void {
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
