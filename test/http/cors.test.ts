/**
 * CORS on the FHIR API and the discovery documents (fetch.spec.whatwg.org
 * #http-cors-protocol): a browser's preflight is answered before
 * authentication, the headers a FHIR client reads are exposed, credentials
 * are never allowed, SOCLE_CORS_ORIGINS narrows or turns it off, and the web
 * spaces (session cookies) stay same-origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const backend = backendNames()[0]!;

function preflight(server: TestServer, path: string, origin: string, method = 'POST'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,if-match,prefer,x-medplum' },
  });
}

describe(`CORS with any origin (the default) [${backend}]`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(backend);
  });
  after(async () => server?.close());

  test('a preflight to the FHIR API is answered without a token, with the methods and headers a FHIR client uses', async () => {
    const response = await preflight(server, '/fhir/Patient', 'https://app.example.fr', 'PATCH');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['authorization', 'content-type', 'if-match', 'prefer']) assert.match(allowed, new RegExp(header));
    assert.match(allowed, /x-medplum/, 'a client’s own headers are allowed as asked');
    assert.equal(response.headers.get('access-control-allow-credentials'), null, 'bearer tokens only: never credentials');
  });

  test('a cross-origin create exposes Location and ETag to the page', async () => {
    const created = await server.request('POST', 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Origine' }] }, headers: { origin: 'https://app.example.fr' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
    const exposed = created.headers.get('access-control-expose-headers') ?? '';
    for (const header of ['location', 'etag', 'last-modified']) assert.match(exposed, new RegExp(header));
  });

  test('a cross-origin raw Binary read exposes its X-Security-Context to the page (binary.html#rest)', async () => {
    const uploaded = await server.request('POST', 'Binary', { rawBody: Buffer.from('%PDF-1.7'), headers: { 'content-type': 'application/pdf', 'x-security-context': 'Patient/p1' } });
    assert.equal(uploaded.status, 201, uploaded.text);
    const read = await server.request('GET', `Binary/${uploaded.body.id}`, { headers: { accept: 'application/pdf', origin: 'https://app.example.fr' } });
    assert.equal(read.headers.get('x-security-context'), 'Patient/p1');
    assert.match(read.headers.get('access-control-expose-headers') ?? '', /x-security-context/);
  });

  test('an unauthenticated cross-origin call still gets its 401, readable by the page', async () => {
    const response = await fetch(`${server.url}/fhir/Patient`, { headers: { origin: 'https://app.example.fr' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /www-authenticate/);
  });

  test('the SMART discovery document is readable cross-origin', async () => {
    const response = await fetch(`${server.url}/fhir/.well-known/smart-configuration`, { headers: { origin: 'https://app.example.fr' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });

  test('pages outside the API and discovery get no CORS headers', async () => {
    const response = await fetch(`${server.url}/`, { headers: { origin: 'https://app.example.fr' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test('a request without Origin is not a CORS request: no CORS headers', async () => {
    const response = await server.get('metadata');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});

describe(`CORS narrowed to listed origins [${backend}]`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(backend, { corsOrigins: 'https://app.example.fr https://autre.example.fr/' });
  });
  after(async () => server?.close());

  test('a listed origin is echoed, with Vary: Origin', async () => {
    const response = await preflight(server, '/fhir/Observation', 'https://autre.example.fr');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://autre.example.fr');
    assert.match(response.headers.get('vary') ?? '', /Origin/i);
  });

  test('another origin gets no Access-Control-Allow-Origin, so the browser keeps the answer from the page', async () => {
    const response = await preflight(server, '/fhir/Observation', 'https://evil.example.com');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});

describe(`CORS turned off [${backend}]`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(backend, { corsOrigins: 'off' });
  });
  after(async () => server?.close());

  test('no CORS headers, and a preflight meets authentication like any request', async () => {
    const response = await preflight(server, '/fhir/Patient', 'https://app.example.fr');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.status, 401);
  });
});
