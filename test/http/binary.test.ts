/**
 * Binary over HTTP (http://hl7.org/fhir/R4/binary.html#rest): raw bytes in
 * their own content type, or a Binary resource in FHIR JSON with base64 data;
 * X-Security-Context; SOCLE_MAX_BODY. On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { assertOutcome, frenchPatient, jsonPatch, type Json } from '../support/fixtures.js';

interface Download {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

/** GET or HEAD keeping the body as bytes (the harness decodes text). */
async function download(server: TestServer, path: string, headers: Record<string, string> = { accept: '*/*' }, method = 'GET'): Promise<Download> {
  const authorization = await server.authorization();
  const response = await fetch(`${server.base}/${path}`, { method, headers: { ...(authorization ? { authorization } : {}), ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A fake PDF: the magic number, then random bytes (incompressible, every byte value). */
function pdfBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

/** A raw POST over a given agent, to control which connection carries it. */
function postOver(agent: http.Agent, url: string, bytes: Buffer, authorization = ''): Promise<{ status: number; reusedSocket: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/pdf', 'content-length': String(bytes.length), authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.setTimeout(10_000, () => request.destroy(new Error('the server stopped reading the connection')));
    request.on('error', reject);
    request.end(bytes);
  });
}

async function upload(server: TestServer, bytes: Buffer, contentType: string, headers: Record<string, string> = {}) {
  return server.request('POST', 'Binary', { rawBody: bytes, headers: { 'content-type': contentType, ...headers } });
}

forEachBackend('Binary', (server) => {
  test('POST of raw PDF bytes answers 201 with Location and a Binary without inline data', async () => {
    const bytes = pdfBytes(300 * 1024);
    const result = await upload(server(), bytes, 'application/pdf');
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `${server().base}/Binary/${result.body.id}/_history/1`);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.body.resourceType, 'Binary');
    assert.equal(result.body.contentType, 'application/pdf');
    assert.equal(result.body.meta.versionId, '1');
  });

  test('GET with Accept */* answers exactly the bytes uploaded, in their content type', async () => {
    const bytes = pdfBytes(300 * 1024 + 17);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await download(server(), `Binary/${body.id}`);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'application/pdf');
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.bytes.length, bytes.length);
    assert.ok(result.bytes.equals(bytes), 'the downloaded bytes are the uploaded bytes');
  });

  test('GET with Accept of the Binary\'s own type or none answers the raw bytes', async () => {
    const bytes = pdfBytes(4096);
    const { body } = await upload(server(), bytes, 'application/pdf');
    for (const headers of [{ accept: 'application/pdf' }, {} as Record<string, string>]) {
      const result = await download(server(), `Binary/${body.id}`, headers);
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('content-type'), 'application/pdf');
      assert.ok(result.bytes.equals(bytes));
    }
  });

  test('a payload larger than one storage chunk (1 MiB) comes back whole', async () => {
    const bytes = pdfBytes(2.5 * 1024 * 1024);
    const { body, status } = await upload(server(), bytes, 'application/pdf');
    assert.equal(status, 201);
    const result = await download(server(), `Binary/${body.id}`);
    assert.ok(result.bytes.equals(bytes));
  });

  test('GET with Accept application/fhir+json answers a Binary resource whose base64 data are the bytes', async () => {
    const bytes = pdfBytes(200 * 1024);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await server().get(`Binary/${body.id}`, { accept: 'application/fhir+json' });
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.equal(result.body.resourceType, 'Binary');
    assert.equal(result.body.id, body.id);
    assert.equal(result.body.contentType, 'application/pdf');
    assert.ok(Buffer.from(result.body.data, 'base64').equals(bytes));
  });

  test('_format=json asks for the Binary resource whatever Accept says', async () => {
    const bytes = Buffer.from('Compte rendu de consultation du 12/03/2024 — Dr Lefèvre', 'utf8');
    const { body } = await upload(server(), bytes, 'text/plain; charset=utf-8');
    const result = await server().get(`Binary/${body.id}?_format=json`, { accept: '*/*' });
    assert.equal(result.body.resourceType, 'Binary');
    assert.equal(Buffer.from(result.body.data, 'base64').toString('utf8'), bytes.toString('utf8'));
  });

  test('POST of a Binary resource in JSON with base64 data is downloaded raw as the decoded bytes', async () => {
    const bytes = randomBytes(150 * 1024);
    const result = await server().post('Binary', { resourceType: 'Binary', contentType: 'image/jpeg', data: bytes.toString('base64') });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.body.contentType, 'image/jpeg');
    const raw = await download(server(), `Binary/${result.body.id}`);
    assert.equal(raw.headers.get('content-type'), 'image/jpeg');
    assert.ok(raw.bytes.equals(bytes));
    const json = await server().get(`Binary/${result.body.id}`, { accept: 'application/fhir+json' });
    assert.equal(json.body.data, bytes.toString('base64'));
  });

  test('a Binary resource with malformed base64 data answers 400', async () => {
    assertOutcome(await server().post('Binary', { resourceType: 'Binary', contentType: 'application/pdf', data: 'pas du base64 !' }), 400);
  });

  test('PUT of raw bytes on Binary/id updates it: version 2 serves the new bytes, vread 1 the old', async () => {
    const first = pdfBytes(64 * 1024);
    const second = pdfBytes(96 * 1024);
    const { body } = await upload(server(), first, 'application/pdf');
    const result = await server().request('PUT', `Binary/${body.id}`, { rawBody: second, headers: { 'content-type': 'application/pdf' } });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    assert.ok((await download(server(), `Binary/${body.id}`)).bytes.equals(second));
    const v1 = await download(server(), `Binary/${body.id}/_history/1`);
    assert.equal(v1.status, 200);
    assert.ok(v1.bytes.equals(first));
    assert.ok((await download(server(), `Binary/${body.id}/_history/2`)).bytes.equals(second));
  });

  test('PUT of raw bytes may change the content type', async () => {
    const { body } = await upload(server(), pdfBytes(2048), 'application/pdf');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4096)]);
    await server().request('PUT', `Binary/${body.id}`, { rawBody: png, headers: { 'content-type': 'image/png' } });
    const result = await download(server(), `Binary/${body.id}`);
    assert.equal(result.headers.get('content-type'), 'image/png');
    assert.ok(result.bytes.equals(png));
  });

  test('PUT of the same raw bytes again answers 200 and the bytes stay the same', async () => {
    const bytes = pdfBytes(2048);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await server().request('PUT', `Binary/${body.id}`, { rawBody: bytes, headers: { 'content-type': 'application/pdf' } });
    assert.equal(result.status, 200, result.text);
    assert.ok((await download(server(), `Binary/${body.id}`)).bytes.equals(bytes));
  });

  test('PUT of raw bytes on an unknown Binary id creates it: 201', async () => {
    const id = randomUUID();
    const bytes = pdfBytes(8192);
    const result = await server().request('PUT', `Binary/${id}`, { rawBody: bytes, headers: { 'content-type': 'application/pdf' } });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `${server().base}/Binary/${id}/_history/1`);
    assert.ok((await download(server(), `Binary/${id}`)).bytes.equals(bytes));
  });

  test('X-Security-Context on upload is stored as Binary.securityContext and echoed on raw reads', async () => {
    const patient = await server().create(frenchPatient());
    const bytes = pdfBytes(16 * 1024);
    const result = await upload(server(), bytes, 'application/pdf', { 'x-security-context': `Patient/${patient.id}` });
    assert.equal(result.status, 201, result.text);
    assert.deepEqual(result.body.securityContext, { reference: `Patient/${patient.id}` });
    const json = await server().get(`Binary/${result.body.id}`, { accept: 'application/fhir+json' });
    assert.deepEqual(json.body.securityContext, { reference: `Patient/${patient.id}` });
    const raw = await download(server(), `Binary/${result.body.id}`);
    assert.equal(raw.headers.get('x-security-context'), `Patient/${patient.id}`);
    assert.ok(raw.bytes.equals(bytes));
  });

  test('X-Security-Context on a raw PUT is stored on the new version', async () => {
    const patient = await server().create(frenchPatient());
    const { body } = await upload(server(), pdfBytes(2048), 'application/pdf');
    const result = await server().request('PUT', `Binary/${body.id}`, {
      rawBody: pdfBytes(2048), headers: { 'content-type': 'application/pdf', 'x-security-context': `Patient/${patient.id}` },
    });
    assert.equal(result.status, 200, result.text);
    const json = await server().get(`Binary/${body.id}`, { accept: 'application/fhir+json' });
    assert.deepEqual(json.body.securityContext, { reference: `Patient/${patient.id}` });
  });

  test('a JSON Patch of a Binary\'s metadata keeps its bytes', async () => {
    const patient = await server().create(frenchPatient());
    const bytes = pdfBytes(48 * 1024);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await jsonPatch(server(), `Binary/${body.id}`, [{ op: 'add', path: '/securityContext', value: { reference: `Patient/${patient.id}` } }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    const raw = await download(server(), `Binary/${body.id}`);
    assert.equal(raw.headers.get('x-security-context'), `Patient/${patient.id}`);
    assert.equal(raw.bytes.length, bytes.length);
    assert.ok(raw.bytes.equals(bytes), 'the payload survives a metadata patch');
  });

  test('a JSON Patch replacing a Binary\'s data replaces its bytes', async () => {
    const { body } = await upload(server(), pdfBytes(4096), 'application/pdf');
    const replacement = randomBytes(3000);
    const result = await jsonPatch(server(), `Binary/${body.id}`, [
      { op: 'replace', path: '/contentType', value: 'application/octet-stream' },
      { op: 'replace', path: '/data', value: replacement.toString('base64') },
    ]);
    assert.equal(result.status, 200, result.text);
    const raw = await download(server(), `Binary/${body.id}`);
    assert.equal(raw.headers.get('content-type'), 'application/octet-stream');
    assert.ok(raw.bytes.equals(replacement));
  });

  test('HEAD on a Binary answers its content type and ETag with no body', async () => {
    const { body } = await upload(server(), pdfBytes(32 * 1024), 'application/pdf');
    const result = await download(server(), `Binary/${body.id}`, { accept: '*/*' }, 'HEAD');
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'application/pdf');
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.bytes.length, 0);
    // The server stays usable after a HEAD that did not read the payload.
    assert.equal((await download(server(), `Binary/${body.id}`)).status, 200);
  });

  test('conditional read of a Binary with its current ETag answers 304', async () => {
    const { body } = await upload(server(), pdfBytes(4096), 'application/pdf');
    const result = await download(server(), `Binary/${body.id}`, { accept: '*/*', 'if-none-match': 'W/"1"' });
    assert.equal(result.status, 304);
    assert.equal(result.bytes.length, 0);
  });

  test('a deleted Binary answers 410 as an OperationOutcome, even when raw bytes are asked for', async () => {
    const { body } = await upload(server(), pdfBytes(4096), 'application/pdf');
    assert.equal((await server().delete(`Binary/${body.id}`)).status, 200);
    assertOutcome(await server().get(`Binary/${body.id}`, { accept: '*/*' }), 410, 'deleted');
  });

  test('an unknown Binary answers 404 as an OperationOutcome, even when raw bytes are asked for', async () => {
    assertOutcome(await server().get(`Binary/${randomUUID()}`, { accept: 'application/pdf' }), 404, 'not-found');
  });

  test('raw bytes posted to another resource type answer 415', async () => {
    assertOutcome(await server().request('POST', 'DocumentReference', { rawBody: pdfBytes(1024), headers: { 'content-type': 'application/pdf' } }), 415);
  });
});

forEachBackend('Binary with a small SOCLE_MAX_BODY', (server) => {
  const limit = 64 * 1024;

  test('raw bytes over SOCLE_MAX_BODY answer 413 as an OperationOutcome and store nothing', async () => {
    const before = await server().get('Binary/_history?_count=1000');
    const result = await upload(server(), pdfBytes(limit + 1), 'application/pdf');
    assertOutcome(result, 413, 'too-long');
    const after = await server().get('Binary/_history?_count=1000');
    assert.equal((after.body.entry ?? []).length, (before.body.entry ?? []).length);
  });

  test('raw bytes of exactly SOCLE_MAX_BODY are accepted', async () => {
    const bytes = pdfBytes(limit);
    const result = await upload(server(), bytes, 'application/pdf');
    assert.equal(result.status, 201, result.text);
    assert.ok((await download(server(), `Binary/${result.body.id}`)).bytes.equals(bytes));
  });

  test('a much larger raw upload (2 MiB) answers 413 and the server keeps serving', async () => {
    assertOutcome(await upload(server(), pdfBytes(2 * 1024 * 1024), 'application/pdf'), 413, 'too-long');
    assert.equal((await server().get('metadata')).status, 200);
  });

  test('after refusing an oversized upload, the same keep-alive connection serves the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const authorization = (await server().authorization()) ?? '';
      const refused = await postOver(agent, `${server().base}/Binary`, pdfBytes(1024 * 1024), authorization);
      assert.equal(refused.status, 413, refused.text);
      assert.equal(JSON.parse(refused.text).resourceType, 'OperationOutcome');
      const accepted = await postOver(agent, `${server().base}/Binary`, pdfBytes(1024), authorization);
      assert.equal(accepted.status, 201, accepted.text);
      assert.equal(accepted.reusedSocket, true, 'the second request went over the first one\'s connection');
    } finally {
      agent.destroy();
    }
  });

  test('a raw PUT over SOCLE_MAX_BODY answers 413 and keeps the current version', async () => {
    const { body } = await upload(server(), pdfBytes(1024), 'application/pdf');
    assertOutcome(await server().request('PUT', `Binary/${body.id}`, { rawBody: pdfBytes(limit * 2), headers: { 'content-type': 'application/pdf' } }), 413);
    assert.equal((await server().get(`Binary/${body.id}`, { accept: 'application/fhir+json' })).body.meta.versionId, '1');
  });

  test('a JSON Binary over SOCLE_MAX_BODY answers 413 as an OperationOutcome', async () => {
    const data = randomBytes(limit).toString('base64');
    assertOutcome(await server().post('Binary', { resourceType: 'Binary', contentType: 'application/pdf', data }), 413, 'too-long');
  });

  test('a JSON resource over SOCLE_MAX_BODY answers 413 as an OperationOutcome', async () => {
    const patient: Json = { ...frenchPatient(), text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'a'.repeat(limit)}</div>` } };
    assertOutcome(await server().post('Patient', patient), 413, 'too-long');
  });
}, { maxBody: 64 * 1024 });
