/**
 * Robustness: whatever a client sends, the server answers a 2xx or a 4xx with
 * an OperationOutcome, never a 5xx. fast-check drives random JSON values, raw
 * bytes, resource-shaped objects, Bundles and search query strings at a real
 * server on each backend. Runs are bounded; SOCLE_FUZZ_RUNS scales them and
 * SOCLE_FUZZ_SEED replays a failure (fast-check prints the seed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';

const RUNS = Number(process.env.SOCLE_FUZZ_RUNS ?? 60);
const SEED = process.env.SOCLE_FUZZ_SEED === undefined ? 20240611 : Number(process.env.SOCLE_FUZZ_SEED);
const PARAMETERS: fc.Parameters<unknown> = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const TYPES = ['Patient', 'Observation', 'Encounter', 'Bundle', 'Binary', 'Practitioner', 'Organization', 'MedicationRequest', 'Condition', 'DocumentReference', 'Parameters', 'Unicorn', 'patient', ''];

const ELEMENTS = [
  'id', 'meta', 'text', 'contained', 'extension', 'modifierExtension', 'identifier', 'active', 'name', 'gender', 'birthDate', 'status', 'code',
  'subject', 'valueQuantity', 'valueString', 'effectiveDateTime', 'component', 'reference', 'entry', 'type', 'request', 'resource', 'data', 'contentType',
  '_birthDate', '_gender', 'telecom', 'address', 'link', 'deceasedBoolean', 'deceasedDateTime', 'category', 'performer', 'resourceType',
];

const SEARCH_NAMES = [
  'name', 'family', 'given', 'identifier', 'birthdate', 'gender', '_id', '_lastUpdated', 'code', 'subject', 'patient', 'value-quantity',
  'code-value-quantity', 'date', 'status', '_count', '_sort', '_include', '_revinclude', '_summary', '_elements', '_total', '_cursor', '_has',
  'subject:Patient.name', 'subject.name', 'name:exact', 'name:contains', 'identifier:of-type', 'gender:missing', 'code:text', 'code:not', '_text',
  '_content', '_type', '_format', 'general-practitioner', '_tag', '_profile', '_security', 'address-postalcode', 'unknown-param', '', ':', '.',
];

const SEARCH_VALUES = fc.oneof(
  fc.string(),
  fc.constantFrom('gt2020', 'le2020-01-01T00:00:00Z', 'eq5.4|http://unitsofmeasure.org|mg', 'ap1e3', 'sa', 'true', 'Patient/1', 'http://loinc.org|', '|x', 'a$b$c',
    'Patient:subject', '*', '-_lastUpdated', 'Observation:subject:Patient', 'ge', '9999-99-99', '1e400', '-0', 'NaN', '0', '100000000000000000000',
    'loinc|1234$lt5', ',', ',,', '\\,', '\\$', '\\|', '%', 'Patient?name=x', 'count', 'text', 'null', 'ne2020-02-30'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const CONTENT_TYPES = fc.constantFrom(
  'application/fhir+json', 'application/json', 'application/json-patch+json', 'application/xml', 'text/plain', 'application/octet-stream',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/fhir+json; charset=latin1', 'image/png', '', 'json', ';;;',
);

function assertNo5xx(result: FhirResult, what: string): void {
  assert.ok(result.status < 500, `${what} answered ${result.status}: ${result.text.slice(0, 500)}`);
  if (result.status >= 400) assert.equal(result.body?.resourceType, 'OperationOutcome', `${what}: an error is an OperationOutcome: ${result.text.slice(0, 300)}`);
}

/** A resource-like object: a type, some known elements with random values, sometimes a random key. */
function resourceShaped(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    resourceType: fc.constantFrom(...TYPES),
    elements: fc.dictionary(fc.oneof(fc.constantFrom(...ELEMENTS), fc.string({ maxLength: 6 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  }).map(({ resourceType, elements }) => ({ ...elements, resourceType }));
}

async function send(server: TestServer, method: string, path: string, body: string | Buffer, contentType: string): Promise<FhirResult> {
  return server.request(method, path, { rawBody: body, ...(contentType ? { headers: { 'content-type': contentType } } : {}) });
}

forEachBackend('fuzz: the server never answers 5xx', (server) => {
  test('random JSON values posted to random types', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...TYPES), fc.jsonValue({ maxDepth: 4 }), async (type, value) => {
      const result = await send(server(), 'POST', type, JSON.stringify(value), 'application/fhir+json');
      assertNo5xx(result, `POST ${type}`);
    }), PARAMETERS);
  });

  test('random bytes with random content types, to random methods', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('POST', 'PUT', 'PATCH'), fc.constantFrom('Patient', 'Patient/fuzz-1', 'Binary', 'Binary/fuzz-2', '', 'Patient/_search', 'Patient/$validate'),
      fc.uint8Array({ maxLength: 256 }), CONTENT_TYPES,
      async (method, path, bytes, contentType) => {
        const result = await send(server(), method, path, Buffer.from(bytes), contentType);
        assertNo5xx(result, `${method} ${path} (${contentType})`);
      },
    ), PARAMETERS);
  });

  test('random resource-shaped objects, created, updated and validated', async () => {
    await fc.assert(fc.asyncProperty(resourceShaped(), fc.constantFrom('POST', 'PUT', 'VALIDATE'), async (resource, mode) => {
      const type = String(resource.resourceType) || 'Patient';
      const path = mode === 'POST' ? type : mode === 'PUT' ? `${type}/${typeof resource.id === 'string' && resource.id ? encodeURIComponent(resource.id) : 'fuzz-put'}` : `${type}/$validate`;
      const result = await send(server(), mode === 'PUT' ? 'PUT' : 'POST', path, JSON.stringify(resource), 'application/fhir+json');
      assertNo5xx(result, `${mode} ${path}`);
    }), PARAMETERS);
  });

  test('random batch and transaction Bundles', async () => {
    const entry = fc.record({
      fullUrl: fc.option(fc.oneof(fc.constant('urn:uuid:7f1b4d3e-0000-4000-8000-000000000001'), fc.string({ maxLength: 8 })), { nil: undefined }),
      resource: fc.option(resourceShaped(), { nil: undefined }),
      request: fc.option(fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'FOO'),
        url: fc.oneof(fc.constantFrom('Patient', 'Patient/1', 'Patient?name=x', 'Observation?subject=Patient/1', 'metadata', '', 'Unicorn/1', 'Patient/$validate'), fc.string({ maxLength: 12 })),
        ifNoneExist: fc.option(fc.constantFrom('identifier=a|b', 'name=', '_id=1', 'foo=bar'), { nil: undefined }),
        ifMatch: fc.option(fc.constantFrom('W/"1"', 'x', '"2"'), { nil: undefined }),
      }, { requiredKeys: ['method'] }), { nil: undefined }),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(fc.constantFrom('batch', 'transaction', 'collection', 42), fc.array(entry, { maxLength: 5 }), async (type, entries) => {
      const bundle = JSON.parse(JSON.stringify({ resourceType: 'Bundle', type, entry: entries }));
      const result = await send(server(), 'POST', '', JSON.stringify(bundle), 'application/fhir+json');
      assertNo5xx(result, `POST Bundle ${String(type)}`);
    }), PARAMETERS);
  });

  test('random search query strings', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('Patient', 'Observation', '', 'Encounter', 'Patient/_history', 'Patient/fuzz-1/Observation', 'Patient/fuzz-1/*', 'metadata', '_history'),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...SEARCH_NAMES), fc.string({ maxLength: 8 })), SEARCH_VALUES), { maxLength: 4 }),
      async (path, pairs) => {
        const query = pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
        const result = await server().get(`${path}?${query}`);
        assertNo5xx(result, `GET ${path}?${query}`);
      },
    ), PARAMETERS);
  });

  test('random JSON Patch documents on an existing resource', async () => {
    const target = await server().create({ resourceType: 'Patient', name: [{ family: 'Fuzz', given: ['A'] }], active: true });
    const operation = fc.record({
      op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'nop'),
      path: fc.constantFrom('', '/active', '/name/0/family', '/name/-', '/id', '/resourceType', '/meta/versionId', '/gender', '/', '/name/9', '/x~1y', 'active'),
      from: fc.option(fc.constantFrom('/name/0', '/name/0/given', '/active', '/nope', ''), { nil: undefined }),
      value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    }, { requiredKeys: ['op'] });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.array(operation, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })), async (patch) => {
      const result = await send(server(), 'PATCH', `Patient/${target.id}`, JSON.stringify(patch), 'application/json-patch+json');
      assertNo5xx(result, `PATCH ${JSON.stringify(patch)}`);
    }), PARAMETERS);
  });

  test('random request headers on reads and writes', async () => {
    const target = await server().create({ resourceType: 'Patient', active: true });
    const headerValue = fc.oneof(fc.string({ maxLength: 20 }).map((v) => v.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom('*', 'W/"1"', '"1"', 'W/', 'Thu, 01 Jan 1970 00:00:00 GMT', 'return=minimal', 'return=OperationOutcome', 'handling=strict', 'en;q=x', 'fr-CA', 'application/fhir+json;q=0', 'identifier=x|y', '_id='));
    const headerName = fc.constantFrom('if-match', 'if-none-match', 'if-modified-since', 'if-none-exist', 'prefer', 'accept', 'accept-language', 'x-request-id', 'x-security-context');
    await fc.assert(fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 4 }), fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'), async (headers, method) => {
      const path = method === 'POST' ? 'Patient' : `Patient/${target.id}`;
      const body = method === 'PUT' || method === 'POST' ? JSON.stringify({ resourceType: 'Patient', id: target.id, active: false }) : undefined;
      const result = await server().request(method, path, { ...(body ? { rawBody: body } : {}), headers: { ...headers, ...(body ? { 'content-type': 'application/fhir+json' } : {}) } });
      assertNo5xx(result, `${method} ${path} ${JSON.stringify(headers)}`);
    }), PARAMETERS);
  });

  test('random methods on random addresses', async () => {
    const path = fc.oneof(
      fc.constantFrom('', 'metadata', 'Patient', 'Patient/fuzz-1', 'Patient/fuzz-1/_history', 'Patient/fuzz-1/_history/1', 'Patient/_history', '_history', 'Patient/_search', '_search',
        'Patient/$validate', '$validate', 'Patient/fuzz-1/$validate', 'Patient/fuzz-1/Observation', 'Patient/fuzz-1/*', '/healthz', '/metrics', '/', '/fhir', '/fhir/'),
      fc.array(fc.constantFrom('Patient', 'x', '_history', '$validate', '1', '*', '..', '%2F', '_search', 'metadata'), { maxLength: 5 }).map((parts) => parts.join('/')),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'SEARCH'), path, async (method, address) => {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? { rawBody: '{"resourceType":"Patient","id":"fuzz-1"}', headers: { 'content-type': 'application/fhir+json' } } : {};
      const result = await server().request(method, address, body);
      assert.ok(result.status < 500, `${method} ${address} answered ${result.status}: ${result.text.slice(0, 300)}`);
    }), PARAMETERS);
  });

  test('random raw (unencoded) query strings and paths', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 20 }), async (rawQuery, rawPath) => {
      const path = encodeURI(rawPath).replace(/[?#]/g, '');
      const query = rawQuery.replace(/[#\s]/g, '').replace(/%(?![0-9a-fA-F]{2})/g, '%25');
      let result: FhirResult;
      try {
        result = await server().get(`Patient/${path}?${encodeURI(query)}`);
      } catch {
        return; // fetch refused to send it: nothing reached the server.
      }
      assertNo5xx(result, `GET Patient/${path}?${query}`);
    }), PARAMETERS);
  });
});
