/**
 * X-Security-Context on a raw Binary upload (http://hl7.org/fhir/R4/http.html,
 * Binary resources; binary.html#security): the header carries a reference to
 * the resource whose access rules the Binary follows. A value that is no
 * reference to a resource this server holds is refused with 400, the
 * OperationOutcome naming the header, and nothing is written. On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import { assertOutcome, frenchPatient, type Json } from '../support/fixtures.js';

const PDF = Buffer.from('%PDF-1.7\nnot much of a document\n');

function rawWrite(server: TestServer, method: 'POST' | 'PUT', path: string, securityContext: string): Promise<FhirResult> {
  return server.request(method, path, { rawBody: PDF, headers: { 'content-type': 'application/pdf', 'x-security-context': securityContext } });
}

function assertHeaderRefused(result: FhirResult): void {
  assertOutcome(result, 400, 'value');
  const issue = (result.body.issue as Json[])[0] as Json;
  assert.deepEqual(issue.expression, ['http.X-Security-Context'], result.text);
  assert.match(String(issue.diagnostics), /X-Security-Context/);
  assert.match(String(issue.details.text), /X-Security-Context/);
}

forEachBackend('X-Security-Context header', (server) => {
  const malformed = (): [string, string][] => [
    ['not a reference at all', '::::'],
    ['an absolute URL on another server', 'http://other.example/fhir/Patient/123'],
    ['an unknown resource type', 'Patiente/123'],
    ['a type without an id', 'Patient'],
    ['an id that is no FHIR id', 'Patient/a b'],
    ['a search URL', 'Patient?identifier=x'],
  ];

  for (const method of ['POST', 'PUT'] as const) {
    test(`a raw ${method} with a malformed X-Security-Context answers 400 naming the header, and writes nothing`, async () => {
      for (const [what, value] of malformed()) {
        const id = randomUUID();
        const result = await rawWrite(server(), method, method === 'POST' ? 'Binary' : `Binary/${id}`, value);
        assertHeaderRefused(result);
        if (method === 'PUT') assert.equal((await server().get(`Binary/${id}`, { accept: 'application/fhir+json' })).status, 404, what);
      }
    });
  }

  test('a raw POST leaves no Binary behind when its X-Security-Context is refused', async () => {
    const before = (await server().get('Binary?_summary=count')).body.total;
    assertHeaderRefused(await rawWrite(server(), 'POST', 'Binary', 'https://elsewhere.example/Patient/1'));
    assert.equal((await server().get('Binary?_summary=count')).body.total, before);
  });

  test('a reference on the server\'s own base is accepted and stored relative', async () => {
    const patient = await server().create(frenchPatient());
    const result = await rawWrite(server(), 'POST', 'Binary', `${server().base}/Patient/${patient.id}`);
    assert.equal(result.status, 201, result.text);
    assert.deepEqual(result.body.securityContext, { reference: `Patient/${patient.id}` });
  });

  test('a relative reference, versioned or not, is accepted as written', async () => {
    const patient = await server().create(frenchPatient());
    for (const reference of [`Patient/${patient.id}`, `Patient/${patient.id}/_history/1`]) {
      const result = await rawWrite(server(), 'POST', 'Binary', reference);
      assert.equal(result.status, 201, result.text);
      assert.deepEqual(result.body.securityContext, { reference });
    }
  });
});
