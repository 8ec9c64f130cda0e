/**
 * Socle's login interaction (oidc-provider "interactions", docs/README.md
 * §interactions): the pages the provider sends the browser to when it needs
 * a login or a consent, at /interaction/<uid>. Steps, each a short handler:
 *   GET  /interaction/:uid          show the step due (password, code, consent)
 *   POST /interaction/:uid/login    first factor: login + password
 *   POST /interaction/:uid/otp      second factor: TOTP code → login done
 *   POST /interaction/:uid/consent  grant (with the SMART patient) or refusal
 *   POST /interaction/:uid/abort    back to the client with access_denied
 * Every POST checks the CSRF token and the address rate limit; every failure
 * counts towards the account lockout (accounts/). The federation login
 * finishes an interaction through finishInteractionLogin below.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { default as Provider, InteractionDetails } from 'oidc-provider';
import { isFhirError } from '../../core/errors.js';
import { translate, type Language } from '../../core/i18n/translate.js';
import type { Collection } from '../../storage/collection.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { AddressLimiter } from '../accounts/address-limiter.js';
import { displayName, type FhirLookup } from '../accounts/fhir-lookup.js';
import { consentPage } from '../pages/consent-page.js';
import { loginPage, otpPage } from '../pages/login-pages.js';
import { originOf } from '../pages/provider-pages.js';
import type { LaunchContexts } from '../smart/launch-contexts.js';
import { splitScope } from '../smart/scopes.js';
import { launchContextOf, needsPatientChoice, saveGrant } from './consent.js';
import { csrfToken, csrfValid, formFields, languageOf, otherLanguageUrl, rememberLanguage, sendErrorPage, sendPage } from './page-context.js';
import { searchPatients } from './patient-picker.js';

/** A password accepted for an interaction, waiting for its one-time code. */
export interface PendingLogin {
  readonly accountId: string;
  readonly expiresAt: number;
}

const PENDING_MS = 5 * 60_000;

export interface InteractionDeps {
  readonly provider: () => Promise<Provider>;
  readonly accounts: AccountStore;
  readonly lookup: FhirLookup;
  readonly launches: LaunchContexts;
  readonly pending: Collection<PendingLogin>;
  readonly limiter: AddressLimiter;
  readonly csrfKey: () => Promise<Buffer>;
  readonly endpoints: () => { origin: string; fhirBase: string };
  readonly now: () => number;
  /** An upstream provider is configured (federation/): the login page offers it. */
  readonly federation?: boolean;
}

/** How a login was made, for the ID token's acr and amr (RFC 8176). */
export interface LoginMethod {
  readonly acr: string;
  readonly amr: readonly string[];
}

/**
 * Completes the login step of an interaction for `accountId` and returns the
 * URL to send the browser to (the provider's resume endpoint). Used by the
 * password + code pages here and by the federation module after an external
 * login (Pro Santé Connect); `req`/`res` are the raw Node request and response.
 */
export async function finishInteractionLogin(provider: Provider, req: IncomingMessage, res: ServerResponse, accountId: string, method: LoginMethod = { acr: 'eidas1', amr: ['pwd', 'otp'] }): Promise<string> {
  return provider.interactionResult(req, res, { login: { accountId, acr: method.acr, amr: [...method.amr] } }, { mergeWithLastSubmission: false });
}

interface Step {
  readonly provider: Provider;
  readonly details: InteractionDetails;
  readonly language: Language;
  readonly csrf: string;
  readonly clientName: string;
}

export function registerInteractionRoutes(app: FastifyInstance, deps: InteractionDeps): void {
  /** Loads the interaction of the URL (bound to the browser by its cookie), or answers with an error page. */
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<Step | undefined> {
    const language = languageOf(request);
    const { uid } = request.params as { uid: string };
    const provider = await deps.provider();
    const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined);
    if (!details || details.uid !== uid) {
      sendErrorPage(reply, 'auth.interaction-expired', language);
      return undefined;
    }
    const client = await provider.Client.find(details.params.client_id as string);
    const clientName = (client?.clientName as string | undefined) ?? (details.params.client_id as string);
    return { provider, details, language, csrf: csrfToken(await deps.csrfKey(), uid), clientName };
  }

  /** load() plus the POST's checks: CSRF token and origin, then the address rate limit. */
  async function loadPost(request: FastifyRequest, reply: FastifyReply, limited: boolean): Promise<Step | undefined> {
    const { uid } = request.params as { uid: string };
    const language = languageOf(request);
    if (!csrfValid(request, await deps.csrfKey(), uid, deps.endpoints().origin)) {
      sendErrorPage(reply, 'auth.csrf-invalid', language);
      return undefined;
    }
    if (limited && !deps.limiter.attempt(request.ip)) {
      sendErrorPage(reply, 'auth.too-many-attempts', language);
      return undefined;
    }
    return load(request, reply);
  }

  const pageInput = (request: FastifyRequest, step: Step) => ({
    language: step.language, uid: step.details.uid, csrf: step.csrf, clientName: step.clientName, otherLanguageUrl: otherLanguageUrl(request, step.language),
    ...(deps.federation ? { upstreamLoginUrl: `/oidc-upstream/login?interaction=${encodeURIComponent(step.details.uid)}` } : {}),
  });
  const redirectOrigin = (step: Step): string[] => (typeof step.details.params.redirect_uri === 'string' ? [originOf(step.details.params.redirect_uri)] : []);

  async function pendingFor(uid: string): Promise<PendingLogin | undefined> {
    const pending = await deps.pending.get(uid);
    return pending && pending.expiresAt > deps.now() ? pending : undefined;
  }

  async function showConsent(request: FastifyRequest, reply: FastifyReply, step: Step, error?: string, status = 200): Promise<FastifyReply> {
    const accountId = step.details.session?.accountId;
    const account = accountId ? await deps.accounts.get(accountId) : undefined;
    if (!account) return sendErrorPage(reply, 'auth.interaction-expired', step.language);
    const query = ((request.query as Record<string, string | undefined>)['patient-search'] ?? '').trim().slice(0, 100);
    const picker = needsPatientChoice(step.details, account) ? { query, results: await searchPatients(deps.lookup, query) } : undefined;
    const launch = typeof step.details.params.launch === 'string' ? await deps.launches.resolve(step.details.params.launch, account.id) : undefined;
    const launchPatient = launch?.patient ? displayName((await deps.lookup.get(`Patient/${launch.patient}`)) ?? {}) ?? launch.patient : undefined;
    const html = consentPage({
      ...pageInput(request, step), user: account.display ?? account.id, scopes: splitScope(step.details.params.scope as string),
      ...(picker ? { picker } : {}), ...(launchPatient ? { launchPatient } : {}), ...(error ? { error } : {}),
    });
    return sendPage(reply, html, status, [...redirectOrigin(step)]);
  }

  app.get('/interaction/:uid', async (request, reply) => {
    rememberLanguage(request, reply);
    const step = await load(request, reply);
    if (!step) return reply;
    if (step.details.prompt.name === 'consent') return showConsent(request, reply, step);
    const pending = await pendingFor(step.details.uid);
    return sendPage(reply, pending ? otpPage(pageInput(request, step)) : loginPage(pageInput(request, step)));
  });

  app.post('/interaction/:uid/login', async (request, reply) => {
    const step = await loadPost(request, reply, true);
    if (!step) return reply;
    const form = formFields(request);
    const login = (form.get('login') ?? '').trim().slice(0, 64);
    const result = await deps.accounts.checkPassword(login, form.get('password') ?? '');
    if (!result.ok) {
      const error = translate(result.reason, result.reason === 'auth.account-locked' ? { minutes: result.minutes } : {}, step.language);
      return sendPage(reply, loginPage({ ...pageInput(request, step), error, login }), result.reason === 'auth.account-locked' ? 429 : 401);
    }
    await deps.pending.put(step.details.uid, { accountId: result.account.id, expiresAt: deps.now() + PENDING_MS });
    return reply.code(303).header('location', `/interaction/${step.details.uid}`).send();
  });

  app.post('/interaction/:uid/otp', async (request, reply) => {
    const step = await loadPost(request, reply, true);
    if (!step) return reply;
    const pending = await pendingFor(step.details.uid);
    if (!pending) return sendPage(reply, loginPage({ ...pageInput(request, step), error: translate('auth.password-step-missing', {}, step.language) }), 400);
    const result = await deps.accounts.checkCode(pending.accountId, formFields(request).get('otp') ?? '');
    if (!result.ok) {
      const locked = result.reason === 'auth.account-locked';
      if (locked) await deps.pending.delete(step.details.uid);
      const error = translate(result.reason, locked ? { minutes: result.minutes } : {}, step.language);
      const page = locked ? loginPage({ ...pageInput(request, step), error }) : otpPage({ ...pageInput(request, step), error });
      return sendPage(reply, page, locked ? 429 : 401);
    }
    await deps.pending.delete(step.details.uid);
    const location = await finishInteractionLogin(step.provider, request.raw, reply.raw, result.account.id);
    return reply.code(303).header('location', location).send();
  });

  app.post('/interaction/:uid/consent', async (request, reply) => {
    const step = await loadPost(request, reply, false);
    if (!step) return reply;
    const form = formFields(request);
    if (step.details.prompt.name !== 'consent') return sendErrorPage(reply, 'auth.interaction-expired', step.language);
    if (form.get('decision') !== 'approve') return finishWithError(step, request, reply);
    const account = await deps.accounts.get(step.details.session?.accountId ?? '');
    if (!account) return sendErrorPage(reply, 'auth.interaction-expired', step.language);
    const consentDeps = { lookup: deps.lookup, launches: deps.launches, fhirBase: deps.endpoints().fhirBase };
    try {
      const context = await launchContextOf(step.details, account, form.get('patient') ?? undefined, consentDeps);
      const grantId = await saveGrant(step.provider, step.details, account, context, consentDeps);
      const location = await step.provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return reply.code(303).header('location', location).send();
    } catch (error) {
      if (!isFhirError(error)) throw error;
      const key = error.issues[0]!.message;
      return showConsent(request, reply, step, translate(key, error.issues[0]!.params ?? {}, step.language), error.status);
    }
  });

  app.post('/interaction/:uid/abort', async (request, reply) => {
    const step = await loadPost(request, reply, false);
    if (!step) return reply;
    return finishWithError(step, request, reply);
  });

  async function finishWithError(step: Step, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    await deps.pending.delete(step.details.uid);
    const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    const location = await step.provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
    return reply.code(303).header('location', location).send();
  }
}
