/**
 * The HTTP adapter of the FHIR engine: every method on /fhir and below becomes
 * a FhirRequest, and the FhirResponse is written back. Nothing FHIR-specific is
 * decided here beyond media types.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail, isFhirError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { pickLanguage } from '../../core/i18n/translate.js';
import type { FhirEngine } from '../../fhir/rest/engine.js';
import { parsePrefer } from '../../fhir/rest/headers.js';
import type { FhirMethod, FhirRequest, FhirResponse } from '../../fhir/rest/types.js';
import { pathOnly } from '../observability/logger.js';
import { binaryResourceIn, uploadInMemory } from './binary-body.js';
import { spoolUpload, type SpooledUpload } from './binary-upload.js';
import { baseMediaType, FHIR_JSON, negotiateResponseType } from './media.js';
import { parseJson, stringifyJson } from '../../core/json/decimal-json.js';

export interface FhirRouteOptions {
  readonly engine: FhirEngine;
  /** Configured public base (SOCLE_BASE_URL); empty means derived from the Host header. */
  readonly baseUrl: string;
  readonly fallbackHost: string;
  readonly uploadFolder: string;
  readonly maxBody: number;
  /**
   * The principal of an Authorization header (auth/bearer/), or a 401 FhirError.
   * Every request below /fhir but the CapabilityStatement must carry a valid token.
   */
  readonly authenticate: (authorization: string | undefined) => Promise<Principal>;
}

/**
 * The CapabilityStatement and $versions are public: clients discover the
 * server (its versions, its security) before they have a token. Neither says
 * anything of the data.
 */
function isPublic(method: string, path: string): boolean {
  return (path === 'metadata' || path === '$versions') && (method === 'GET' || method === 'HEAD');
}

const SAFE_HOST = /^[A-Za-z0-9.\-:[\]]{1,255}$/;
const FHIR_PREFIX = '/fhir';
const FORM = 'application/x-www-form-urlencoded';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function queryPairs(url: string): [string, string][] {
  const question = url.indexOf('?');
  if (question < 0) return [];
  const pairs: [string, string][] = [];
  for (const [name, value] of new URLSearchParams(url.slice(question + 1))) pairs.push([name, value]);
  return pairs;
}

/** A read or vread of one Binary, which may answer raw content in any media type (binary.html#rest). */
function isBinaryRead(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && /^Binary\/[^/_$][^/]*(\/_history\/[^/]+)?$/.test(path);
}

function isBinaryWrite(method: string, path: string): boolean {
  return (method === 'POST' || method === 'PUT') && /^Binary(\/[^/]+)?$/.test(path);
}

/** The answer to a write carries the resource unless Prefer asks otherwise (http.html#ops). */
function returnsRepresentation(prefer: string | undefined): boolean {
  const preference = parsePrefer(prefer).return;
  return preference === undefined || preference === 'representation';
}

/** Sends an engine response; the shared path of successes and errors. */
export function sendFhir(request: FastifyRequest, reply: FastifyReply, response: FhirResponse, contentType: string = FHIR_JSON): FastifyReply {
  request.interaction = response.interaction;
  reply.code(response.status);
  reply.header('cache-control', 'no-store');
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  const body = response.body;
  if (!body) return reply.send();
  if (body.kind === 'binary') {
    reply.header('content-type', body.contentType);
    return reply.send(Readable.from(body.stream));
  }
  reply.header('content-type', `${contentType}; charset=utf-8`);
  const pretty = queryPairs(request.url).some(([name, value]) => name === '_pretty' && value === 'true');
  let text = body.kind === 'text' ? body.text : stringifyJson(body.value);
  if (pretty) text = stringifyJson(parseJson(text), 2);
  return reply.send(text);
}

export function registerFhirRoutes(app: FastifyInstance, options: FhirRouteOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const language = pickLanguage(header(request, 'accept-language'));
    const path = pathOnly(request.url).slice(FHIR_PREFIX.length).replace(/^\/+/, '');
    const query = queryPairs(request.url);
    const contentType = negotiateResponseType(header(request, 'accept'), query.find(([n]) => n === '_format')?.[1], isBinaryRead(request.method, path));
    let upload: SpooledUpload | undefined;
    let binary: SpooledUpload | undefined;
    let body: unknown = request.body;
    try {
      let principal: Principal | undefined;
      if (!isPublic(request.method, path)) {
        try {
          principal = await options.authenticate(header(request, 'authorization'));
        } catch (error) {
          if (!isFhirError(error)) throw error;
          // A refused attempt is an access too: recorded, without a principal.
          if (body instanceof Readable) body.resume();
          await options.engine.recordRefusal({
            method: request.method as FhirMethod, path, query, headers: {}, baseUrl: '', language, clientAddress: request.ip, requestId: request.id,
          }, error).catch(() => undefined);
          throw error;
        }
      }
      if (body instanceof Readable) {
        const raw = body;
        body = undefined;
        const mediaType = header(request, 'content-type') ?? 'application/octet-stream';
        if (!isBinaryWrite(request.method, path)) {
          raw.resume();
          throw fail('media.unsupported', { contentType: mediaType });
        }
        upload = await spoolUpload(raw, mediaType, options.uploadFolder, options.maxBody);
        const resource = await binaryResourceIn(upload);
        if (resource) body = resource;
        else binary = returnsRepresentation(header(request, 'prefer')) ? await uploadInMemory(upload) : upload;
      } else if (typeof body === 'string') {
        // A form body is for POST _search only (http.html#search); a JSON string is never a resource, Bundle or patch.
        if (baseMediaType(header(request, 'content-type')) !== FORM) throw fail('body.not-a-resource');
        if (!/(^|\/)_search$/.test(path)) throw fail('media.unsupported', { contentType: header(request, 'content-type') ?? '-' });
      }
      const host = header(request, 'host');
      const baseUrl = options.baseUrl || `http://${host && SAFE_HOST.test(host) ? host : options.fallbackHost}${FHIR_PREFIX}`;
      const fhirRequest: FhirRequest = {
        method: request.method as FhirMethod,
        path,
        query,
        headers: {
          ...optional('contentType', header(request, 'content-type')),
          ...optional('accept', header(request, 'accept')),
          ...optional('ifMatch', header(request, 'if-match')),
          ...optional('ifNoneMatch', header(request, 'if-none-match')),
          ...optional('ifModifiedSince', header(request, 'if-modified-since')),
          ...optional('ifNoneExist', header(request, 'if-none-exist')),
          ...optional('prefer', header(request, 'prefer')),
          ...optional('securityContext', header(request, 'x-security-context')),
        },
        ...(body !== undefined ? { body } : {}),
        ...(binary ? { binary } : {}),
        baseUrl,
        language,
        ...(principal ? { principal } : {}),
        clientAddress: request.ip,
        requestId: request.id,
      };
      const response = await options.engine.handle(fhirRequest);
      return sendFhir(request, reply, response, contentType);
    } catch (error) {
      if (!isFhirError(error)) throw error;
      return sendFhir(request, reply, options.engine.errorResponse(error, { language }), contentType);
    } finally {
      await upload?.dispose();
    }
  };
  app.all(FHIR_PREFIX, handler);
  app.all(`${FHIR_PREFIX}/*`, handler);
  // A body written to Binary is its content whatever its type, JSON included (binary.html#rest):
  // these two routes leave every body unread, to be spooled, and binary-body.ts tells a Binary resource apart.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.post(`${FHIR_PREFIX}/Binary`, handler);
    scope.put(`${FHIR_PREFIX}/Binary/:id`, handler);
  });
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
