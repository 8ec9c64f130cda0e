/**
 * Builds the HTTP application without listening (main.ts listens), so that
 * tests and tools get the very same app. Dependencies come in explicitly.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { fail, FhirError, isFhirError } from '../core/errors.js';
import { operationOutcome } from '../core/operation-outcome.js';
import { pickLanguage } from '../core/i18n/translate.js';
import type { Config } from '../config/settings.js';

import { createBearerAuthenticator } from '../auth/bearer/index.js';
import type { Platform } from '../platform/create-platform.js';
import { answerClientError } from './http/client-error.js';
import { registerCors } from './http/cors.js';
import { registerFhirRoutes, sendFhir } from './http/fhir-routes.js';
import { charsetOf, isUtf8Charset } from './http/media.js';
import { lazyChild, type Logger, pathOnly } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { parseJson } from '../core/json/decimal-json.js';
import { repeatedProperty } from '../core/json/duplicate-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    interaction: string;
  }
}

export interface AppDeps {
  readonly config: Config;
  readonly platform: Platform;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const REQUEST_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;
const JSON_MEDIA_TYPES = ['application/fhir+json', 'application/json', 'application/json-patch+json', 'application/json+fhir', 'text/json'];

/** Errors Fastify raises itself (before our handler runs), as catalogued FHIR errors. */
function fromFrameworkError(error: { code?: string; statusCode?: number; message?: string }, maxBody: number): FhirError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return fail('body.too-large', { limit: maxBody });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return fail('body.missing');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return fail('media.unsupported', { contentType: '-' });
    default: break;
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return fail('body.invalid-json', { reason: error.message ?? 'bad request' });
  }
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON body as text: UTF-8 only (http.html#mime-type: "UTF-8 encoding SHALL
 * be used for the mime type application/fhir"; RFC 8259 §8.1). Another
 * charset is an unsupported media type (415: the server does not take the
 * body in the form it is declared in); bytes that are not UTF-8 are a
 * malformed body (400), never decoded with replacement characters.
 * Raw Binary uploads do not come here (fhir-routes.ts: any charset, bytes as is).
 */
function decodeJson(contentType: string | undefined, body: Buffer): string {
  if (!isUtf8Charset(contentType)) throw fail('media.unsupported-charset', { charset: charsetOf(contentType) ?? '-' });
  // A body declared in another FHIR version (http.html#version-parameter: the parameter "applies to the entire interaction").
  const version = /;\s*fhirversion\s*=\s*"?([^";,\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (version !== undefined && !version.startsWith('4.0')) throw fail('media.unsupported', { contentType: contentType ?? '-' });
  try {
    return UTF8.decode(body);
  } catch {
    throw fail('body.invalid-utf8');
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, logger, metrics } = deps;
  const { engine } = deps.platform;
  const app = Fastify({
    // pino's Logger and Fastify's base logger differ only in typing details.
    loggerInstance: logger as unknown as FastifyBaseLogger,
    childLoggerFactory: (parent, bindings) => lazyChild(parent as unknown as Logger, bindings) as unknown as FastifyBaseLogger,
    // Fastify's own two lines per request are replaced by our single access line (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBody,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // A URL the router cannot decode (a stray "%"): answered as an OperationOutcome like every error, not Fastify's own JSON.
    frameworkErrors: (_error, request, reply) => {
      const language = pickLanguage(request.headers['accept-language'] as string | undefined);
      sendFhir(request, reply, engine.errorResponse(fail('request.malformed'), { language }));
    },
  });
  app.decorateRequest('interaction', '');

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'buffer' }, (request, body, done) => {
    const text = decodeJson(request.headers['content-type'], body as Buffer);
    if (text.trim() === '') return done(null, undefined);
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      return done(fail('body.invalid-json', { reason: (error as Error).message }), undefined);
    }
    // A name given twice in one object: JSON.parse kept the last value and dropped the other (duplicate-keys.ts).
    const repeated = repeatedProperty(text, value);
    if (repeated !== undefined) return done(fail('body.duplicate-property', { path: repeated }, { expression: [repeated] }), undefined);
    done(null, value);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // Anything else arrives as a stream: a raw Binary upload, or a 415 decided by the route.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  // Callback-style hooks: cheaper than async ones on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // http.html#custom: when the server's id replaces the client's, the client's comes back as X-Correlation-Id
    // (printable ASCII only: anything else could not be a header value).
    const given = request.headers['x-request-id'];
    if (typeof given === 'string' && given !== request.id && /^[\x20-\x7e]{1,200}$/.test(given)) reply.header('x-correlation-id', given);
    reply.header('x-content-type-options', 'nosniff');
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const seconds = reply.elapsedTime / 1000;
    const interaction = request.interaction || 'other';
    metrics.observeRequest(interaction, request.method, reply.statusCode, seconds);
    // One access line per request, written by the root logger with the request id (no child logger).
    if (logger.isLevelEnabled('info')) {
      logger.info({ reqId: request.id, method: request.method, path: pathOnly(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100, interaction }, 'request');
    }
    done();
  });

  // Before the routes: a browser's preflight is answered ahead of authentication.
  await registerCors(app, config.corsOrigins);

  const fallbackHost = `${config.host}:${config.port}`;
  // Revocation is the OpenID provider's (auth module) when it is composed.
  const revocation = deps.platform.modules.find((m) => m.name === 'auth') as { isRevoked?: (jti: string) => Promise<boolean> } | undefined;
  const bearer = createBearerAuthenticator(app, config, engine, revocation?.isRevoked?.bind(revocation));
  registerFhirRoutes(app, {
    engine, baseUrl: config.baseUrl, fallbackHost, uploadFolder: join(config.dataDir, 'uploads'), maxBody: config.maxBody,
    authenticate: (authorization) => bearer.authenticate(authorization),
  });

  for (const module of deps.platform.modules) await module.registerRoutes?.(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/', async (_request, reply) => reply.send({ name: 'Socle', fhir: '/fhir', capabilities: '/fhir/metadata', health: '/healthz', metrics: '/metrics' }));

  app.setNotFoundHandler((request, reply) => {
    const error = fail('route.not-found', { path: pathOnly(request.url) });
    sendFhir(request, reply, engine.errorResponse(error, { language: pickLanguage(request.headers['accept-language'] as string | undefined) }));
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply) => {
    const language = pickLanguage(request.headers['accept-language'] as string | undefined);
    const known = isFhirError(error) ? error : fromFrameworkError(error, config.maxBody);
    if (known) return sendFhir(request, reply, engine.errorResponse(known, { language }));
    // A bug: log what it is (never the data), answer 500 with the request id to quote.
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unexpected error');
    const internal = fail('server.internal', { requestId: request.id });
    return reply.code(500).header('content-type', 'application/fhir+json; charset=utf-8').send(JSON.stringify(operationOutcome(internal.issues, language)));
  });

  return app;
}
