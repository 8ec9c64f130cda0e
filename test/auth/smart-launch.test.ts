/**
 * SMART App Launch 2.0 on both backends: a professional's standalone launch
 * with the patient picker, an EHR launch with a launch context, v1 and v2
 * scopes, the launch context in the token response and the access token, and
 * refresh as a public app does it.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { DEMO_APP } from '../../src/auth/accounts/demo-accounts.js';
import { forEachBackend } from '../support/test-server.js';
import {
  approve, authOf, authorizeUrl, basic, Browser, codeOf, csrfOf, DEMO_OVERRIDES, DOCTOR, interactionPath, passBothFactors, PATIENT_INS, pkce, postForm, startLogin,
} from './oidc-support.js';

async function patientIdOf(server: ReturnType<Parameters<Parameters<typeof forEachBackend>[1]>[0]>, ins: string): Promise<string> {
  const found = await server.get(`Patient?identifier=${ins}`);
  assert.equal(found.status, 200, found.text);
  return found.body.entry[0].resource.id as string;
}

forEachBackend('SMART launch', (server) => {
  test('standalone launch: the professional picks the patient, who comes back with the token', async () => {
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid fhirUser launch/patient patient/Observation.rs patient/*.read', challenge }), DOCTOR);
    assert.match(consent.html, /id="patient-search"/, 'the patient picker');
    const path = interactionPath(consent);
    // Approving without a patient is refused on the page, with the catalogue's status.
    const missing = await browser.post(`${path}/consent`, { csrf: csrfOf(consent), decision: 'approve' });
    assert.equal(missing.status, 400);
    assert.match(missing.html, /Choisissez le patient concerné/);
    const search = await browser.get(`${path}?patient-search=MARTIN`);
    const choice = /name="patient" value="([^"]+)"/.exec(search.html);
    assert.ok(choice, 'MARTIN found by name');
    assert.equal(choice[1], await patientIdOf(server(), PATIENT_INS));
    const byIns = await browser.get(`${path}?patient-search=${PATIENT_INS}`);
    assert.match(byIns.html, new RegExp(`value="${choice[1]}"`), 'found by INS too');
    const { code } = codeOf(await approve(browser, search, choice[1]));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.equal(tokens.patient, choice[1]);
    // SMART App Launch 2.0, token response: no EHR frame shows the patient, so the app must (context-banner),
    // and it may take the platform's look from smart_style_url (context-style).
    assert.equal(tokens.need_patient_banner, true);
    const style = await server().anonymous.request('GET', new URL(tokens.smart_style_url).pathname);
    assert.equal(style.status, 200, style.text);
    assert.equal(style.body.color_highlight, '#000091');
    const { capabilities } = (await server().get('/fhir/.well-known/smart-configuration')).body;
    for (const capability of ['context-banner', 'context-style']) assert.ok(capabilities.includes(capability), capability);
    const principal = await authOf(server()).verifyToken(tokens.access_token);
    assert.equal(principal?.patient, choice[1]);
    assert.deepEqual([...principal!.scopes].sort(), ['patient/*.read', 'patient/Observation.rs']);
    assert.equal(decodeJwt(tokens.id_token).fhirUser, `${server().url}/fhir/Practitioner/${DOCTOR}`);
  });

  test('patient-level scopes without launch/patient still get a patient: the picker, then patient in the token response', async () => {
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid patient/Observation.rs', challenge }), DOCTOR);
    assert.match(consent.html, /id="patient-search"/, 'the patient picker');
    const missing = await browser.post(`${interactionPath(consent)}/consent`, { csrf: csrfOf(consent), decision: 'approve' });
    assert.equal(missing.status, 400, 'no patient-level token without a patient');
    const patient = await patientIdOf(server(), PATIENT_INS);
    const { code } = codeOf(await approve(browser, consent, patient));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.equal(tokens.patient, patient);
    assert.equal((await authOf(server()).verifyToken(tokens.access_token))?.patient, patient);
  });

  test('a patient asking again for patient-level scopes in the same session is not asked again: prompt=none gets a code', async () => {
    const browser = new Browser(server());
    const scope = 'openid patient/*.rs';
    const consent = await passBothFactors(browser, await startLogin(browser, { scope, challenge: pkce().challenge }), PATIENT_INS);
    assert.doesNotMatch(consent.html, /id="patient-search"/, 'a patient picks no patient: it is their own record');
    codeOf(await approve(browser, consent));
    const { verifier, challenge } = pkce();
    const silent = await browser.follow(await browser.get(authorizeUrl({ scope, challenge, extra: { prompt: 'none' } })));
    const { code } = codeOf(silent);
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.equal(tokens.patient, await patientIdOf(server(), PATIENT_INS));
  });

  test('a professional asking again for patient-level scopes is asked again which patient (prompt=none cannot answer)', async () => {
    const browser = new Browser(server());
    const scope = 'openid patient/Observation.rs';
    const consent = await passBothFactors(browser, await startLogin(browser, { scope, challenge: pkce().challenge }), DOCTOR);
    codeOf(await approve(browser, consent, await patientIdOf(server(), PATIENT_INS)));
    const silent = await browser.follow(await browser.get(authorizeUrl({ scope, challenge: pkce().challenge, extra: { prompt: 'none' } })));
    assert.ok(silent.location?.startsWith(DEMO_APP.redirectUri), silent.html.slice(0, 300));
    assert.equal(new URL(silent.location!).searchParams.get('error'), 'consent_required');
  });

  test('a v2 scope narrowed by a query is granted as asked, and the token opens what it matches only', async () => {
    const lab = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const patient = await patientIdOf(server(), PATIENT_INS);
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: `openid launch/patient ${lab}`, challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent, patient));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.ok(tokens.scope.split(' ').includes(lab), tokens.scope);
    assert.deepEqual((await authOf(server()).verifyToken(tokens.access_token))?.scopes, [lab]);
    const conditions = await server().anonymous.request('GET', `Condition?patient=${patient}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(conditions.status, 403, 'nothing beyond the narrowed type');
  });

  test('revoking the refresh token revokes the access tokens of its grant too (RFC 7009 §2.1)', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), PATIENT_INS);
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid launch/patient patient/*.rs offline_access', challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent, patient));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.ok(await auth.verifyToken(tokens.access_token), 'valid before');
    const revoked = await postForm(server(), '/oidc/token/revocation', { token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: DEMO_APP.clientId });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(await auth.verifyToken(tokens.access_token), undefined, 'the access token of the revoked grant is no longer accepted');
    const read = await server().anonymous.request('GET', `Patient/${patient}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(read.status, 401);
    assert.match(read.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('EHR launch: the launch value stands for the patient the EHR chose', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), '172038002104537');
    const { token } = await auth.mintToken('810001000024', undefined, 60);
    const created = await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient } });
    assert.equal(created.status, 201, created.text);
    const { launch } = created.body as { launch: string };
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const loginPage = await startLogin(browser, { scope: 'openid fhirUser launch patient/*.rs', challenge, extra: { launch, aud: `${server().url}/fhir` } });
    const consent = await passBothFactors(browser, loginPage, '810001000024');
    assert.match(consent.html, /id="launch-patient"[^<]*DUPONT/);
    assert.doesNotMatch(consent.html, /id="patient-search"/, 'no picker when the EHR gave the patient');
    const { code } = codeOf(await approve(browser, consent));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.equal(tokens.patient, patient);
    assert.equal((await auth.verifyToken(tokens.access_token))?.patient, patient);
  });

  test('EHR launch with an encounter: the token response carries the encounter beside the patient, after a refresh too', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), '172038002104537');
    const encounter = await server().create({ resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patient}` } });
    const { token } = await auth.mintToken('810001000024', undefined, 60);
    const created = await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient, encounter: encounter.id } });
    assert.equal(created.status, 201, created.text);
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid fhirUser launch launch/encounter patient/*.rs offline_access', challenge, extra: { launch: created.body.launch } }), '810001000024');
    const { code } = codeOf(await approve(browser, consent));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    assert.equal(tokens.patient, patient);
    assert.equal(tokens.encounter, encounter.id, `SMART: encounter in the token response: ${JSON.stringify(tokens)}`);
    assert.ok((await server().get('/fhir/.well-known/smart-configuration')).body.capabilities.includes('context-ehr-encounter'));
    const refreshed = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.encounter, encounter.id);
  });

  test('a launch context with an encounter that is not one of the patient\'s is refused', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), '172038002104537');
    const other = await patientIdOf(server(), PATIENT_INS);
    const elsewhere = await server().create({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${other}` } });
    const { token } = await auth.mintToken('810001000024', undefined, 60);
    for (const encounter of [elsewhere.id, 'no-such-encounter', 42]) {
      const refused = await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient, encounter } });
      assert.equal(refused.status, 400, `${String(encounter)}: ${refused.text}`);
      assert.equal(refused.body.issue[0].details.coding[0].code, 'auth.launch-invalid');
    }
  });

  test('a launch value of someone else, or made up, is refused at consent', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), PATIENT_INS);
    const { token } = await auth.mintToken(DOCTOR, undefined, 60);
    const { launch } = (await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient } })).body;
    for (const value of [launch, 'made-up']) {
      const browser = new Browser(server());
      const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid launch patient/*.rs', challenge: pkce().challenge, extra: { launch: value } }), '810001000040');
      const refused = await browser.post(`${interactionPath(consent)}/consent`, { csrf: csrfOf(consent), decision: 'approve' });
      assert.equal(refused.status, 400);
      assert.match(refused.html, /Contexte de lancement invalide/);
    }
  });

  test('refresh as a public app does it (grant_type and refresh_token only): same FHIR scopes and patient; the whole granted scope is listed', async () => {
    const auth = authOf(server());
    const patient = await patientIdOf(server(), PATIENT_INS);
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid fhirUser launch/patient patient/*.rs offline_access', challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent, patient));
    const tokens = (await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: DEMO_APP.redirectUri, client_id: DEMO_APP.clientId, code_verifier: verifier })).body;
    // SMART App Launch 2.0, token response: "scope of access authorized", OpenID and launch scopes included.
    assert.deepEqual(tokens.scope.split(' ').sort(), ['fhirUser', 'launch/patient', 'offline_access', 'openid', 'patient/*.rs']);
    assert.ok(tokens.refresh_token);

    // SMART App Launch 2.0, refresh: "for public apps, authentication is not possible (and thus not required)".
    const refreshed = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.patient, patient);
    assert.deepEqual(refreshed.body.scope.split(' ').sort(), ['fhirUser', 'launch/patient', 'offline_access', 'openid', 'patient/*.rs']);
    const principal = await auth.verifyToken(refreshed.body.access_token);
    assert.deepEqual(principal?.scopes, ['patient/*.rs'], 'the refreshed token keeps the FHIR scopes granted');
    assert.equal(principal?.patient, patient);
    assert.equal(principal?.fhirUser, `Practitioner/${DOCTOR}`);

    // A refresh may ask for part of the grant, and is answered with that part; the rotated token is spent.
    const narrower = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, scope: 'openid patient/*.rs' });
    assert.equal(narrower.status, 200, JSON.stringify(narrower.body));
    assert.deepEqual(narrower.body.scope.split(' ').sort(), ['openid', 'patient/*.rs']);
    assert.deepEqual((await auth.verifyToken(narrower.body.access_token))?.scopes, ['patient/*.rs']);
    const spent = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(spent.body.error, 'invalid_grant');
  });

  test('a confidential app still authenticates its refresh requests', async () => {
    const { token: admin } = await authOf(server()).mintToken(undefined, undefined, 60);
    const redirectUri = 'https://logiciel.example/callback';
    const registered = await server().anonymous.request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: { client_name: 'Logiciel de cabinet', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [redirectUri], scope: 'openid fhirUser user/*.rs offline_access' },
    });
    assert.equal(registered.status, 201, registered.text);
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string };
    const browser = new Browser(server());
    const { verifier, challenge } = pkce();
    const consent = await passBothFactors(browser, await startLogin(browser, { clientId, redirectUri, scope: 'openid fhirUser user/*.rs offline_access', challenge }), DOCTOR);
    const { code } = codeOf(await approve(browser, consent), redirectUri);
    const tokens = await postForm(server(), '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, basic(clientId, secret));
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const anonymous = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    // RFC 6749 §5.2: "no client authentication included" is invalid_client.
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
    const authenticated = await postForm(server(), '/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, basic(clientId, secret));
    assert.equal(authenticated.status, 200, JSON.stringify(authenticated.body));
    assert.deepEqual((await authOf(server()).verifyToken(authenticated.body.access_token))?.scopes, ['user/*.rs']);
  });

  test('an aud other than this FHIR server is refused before any login', async () => {
    const browser = new Browser(server());
    const page = await browser.follow(await browser.get(authorizeUrl({ scope: 'openid launch/patient patient/*.rs', challenge: pkce().challenge, extra: { aud: 'https://other.example/fhir' } })));
    const error = page.location ? new URL(page.location).searchParams.get('error') : /invalid_request/.exec(page.html)?.[0];
    assert.equal(error, 'invalid_request');
  });

  test('launch contexts are created by professionals for existing patients only', async () => {
    const auth = authOf(server());
    const { token: patientToken } = await auth.mintToken(PATIENT_INS, undefined, 60);
    const byPatient = await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${patientToken}`, 'content-type': 'application/json' }, body: { patient: 'x' } });
    assert.equal(byPatient.status, 400);
    const { token } = await auth.mintToken(DOCTOR, undefined, 60);
    const unknown = await server().anonymous.request('POST', '/auth/launch', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { patient: 'no-such-patient' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.issue[0].details.coding[0].code, 'auth.launch-invalid');
    const anonymous = await server().anonymous.request('POST', '/auth/launch', { headers: { 'content-type': 'application/json' }, body: { patient: 'x' } });
    assert.equal(anonymous.status, 401);
  });

  test('the consent page describes the scopes, in French by default and in English on request, under a strict CSP', async () => {
    const browser = new Browser(server());
    const consent = await passBothFactors(browser, await startLogin(browser, { scope: 'openid user/*.cruds patient/Observation.rs', challenge: pkce().challenge }), '810001000032');
    assert.match(consent.html, /<html lang="fr"/);
    assert.match(consent.html, /Observation/);
    assert.match(consent.html, /toutes les données/);
    const csp = consent.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'self' http:\/\/localhost:8090/, 'forms may go to Socle and back to the client only');
    assert.equal(consent.headers.get('x-frame-options'), 'DENY');
    assert.equal(consent.headers.get('cache-control'), 'no-store');
    const english = await browser.get(`${interactionPath(consent)}?lang=en`);
    assert.match(english.html, /<html lang="en"/);
    assert.match(english.html, /all data/);
    assert.match(english.html, /id="language-switch" lang="fr"/);
  });
}, DEMO_OVERRIDES);
