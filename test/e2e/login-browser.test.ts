/**
 * Issue #4's browser proof, in a real Chromium against the real server with
 * its demo accounts: a professional signs in with password and one-time code
 * through a SMART standalone launch (patient picker), and the application's
 * token reads that patient's record; then the patient signs in and lists the
 * accesses to his or her record, the professional's among them.
 * Skipped, with the reason, where no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AuthModule } from '../../src/auth/index.js';
import { totpCode } from '../../src/auth/accounts/totp.js';
import { DEMO_SECRETS } from '../../src/auth/accounts/demo-accounts.js';
import { FEATURED_PATIENTS, FEATURED_PROFESSIONALS } from '../../src/demo/featured.js';
import { backendNames } from '../support/backends.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { freePort } from '../support/child-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DOCTOR = FEATURED_PROFESSIONALS[0]!;
const PATIENT = FEATURED_PATIENTS[0]!;
const skip = chromiumAvailable() ? false : `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;

/** The code of the current 30-second step, or of the next one when this account already used the current one. */
let lastStep = 0;
function oneTimeCode(): string {
  const step = Math.max(Math.floor(Date.now() / 30_000), lastStep + 1);
  lastStep = step;
  return totpCode(DEMO_SECRETS.totpSecret, step * 30_000 + 1_000);
}

describe(`sign-in in Chromium, SMART standalone launch and the patient's access list [${backendNames()[0]}]`, { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let app: Server;
  let redirectUri: string;
  let clientId: string;
  let landed: URL | undefined;
  let patientId: string;

  before(async () => {
    server = await startTestServer(backendNames()[0]!, { demo: 'on', demoOrganisations: 0, demoProfessionals: 0, demoPatients: 0 });
    const port = await freePort();
    redirectUri = `http://127.0.0.1:${port}/callback`;
    // The application: a real listener where the browser lands with the code.
    app = createServer((request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      if (url.pathname === '/callback') landed = url;
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('application');
    });
    await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
    const auth = server.running.platform.modules.find((m) => m.name === 'auth') as AuthModule;
    const registered = await auth.clients.register({
      client_name: 'Application SMART de test', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid fhirUser launch/patient patient/*.rs',
    });
    clientId = registered.client_id as string;
    // The professional's care relationship with the patient (the default policy asks for one), and a result to read.
    const found = await server.get(`Patient?identifier=${encodeURIComponent(`urn:oid:1.2.250.1.213.1.4.8|${PATIENT.ins}`)}`);
    patientId = found.body.entry[0].resource.id as string;
    const encounter = await server.post('Encounter', {
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` }, participant: [{ individual: { reference: `Practitioner/${DOCTOR.idNatPs}` } }],
    });
    assert.equal(encounter.status, 201, encounter.text);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await server?.close();
  });

  /** Authorization code + PKCE in the browser: login, one-time code, then `consent` on the consent page. */
  async function signIn(login: string, scope: string, consent: (page: import('playwright-core').Page) => Promise<void>): Promise<{ access_token: string; patient?: string }> {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${server.url}/oidc/auth`);
    for (const [name, value] of Object.entries({
      client_id: clientId, response_type: 'code', scope, redirect_uri: redirectUri, state: 'etat', aud: `${server.url}/fhir`,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    })) authorize.searchParams.set(name, value);
    landed = undefined;
    await page.goto(authorize.href);
    await page.getByLabel(/Identifiant/).fill(login);
    await page.getByLabel(/Mot de passe/).fill(DEMO_SECRETS.userPassword);
    await page.click('#submit-login');
    await page.fill('#otp', oneTimeCode());
    await page.click('#submit-otp');
    await consent(page);
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    await context.close();
    const callback = landed as URL | undefined;
    assert.ok(callback, 'the browser reached the application');
    assert.equal(callback.searchParams.get('state'), 'etat', callback.href);
    const token = await fetch(`${server.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }).toString(),
    });
    assert.equal(token.status, 200, await token.clone().text());
    return (await token.json()) as { access_token: string; patient?: string };
  }

  test('a professional signs in with password and one-time code, picks the patient, and the app reads the record', async () => {
    const tokens = await signIn(DOCTOR.idNatPs, 'openid fhirUser launch/patient patient/*.rs', async (page) => {
      await page.fill('#patient-search', PATIENT.family);
      await page.click('#search-patient');
      await page.check(`input[name="patient"][value="${patientId}"]`);
      await page.click('#approve');
    });
    assert.equal(tokens.patient, patientId, 'the launch context names the chosen patient');
    const read = await server.anonymous.request('GET', `Patient/${patientId}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.id, patientId);
    const anonymous = await server.anonymous.get(`Patient/${patientId}`);
    assert.equal(anonymous.status, 401, 'the same read without the token is refused');
  });

  test('the patient signs in and lists who accessed the record, with the professional among them', async () => {
    await server.running.platform.engine.deps.audit.flush();
    const tokens = await signIn(PATIENT.ins, 'openid fhirUser patient/*.rs', async (page) => {
      await page.click('#approve');
    });
    assert.equal(tokens.patient, patientId, 'a patient is in his or her own context');
    const traces = await server.anonymous.request('GET', 'AuditEvent?_count=200', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(traces.status, 200, traces.text);
    const events = (traces.body.entry ?? []).map((e: { resource: Record<string, any> }) => e.resource);
    const byDoctor = events.filter((event: Record<string, any>) => JSON.stringify(event.agent).includes(DOCTOR.idNatPs));
    assert.ok(byDoctor.length > 0, 'the professional’s read is listed');
    assert.ok(events.every((event: Record<string, any>) => JSON.stringify(event.entity ?? []).includes(`Patient/${patientId}`)), 'nothing about anybody else');
  });
});
