/**
 * A public app's refresh request, as RFC 6749 §6 and SMART App Launch 2.0
 * ("Refresh access token") define it: grant_type and refresh_token, nothing
 * else ("for public apps, authentication is not possible, and thus not
 * required"). SMART's own JavaScript client sends exactly that. oidc-provider
 * wants every token request to name its client and refuses it ("no client
 * authentication mechanism provided").
 *
 * So when a form-encoded token request carries no client authentication at
 * all (no Authorization header, no client_id, no client_assertion) and its
 * refresh token was issued to a public client (token_endpoint_auth_method
 * none), the client the token names is added to the form before the provider
 * reads it. The provider then checks the refresh token as for any other
 * request (bound to that client, unexpired, not yet rotated); confidential
 * clients must still authenticate, so nothing is granted that the token alone
 * did not already prove.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type Provider from 'oidc-provider';

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
  try {
    const token = await provider.RefreshToken.find(refreshToken);
    const clientId = token?.clientId as string | undefined;
    if (!clientId) return undefined;
    const client = await provider.Client.find(clientId);
    return client?.clientAuthMethod === 'none' ? clientId : undefined;
  } catch {
    // An unreadable token is the provider's to refuse, with its own error.
    return undefined;
  }
}

/** Koa middleware step for POST /token, run before the provider parses the form. */
export async function namePublicRefreshClient(ctx: Ctx, provider: Provider): Promise<void> {
  if (ctx.headers.authorization !== undefined || !ctx.is('application/x-www-form-urlencoded')) return;
  const length = Number(ctx.get('content-length'));
  // Bodies without a length, or over the provider's limit, are left to the provider to read and refuse.
  if (!Number.isInteger(length) || length <= 0 || length > MAX_FORM_BYTES) return;
  const body = await readAll(ctx.req);
  const form = new URLSearchParams(body.toString('utf8'));
  const refreshToken = form.get('refresh_token');
  let amended = body;
  if (form.get('grant_type') === 'refresh_token' && refreshToken && !form.has('client_id') && !form.has('client_assertion')) {
    const clientId = await publicClientOf(provider, refreshToken);
    if (clientId) amended = Buffer.concat([body, Buffer.from(`&client_id=${encodeURIComponent(clientId)}`)]);
  }
  const request = replay(ctx.req, amended);
  ctx.req = request;
  ctx.request.req = request;
}
