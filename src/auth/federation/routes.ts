/**
 * The browser steps of a federated login (OpenID Connect Core §3.1):
 *
 *   GET /oidc-upstream/login?interaction=<uid>   303 → the start below (stable entry for pages)
 *   GET /interaction/<uid>/upstream              start: 302 → the external provider
 *   GET /oidc-upstream/callback?code&state       identity checked, mapped, accepted: 303 → finish
 *   GET /interaction/<uid>/upstream/finish?ticket=…  Socle's interaction finished as the
 *                                                professional: 303 → Socle's provider resumes
 *
 * Why the start and the finish live under /interaction/<uid>: Socle's
 * provider binds an interaction to the browser by a cookie scoped to that
 * path. Checking it at both ends means a federated login only ever finishes
 * the interaction of the browser that started it; otherwise someone could
 * start an interaction, send its uid to a professional, and resume it as
 * them. The callback's own URL is fixed (registered at the provider), so it
 * hands over through a single-use ticket bound to the same browser.
 * Registered only when SOCLE_OIDC_UPSTREAM_ISSUER is set (index.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail, isFhirError } from '../../core/errors.js';
import type { FhirEngine } from '../../fhir/rest/engine.js';
import type { Logger } from '../../server/observability/logger.js';
import { randomToken, type BrowserBoundRecords } from './browser-bound-records.js';
import { ensureFederatedAccount, type FederatedAccounts } from './federated-account.js';
import { mapIdentity, type MappedProfessional } from './map-identity.js';
import { sendRefusalPage, wantsHtml } from './refusal-page.js';
import type { PendingLogin, UpstreamClient } from './upstream-client.js';
import { CALLBACK_PATH, LOGIN_PATH } from './upstream-settings.js';

/** A federated login accepted by the callback, for Socle's provider to finish. */
export interface FederatedLogin extends MappedProfessional {
  /** Uid of the interaction of Socle's provider that started the federated login. */
  readonly interaction: string;
  /** The account to finish the login as: the professional's idNat_PS (federated-account.ts). */
  readonly accountId: string;
  /** The external provider and its subject, for the audit trail. */
  readonly issuer: string;
  readonly subject: string;
  /** Authentication level and methods the external provider asserted (Core §2). */
  readonly acr?: string;
  readonly amr?: readonly string[];
}

export interface FederationDeps {
  readonly client: UpstreamClient;
  readonly pending: BrowserBoundRecords<PendingLogin>;
  readonly accepted: BrowserBoundRecords<FederatedLogin>;
  readonly engine: FhirEngine;
  /** Public FHIR base, for the engine's requests. */
  readonly fhirBaseUrl: string;
  readonly logger: Logger;
  readonly accounts: FederatedAccounts;
  /** Whether this browser owns interaction `uid` of Socle's provider (its interaction cookie). */
  readonly interactionOwned: (request: FastifyRequest, reply: FastifyReply, uid: string) => Promise<boolean>;
  /** Finishes interaction `login.interaction` as `login.accountId`; returns where to send the browser. */
  readonly completeLogin: (request: FastifyRequest, reply: FastifyReply, login: FederatedLogin) => Promise<string>;
}

/** Where Socle's provider serves its interactions (src/auth/oidc/interaction.ts). */
export const INTERACTION_PREFIX = '/interaction';
const BINDING_COOKIE = 'socle_upstream';
const BINDING_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const UID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function uidOf(request: FastifyRequest): string {
  const { uid } = request.params as { uid?: string };
  if (uid === undefined || !UID_SHAPE.test(uid)) throw fail('auth.upstream-interaction-missing');
  return uid;
}

export function registerFederationRoutes(app: FastifyInstance, deps: FederationDeps): void {
  const see = (reply: FastifyReply, location: string) => reply.code(303).header('cache-control', 'no-store').header('location', location).send();

  /** Refusals become a page for browsers, an OperationOutcome (the app's error handler) for other clients. */
  const guarded = (step: string, work: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      request.interaction = 'oidc-upstream';
      try {
        return await work(request, reply);
      } catch (error) {
        if (!isFhirError(error)) throw error;
        deps.logger.warn({ reqId: request.id, step, refusal: error.issues[0]?.message }, 'federated login refused');
        if (wantsHtml(request)) return sendRefusalPage(request, reply, error);
        throw error;
      }
    };

  app.get(LOGIN_PATH, guarded('login', async (request, reply) => {
    const uid = queryText(request, 'interaction');
    if (uid === undefined || !UID_SHAPE.test(uid)) throw fail('auth.upstream-interaction-missing');
    return see(reply, `${INTERACTION_PREFIX}/${uid}/upstream`);
  }));

  app.get(`${INTERACTION_PREFIX}/:uid/upstream`, guarded('start', async (request, reply) => {
    const uid = uidOf(request);
    if (!(await deps.interactionOwned(request, reply, uid))) throw fail('auth.upstream-interaction-missing');
    await deps.client.provider(); // an unreachable provider fails here, before anything is stored
    // One binding per browser, kept across tabs so that two logins in parallel both come back.
    const existing = cookieOf(request, BINDING_COOKIE);
    const binding = existing !== undefined && BINDING_SHAPE.test(existing) ? existing : randomToken();
    const pending: PendingLogin = { interaction: uid, nonce: randomToken(), codeVerifier: randomToken() };
    const state = await deps.pending.put(pending, binding);
    const location = await deps.client.authorizationUrl(state, pending);
    const secure = deps.client.settings.redirectUri.startsWith('https:') ? '; Secure' : '';
    // SameSite=Lax: sent on the provider's top-level redirect back to the callback, not on cross-site subrequests.
    reply.header('set-cookie', `${BINDING_COOKIE}=${binding}; Path=/; HttpOnly; SameSite=Lax; Max-Age=900${secure}`);
    return reply.code(302).header('cache-control', 'no-store').header('location', location).send();
  }));

  app.get(CALLBACK_PATH, guarded('callback', async (request, reply) => {
    const binding = cookieOf(request, BINDING_COOKIE);
    const state = queryText(request, 'state');
    const pending = state === undefined ? undefined : await deps.pending.take(state, binding);
    if (!pending || binding === undefined) throw fail('auth.upstream-state-invalid');
    // RFC 9207: when the provider names itself in the answer, it must be the one asked (mix-up defence).
    const iss = queryText(request, 'iss');
    if (iss !== undefined && iss !== deps.client.settings.issuer) throw fail('auth.upstream-state-invalid');
    const error = queryText(request, 'error');
    if (error !== undefined) throw fail('auth.upstream-denied', { error: /^[\w.-]{1,64}$/.test(error) ? error : 'error' });
    const code = queryText(request, 'code');
    if (code === undefined) throw fail('auth.upstream-state-invalid');
    const identity = await deps.client.finish(code, pending);
    const professional = await mapIdentity(deps.engine, deps.fhirBaseUrl, identity);
    const accountId = await ensureFederatedAccount(deps.accounts, professional);
    const { acr, amr } = identity.idToken as { acr?: unknown; amr?: unknown };
    const login: FederatedLogin = {
      ...professional,
      interaction: pending.interaction,
      accountId,
      issuer: deps.client.settings.issuer,
      subject: identity.idToken.sub,
      ...(typeof acr === 'string' ? { acr } : {}),
      ...(Array.isArray(amr) ? { amr: amr.filter((m): m is string => typeof m === 'string') } : {}),
    };
    const ticket = await deps.accepted.put(login, binding);
    deps.logger.info({ reqId: request.id }, 'federated login accepted');
    return see(reply, `${INTERACTION_PREFIX}/${pending.interaction}/upstream/finish?ticket=${ticket}`);
  }));

  app.get(`${INTERACTION_PREFIX}/:uid/upstream/finish`, guarded('finish', async (request, reply) => {
    const uid = uidOf(request);
    const ticket = queryText(request, 'ticket');
    const login = ticket === undefined ? undefined : await deps.accepted.take(ticket, cookieOf(request, BINDING_COOKIE));
    if (!login || login.interaction !== uid) throw fail('auth.upstream-state-invalid');
    if (!(await deps.interactionOwned(request, reply, uid))) throw fail('auth.upstream-interaction-missing');
    return see(reply, await deps.completeLogin(request, reply, login));
  }));
}
