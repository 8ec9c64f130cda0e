/**
 * Mounts the OpenID provider under /oidc in the Fastify app. oidc-provider is
 * a Koa application that reads the raw Node request itself (it parses its own
 * form and JSON bodies, with its own 56 kB limit), so its routes live in an
 * encapsulated plugin whose only content-type parser leaves the body unread,
 * and the reply is hijacked: the provider writes the raw response. The
 * request's URL is made relative to the mount point, with `originalUrl`
 * keeping the full one, as the provider's own mounting guide does.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

export const OIDC_PREFIX = '/oidc';

export function mountProvider(app: FastifyInstance, provider: () => Promise<Provider>): void {
  // Not awaited (see route-errors.ts): the plugin loads with the others when the app starts.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const callback = (await provider()).callback();
      request.interaction = 'oidc';
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = (raw.url ?? '/').slice(OIDC_PREFIX.length) || '/';
      reply.hijack();
      reply.raw.setHeader('x-request-id', request.id);
      reply.raw.setHeader('x-content-type-options', 'nosniff');
      callback(raw, reply.raw);
    };
    scope.all(OIDC_PREFIX, handle);
    scope.all(`${OIDC_PREFIX}/*`, handle);
  });
}
