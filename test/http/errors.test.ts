/**
 * Every error path answers an OperationOutcome with the status the FHIR REST
 * API sets (http://hl7.org/fhir/R4/http.html), never a 5xx, and writes nothing;
 * messages are French by default and English on request, with the other
 * language in the translation extension.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, countOf, uniqueSystem } from '../support/outcome.js';

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

function translationOf(issue: { details?: { _text?: unknown } }, lang: string): string | undefined {
  const extensions = (issue.details?._text as { extension?: { url: string; extension: { url: string; valueCode?: string; valueString?: string }[] }[] } | undefined)?.extension ?? [];
  const translation = extensions.find((e) => e.url === TRANSLATION && e.extension.some((p) => p.url === 'lang' && p.valueCode === lang));
  return translation?.extension.find((p) => p.url === 'content')?.valueString;
}

forEachBackend('error paths', (server) => {
  test('malformed JSON is a 400', async () => {
    const system = uniqueSystem('malformed');
    const result = await server().request('POST', 'Patient', { rawBody: `{"resourceType":"Patient","identifier":[{"system":"${system}"`, headers: { 'content-type': 'application/fhir+json' } });
    assertOutcome(result, 400, 'body.invalid-json');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 0);
  });

  test('a body that is not a resource is a 400', async () => {
    for (const raw of ['42', '"Patient"', 'true', '[]', '[{"resourceType":"Patient"}]', '{}', '{"id":"x"}', '{"resourceType":42}']) {
      for (const [method, path] of [['POST', 'Patient'], ['PUT', 'Patient/abc'], ['POST', '']] as const) {
        const result = await server().request(method, path, { rawBody: raw, headers: { 'content-type': 'application/fhir+json' } });
        assertOutcome(result, 400);
      }
    }
  });

  test('an empty body where a resource is expected is a 400', async () => {
    for (const raw of ['', 'null', '   ']) {
      const result = await server().request('POST', 'Patient', { rawBody: raw, headers: { 'content-type': 'application/fhir+json' } });
      assertOutcome(result, 400, 'body.missing');
    }
  });

  test('a resourceType other than the URL type is a 400', async () => {
    assertOutcome(await server().post('Patient', { resourceType: 'Observation', status: 'final', code: { text: 'x' } }), 400, 'type.mismatch');
    assertOutcome(await server().put('Patient/abc', { resourceType: 'Practitioner', id: 'abc' }), 400, 'type.mismatch');
  });

  test('an update whose id is missing or differs from the URL is a 400', async () => {
    assertOutcome(await server().put('Patient/abc', { resourceType: 'Patient' }), 400, 'id.missing-in-update');
    assertOutcome(await server().put('Patient/abc', { resourceType: 'Patient', id: 'xyz' }), 400, 'id.mismatch');
  });

  test('an unknown resource type is a 404', async () => {
    assertOutcome(await server().get('Unicorn'), 404, 'type.unknown');
    assertOutcome(await server().get('Unicorn/1'), 404, 'type.unknown');
    assertOutcome(await server().post('Unicorn', { resourceType: 'Unicorn' }), 404, 'type.unknown');
    // Abstract types are not resource types one can store.
    assertOutcome(await server().get('DomainResource/1'), 404, 'type.unknown');
  });

  test('a missing resource is a 404, a deleted one a 410', async () => {
    assertOutcome(await server().get('Patient/never-created-here'), 404, 'resource.not-found');
    assertOutcome(await server().get('Patient/never-created-here/_history/1'), 404);
    const created = await server().create({ resourceType: 'Patient' });
    assert.equal((await server().delete(`Patient/${created.id}`)).status, 200);
    const gone = await server().get(`Patient/${created.id}`);
    assertOutcome(gone, 410, 'resource.deleted');
    assert.equal(gone.headers.get('etag'), 'W/"2"');
    assertOutcome(await server().get(`Patient/${created.id}/_history/2`), 410);
    assert.equal((await server().get(`Patient/${created.id}/_history/1`)).status, 200);
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { rawBody: '[]', headers: { 'content-type': 'application/json-patch+json' } }), 410);
    // Deleting what never existed is no error (http.html#delete: 'or if the resource does not exist at all').
    assert.equal((await server().delete('Patient/never-created-here')).status, 200);
  });

  test('If-Match with another version is a 412 and changes nothing', async () => {
    const created = await server().create({ resourceType: 'Patient', active: true });
    assertOutcome(await server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id, active: false }, { 'if-match': 'W/"2"' }), 412, 'version.mismatch');
    assertOutcome(await server().delete(`Patient/${created.id}`, { 'if-match': 'W/"3"' }), 412, 'version.mismatch');
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/active', value: false }]),
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"9"' },
    }), 412, 'version.mismatch');
    assertOutcome(await server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id }, { 'if-match': 'not-a-version' }), 400, 'version.if-match-invalid');
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.meta.versionId, '1');
    assert.equal(read.body.active, true);
  });

  test('concurrent updates of one resource answer 200 or 409, never 5xx, and lose no acknowledged version', async () => {
    const created = await server().create({ resourceType: 'Patient', active: true });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) =>
      server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id, active: i % 2 === 0, name: [{ family: `V${i}` }] })));
    for (const result of results) {
      if (result.status !== 200) assertOutcome(result, 409, 'version.concurrent-update');
    }
    const versions = results.filter((r) => r.status === 200).map((r) => Number(r.body.meta.versionId)).sort((a, b) => a - b);
    assert.equal(new Set(versions).size, versions.length, 'each acknowledged update has its own version');
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(Number(read.body.meta.versionId), 1 + versions.length);
    const history = await server().get(`Patient/${created.id}/_history?_count=100`);
    assert.equal(history.body.entry.length, 1 + versions.length);
  });

  test('concurrent If-Match updates: exactly one wins, the others get 412 (or 409)', async () => {
    const created = await server().create({ resourceType: 'Patient', active: true });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id, name: [{ family: `W${i}` }] }, { 'if-match': 'W/"1"' })));
    assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.status).join(','));
    for (const result of results.filter((r) => r.status !== 200)) assertOutcome(result, [409, 412]);
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '2');
  });

  test('a JSON Patch that replaces the whole document, or moves a value into itself (RFC 6902 §4.4), is a 422', async () => {
    const created = await server().create({ resourceType: 'Patient', active: true, name: [{ family: 'F' }] });
    for (const patch of [
      [{ op: 'replace', path: '', value: null }], [{ op: 'remove', path: '' }], [{ op: 'move', path: '', from: '/active' }], [{ op: 'replace', path: '', value: [1] }],
      [{ op: 'move', path: '/name/0/family', from: '/name/0' }],
    ]) {
      const result = await server().request('PATCH', `Patient/${created.id}`, { rawBody: JSON.stringify(patch), headers: { 'content-type': 'application/json-patch+json' } });
      assertOutcome(result, 422, 'patch.invalid');
    }
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('a JSON Patch that goes on after removing the whole document is a 422', async () => {
    const created = await server().create({ resourceType: 'Patient', active: true, name: [{ family: 'F', given: ['A'] }] });
    for (const patch of [[{ op: 'remove', path: '' }, { op: 'add', path: '/active', value: false }], [{ op: 'remove', path: '' }, { op: 'copy', path: '/name/0/family', from: '/name/0/given' }]]) {
      const result = await server().request('PATCH', `Patient/${created.id}`, { rawBody: JSON.stringify(patch), headers: { 'content-type': 'application/json-patch+json' } });
      assertOutcome(result, 422, 'patch.invalid');
    }
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('an unsupported content type is a 415', async () => {
    for (const type of ['application/xml', 'application/fhir+xml', 'text/plain', 'text/html']) {
      const result = await server().request('POST', 'Patient', { rawBody: '<Patient xmlns="http://hl7.org/fhir"/>', headers: { 'content-type': type } });
      assertOutcome(result, 415, 'media.unsupported');
    }
    assertOutcome(await server().request('PUT', 'Patient/abc', { rawBody: 'id=abc', headers: { 'content-type': 'text/plain' } }), 415);
    assertOutcome(await server().request('POST', '', { rawBody: '<Bundle/>', headers: { 'content-type': 'application/xml' } }), 415);
    // A JSON Patch needs its own media type.
    const created = await server().create({ resourceType: 'Patient' });
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { rawBody: '[]', headers: { 'content-type': 'application/fhir+json' } }), 415, 'patch.unsupported-type');
  });

  test('asking only for XML is a 406', async () => {
    const created = await server().create({ resourceType: 'Patient' });
    for (const accept of ['application/fhir+xml', 'application/xml', 'application/xml+fhir, text/xml']) {
      assertOutcome(await server().get(`Patient/${created.id}`, { accept }), 406, 'media.not-acceptable');
    }
    assertOutcome(await server().get(`Patient/${created.id}?_format=xml`), 406, 'media.not-acceptable');
    assertOutcome(await server().get('metadata', { accept: 'application/fhir+xml' }), 406);
    // JSON among the accepted types is fine.
    assert.equal((await server().get(`Patient/${created.id}`, { accept: 'application/fhir+xml;q=0.9, application/fhir+json' })).status, 200);
    assert.equal((await server().get(`Patient/${created.id}`, { accept: 'application/json' })).status, 200);
  });

  test('other formats this server does not serve, and other FHIR versions, are a 406 too', async () => {
    const created = await server().create({ resourceType: 'Patient' });
    for (const format of ['ttl', 'text/turtle', 'application/fhir+turtle', 'html', 'text/html', 'csv']) {
      assertOutcome(await server().get(`Patient/${created.id}?_format=${encodeURIComponent(format)}`), 406, 'media.not-acceptable');
    }
    for (const accept of ['text/plain', 'text/turtle', 'text/html', 'application/fhir+json; fhirVersion=3.0', 'application/fhir+json; fhirVersion=5.0, application/json; fhirVersion=3.0']) {
      assertOutcome(await server().get(`Patient/${created.id}`, { accept }), 406, 'media.not-acceptable');
    }
    for (const format of ['json', 'application/json', 'application/fhir+json', 'application/fhir+json; fhirVersion=4.0']) {
      assert.equal((await server().get(`Patient/${created.id}?_format=${encodeURIComponent(format)}`)).status, 200, format);
    }
    // A type of quality 0 is one the client refuses (RFC 9110 §12.4.2).
    const notFhirJson = await server().get(`Patient/${created.id}`, { accept: 'application/fhir+json;q=0, application/json' });
    assert.equal(notFhirJson.headers.get('content-type')?.split(';')[0], 'application/json');
    assertOutcome(await server().get(`Patient/${created.id}`, { accept: 'application/fhir+json; q=0' }), 406, 'media.not-acceptable');
    // A wildcard does not bring back a type a more specific range refuses (RFC 9110 §12.5.1).
    const wildcard = await server().get(`Patient/${created.id}`, { accept: 'application/fhir+json;q=0, */*' });
    assert.equal(wildcard.status, 200);
    assert.equal(wildcard.headers.get('content-type')?.split(';')[0], 'application/json');
    assertOutcome(await server().get(`Patient/${created.id}`, { accept: 'application/fhir+json;q=0, application/json;q=0, application/*' }), 406, 'media.not-acceptable');
    // _format answers the media type the same value in Accept would get (http.html#mime-type).
    for (const [format, type] of [['json', 'application/fhir+json'], ['application/fhir+json', 'application/fhir+json'], ['application/json', 'application/json'], ['text/json', 'application/json']]) {
      const byFormat = await server().get(`Patient/${created.id}?_format=${encodeURIComponent(format!)}`);
      assert.equal(byFormat.headers.get('content-type')?.split(';')[0], type, `_format=${format}`);
      if (format === 'json') continue;
      const byAccept = await server().get(`Patient/${created.id}`, { accept: format! });
      assert.equal(byAccept.headers.get('content-type')?.split(';')[0], type, `Accept: ${format}`);
    }
    // _pretty is a parameter, not a substring of the URL.
    assert.ok(!(await server().get(`Patient/${created.id}?_pretty=false&note=_pretty=true`)).text.includes('\n'));
    assert.ok((await server().get(`Patient/${created.id}?_pretty=true`)).text.includes('\n'));
    // Unescaped, as test scripts often write it: the "+" arrives as a space.
    assert.equal((await server().get(`Patient/${created.id}?_format=application/fhir+json`)).status, 200);
    // A body in another FHIR version is not taken (http.html#version-parameter), one in 4.0 is.
    const r3 = await server().request('POST', 'Patient', { rawBody: '{"resourceType":"Patient"}', headers: { 'content-type': 'application/fhir+json; fhirVersion=3.0' } });
    assertOutcome(r3, 415, 'media.unsupported');
    const r4 = await server().request('POST', 'Patient', { rawBody: '{"resourceType":"Patient"}', headers: { 'content-type': 'application/fhir+json; fhirVersion=4.0' } });
    assert.equal(r4.status, 201, r4.text);
    for (const accept of ['application/fhir+json; fhirVersion=4.0', 'text/html, application/xhtml+xml, */*;q=0.8', 'image/png']) {
      assert.equal((await server().get(`Patient/${created.id}`, { accept })).status, 200, accept);
    }
  });

  test('a method an address does not serve is a 405 whose Allow header names the methods it serves', async () => {
    const created = await server().create({ resourceType: 'Patient' });
    for (const [method, path, allow] of [
      ['DELETE', 'metadata', 'GET, HEAD'], ['PUT', '', 'GET, HEAD, POST'], ['DELETE', '', 'GET, HEAD, POST'], ['PATCH', '', 'GET, HEAD, POST'],
      ['POST', `Patient/${created.id}`, 'GET, HEAD, PUT, PATCH, DELETE'], ['DELETE', `Patient/${created.id}/_history/1`, 'GET, HEAD'],
      ['PUT', 'Patient/_history', 'GET, HEAD'], ['POST', `Patient/${created.id}/_history`, 'GET, HEAD'], ['PUT', '_history', 'GET, HEAD'],
      ['GET', 'Patient/_search', 'POST'],
    ] as const) {
      const result = await server().request(method, path, method === 'GET' || method === 'DELETE' ? {} : { body: { resourceType: 'Patient', id: created.id } });
      assertOutcome(result, 405, 'method.not-allowed');
      // RFC 9110 §15.5.6: the origin server MUST send Allow with a 405.
      assert.equal(result.headers.get('allow'), allow, `${method} /${path}`);
    }
  });

  test('an unknown route is a 404 OperationOutcome', async () => {
    assertOutcome(await server().get('/nowhere'), 404, 'route.not-found');
    assertOutcome(await server().request('POST', '/nowhere', { body: { a: 1 } }), 404);
    assertOutcome(await server().get('Patient/1/_history/1/more'), 404);
    assertOutcome(await server().get('Patient/1/2/3/4/5'), 404);
  });

  test('a URL with a malformed percent-encoding is a 400 OperationOutcome, not the framework\'s own JSON', async () => {
    assertOutcome(await server().get('Patient/%ZZ'), 400, 'request.malformed');
    assertOutcome(await server().get('Patient/1/_history/%E0%A4%A'), 400, 'request.malformed');
  });

  test('an unknown operation is a 404', async () => {
    assertOutcome(await server().post('Patient/$everything', { resourceType: 'Parameters' }), 404, 'operation.unknown');
    assertOutcome(await server().get('$frobnicate'), 404, 'operation.unknown');
    const created = await server().create({ resourceType: 'Patient' });
    assertOutcome(await server().get(`Patient/${created.id}/$frobnicate`), 404, 'operation.unknown');
  });

  test('an invalid id in the URL is a 400', async () => {
    const tooLong = 'a'.repeat(65);
    for (const id of [tooLong, 'espace%20dedans', 'point_virgule;', 'é']) {
      assertOutcome(await server().get(`Patient/${id}`), 400, 'id.invalid');
      assertOutcome(await server().put(`Patient/${id}`, { resourceType: 'Patient', id: decodeURIComponent(id) }), 400, 'id.invalid');
      assertOutcome(await server().delete(`Patient/${id}`), 400, 'id.invalid');
    }
  });

  test('OperationOutcome speaks French by default, English on request, and carries the other language', async () => {
    const french = assertOutcome(await server().get('Patient/absent-fr'), 404)[0]!;
    assert.equal(french.details?.text, 'Ressource introuvable : Patient/absent-fr.');
    assert.equal(translationOf(french, 'en'), 'Resource not found: Patient/absent-fr.');
    assert.equal(french.diagnostics, 'Resource not found: Patient/absent-fr.');

    const english = assertOutcome(await server().get('Patient/absent-en', { 'accept-language': 'en' }), 404)[0]!;
    assert.equal(english.details?.text, 'Resource not found: Patient/absent-en.');
    assert.equal(translationOf(english, 'fr'), 'Ressource introuvable : Patient/absent-en.');
    assert.equal(translationOf(english, 'en'), undefined, 'the translation extension carries the other language only');

    const preferred = assertOutcome(await server().get('Patient/absent', { 'accept-language': 'de-DE, en-GB;q=0.8, fr;q=0.5' }), 404)[0]!;
    assert.match(preferred.details?.text ?? '', /^Resource not found/);
    // Errors raised before the engine (unknown route, body too large, bad JSON) follow the same rule.
    const route = assertOutcome(await server().get('/nowhere', { 'accept-language': 'en' }), 404)[0]!;
    assert.match(route.details?.text ?? '', /^Nothing at this address/);
    const json = assertOutcome(await server().request('POST', 'Patient', { rawBody: '{', headers: { 'content-type': 'application/fhir+json', 'accept-language': 'en' } }), 400)[0]!;
    assert.match(json.details?.text ?? '', /^The request body is not valid JSON/);
    assert.match(translationOf(json, 'fr') ?? '', /^Le corps de la requête/);
  });

  test('every response carries an x-request-id, echoing the client one', async () => {
    const generated = await server().get('/healthz');
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const responses = [
      await server().get('/healthz', { 'x-request-id': 'client-abc-123' }),
      await server().get('Patient/absent', { 'x-request-id': 'client-abc-123' }),
      await server().get('/nowhere', { 'x-request-id': 'client-abc-123' }),
      await server().request('POST', 'Patient', { rawBody: '{', headers: { 'content-type': 'application/fhir+json', 'x-request-id': 'client-abc-123' } }),
      await server().request('POST', 'Patient', { rawBody: '<x/>', headers: { 'content-type': 'application/xml', 'x-request-id': 'client-abc-123' } }),
      await server().get('metadata', { 'x-request-id': 'client-abc-123' }),
      await server().get('/metrics', { 'x-request-id': 'client-abc-123' }),
    ];
    for (const response of responses) assert.equal(response.headers.get('x-request-id'), 'client-abc-123');
    // An id that could inject into logs is replaced.
    const unsafe = await server().get('/healthz', { 'x-request-id': 'a b<script>' });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    // The client's id it replaced comes back as X-Correlation-Id (http.html#custom); none when the client's was kept.
    assert.equal(unsafe.headers.get('x-correlation-id'), 'a b<script>');
    assert.equal(responses[0]?.headers.get('x-correlation-id'), null);
  });

  test('GET /metrics serves Prometheus text with request counts per interaction', async () => {
    const created = await server().create({ resourceType: 'Patient' });
    await server().get(`Patient/${created.id}`);
    await server().get('Patient?_count=1');
    await server().get('Patient/absent-metrics');
    const metrics = await server().get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = metrics.text;
    assert.match(text, /# TYPE socle_http_requests_total counter/);
    const count = (interaction: string, status: number): number => {
      const line = text.split('\n').find((l) => l.startsWith('socle_http_requests_total{') && l.includes(`interaction="${interaction}"`) && l.includes(`status="${status}"`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    assert.ok(count('create', 201) >= 1, 'create counted');
    assert.ok(count('read', 200) >= 1, 'read counted');
    assert.ok(count('search-type', 200) >= 1, 'search counted');
    assert.ok(count('read', 404) >= 1, 'a failed read is counted as a read, with its status');
    assert.match(text, /socle_http_request_duration_seconds_bucket\{/);
  });

  test('GET /fhir/metadata takes _summary and _elements as a read does: the subset, marked SUBSETTED, with its own ETag', async () => {
    const full = await server().get('metadata');
    const summary = await server().get('metadata?_summary=true');
    assert.equal(summary.status, 200, summary.text);
    assert.equal(summary.body.resourceType, 'CapabilityStatement');
    assert.equal(summary.body.fhirVersion, '4.0.1', 'a summary element');
    assert.equal(summary.body.kind, 'instance', 'a mandatory element');
    // Summary elements are chosen at every level: rest and rest.resource.type are, their interactions and search parameters are not.
    const [rest] = summary.body.rest;
    assert.equal(rest.mode, 'server');
    assert.equal(rest.interaction, undefined);
    const patient = rest.resource.find((r: { type: string }) => r.type === 'Patient');
    assert.ok(patient);
    assert.equal(patient.searchParam, undefined);
    assert.equal(patient.interaction, undefined);
    assert.ok(summary.body.meta.tag.some((t: { code: string }) => t.code === 'SUBSETTED'));
    assert.ok(summary.text.length < full.text.length / 10);
    assert.notEqual(summary.headers.get('etag'), full.headers.get('etag'));
    const elements = await server().get('metadata?_elements=software');
    assert.equal(elements.body.software.name, full.body.software.name);
    assert.equal(elements.body.rest, undefined);
    assert.equal(elements.body.fhirVersion, '4.0.1', 'mandatory elements stay');
    assertOutcome(await server().get('metadata?_summary=count'), 400);
    assert.deepEqual((await server().get('metadata?_summary=false')).body, full.body);
  });

  test('GET /fhir/metadata is a CapabilityStatement listing every R4 resource type with an endpoint', async () => {
    const result = await server().get('metadata');
    assert.equal(result.status, 200);
    assert.match(result.headers.get('etag') ?? '', /^W\/".+"$/, 'an ETag (http.html#capabilities)');
    assert.equal((await server().get('metadata')).headers.get('etag'), result.headers.get('etag'));
    const revalidated = await server().get('metadata', { 'if-none-match': result.headers.get('etag')! });
    assert.equal(revalidated.status, 304, 'the statement a client holds is still current');
    assert.equal(revalidated.text, '');
    assert.equal((await server().get('metadata', { 'if-none-match': 'W/"other"' })).status, 200);
    const statement = result.body;
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    assert.equal(statement.kind, 'instance');
    assert.ok(statement.format.includes('application/fhir+json'));
    const [rest] = statement.rest;
    assert.equal(rest.mode, 'server');
    const types = rest.resource.map((r: { type: string }) => r.type);
    // R4's 146 types but Parameters, which has no RESTful endpoint (parameters.html).
    assert.equal(types.length, 145);
    assert.equal(new Set(types).size, 145);
    assert.ok(!types.includes('Parameters'));
    for (const type of ['Patient', 'Observation', 'Bundle', 'Binary', 'CapabilityStatement', 'MedicinalProductPharmaceutical', 'VerificationResult']) assert.ok(types.includes(type), type);
    const systemInteractions = rest.interaction.map((i: { code: string }) => i.code);
    for (const code of ['transaction', 'batch', 'search-system', 'history-system']) assert.ok(systemInteractions.includes(code), code);

    const patient = rest.resource.find((r: { type: string }) => r.type === 'Patient');
    const interactions = patient.interaction.map((i: { code: string }) => i.code);
    for (const code of ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type']) assert.ok(interactions.includes(code), code);
    const param = (resource: { searchParam: { name: string; type: string; definition: string }[] }, name: string) => resource.searchParam.find((p) => p.name === name);
    assert.equal(param(patient, 'family')?.type, 'string');
    assert.equal(param(patient, 'family')?.definition, 'http://hl7.org/fhir/SearchParameter/individual-family');
    assert.equal(param(patient, 'birthdate')?.type, 'date');
    assert.equal(param(patient, 'identifier')?.type, 'token');
    assert.equal(param(patient, 'general-practitioner')?.type, 'reference');
    const observation = rest.resource.find((r: { type: string }) => r.type === 'Observation');
    assert.equal(param(observation, 'code-value-quantity')?.type, 'composite');
    assert.equal(param(observation, 'value-quantity')?.type, 'quantity');
    assert.equal(param(observation, 'subject')?.type, 'reference');
    assert.ok(observation.searchInclude.includes('Observation:subject'));
    assert.ok(patient.searchRevInclude.includes('Observation:subject'));
    assert.ok(observation.operation.some((o: { name: string }) => o.name === 'validate'));
    // AuditEvent is served from the audit log: read and searched by its own parameters, never written.
    const audit = rest.resource.find((r: { type: string }) => r.type === 'AuditEvent');
    assert.deepEqual(audit.interaction.map((i: { code: string }) => i.code).sort(), ['history-instance', 'history-type', 'read', 'search-type', 'vread']);
    assert.deepEqual(audit.searchParam.map((p: { name: string }) => p.name).sort(), ['_id', '_lastUpdated', 'action', 'agent', 'date', 'entity', 'outcome', 'patient', 'subtype', 'type']);
    assert.equal(audit.conditionalCreate, false);
    assert.equal(audit.conditionalDelete, 'not-supported');
    // The statement must itself be a valid R4 CapabilityStatement.
    const validated = await server().post('CapabilityStatement/$validate', statement);
    const errors = validated.body.issue.filter((i: { severity: string }) => i.severity === 'error');
    assert.deepEqual(errors, []);
  });

  test('Parameters has no RESTful endpoint: every interaction on it is a 405', async () => {
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'x', valueString: 'y' }] };
    assertOutcome(await server().post('Parameters', parameters), 405);
    assertOutcome(await server().get('Parameters'), 405);
    assertOutcome(await server().get('Parameters/p1'), 405);
    assertOutcome(await server().put('Parameters/p1', { ...parameters, id: 'p1' }), 405);
  });
});

/** A Basic whose code is `text`, in ISO-8859-1 bytes when `latin1`; found again by its unique code system. */
function basicBytes(system: string, text: string, encoding: 'latin1' | 'utf8'): Buffer {
  return Buffer.from(JSON.stringify({ resourceType: 'Basic', code: { coding: [{ system, code: 'x' }], text } }), encoding);
}

forEachBackend('request body encoding (http.html#mime-type: UTF-8 SHALL be used)', (server) => {
  test('a JSON body that is not valid UTF-8 is a 400 and nothing is written, never decoded with replacement characters', async () => {
    const system = uniqueSystem('latin1');
    for (const contentType of ['application/fhir+json', 'application/json', 'application/fhir+json; charset=utf-8']) {
      const result = await server().request('POST', 'Basic', { rawBody: basicBytes(system, 'été', 'latin1'), headers: { 'content-type': contentType } });
      assertOutcome(result, 400, 'body.invalid-utf8');
    }
    assert.equal(await countOf(server(), `Basic?code=${encodeURIComponent(`${system}|x`)}`), 0);
  });

  test('a JSON body declared in another charset is a 415 and nothing is written', async () => {
    const system = uniqueSystem('charset');
    for (const charset of ['ISO-8859-1', '"iso-8859-1"', 'windows-1252', 'utf-16']) {
      const result = await server().request('POST', 'Basic', { rawBody: basicBytes(system, 'été', 'latin1'), headers: { 'content-type': `application/fhir+json; charset=${charset}` } });
      assertOutcome(result, 415, 'media.unsupported-charset');
    }
    // Valid UTF-8 bytes declared as Latin-1 are refused as well: the declaration is what the server is asked to read.
    const declared = await server().request('PUT', 'Basic/charset-1', { rawBody: basicBytes(system, 'ete', 'utf8'), headers: { 'content-type': 'application/json; charset=latin1' } });
    assertOutcome(declared, 415, 'media.unsupported-charset');
    assert.equal(await countOf(server(), `Basic?code=${encodeURIComponent(`${system}|x`)}`), 0);
  });

  test('a JSON Patch in another charset is a 415', async () => {
    const created = await server().create({ resourceType: 'Basic', code: { text: 'x' } });
    const result = await server().request('PATCH', `Basic/${created.id}`, {
      rawBody: Buffer.from(JSON.stringify([{ op: 'replace', path: '/code/text', value: 'é' }]), 'latin1'),
      headers: { 'content-type': 'application/json-patch+json; charset=ISO-8859-1' },
    });
    assertOutcome(result, 415, 'media.unsupported-charset');
  });

  test('UTF-8 bodies, with or without charset=utf-8 (any case, quoted or not), keep their accents', async () => {
    for (const contentType of ['application/fhir+json', 'application/fhir+json; charset=utf-8', 'application/fhir+json;charset=UTF-8', 'application/json; charset="utf-8"']) {
      const system = uniqueSystem('utf8');
      const result = await server().request('POST', 'Basic', { rawBody: basicBytes(system, 'été à Besançon', 'utf8'), headers: { 'content-type': contentType } });
      assert.equal(result.status, 201, `${contentType}: ${result.text}`);
      assert.equal(result.body.code.text, 'été à Besançon');
    }
  });

  test('the encoding errors speak English on request', async () => {
    const result = await server().request('POST', 'Basic', { rawBody: basicBytes(uniqueSystem(), 'é', 'latin1'), headers: { 'content-type': 'application/fhir+json', 'accept-language': 'en' } });
    const [issue] = assertOutcome(result, 400, 'body.invalid-utf8');
    assert.equal(issue!.details?.text, 'The request body is not valid UTF-8: JSON is exchanged in UTF-8.');
  });
});

forEachBackend('body size limit', (server) => {
  test('a body over the limit is a 413 and nothing is written', async () => {
    const system = uniqueSystem('too-large');
    const big = { resourceType: 'Patient', identifier: [{ system, value: 'x' }], name: [{ family: 'x'.repeat(70 * 1024) }] };
    const tooLarge = await server().post('Patient', big, { 'x-request-id': 'big-body-1', 'accept-language': 'en' });
    const [issue] = assertOutcome(tooLarge, 413, 'body.too-large');
    assert.equal(tooLarge.headers.get('x-request-id'), 'big-body-1');
    assert.equal(issue!.details?.text, 'The request body exceeds the maximum allowed size (65536 bytes).');
    assertOutcome(await server().post('', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: big, request: { method: 'POST', url: 'Patient' } }] }), 413);
    assertOutcome(await server().request('POST', 'Binary', { rawBody: Buffer.alloc(100 * 1024, 1), headers: { 'content-type': 'application/octet-stream' } }), 413);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 0);
    const small = await server().post('Patient', { ...big, name: [{ family: 'x'.repeat(1024) }] });
    assert.equal(small.status, 201);
  });
}, { maxBody: 64 * 1024 });
