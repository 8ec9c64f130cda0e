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
 *   When the refresh token names no client at all (unknown, expired, revoked),
 *   the request is marked so that the provider's "no client authentication"
 *   becomes RFC 6749 §5.2's invalid_grant (provider-host.ts).
 *
 * - A client credentials request without scope, or with an empty one (RFC
 *   6749 §4.4.2: optional), as Medplum's client sends it: §3.3 asks the server
 *   to use "a pre-defined default value" or fail; the provider did neither and
 *   issued a token with no scope at all. The default is every system scope the
 *   client is registered for, what it could have asked for; the provider still
 *   authenticates the client before anything is issued.
 *
 * Bodies sent without Content-Length (chunked) are read too, up to the
 * provider's own limit; a larger one is handed on unread for the provider to
 * refuse.
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

/**
 * The body, read up to `limit` bytes. `rest` is what was not read when the
 * body is longer (the provider then reads it, after `head`, and refuses it).
 */
async function readUpTo(stream: IncomingMessage, limit: number): Promise<{ head: Buffer; rest?: AsyncIterator<Buffer> }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return { head: Buffer.concat(chunks) };
    chunks.push(value);
    size += value.length;
    if (size > limit) return { head: Buffer.concat(chunks), rest: iterator };
  }
}

async function* concatenated(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * The same request with `body` to read: the provider reads the raw Node stream
 * itself. A whole body gets its Content-Length (no longer chunked); one still
 * partly unread keeps the original headers.
 */
function replay(original: IncomingMessage, body: Buffer, rest?: AsyncIterator<Buffer>): IncomingMessage {
  const { 'transfer-encoding': _chunked, ...headers } = original.headers;
  return Object.assign(Readable.from(rest ? concatenated(body, rest) : [body], { objectMode: false }), {
    headers: rest ? original.headers : { ...headers, 'content-length': String(body.length) },
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

/**
 * Who a refresh token was issued to: a public client (named for the request),
 * another client (which must authenticate), or nobody Socle knows. Expired and
 * session-bound tokens are found too, for the provider to refuse them as
 * invalid_grant with its own checks.
 */
async function refreshTokenOwner(provider: Provider, refreshToken: string): Promise<{ publicClient: string } | 'confidential' | 'unknown'> {
  const token = await provider.RefreshToken.find(refreshToken, { ignoreExpiration: true, ignoreSessionBinding: true });
  const clientId = token?.clientId as string | undefined;
  if (!clientId) return 'unknown';
  const client = await provider.Client.find(clientId);
  if (!client) return 'unknown';
  return client.clientAuthMethod === 'none' ? { publicClient: clientId } : 'confidential';
}

/** Whether this token request's refresh token names no known client (set by fillTokenRequest). */
export function unknownRefreshToken(ctx: Ctx): boolean {
  return ctx.state?.socleUnknownRefreshToken === true;
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

/** The parameters to set in the form, if any. */
async function additions(ctx: Ctx, provider: Provider, form: URLSearchParams): Promise<Record<string, string>> {
  const grantType = form.get('grant_type');
  const refreshToken = form.get('refresh_token');
  const authenticated = ctx.headers.authorization !== undefined || form.has('client_id') || form.has('client_assertion');
  if (grantType === 'refresh_token' && refreshToken && !authenticated) {
    const owner = await refreshTokenOwner(provider, refreshToken);
    if (owner === 'unknown') ctx.state.socleUnknownRefreshToken = true;
    return typeof owner === 'object' ? { client_id: owner.publicClient } : {};
  }
  // `scope=` is no scope: replaced, not repeated (the provider refuses a parameter given twice).
  if (grantType === 'client_credentials' && form.getAll('scope').every((value) => value === '')) {
    const clientId = claimedClient(ctx.headers.authorization, form);
    const scope = clientId ? await defaultSystemScope(provider, clientId) : '';
    return scope ? { scope } : {};
  }
  return {};
}

/** Koa middleware step for POST /token, run before the provider parses the form. */
export async function fillTokenRequest(ctx: Ctx, provider: Provider): Promise<void> {
  if (!ctx.is('application/x-www-form-urlencoded')) return;
  const declared = ctx.get('content-length');
  const length = Number(declared);
  // A declared length over the provider's limit is left to the provider to refuse, unread.
  if (declared !== '' && (!Number.isInteger(length) || length <= 0 || length > MAX_FORM_BYTES)) return;
  const { head, rest } = await readUpTo(ctx.req, MAX_FORM_BYTES);
  let body = head;
  if (!rest) {
    const form = new URLSearchParams(head.toString('utf8'));
    let added: Record<string, string> = {};
    try {
      added = await additions(ctx, provider, form);
    } catch {
      // Whatever cannot be read here (a malformed token or header) is the provider's to refuse, with its own error.
    }
    if (Object.keys(added).length > 0) {
      for (const [name, value] of Object.entries(added)) form.set(name, value);
      body = Buffer.from(form.toString());
    }
  }
  const request = replay(ctx.req, body, rest);
  ctx.req = request;
  ctx.request.req = request;
}
