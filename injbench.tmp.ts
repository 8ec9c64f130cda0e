import { SqliteStore } from './src/storage/sqlite/sqlite-store.ts';
import { buildApp } from './src/server/build-app.ts';
import { loadConfig } from './src/config/load-config.ts';
import { r4Schema } from './src/fhir/definitions/schema.ts';
import { systemClock } from './src/core/clock.ts';
import { createLogger } from './src/server/observability/logger.ts';
import { createMetrics } from './src/server/observability/metrics.ts';
const config = loadConfig({ SOCLE_DATA_DIR: '/tmp/sd' } as any);
const store = await SqliteStore.open({ dataDir: '/tmp/sd', synchronous: 'full' });
const app = await buildApp({ config, store, schema: r4Schema(), clock: systemClock, logger: createLogger('warn'), metrics: createMetrics() });
await app.ready();
for (const url of ['/healthz', '/fhir/Patient/89fcb598-4bab-4dc2-acc3-9ce2f1f3d951', '/fhir/metadata2', '/healthz']) {
  for (let round = 0; round < 2; round++) {
    const n = 20000; const t = performance.now();
    for (let i = 0; i < n; i++) await app.inject({ method: 'GET', url });
    console.log(url, ((performance.now() - t) * 1000 / n).toFixed(2), 'us');
  }
}
await app.close(); await store.close();
