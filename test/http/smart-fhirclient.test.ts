/**
 * The SMART Health IT JavaScript client (npm `fhirclient` 2.x, its Node entry)
 * against the running server, on both backends: the client a SMART app would
 * use, made for Socle's FHIR base with a bearer token, then the whole SMART
 * standalone launch it drives (discovery, PKCE, code exchange, refresh).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO_APP } from '../../src/auth/accounts/demo-accounts.js';
import { approve, Browser, DEMO_OVERRIDES, DOCTOR, passBothFactors, PATIENT_INS } from '../auth/oidc-support.js';
import { memoryStorage, smartAt, type SmartClient } from '../support/fhirclient.js';
import { forEachBackend, TEST_OPERATOR, type TestServer } from '../support/test-server.js';
import { frenchPatient, UUID_V4, type Json } from '../support/fixtures.js';

/** A client for the FHIR base holding an access token: what `ready()` gives an app, made directly. */
function clientFor(server: TestServer, accessToken: string): SmartClient {
  return smartAt('http://localhost:8090/app').client({ serverUrl: server.base, tokenResponse: { access_token: accessToken } });
}

/** The status of a failed fhirclient call (an HttpError), and the FHIR issue codes it quotes from the body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; codes: string[] }> {
  try {
    await call;
  } catch (error) {
    const { status, message } = error as { status?: number; message: string };
    assert.ok(typeof status === 'number', `an HTTP error, not ${String(error)}`);
    // fhirclient keeps only the status and appends the OperationOutcome it read to the message.
    return { status, codes: [...message.matchAll(/"code": "([a-z-]+)"/g)].map((m) => m[1] as string) };
  }
  assert.fail('the call should have failed');
}

const OBSERVATION_CODE = { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }] };

function observation(patientId: string, value: number): Json & { resourceType: 'Observation' } {
  return {
    resourceType: 'Observation', status: 'final', code: OBSERVATION_CODE,
    subject: { reference: `Patient/${patientId}` }, performer: [{ reference: `Patient/${patientId}` }],
    valueQuantity: { value, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
  };
}

forEachBackend('SMART fhirclient', (server) => {
  let token = '';
  before(async () => {
    token = await server().tokenFor(TEST_OPERATOR);
  });
  const client = (): SmartClient => clientFor(server(), token);

  test('getFhirVersion and getFhirRelease read the CapabilityStatement: 4.0.1, release 4', async () => {
    assert.equal(await client().getFhirVersion(), '4.0.1');
    assert.equal(await client().getFhirRelease(), 4);
  });

  test('without a token the client is refused with 401', async () => {
    const anonymous = smartAt('http://localhost:8090/app').client(server().base);
    assert.equal((await failure(anonymous.request('Patient'))).status, 401);
  });

  test('create, request (read), update and delete a Patient, with the answers a FHIR app checks', async () => {
    const fhir = client();
    const created = await fhir.create(frenchPatient({ family: 'Fontaine', given: 'Zoé', gender: 'female', birthDate: '1990-04-12' }), { includeResponse: true });
    assert.equal(created.response.status, 201);
    const patient = created.body as Json;
    assert.match(patient.id, UUID_V4);
    assert.equal(patient.meta.versionId, '1');
    assert.equal(created.response.headers.get('location'), `${server().base}/Patient/${patient.id}/_history/1`);
    assert.equal(created.response.headers.get('etag'), 'W/"1"');

    const read = (await fhir.request(`Patient/${patient.id}`)) as Json;
    assert.equal(read.name[0].family, 'Fontaine');
    assert.equal(read.birthDate, '1990-04-12');

    const updated = (await fhir.update({ ...read, resourceType: 'Patient', telecom: [{ system: 'phone', value: '06 12 34 56 78', use: 'mobile' }] })) as Json;
    assert.equal(updated.meta.versionId, '2');
    assert.equal(updated.telecom[0].value, '06 12 34 56 78');
    const first = (await fhir.request(`Patient/${patient.id}/_history/1`)) as Json;
    assert.equal(first.telecom, undefined);

    const deleted = (await fhir.delete(`Patient/${patient.id}`)) as Json;
    assert.equal(deleted.resourceType, 'OperationOutcome');
    const gone = await failure(fhir.request(`Patient/${patient.id}`));
    assert.equal(gone.status, 410);
    assert.ok(gone.codes.includes('deleted'), gone.codes.join());
  });

  test('update of an id the server does not hold creates it there (update as create)', async () => {
    const id = randomUUID();
    const created = await client().update({ ...frenchPatient(), id }, { includeResponse: true });
    assert.equal(created.response.status, 201);
    assert.equal((created.body as Json).id, id);
    assert.equal((created.body as Json).meta.versionId, '1');
  });

  test('patch sends a JSON Patch and gets the patched resource back', async () => {
    const fhir = client();
    const patient = (await fhir.create(frenchPatient({ family: 'Garnier' }))) as Json;
    const patched = (await fhir.patch(`Patient/${patient.id}`, [
      { op: 'add', path: '/active', value: true },
      { op: 'replace', path: '/name/0/family', value: 'Garnier-Roux' },
    ])) as Json;
    assert.equal(patched.active, true);
    assert.equal(patched.name[0].family, 'Garnier-Roux');
    assert.equal(patched.meta.versionId, '2');
    const failed = await failure(fhir.patch(`Patient/${patient.id}`, [{ op: 'test', path: '/active', value: false }]));
    assert.ok(failed.status === 409 || failed.status === 422, `a failed test operation is refused, got ${failed.status}`);
    assert.equal(((await fhir.request(`Patient/${patient.id}`)) as Json).meta.versionId, '2');
  });

  test('request with pageLimit 0 and flat follows the next links across every page, each match once', async () => {
    const fhir = client();
    const family = `Pagnol-${randomUUID().slice(0, 8)}`;
    const ids = new Set<string>();
    for (let i = 0; i < 7; i += 1) ids.add(((await fhir.create(frenchPatient({ family }))) as Json).id);

    const all = (await fhir.request(`Patient?family=${family}&_count=3`, { pageLimit: 0, flat: true })) as Json[];
    assert.equal(all.length, 7);
    assert.deepEqual(new Set(all.map((p) => p.id)), ids);

    const twoPages = (await fhir.request(`Patient?family=${family}&_count=3`, { pageLimit: 2, flat: true })) as Json[];
    assert.equal(twoPages.length, 6);

    const pageSizes: number[] = [];
    await fhir.request(`Patient?family=${family}&_count=3`, { pageLimit: 0, onPage: (page) => void pageSizes.push(((page as Json).entry ?? []).length) });
    assert.deepEqual(pageSizes, [3, 3, 1]);

    const pages: Json[] = [];
    for await (const page of fhir.pages(`${server().base}/Patient?family=${family}&_count=3&_total=accurate`)) pages.push(page);
    assert.equal(pages.length, 3);
    assert.ok(pages.every((page) => page.total === 7 && page.type === 'searchset'));
  });

  test('resolveReferences mounts the referenced resources in place (graph), or lists them by reference', async () => {
    const fhir = client();
    const patient = (await fhir.create(frenchPatient({ family: 'Rivière' }))) as Json;
    for (const value of [0.92, 1.07, 1.31]) await fhir.create(observation(patient.id, value));

    const graph = (await fhir.request(`Observation?subject=Patient/${patient.id}&_count=2`, { resolveReferences: ['subject', 'performer'], pageLimit: 0, flat: true })) as Json[];
    assert.equal(graph.length, 3);
    for (const obs of graph) {
      assert.equal(obs.subject.resourceType, 'Patient');
      assert.equal(obs.subject.name[0].family, 'Rivière');
      assert.equal(obs.performer[0].id, patient.id);
    }
    assert.deepEqual(graph.map((o) => o.valueQuantity.value).sort(), [0.92, 1.07, 1.31]);

    const listed = (await fhir.request(`Observation?subject=Patient/${patient.id}`, { resolveReferences: ['subject'], graph: false })) as { data: Json; references: Record<string, Json> };
    assert.equal(listed.data.resourceType, 'Bundle');
    assert.deepEqual(Object.keys(listed.references), [`Patient/${patient.id}`]);
    assert.equal(listed.references[`Patient/${patient.id}`]?.id, patient.id);

    const one = (await fhir.request(`Observation/${graph[0]?.id}`)) as Json;
    await fhir.resolveReferences(one, ['subject']);
    assert.equal(one.subject.id, patient.id);
  });

  test('conditional headers it passes through: If-Match, If-None-Exist, If-None-Match, If-Modified-Since', async () => {
    const fhir = client();
    const patient = (await fhir.create(frenchPatient())) as Json;

    const stale = await failure(fhir.update({ ...patient, active: true }, { headers: { 'If-Match': 'W/"7"' } }));
    assert.equal(stale.status, 412);
    const current = await fhir.update({ ...patient, active: true }, { headers: { 'If-Match': 'W/"1"' }, includeResponse: true });
    assert.equal(current.response.status, 200);
    assert.equal(current.response.headers.get('etag'), 'W/"2"');

    // If-None-Exist: the match is returned (200), nothing new is created.
    const again = await fhir.create(frenchPatient(), { headers: { 'If-None-Exist': `_id=${patient.id}` }, includeResponse: true });
    assert.equal(again.response.status, 200);
    assert.equal((again.body as Json).id, patient.id);
    assert.equal((again.body as Json).meta.versionId, '2');

    // fhirclient treats every status outside 2xx as an error, 304 included: the
    // server's 304 Not Modified (http.html#cread) reaches the app as an HttpError.
    assert.equal((await failure(fhir.request({ url: `Patient/${patient.id}`, headers: { 'If-None-Match': 'W/"2"' } }))).status, 304);
    const changed = (await fhir.request({ url: `Patient/${patient.id}`, headers: { 'If-None-Match': 'W/"1"' } })) as Json;
    assert.equal(changed.meta.versionId, '2');
    const later = new Date(Date.now() + 60_000).toUTCString();
    assert.equal((await failure(fhir.request({ url: `Patient/${patient.id}`, headers: { 'If-Modified-Since': later } }))).status, 304);
  });

  test('a transaction Bundle posted to the base through request, with urn:uuid references', async () => {
    const fhir = client();
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const response = (await fhir.request({
      url: '',
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: patientUrn, resource: frenchPatient({ family: 'Lambert' }), request: { method: 'POST', url: 'Patient' } },
          { resource: { ...observation('x', 1.2), subject: { reference: patientUrn }, performer: [{ reference: patientUrn }] }, request: { method: 'POST', url: 'Observation' } },
        ],
      }),
    })) as Json;
    assert.equal(response.type, 'transaction-response');
    assert.deepEqual(response.entry.map((e: Json) => e.response.status.slice(0, 3)), ['201', '201']);
    const patientId = /Patient\/([^/]+)\//.exec(response.entry[0].response.location)?.[1];
    const found = (await fhir.request(`Observation?subject=Patient/${patientId}`, { flat: true })) as Json[];
    assert.equal(found.length, 1);
    assert.equal(found[0]?.subject.reference, `Patient/${patientId}`);
  });

  test('errors reach the app as HTTP statuses with the OperationOutcome', async () => {
    const fhir = client();
    const missing = await failure(fhir.request(`Patient/${randomUUID()}`));
    assert.equal(missing.status, 404);
    assert.ok(missing.codes.includes('not-found'));
    const invalid = await failure(fhir.create({ ...frenchPatient(), birthDate: '12/04/1990' }));
    assert.equal(invalid.status, 400);
  });
});

forEachBackend('SMART fhirclient launch', (server) => {
  let patientId = '';
  before(async () => {
    // Dr DELATTRE may read Élise MARTIN's record once an Encounter names them both (the care relationship).
    const found = await server().get(`Patient?identifier=${PATIENT_INS}`);
    patientId = found.body.entry[0].resource.id as string;
    await server().create({
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` }, participant: [{ individual: { reference: `Practitioner/${DOCTOR}` } }],
    });
    for (const value of [0.98, 1.12]) await server().create(observation(patientId, value));
    await server().create(observation((await server().create(frenchPatient())).id, 2.5));
  });

  test('authorize reads .well-known/smart-configuration and sends the app to the authorization endpoint with PKCE and aud', async () => {
    const url = new URL(String(await smartAt('http://localhost:8090/launch').authorize({
      iss: server().base, clientId: DEMO_APP.clientId, scope: 'openid fhirUser launch/patient patient/*.rs', redirectUri: DEMO_APP.redirectUri, noRedirect: true,
    })));
    assert.equal(`${url.origin}${url.pathname}`, `${server().url}/oidc/auth`);
    assert.equal(url.searchParams.get('aud'), server().base);
    assert.equal(url.searchParams.get('client_id'), DEMO_APP.clientId);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('code_challenge'));
  });

  test('standalone launch: login, patient chosen, ready() exchanges the code; the client reads in context and refreshes', async () => {
    const storage = memoryStorage();
    const authorizeUrl = new URL(String(await smartAt('http://localhost:8090/launch', storage).authorize({
      iss: server().base, clientId: DEMO_APP.clientId, scope: 'openid fhirUser launch/patient patient/*.rs offline_access', redirectUri: DEMO_APP.redirectUri, noRedirect: true,
    })));

    // The user's part, in a browser: password, one-time code, consent with the patient picked.
    const browser = new Browser(server());
    const loginPage = await browser.follow(await browser.get(`${authorizeUrl.pathname}${authorizeUrl.search}`));
    const redirect = await approve(browser, await passBothFactors(browser, loginPage, DOCTOR), patientId);
    assert.ok(redirect.location?.startsWith(DEMO_APP.redirectUri), redirect.location);

    const fhir = await smartAt(redirect.location as string, storage).ready();
    assert.equal(fhir.patient.id, patientId);
    assert.equal(fhir.user.fhirUser, `Practitioner/${DOCTOR}`);
    assert.equal(fhir.getIdToken()?.sub, DOCTOR);
    const granted = String(fhir.state.tokenResponse?.scope).split(' ');
    for (const scope of ['patient/*.rs', 'launch/patient', 'openid', 'fhirUser', 'offline_access']) assert.ok(granted.includes(scope), `${scope} in ${granted.join(' ')}`);

    assert.equal(((await fhir.patient.read()) as Json).id, patientId);
    const mine = (await fhir.patient.request('Observation', { flat: true, pageLimit: 0 })) as Json[];
    assert.deepEqual(mine.map((o) => o.valueQuantity.value).sort(), [0.98, 1.12]);
    // patient/*.rs: no writes.
    assert.equal((await failure(fhir.create(observation(patientId, 3)))).status, 403);

    // Refresh as fhirclient does it for a public app: grant_type and refresh_token only (SMART App Launch, refresh).
    const before = fhir.state.tokenResponse?.access_token;
    await fhir.refresh();
    assert.notEqual(fhir.state.tokenResponse?.access_token, before);
    assert.equal(fhir.state.tokenResponse?.patient, patientId);
    assert.equal(((await fhir.patient.read()) as Json).id, patientId);
  });
}, DEMO_OVERRIDES);
