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
  test('POST of raw PDF bytes answers 201 with Location and the Binary, its bytes inline as base64 data', async () => {
    const bytes = pdfBytes(300 * 1024);
    const result = await upload(server(), bytes, 'application/pdf');
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `${server().base}/Binary/${result.body.id}/_history/1`);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.body.resourceType, 'Binary');
    assert.equal(result.body.contentType, 'application/pdf');
    assert.equal(result.body.meta.versionId, '1');
    assert.ok(Buffer.from(result.body.data ?? '', 'base64').equals(bytes), 'the answer carries the payload');
    assert.equal(result.body.meta.tag, undefined);
  });

  test('a raw PUT answers the new version with its bytes inline; Prefer: return=minimal answers no body', async () => {
    const { body } = await upload(server(), pdfBytes(2048), 'application/pdf');
    const second = pdfBytes(4096);
    const updated = await server().request('PUT', `Binary/${body.id}`, { rawBody: second, headers: { 'content-type': 'application/pdf' } });
    assert.equal(updated.status, 200, updated.text);
    assert.ok(Buffer.from(updated.body.data ?? '', 'base64').equals(second));
    const minimal = await upload(server(), pdfBytes(2048), 'application/pdf', { prefer: 'return=minimal' });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.match(minimal.headers.get('location') ?? '', /\/Binary\/[^/]+\/_history\/1$/);
  });

  test('POST and PUT of a Binary resource in JSON answer it with its data', async () => {
    const bytes = randomBytes(5000);
    const created = await server().post('Binary', { resourceType: 'Binary', contentType: 'image/png', data: bytes.toString('base64') });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.data, bytes.toString('base64'));
    const other = randomBytes(300);
    const updated = await server().put(`Binary/${created.body.id}`, { resourceType: 'Binary', id: created.body.id, contentType: 'image/png', data: other.toString('base64') });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.data, other.toString('base64'));
  });

  test('a search Bundle shows each Binary with its data, at type and system level', async () => {
    const bytes = pdfBytes(20 * 1024);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await server().get(`Binary?_id=${body.id}`);
    assert.equal(result.status, 200, result.text);
    const [entry] = result.body.entry;
    assert.equal(entry.resource.id, body.id);
    assert.ok(Buffer.from(entry.resource.data ?? '', 'base64').equals(bytes), 'the searchset entry carries the payload');
    assert.equal(entry.resource.meta.tag, undefined);
    const reference = await server().create({ resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf', url: `Binary/${body.id}` } }] });
    const system = await server().get(`?_id=${reference.id},${body.id}`);
    const found = (system.body.entry ?? []).find((e: Json) => e.resource.resourceType === 'Binary');
    assert.ok(found, system.text.slice(0, 300));
    assert.ok(Buffer.from(found.resource.data ?? '', 'base64').equals(bytes), 'a system search carries the payload too');
  });

  test('a history Bundle shows each Binary version with its own data', async () => {
    const first = pdfBytes(3000);
    const second = pdfBytes(5000);
    const { body } = await upload(server(), first, 'application/pdf');
    await server().request('PUT', `Binary/${body.id}`, { rawBody: second, headers: { 'content-type': 'application/pdf' } });
    await server().delete(`Binary/${body.id}`);
    const result = await server().get(`Binary/${body.id}/_history`);
    assert.equal(result.status, 200, result.text);
    const [deletion, v2, v1] = result.body.entry;
    assert.equal(deletion.resource, undefined);
    assert.ok(Buffer.from(v2.resource.data ?? '', 'base64').equals(second));
    assert.ok(Buffer.from(v1.resource.data ?? '', 'base64').equals(first));
    const typeLevel = await server().get(`Binary/_history?_count=3`);
    const mine = typeLevel.body.entry.find((e: Json) => e.resource?.id === body.id && e.resource.meta.versionId === '2');
    assert.ok(Buffer.from(mine?.resource.data ?? '', 'base64').equals(second), 'type history carries the payload too');
  });

  test('a patched Binary is answered with its data, or marked SUBSETTED: never silently incomplete', async () => {
    const bytes = pdfBytes(4096);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await jsonPatch(server(), `Binary/${body.id}`, [{ op: 'replace', path: '/contentType', value: 'application/octet-stream' }]);
    assert.equal(result.status, 200, result.text);
    const subsetted = (result.body.meta.tag ?? []).some((t: Json) => t.code === 'SUBSETTED' && t.system === 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue');
    assert.ok(subsetted || Buffer.from(result.body.data ?? '', 'base64').equals(bytes), result.text.slice(0, 300));
  });

  for (const contentType of ['application/json', 'application/fhir+json', 'application/json+fhir', 'text/json', 'application/fhir+json; charset=utf-8']) {
    test(`POST of ${contentType} that is not a Binary resource stores the bytes as they are`, async () => {
      for (const text of ['{"hello":"world"}', '{"resourceType":"Patient"}', '[1, 2, 3]', '{"pas fini', '  {"resourceType" : "Observation", "status": "final"}\n']) {
        const bytes = Buffer.from(text, 'utf8');
        const result = await upload(server(), bytes, contentType);
        assert.equal(result.status, 201, `${text}: ${result.text}`);
        assert.equal(result.body.resourceType, 'Binary');
        assert.equal(result.body.contentType, contentType);
        const raw = await download(server(), `Binary/${result.body.id}`);
        assert.equal(raw.headers.get('content-type'), contentType);
        assert.ok(raw.bytes.equals(bytes), `${text} comes back byte for byte`);
        const json = await server().get(`Binary/${result.body.id}`, { accept: 'application/fhir+json' });
        assert.equal(Buffer.from(json.body.data, 'base64').toString('utf8'), text);
      }
    });
  }

  test('PUT of JSON that is not a Binary resource on Binary/id stores the bytes as they are', async () => {
    const id = randomUUID();
    const bytes = Buffer.from('{"resourceType":"Patient","id":"x"}', 'utf8');
    const created = await server().request('PUT', `Binary/${id}`, { rawBody: bytes, headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.id, id);
    const next = Buffer.from('{"hello":"again"}', 'utf8');
    const updated = await server().request('PUT', `Binary/${id}`, { rawBody: next, headers: { 'content-type': 'application/json' } });
    assert.equal(updated.status, 200, updated.text);
    const raw = await download(server(), `Binary/${id}`);
    assert.equal(raw.headers.get('content-type'), 'application/json');
    assert.ok(raw.bytes.equals(next));
  });

  test('JSON bytes in another charset, or not UTF-8, are Binary content too', async () => {
    const latin1 = Buffer.from('{"resourceType":"Binary","note":"été"}', 'latin1');
    for (const contentType of ['application/json; charset=ISO-8859-1', 'application/fhir+json']) {
      const result = await upload(server(), latin1, contentType);
      assert.equal(result.status, 201, `${contentType}: ${result.text}`);
      assert.equal(result.body.contentType, contentType);
      assert.ok((await download(server(), `Binary/${result.body.id}`)).bytes.equals(latin1));
    }
  });

  test('a Binary resource sent as application/json or with a BOM is still read as a resource', async () => {
    const bytes = randomBytes(64);
    const resource = JSON.stringify({ resourceType: 'Binary', contentType: 'image/gif', data: bytes.toString('base64') });
    for (const [body, contentType] of [[Buffer.from(resource), 'application/json'], [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n ${resource}`)]), 'application/fhir+json']] as const) {
      const result = await upload(server(), body, contentType);
      assert.equal(result.status, 201, result.text);
      assert.equal(result.body.contentType, 'image/gif');
      const raw = await download(server(), `Binary/${result.body.id}`);
      assert.equal(raw.headers.get('content-type'), 'image/gif');
      assert.ok(raw.bytes.equals(bytes));
    }
    // An invalid Binary resource is refused, not stored as content.
    assertOutcome(await upload(server(), Buffer.from('{"resourceType":"Binary","contentType":42}'), 'application/fhir+json'), 400);
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

  test('GET with Accept text/plain, text/html or application/xml answers the raw bytes: only FHIR formats ask for the resource', async () => {
    const cases = [
      { contentType: 'text/plain', accept: 'text/plain', bytes: Buffer.from('Compte rendu de sortie', 'utf8') },
      { contentType: 'text/html', accept: 'text/html', bytes: Buffer.from('<p>Lettre de liaison</p>', 'utf8') },
      { contentType: 'application/xml', accept: 'application/xml', bytes: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>', 'utf8') },
      { contentType: 'text/xml', accept: 'text/xml', bytes: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>', 'utf8') },
    ];
    for (const { contentType, accept, bytes } of cases) {
      const { body } = await upload(server(), bytes, contentType);
      for (const path of [`Binary/${body.id}`, `Binary/${body.id}/_history/1`]) {
        const result = await download(server(), path, { accept });
        assert.equal(result.status, 200, `${accept} on ${path}: ${result.bytes.toString('utf8')}`);
        assert.equal(result.headers.get('content-type'), contentType);
        assert.ok(result.bytes.equals(bytes), `${accept} on ${path}`);
      }
    }
  });

  test('GET of a Binary with Accept application/fhir+xml answers 406: the resource is asked for, in a format Socle lacks', async () => {
    const { body } = await upload(server(), Buffer.from('<x/>'), 'application/xml');
    assertOutcome(await server().get(`Binary/${body.id}`, { accept: 'application/fhir+xml' }), 406);
  });

  test('Binary history and search are Bundles: Accept text/plain answers 406 there, as on any other type', async () => {
    for (const path of ['Binary/_history', 'Binary?_count=1']) assertOutcome(await server().get(path, { accept: 'text/plain' }), 406);
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

  test('PUT of the Binary resource without data replaces the bytes with none: a new version, not "nothing changed"', async () => {
    const bytes = pdfBytes(2048);
    const { body } = await upload(server(), bytes, 'application/pdf');
    const result = await server().put(`Binary/${body.id}`, { resourceType: 'Binary', id: body.id, contentType: 'application/pdf' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    assert.equal((await download(server(), `Binary/${body.id}`)).bytes.length, 0, 'the payload is gone, as the PUT said');
    assert.ok((await download(server(), `Binary/${body.id}/_history/1`)).bytes.equals(bytes), 'version 1 keeps its bytes');
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

  test('raw JSON bytes over SOCLE_MAX_BODY answer 413 like any raw upload, and the server keeps serving', async () => {
    const json = Buffer.from(JSON.stringify({ hello: 'x'.repeat(limit) }));
    assertOutcome(await upload(server(), json, 'application/json'), 413, 'too-long');
    assert.equal((await upload(server(), Buffer.from('{"hello":"world"}'), 'application/json')).status, 201);
  });

  test('payloads that do not fit together in SOCLE_MAX_BODY: the Bundle inlines what fits and marks the others SUBSETTED', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { body, status } = await upload(server(), pdfBytes(40 * 1024), 'application/pdf');
      assert.equal(status, 201);
      ids.push(body.id);
    }
    for (const path of [`Binary?_id=${ids.join(',')}`, `Binary/_history?_count=2`]) {
      const result = await server().get(path);
      assert.equal(result.status, 200, result.text);
      const resources = result.body.entry.map((e: Json) => e.resource);
      assert.equal(resources.length, 2);
      const inline = resources.filter((r: Json) => typeof r.data === 'string' && Buffer.from(r.data, 'base64').length === 40 * 1024);
      const subsetted = resources.filter((r: Json) => r.data === undefined && (r.meta.tag ?? []).some((t: Json) => t.code === 'SUBSETTED' && t.system === 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue'));
      assert.equal(inline.length, 1, `${path}: one payload fits`);
      assert.equal(subsetted.length, 1, `${path}: the other is marked SUBSETTED`);
    }
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
