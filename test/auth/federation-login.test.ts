/**
 * Issue #4, federation: "setting SOCLE_OIDC_UPSTREAM_ISSUER (+ client id and
 * secret) makes Socle a relying party of an external provider … external
 * identities are mapped to directory Practitioners by their national
 * identifier". Proof with a second, real OpenID Connect provider
 * (test/support/upstream-provider.ts, Pro Santé Connect-like: SubjectNameID,
 * acr eidas1, userinfo as a signed JWT) and the real Socle on both storage
 * backends, driven by fetch as a browser would: a client application asks
 * Socle for a login, the professional chooses the external provider, comes
 * back, and the application gets Socle's code and ID token for the directory
 * Practitioner. Refusals: an unknown professional, a lower acr, a nonce or
 * state that is not the one sent, a replay, a foreign browser.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { escapeHtml } from '../../src/auth/pages/layout.js';
import type { MessageKey } from '../../src/core/i18n/messages.js';
import { translate, type MessageParams } from '../../src/core/i18n/translate.js';
import { SYSTEM_PRINCIPAL } from '../../src/core/principal.js';
import { backendNames } from '../support/backends.js';
import { freePort } from '../support/child-process.js';
import { CookieBrowser, type Hop } from '../support/cookie-browser.js';
import { pscAccount, startUpstreamProvider, type RunningUpstream } from '../support/upstream-provider.js';
import { startFederatedSocle, type FederatedSocle } from './federation-socle.js';

const ID_NAT_PS = '810003461033';
const UNKNOWN_ID_NAT_PS = '810009999990';
const APP_CALLBACK = 'http://127.0.0.1:9/app/callback';
const jeanne = pscAccount(ID_NAT_PS, 'Jeanne', 'Martin');
const stranger = pscAccount(UNKNOWN_ID_NAT_PS, 'Paul', 'Inconnu');
const MISLINKED_ID_NAT_PS = '810001112223';
const mislinked = pscAccount(MISLINKED_ID_NAT_PS, 'Lucie', 'Durand');

/** Asserts a refusal page: its status, and the catalogue's French message for `key` (French first). */
function assertRefused(hop: Hop, status: number, key: MessageKey, params: MessageParams = {}): void {
  assert.equal(hop.response.status, status, `refused with ${status}: ${hop.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  assert.match(hop.response.headers.get('content-type') ?? '', /text\/html/);
  assert.ok(hop.text.includes(escapeHtml(translate(key, params, 'fr'))), `the page says, in French: ${translate(key, params, 'fr')}`);
}

for (const backend of backendNames()) {
  describe(`federation with an external OpenID provider [${backend}]`, () => {
    let upstream: RunningUpstream;
    let socle: FederatedSocle;
    let practitionerId: string;
    let app: { client_id: string; client_secret: string };

    before(async () => {
      const soclePort = await freePort();
      upstream = await startUpstreamProvider(await freePort(), {
        redirectUris: [`http://127.0.0.1:${soclePort}/oidc-upstream/callback`],
        accounts: [jeanne, stranger, mislinked],
        userinfoAlg: 'RS256',
      });
      socle = await startFederatedSocle(backend, {
        port: soclePort,
        upstreamIssuer: upstream.issuer,
        upstreamClientId: upstream.clientId,
        upstreamClientSecret: upstream.clientSecret,
      });
      practitionerId = await createPractitioner(ID_NAT_PS, 'Martin', 'Jeanne');
      await createPractitioner(MISLINKED_ID_NAT_PS, 'Durand', 'Lucie');
      // A local account of that idNat_PS that points elsewhere (an earlier mistake): federation must not re-point it.
      await socle.auth.accounts.save({ id: MISLINKED_ID_NAT_PS, kind: 'practitioner', password: randomBytes(16).toString('hex'), fhirUser: 'Practitioner/someone-else' });
      app = (await socle.auth.clients.register({
        client_name: 'Logiciel de cabinet', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [APP_CALLBACK], scope: 'openid fhirUser profile',
      })) as { client_id: string; client_secret: string };
    });
    after(async () => {
      await socle?.close();
      await upstream?.close();
    });

    /** A directory Practitioner with its idNat_PS, written through the engine as the directory import does. */
    async function createPractitioner(idNatPs: string, family: string, given: string): Promise<string> {
      const created = await socle.platform.engine.handle({
        method: 'POST', path: 'Practitioner', query: [], headers: { contentType: 'application/fhir+json' }, baseUrl: `${socle.url}/fhir`, language: 'fr', principal: SYSTEM_PRINCIPAL,
        body: {
          resourceType: 'Practitioner',
          active: true,
          identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: idNatPs, type: { coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'IDNPS' }] } }],
          name: [{ use: 'official', family, given: [given] }],
        },
      });
      assert.equal(created.status, 201, 'the directory Practitioner is created');
      return /Practitioner\/([^/]+)/.exec(created.headers.location ?? '')![1]!;
    }

    /** A client application sends the browser to Socle's provider; returns the interaction uid of its login page. */
    async function socleLoginPage(browser: CookieBrowser, verifier = randomBytes(32).toString('base64url')): Promise<string> {
      const url = new URL(`${socle.url}/oidc/auth`);
      const params = {
        client_id: app.client_id, response_type: 'code', scope: 'openid fhirUser profile', redirect_uri: APP_CALLBACK, state: 'app-state', nonce: 'app-nonce', acr_values: 'eidas1',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const { last } = await browser.follow(url.href);
      assert.equal(last.response.status, 200, `Socle's login page: ${last.text.slice(0, 300)}`);
      const uid = /\/interaction\/([\w-]+)$/.exec(new URL(last.url).pathname)?.[1];
      assert.ok(uid, `on Socle's interaction page, at ${last.url}`);
      return uid;
    }

    /** From Socle's login page to the external provider's login page; `rewrite` may tamper with the authorization request. */
    async function upstreamLoginPage(browser: CookieBrowser, uid: string, rewrite?: (url: URL) => void): Promise<string> {
      const toUpstream = await browser.follow(`${socle.url}/oidc-upstream/login?interaction=${uid}`, { stopBefore: (l) => l.startsWith(`${upstream.issuer}/auth`) });
      assert.ok(toUpstream.next, `Socle sends the browser to the external provider: ${toUpstream.last.response.status} ${toUpstream.last.text.slice(0, 300)}`);
      const authorization = new URL(toUpstream.next);
      rewrite?.(authorization);
      const { last } = await browser.follow(authorization.href);
      assert.equal(last.response.status, 200, 'the external login page');
      const upstreamUid = /\/interaction\/([\w-]+)$/.exec(new URL(last.url).pathname)?.[1];
      assert.ok(upstreamUid);
      return upstreamUid;
    }

    /** Logs in at the external provider and follows the browser back through Socle until a page or the application. */
    function loginUpstream(browser: CookieBrowser, upstreamUid: string, sub: string, acr = 'eidas1', stopAtCallback = false) {
      return browser.follow(`${upstream.issuer}/interaction/${upstreamUid}/login`, {
        form: { account: sub, acr },
        stopBefore: (l) => l.startsWith(APP_CALLBACK) || (stopAtCallback && l.startsWith(`${socle.url}/oidc-upstream/callback`)),
      });
    }

    test('a professional of the directory logs in through the external provider and the application gets Socle\'s tokens for the Practitioner', async () => {
      const browser = new CookieBrowser();
      const verifier = randomBytes(32).toString('base64url');
      const uid = await socleLoginPage(browser, verifier);
      const upstreamUid = await upstreamLoginPage(browser, uid);
      let back = await loginUpstream(browser, upstreamUid, jeanne.sub);
      assert.ok(back.hops.some((h) => h.startsWith(`${socle.url}/oidc-upstream/callback`)), 'came back through the callback');
      if (!back.next) {
        // Socle's consent step for the application.
        assert.equal(back.last.response.status, 200, `consent page expected: ${back.last.text.slice(0, 300)}`);
        const csrf = /name="csrf" value="([^"]+)"/.exec(back.last.text)?.[1];
        assert.ok(csrf, `a consent form: ${back.last.text.slice(0, 300)}`);
        // The consent step is a new interaction of Socle's provider, with its own uid.
        const consentUid = /\/interaction\/([\w-]+)$/.exec(new URL(back.last.url).pathname)?.[1];
        back = await browser.follow(`${socle.url}/interaction/${consentUid}/consent`, { form: { csrf, decision: 'approve' }, stopBefore: (l) => l.startsWith(APP_CALLBACK) });
      }
      assert.ok(back.next, `the application gets its answer: ${back.last.response.status} ${back.last.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 600)}`);
      const answer = new URL(back.next);
      assert.equal(answer.searchParams.get('state'), 'app-state');
      const code = answer.searchParams.get('code');
      assert.ok(code, `an authorization code: ${answer.href}`);

      const token = await fetch(`${socle.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: APP_CALLBACK, code_verifier: verifier }).toString(),
      });
      const tokens = (await token.json()) as { id_token?: string; access_token?: string };
      assert.equal(token.status, 200, JSON.stringify(tokens));
      const idToken = decodeJwt(tokens.id_token!);
      assert.equal(idToken.iss, `${socle.url}/oidc`);
      assert.equal(idToken.sub, ID_NAT_PS, 'Socle\'s subject is the idNat_PS, not the external sub');
      assert.equal(idToken.nonce, 'app-nonce');
      assert.equal(idToken.acr, 'eidas1', 'the external authentication level travels');
      assert.equal(idToken.fhirUser, `${socle.url}/fhir/Practitioner/${practitionerId}`);

      const account = await socle.auth.accounts.get(ID_NAT_PS);
      assert.equal(account?.fhirUser, `Practitioner/${practitionerId}`, 'the federated account points to the directory Practitioner');
      const password = await socle.auth.accounts.checkPassword(ID_NAT_PS, '');
      assert.equal(password.ok, false, 'a federated account has no usable password');
    });

    test('a professional the directory does not know is refused, and no account is created', async () => {
      const browser = new CookieBrowser();
      const uid = await socleLoginPage(browser);
      const back = await loginUpstream(browser, await upstreamLoginPage(browser, uid), stranger.sub);
      assertRefused(back.last, 403, 'auth.upstream-practitioner-unknown', { idNatPs: UNKNOWN_ID_NAT_PS });
      assert.equal(await socle.auth.accounts.get(UNKNOWN_ID_NAT_PS), undefined, 'no account created');
    });

    test('a local account of the same idNat_PS linked to another Practitioner is refused, not re-pointed', async () => {
      const browser = new CookieBrowser();
      const uid = await socleLoginPage(browser);
      const back = await loginUpstream(browser, await upstreamLoginPage(browser, uid), mislinked.sub);
      assertRefused(back.last, 409, 'auth.upstream-account-mismatch', { idNatPs: MISLINKED_ID_NAT_PS });
      assert.equal((await socle.auth.accounts.get(MISLINKED_ID_NAT_PS))?.fhirUser, 'Practitioner/someone-else');
    });

    test('an authentication below eidas1 is refused', async () => {
      const browser = new CookieBrowser();
      const uid = await socleLoginPage(browser);
      const back = await loginUpstream(browser, await upstreamLoginPage(browser, uid), jeanne.sub, 'faible');
      assertRefused(back.last, 403, 'auth.upstream-acr-insufficient', { expected: 'eidas1', actual: 'faible' });
    });

    test('an ID token carrying another nonce than the one Socle sent is refused', async () => {
      const browser = new CookieBrowser();
      const uid = await socleLoginPage(browser);
      const upstreamUid = await upstreamLoginPage(browser, uid, (url) => url.searchParams.set('nonce', randomBytes(16).toString('base64url')));
      const back = await loginUpstream(browser, upstreamUid, jeanne.sub);
      assertRefused(back.last, 401, 'auth.upstream-id-token-invalid', { reason: 'nonce mismatch' });
    });

    test('a state is single use, bound to its browser, and must be one Socle issued', async () => {
      const browser = new CookieBrowser();
      const uid = await socleLoginPage(browser);
      const back = await loginUpstream(browser, await upstreamLoginPage(browser, uid), jeanne.sub, 'eidas1', true);
      assert.ok(back.next, 'stopped before the callback');
      const callback = new URL(back.next);

      const forged = new URL(callback);
      forged.searchParams.set('state', `${callback.searchParams.get('state')!.slice(0, -4)}AAAA`);
      const wrongState = await browser.request(forged.href);
      assertRefused(wrongState, 400, 'auth.upstream-state-invalid');

      // Another browser, even one with a federated login of its own under way (hence its own binding cookie).
      const other = new CookieBrowser();
      await upstreamLoginPage(other, await socleLoginPage(other));
      assert.ok(other.cookie(socle.url, 'socle_upstream'), 'the other browser has its own binding');
      const elsewhere = await other.request(callback.href);
      assertRefused(elsewhere, 400, 'auth.upstream-state-invalid');

      // The other browser's attempt consumed the state: the genuine one cannot replay it either.
      const replay = await browser.request(callback.href, { accept: 'application/fhir+json' });
      assert.equal(replay.response.status, 400);
      const outcome = JSON.parse(replay.text) as { resourceType: string; issue: { details: { coding: { code: string }[] } }[] };
      assert.equal(outcome.resourceType, 'OperationOutcome', 'non-browser clients get an OperationOutcome');
      assert.equal(outcome.issue[0]!.details.coding[0]!.code, 'auth.upstream-state-invalid');
    });

    test('a browser that does not own the interaction cannot start a federated login for it', async () => {
      const owner = new CookieBrowser();
      const uid = await socleLoginPage(owner);
      const intruder = new CookieBrowser();
      const { last } = await intruder.follow(`${socle.url}/oidc-upstream/login?interaction=${uid}`);
      assertRefused(last, 400, 'auth.upstream-interaction-missing');
    });
  });
}
