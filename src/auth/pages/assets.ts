/**
 * The DSFR's stylesheet, fonts, icons and favicons served by Socle under
 * /assets/dsfr/ from the installed @gouvfr/dsfr package: no CDN, so the login
 * pages' CSP stays 'self' only and the pages work offline. Only these folders
 * and files are reachable; the path is resolved and checked to stay inside
 * them (no traversal).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { fail } from '../../core/errors.js';

const require = createRequire(import.meta.url);
const DIST = join(dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const ALLOWED = /^(dsfr\.min\.css|fonts\/[\w.-]+\.woff2?|icons\/[\w-]+\/[\w.-]+\.svg|favicon\/[\w.-]+\.(svg|png|ico|webmanifest))$/;

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** GET /assets/dsfr/* */
export function registerDsfrAssets(app: FastifyInstance): void {
  app.get('/assets/dsfr/*', async (request, reply) => {
    const wanted = (request.params as { '*': string })['*'];
    const file = normalize(join(DIST, wanted));
    if (!ALLOWED.test(wanted) || !file.startsWith(DIST + sep)) throw fail('auth.asset-not-found', { path: wanted.slice(0, 200) });
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw fail('auth.asset-not-found', { path: wanted.slice(0, 200) });
    return reply
      .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
      .header('content-length', info.size)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(file));
  });
}
