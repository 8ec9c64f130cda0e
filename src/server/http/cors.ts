/**
 * Cross-origin access (CORS, https://fetch.spec.whatwg.org/#http-cors-protocol)
 * to the FHIR API and the discovery documents, so that a browser app — a
 * SMART on FHIR app served from another origin — can call them: its
 * preflight (OPTIONS) is answered before authentication, and the headers a
 * FHIR client reads (Location, ETag, Last-Modified…) are exposed.
 *
 * @fastify/cors does the protocol; this file decides where it applies. Only
 * /fhir and /.well-known: the OpenID provider answers CORS for its own
 * endpoints per registered client (oidc-provider's clientBasedCORS), and the
 * web spaces, which use session cookies, must stay same-origin. No
 * credentials are ever allowed: the API takes bearer tokens, not cookies.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SCOPED = /^\/(fhir|\.well-known)(\/|\?|$)/;

/**
 * The response headers a FHIR client reads (X-Progress: a bulk export's status; X-Security-Context: a raw
 * Binary's security context, binary.html#rest; Allow: the methods a 405 names).
 */
const EXPOSED_HEADERS = ['location', 'content-location', 'etag', 'last-modified', 'x-request-id', 'www-authenticate', 'retry-after', 'x-progress', 'expires', 'x-security-context', 'allow'];

/**
 * `origins`: SOCLE_CORS_ORIGINS as configured: "*", "off", or origins
 * separated by spaces.
 */
export async function registerCors(app: FastifyInstance, origins: string): Promise<void> {
  const setting = origins.trim();
  if (setting === '' || setting.toLowerCase() === 'off') return;
  const allowed = setting === '*' ? '*' : setting.split(/\s+/).map((origin) => origin.replace(/\/$/, ''));
  const enabled: FastifyCorsOptions = {
    origin: allowed,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // No allowedHeaders: those the preflight asks for are allowed as asked. Clients add their own (MedplumClient
    // sends X-Medplum, others Cache-Control), and with no credentials ever allowed, a header opens nothing more.
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    strictPreflight: false,
  };
  const disabled: FastifyCorsOptions = { origin: false };
  await app.register(cors, () => (request: FastifyRequest, callback: (error: Error | null, options: FastifyCorsOptions) => void) => {
    // Outside its scope, or not a cross-origin request at all (no Origin): the routes answer as they always do.
    callback(null, request.headers.origin !== undefined && SCOPED.test(request.url) ? enabled : disabled);
  });
}
