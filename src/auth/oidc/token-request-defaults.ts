/**
 * What a token request may leave out (RFC 6749) and oidc-provider does not
 * fill in, filled in before the provider reads the form:
 *
 * - A public app's refresh request, as RFC 6749 §6 and SMART App Launch 2.0
 *   ("Refresh access token") define it: grant_type and refresh_token, nothing
 *   else ("for public apps, authentication is not possible, and thus not
 *   required"); SMART's own JavaScript client sends exactly that. The provider
 *   wants every token request to name its client ("no client authentication
 *   mechanism provided"). When such a request carries no client
 *   authentication at all and its refresh token was issued to a public client
 *   (token_endpoint_auth_method none), that client is named for it. The
 *   provider then checks the token as for any request (bound to that client,
 *   unexpired, not yet rotated); confidential clients still authenticate.
 *
 * - A client credentials request without scope (RFC 6749 §4.4.2: optional),
 *   as Medplum's client sends it: §3.3 asks the server to use "a pre-defined
 *   default value" or fail; the provider did neither and issued a token with
 *   no scope at all. The default is every system scope the client is
 *   registered for, what it could have asked for; the provider still
 *   authenticates the client before anything is issued.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { decodeJwt } from 'jose';
import type Provider from 'oidc-provider';
import { registeredScopes } from './clients.js';
import { grantableResourceScopes } from './grants.js';

type Ctx = any;

/** oidc-provider's own limit on token request bodies. */
const MAX_FORM_BYTES = 56 * 1024;

/** The whole body (Node's parser holds it to the Content-Length checked by the caller). */
async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The same request with `body` to read: the provider reads the raw Node stream itself. */
function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body], { objectMode: false }), {
    headers: { ...original.headers, 'content-length': String(body.length) },
    rawHeaders: original.rawHeaders,
    method: original.method,
    url: original.url,
    originalUrl: (original as IncomingMessage & { originalUrl?: string }).originalUrl,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    socket: original.socket,
    connection: original.socket,
    complete: true,
  }) as unknown as IncomingMessage;
}

/** The client a refresh token was issued to, when that client is public. */
async function publicClientOf(provider: Provider, refreshToken: string): Promise<string | undefined> {
  const token = await provider.RefreshToken.find(refreshToken);
  const clientId = token?.clientId as string | undefined;
  if (!clientId) return undefined;
  const client = await provider.Client.find(clientId);
  return client?.clientAuthMethod === 'none' ? clientId : undefined;
}

/** The client a request says it is (not yet authenticated: the provider does that). */
function claimedClient(authorization: string | undefined, form: URLSearchParams): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const pair = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    return colon > 0 ? decodeURIComponent(pair.slice(0, colon).replace(/\+/g, '%20')) : undefined;
  }
  const assertion = form.get('client_assertion');
  if (assertion) return decodeJwt(assertion).sub;
  return form.get('client_id') ?? undefined;
}

/** The system scopes a client is registered for, space-separated; empty when none. */
async function defaultSystemScope(provider: Provider, clientId: string): Promise<string> {
  const client = await provider.Client.find(clientId);
  const registered = registeredScopes(client);
  return grantableResourceScopes('system', registered, registered).join(' ');
}

/** What to add to the form, if anything. */
async function additions(ctx: Ctx, provider: Provider, form: URLSearchParams): Promise<Record<string, string>> {
  const grantType = form.get('grant_type');
  const refreshToken = form.get('refresh_token');
  const authenticated = ctx.headers.authorization !== undefined || form.has('client_id') || form.has('client_assertion');
  if (grantType === 'refresh_token' && refreshToken && !authenticated) {
    const clientId = await publicClientOf(provider, refreshToken);
    return clientId ? { client_id: clientId } : {};
  }
  if (grantType === 'client_credentials' && !form.get('scope')) {
    const clientId = claimedClient(ctx.headers.authorization, form);
    const scope = clientId ? await defaultSystemScope(provider, clientId) : '';
    return scope ? { scope } : {};
  }
  return {};
}

/** Koa middleware step for POST /token, run before the provider parses the form. */
export async function fillTokenRequest(ctx: Ctx, provider: Provider): Promise<void> {
  if (!ctx.is('application/x-www-form-urlencoded')) return;
  const length = Number(ctx.get('content-length'));
  // Bodies without a length, or over the provider's limit, are left to the provider to read and refuse.
  if (!Number.isInteger(length) || length <= 0 || length > MAX_FORM_BYTES) return;
  const body = await readAll(ctx.req);
  const form = new URLSearchParams(body.toString('utf8'));
  let added: Record<string, string> = {};
  try {
    added = await additions(ctx, provider, form);
  } catch {
    // Whatever cannot be read here (a malformed token or header) is the provider's to refuse, with its own error.
  }
  const extra = new URLSearchParams(added).toString();
  const request = replay(ctx.req, extra ? Buffer.concat([body, Buffer.from(`&${extra}`)]) : body);
  ctx.req = request;
  ctx.request.req = request;
}
