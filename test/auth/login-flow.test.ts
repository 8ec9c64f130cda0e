/**
 * Authorization code with PKCE through Socle's own login pages, over real
 * HTTP on both backends: password then one-time code (real form posts with
 * their CSRF token), consent, code exchange, refresh, userinfo with Pro Santé
 * Connect's claims, logout, and what is refused on the way.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { DEMO_APP } from '../../src/auth/accounts/demo-accounts.js';
import { forEachBackend } from '../support/test-server.js';
import {
  approve, authOf, basic, Browser, codeOf, csrfOf, DEMO_OVERRIDES, DOCTOR, freshCode, interactionPath, loginAndExchange, passBothFactors,
  PATIENT_INS, pkce, postForm, startLogin,
} from './oidc-support.js';

forEachBackend('login: authorization code with PKCE', (server) => {
  test('a professional logs in with password and code; tokens carry Socle and OpenID claims', async () => {
    const tokens = await loginAndExchange(server(), DOCTOR, 'openid fhirUser profile offline_access user/*.rs');
    assert.equal(tokens.token_type, 'Bearer');
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    const principal = await authOf(server()).verifyToken(tokens.access_token);
    assert.ok(principal, 'the FHIR audience accepts the access token');
    assert.equal(principal.kind, 'practitioner');
    assert.equal(principal.subject, DOCTOR);
    assert.equal(principal.nationalId, DOCTOR);
    assert.equal(principal.fhirUser, `Practitioner/${DOCTOR}`);
    assert.deepEqual(principal.scopes, ['user/*.rs']);
    const id = decodeJwt(tokens.id_token);
    assert.equal(id.sub, DOCTOR);
    assert.equal(id.acr, 'eidas1');
    assert.deepEqual(id.amr, ['pwd', 'otp']);
    assert.equal(id.fhirUser, `${server().url}/fhir/Practitioner/${DOCTOR}`);
    assert.equal(id.family_name, 'DELATTRE');
    assert.equal(id.nonce, 'nonce-1');
  });

  test('ID tokens are signed RS256 by default (SMART 2.x SHALL, OpenID Connect’s default); a client registered for ES256 gets ES256', async () => {
    const jwks = createLocalJWKSet((await server().get('/oidc/jwks')).body);
    const byDefault = await loginAndExchange(server(), DOCTOR, 'openid fhirUser user/*.rs');
    assert.equal(decodeProtectedHeader(byDefault.id_token).alg, 'RS256');
    const verified = await jwtVerify(byDefault.id_token, jwks, { issuer: `${server().url}/oidc`, audience: DEMO_APP.clientId, algorithms: ['RS256'] });
    assert.equal(verified.payload.sub, DOCTOR);
    assert.equal(decodeProtectedHeader(byDefault.access_token).alg, 'ES256', 'access tokens stay ES256');

    const { token: admin } = await authOf(server()).mintToken(undefined, undefined, 60);
    const register = (alg: unknown) => server().anonymous.request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: { client_name: 'Application EC', token_endpoint_auth_method: 'none', redirect_uris: ['https://ec.example/cb'], scope: 'openid fhirUser', id_token_signed_response_alg: alg },
    });
    for (const refused of ['HS256', 'none', 42]) {
      const bad = await register(refused);
      assert.equal(bad.status, 400, `${String(refused)}: ${bad.text}`);
    }
    const registered = await register('ES256');
    assert.equal(registered.status, 201, registered.text);
    assert.equal(registered.body.id_token_signed_response_alg, 'ES256');
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const clientId = registered.body.client_id as string;
    const consent = await passBothFactors(browser, await startLogin(browser, { clientId, redirectUri: 'https://ec.example/cb', scope: 'openid fhirUser', challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent), 'https://ec.example/cb');
    const tokens = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://ec.example/cb', client_id: clientId, code_verifier: verifier });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(decodeProtectedHeader(tokens.body.id_token).alg, 'ES256');
    await jwtVerify(tokens.body.id_token, jwks, { audience: clientId, algorithms: ['ES256'] });
  });

  test('tokens the provider issues open the FHIR API, as the bearer check reads them', async () => {
    const professional = await loginAndExchange(server(), '810001000040', 'openid user/*.rs');
    const read = await server().anonymous.request('GET', 'Practitioner/810001000040', { headers: { authorization: `Bearer ${professional.access_token}` } });
    assert.equal(read.status, 200, read.text);
    const patient = await loginAndExchange(server(), '201126204107868', 'openid patient/*.rs');
    const own = await server().anonymous.request('GET', `Patient/${patient.patient}`, { headers: { authorization: `Bearer ${patient.access_token}` } });
    assert.equal(own.status, 200, own.text);
  });

  test('a refresh token gives a new access token, and a used refresh token is refused', async () => {
    const tokens = await loginAndExchange(server(), '810001000024', 'openid offline_access user/*.rs');
    const refreshed = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: DEMO_APP.clientId });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.access_token, tokens.access_token);
    assert.equal((await authOf(server()).verifyToken(refreshed.body.access_token))?.subject, '810001000024');
    // Public clients get rotating refresh tokens: the old one is spent (RFC 9700 §4.14.2).
    const reuse = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: DEMO_APP.clientId });
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
  });

  test('online_access gives a refresh token that works while the user’s session lasts, and no longer after logout', async () => {
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid online_access user/*.rs', challenge }), '810001000024');
    const { code } = codeOf(await approve(browser, consent));
    const tokens = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.ok(tokens.body.refresh_token, `SMART permission-online: a refresh token for online_access: ${JSON.stringify(tokens.body)}`);
    assert.ok(tokens.body.scope.split(' ').includes('online_access'));
    const refreshed = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.deepEqual((await authOf(server()).verifyToken(refreshed.body.access_token))?.scopes, ['user/*.rs']);
    // The user signs out: the session ends, and the online refresh token with it.
    const question = await browser.get(`/oidc/session/end?id_token_hint=${tokens.body.id_token}`);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.html)?.[1];
    assert.ok(xsrf, question.html.slice(0, 300));
    assert.equal((await browser.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' })).status, 303);
    const afterLogout = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    assert.equal(afterLogout.status, 400, JSON.stringify(afterLogout.body));
    assert.equal(afterLogout.body.error, 'invalid_grant');
  });

  test('Pro Santé Connect claims: openid scope_all gives a userinfo token and the professional’s exercises', async () => {
    const tokens = await loginAndExchange(server(), DOCTOR, 'openid scope_all');
    const response = await fetch(`${server().url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(response.status, 200);
    const claims = (await response.json()) as any;
    assert.equal(claims.sub, DOCTOR);
    assert.equal(claims.SubjectNameID, DOCTOR);
    assert.equal(claims.preferred_username, DOCTOR);
    assert.equal(claims.given_name, 'Claire');
    const [exercise] = claims.SubjectRefPro.exercices;
    assert.equal(exercise.codeProfession, '10');
    assert.equal(exercise.codeSavoirFaire, 'SM54');
    assert.equal(exercise.nomDexercice, 'DELATTRE');
    assert.ok(exercise.activities.length >= 1, 'the practitioner roles are the activities');
    assert.ok(exercise.activities[0].raisonSocialeSite, 'with the structure they are exercised in');
    assert.equal(exercise.codeCiviliteDexercice, 'DR', 'the practice civility (name.suffix)');
    assert.equal(decodeJwt(tokens.id_token).SubjectNameID, DOCTOR);
  });

  test('Pro Santé Connect userinfo: the VIHF claims, shaped as PSC gives them, from the directory; idp=PSC in the ID token only', async () => {
    const tokens = await loginAndExchange(server(), DOCTOR, 'openid scope_all');
    const claims = (await (await fetch(`${server().url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as any;
    const [activity] = claims.SubjectRefPro.exercices[0].activities;
    // PSC sends every key of an activity, an empty string when unknown.
    for (const key of ['codeModeExercice', 'codeSecteurDactivite', 'codeGenreActivite', 'numeroFinessSite', 'identifiantTechniqueDeLaStructure', 'bureauCedex', 'ancienIdentifiantDeLaStructure', 'autoriteDenregistrement']) {
      assert.equal(typeof activity[key], 'string', key);
    }
    assert.equal(claims.SubjectOrganization, activity.raisonSocialeSite);
    assert.deepEqual(claims.SubjectRole, ['10^1.2.250.1.213.1.1.5.5']);
    assert.match(claims.Secteur_Activite, /^SA\d\d\^1\.2\.250\.1\.71\.4\.2\.4$/);
    assert.equal(claims.Secteur_Activite.split('^')[0], activity.codeSecteurDactivite);
    assert.equal(claims.Palier_Authentification, 'APPPRIP3^1.2.250.1.213.1.5.1.1.1');
    assert.deepEqual(claims.otherIds, [{ identifiant: DOCTOR, origine: 'RPPS', qualite: 1 }]);
    // The organisation's identity in the directory, read through the FHIR API.
    const roles = (await server().get(`PractitionerRole?practitioner=Practitioner/${DOCTOR}`)).body.entry;
    const organization = (await server().get(roles[0].resource.organization.reference)).body;
    const idNatStruct = organization.identifier.find((i: any) => i.system === 'urn:oid:1.2.250.1.71.4.2.2')?.value;
    assert.ok(claims.SubjectRefPro.exercices[0].activities.some((a: any) => a.ancienIdentifiantDeLaStructure === idNatStruct));
    assert.equal(claims.idp, undefined, 'PSC’s userinfo has no idp');
    assert.equal(decodeJwt(tokens.id_token).idp, 'PSC');
    // A patient is no professional: none of these.
    const patient = await loginAndExchange(server(), PATIENT_INS, 'openid fhirUser patient/*.rs');
    const id = decodeJwt(patient.id_token);
    assert.equal(id.idp, undefined);
    assert.equal(id.SubjectRole, undefined);
  });

  test('a patient logs in the same way; the token is about their own record', async () => {
    const tokens = await loginAndExchange(server(), PATIENT_INS, 'openid fhirUser patient/*.rs user/*.rs system/*.rs');
    const principal = await authOf(server()).verifyToken(tokens.access_token);
    assert.equal(principal?.kind, 'patient');
    assert.ok(principal?.patient, 'the patient claim');
    assert.equal(tokens.patient, principal?.patient, 'SMART: patient beside the access token');
    assert.equal(principal?.fhirUser, `Patient/${principal?.patient}`);
    assert.deepEqual(principal?.scopes, ['patient/*.rs'], 'a patient never holds user/ or system/ scopes');
  });

  test('a confidential app (Pro Santé Connect style): secret at the token endpoint, refresh token introspected then revoked', async () => {
    const { token: admin } = await authOf(server()).mintToken(undefined, undefined, 60);
    const redirectUri = 'https://logiciel.example/callback';
    const registered = await server().anonymous.request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: { client_name: 'Logiciel de cabinet', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [redirectUri], scope: 'openid scope_all offline_access' },
    });
    assert.equal(registered.status, 201, registered.text);
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string };
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { clientId, redirectUri, scope: 'openid scope_all offline_access', challenge, extra: { acr_values: 'eidas1' } }), '810001000057');
    const { code } = codeOf(await approve(browser, consent), redirectUri);
    const credentials = basic(clientId, secret);
    const tokens = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, credentials);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(decodeJwt(tokens.body.id_token).acr, 'eidas1');
    // Pro Santé Connect's introspection of an access token names the professional by SubjectNameID.
    const access = await postForm(server(), '/oidc/token/introspection', { token: tokens.body.access_token }, credentials);
    assert.equal(access.body.active, true, JSON.stringify(access.body));
    assert.equal(access.body.SubjectNameID, '810001000057');
    const introspected = await postForm(server(), '/oidc/token/introspection', { token: tokens.body.refresh_token }, credentials);
    assert.equal(introspected.body.active, true);
    assert.equal(introspected.body.client_id, clientId);
    assert.equal(introspected.body.sub, '810001000057');
    // Another client learns nothing about it.
    const other = await postForm(server(), '/oidc/token/introspection', { token: tokens.body.refresh_token }, basic('socle-demo-system', 'socle-demo-system-secret'));
    assert.equal(other.body.active, false);
    assert.equal((await postForm(server(), '/oidc/token/revocation', { token: tokens.body.refresh_token }, credentials)).status, 200);
    assert.equal((await postForm(server(), '/oidc/token/introspection', { token: tokens.body.refresh_token }, credentials)).body.active, false);
    const refused = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, credentials);
    assert.equal(refused.body.error, 'invalid_grant');
  });

  test('SMART token introspection: scope as in the token response, the launch context, and iss, sub and fhirUser as in the ID token', async () => {
    const { token: admin } = await authOf(server()).mintToken(undefined, undefined, 60);
    const redirectUri = 'https://dossier.example/callback';
    const registered = await server().anonymous.request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: { client_name: 'Dossier', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [redirectUri], scope: 'openid fhirUser launch/patient patient/*.rs' },
    });
    assert.equal(registered.status, 201, registered.text);
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string };
    const patient = (await server().get(`Patient?identifier=${PATIENT_INS}`)).body.entry[0].resource.id as string;
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { clientId, redirectUri, scope: 'openid fhirUser launch/patient patient/*.rs', challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent, patient), redirectUri);
    const credentials = basic(clientId, secret);
    const tokens = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, credentials);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const introspected = (await postForm(server(), '/oidc/token/introspection', { token: tokens.body.access_token }, credentials)).body;
    assert.equal(introspected.active, true);
    assert.deepEqual(introspected.scope.split(' ').sort(), tokens.body.scope.split(' ').sort());
    assert.equal(introspected.client_id, clientId);
    assert.equal(typeof introspected.exp, 'number');
    assert.equal(introspected.patient, tokens.body.patient);
    const idToken = decodeJwt(tokens.body.id_token);
    assert.equal(introspected.iss, idToken.iss);
    assert.equal(introspected.sub, idToken.sub);
    assert.equal(introspected.fhirUser, idToken.fhirUser);
    assert.equal(introspected.SubjectNameID, DOCTOR);
  });

  test('PKCE is required and checked', async () => {
    const browser = new Browser(server());
    const noChallenge = await browser.get(`/oidc/auth?response_type=code&client_id=${DEMO_APP.clientId}&redirect_uri=${encodeURIComponent(DEMO_APP.redirectUri)}&scope=openid`);
    assert.ok(noChallenge.location?.startsWith(DEMO_APP.redirectUri), noChallenge.location);
    assert.equal(new URL(noChallenge.location!).searchParams.get('error'), 'invalid_request');
    const { challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid user/*.rs', challenge }), '810001000040');
    const { code } = codeOf(await approve(browser, consent));
    const wrong = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: pkce().verifier });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
  });

  test('a wrong code is refused on the page; the step is not skipped by posting the code first', async () => {
    const browser = new Browser(server());
    const loginPage = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    const path = interactionPath(loginPage);
    const early = await browser.post(`${path}/otp`, { csrf: csrfOf(loginPage), otp: '000000' });
    assert.equal(early.status, 400);
    assert.match(early.html, /Saisissez d’abord votre identifiant/);
    await browser.post(`${path}/login`, { csrf: csrfOf(loginPage), login: '810001000057', password: 'socle-demo-2026' });
    const otpPage = await browser.get(path);
    const wrong = await browser.post(`${path}/otp`, { csrf: csrfOf(otpPage), otp: '000000' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /Code à usage unique incorrect/);
    assert.match(wrong.html, /role="alert"/);
    const right = await browser.post(`${path}/otp`, { csrf: csrfOf(otpPage), otp: await freshCode(server(), '810001000057') });
    assert.equal(right.status, 303);
  });

  test('forms without the CSRF token, or posted from another origin, are refused', async () => {
    const browser = new Browser(server());
    const loginPage = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    const path = interactionPath(loginPage);
    const missing = await browser.post(`${path}/login`, { login: DOCTOR, password: 'socle-demo-2026' });
    assert.equal(missing.status, 403);
    assert.match(missing.html, /formulaire a expiré/);
    const forged = await browser.post(`${path}/login`, { csrf: 'x'.repeat(43), login: DOCTOR, password: 'socle-demo-2026' });
    assert.equal(forged.status, 403);
    const crossSite = await browser.post(`${path}/login`, { csrf: csrfOf(loginPage), login: DOCTOR, password: 'socle-demo-2026' }, { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
    // Another browser (without the interaction cookie) cannot use this interaction at all.
    const stranger = await new Browser(server()).post(`${path}/login`, { csrf: csrfOf(loginPage), login: DOCTOR, password: 'socle-demo-2026' });
    assert.equal(stranger.status, 400);
  });

  test('the account is locked after five failures, even for the right password', async () => {
    const browser = new Browser(server());
    const loginPage = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    const path = interactionPath(loginPage);
    const csrf = csrfOf(loginPage);
    for (let i = 0; i < 4; i++) {
      const failed = await browser.post(`${path}/login`, { csrf, login: '810001000065', password: `wrong-${i}` });
      assert.equal(failed.status, 401);
      assert.match(failed.html, /Identifiant ou mot de passe incorrect/);
    }
    const locking = await browser.post(`${path}/login`, { csrf, login: '810001000065', password: 'wrong-5' });
    assert.equal(locking.status, 429);
    const right = await browser.post(`${path}/login`, { csrf, login: '810001000065', password: 'socle-demo-2026' });
    assert.equal(right.status, 429);
    assert.match(right.html, /Compte verrouillé/);
    // An unknown login answers like a wrong password (no account enumeration).
    const unknown = await browser.post(`${path}/login`, { csrf, login: '899999999999', password: 'whatever-password' });
    assert.equal(unknown.status, 401);
    assert.match(unknown.html, /Identifiant ou mot de passe incorrect/);
  });

  test('denying consent sends the browser back with access_denied', async () => {
    const browser = new Browser(server());
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid user/*.rs', challenge: pkce().challenge }), '810001000032');
    const denied = await browser.post(`${interactionPath(consent)}/consent`, { csrf: csrfOf(consent), decision: 'deny' });
    const back = await browser.follow(denied);
    assert.ok(back.location?.startsWith(DEMO_APP.redirectUri));
    assert.equal(new URL(back.location!).searchParams.get('error'), 'access_denied');
  });

  test('logout asks, signs out, returns to the client; the next authorization asks to log in again', async () => {
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid', challenge }), '810001000024');
    const { code } = codeOf(await approve(browser, consent));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    // Still signed in: a new authorization goes straight back to the client.
    const again = await browser.follow(await browser.get(`/oidc/auth?response_type=code&client_id=${DEMO_APP.clientId}&redirect_uri=${encodeURIComponent(DEMO_APP.redirectUri)}&scope=openid&code_challenge=${pkce().challenge}&code_challenge_method=S256`));
    assert.ok(again.location?.startsWith(DEMO_APP.redirectUri), 'single sign-on while the session lasts');
    const question = await browser.get(`/oidc/session/end?id_token_hint=${tokens.id_token}&post_logout_redirect_uri=${encodeURIComponent(DEMO_APP.postLogoutRedirectUri)}`);
    assert.equal(question.status, 200);
    assert.match(question.html, /Voulez-vous vous déconnecter/);
    assert.match(question.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.html)?.[1];
    assert.ok(xsrf);
    const done = await browser.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' });
    assert.equal(done.status, 303);
    assert.equal(done.location, DEMO_APP.postLogoutRedirectUri);
    const after = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    assert.match(after.html, /id="password"/, 'the login page again');
  });
}, DEMO_OVERRIDES);

forEachBackend('login: idle session timeout', (server) => {
  test('a session unused for longer than SOCLE_SESSION_IDLE asks for the login again', async () => {
    const browser = new Browser(server());
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid', challenge: pkce().challenge }), DOCTOR);
    codeOf(await approve(browser, consent));
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const after = await startLogin(browser, { scope: 'openid', challenge: pkce().challenge });
    assert.match(after.html, /id="password"/, 'the login page again');
  });
}, { ...DEMO_OVERRIDES, sessionIdle: 5 });
