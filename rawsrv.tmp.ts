import http from 'node:http';
import { SqliteStore } from './src/storage/sqlite/sqlite-store.ts';
import { createEngine } from './src/server/build-app.ts';
import { loadConfig } from './src/config/load-config.ts';
import { r4Schema } from './src/fhir/definitions/schema.ts';
import { systemClock } from './src/core/clock.ts';
const config = loadConfig({ SOCLE_DATA_DIR: '/tmp/sd' } as any);
const store = await SqliteStore.open({ dataDir: '/tmp/sd', synchronous: 'full' });
const engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
http.createServer(async (req, res) => {
  const mode = process.env.MODE;
  if (mode === 'store') {
    const v = await store.readCurrent('Patient', '89fcb598-4bab-4dc2-acc3-9ce2f1f3d951');
    res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(v!.content!) }); res.end(v!.content); return;
  }
  const r = await engine.handle({ method: 'GET', path: req.url!.slice(6), query: [], headers: {}, baseUrl: 'http://x/fhir', language: 'fr' });
  const text = r.body?.kind === 'text' ? r.body.text : '';
  res.writeHead(r.status, { ...(process.env.NOHDR ? {} : process.env.HDR ? { [process.env.HDR]: (r.headers as any)[process.env.HDR] ?? 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' } : r.headers), 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text) }); res.end(text);
}).listen(8095, '127.0.0.1');
process.on('SIGINT', () => process.exit(0));
