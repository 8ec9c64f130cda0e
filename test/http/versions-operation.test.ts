/**
 * $versions (http://hl7.org/fhir/R4/capabilitystatement-operation-versions.html):
 * the FHIR versions the end-point serves and its default, named in the
 * CapabilityStatement. On both backends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

forEachBackend('$versions', (server) => {
  test('GET and POST [base]/$versions answer R4 (4.0) as the only and default version', async () => {
    for (const result of [await server().get('$versions'), await server().post('$versions', { resourceType: 'Parameters' })]) {
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.resourceType, 'Parameters');
      const values = (name: string) => result.body.parameter.filter((p: Json) => p.name === name).map((p: Json) => p.valueCode);
      assert.deepEqual(values('version'), ['4.0']);
      assert.deepEqual(values('default'), ['4.0']);
    }
  });

  test('GET [base]/$versions needs no token, as the CapabilityStatement (discovery before login)', async () => {
    const result = await server().anonymous.get('$versions');
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Parameters');
    // Anything else below the base still asks for one.
    assert.equal((await server().anonymous.get('Patient')).status, 401);
  });

  test('the CapabilityStatement names $versions among the system operations', async () => {
    const statement = await server().get('metadata');
    const operations = statement.body.rest[0].operation as Json[];
    assert.ok(operations.some((o) => o.name === 'versions' && o.definition === 'http://hl7.org/fhir/OperationDefinition/CapabilityStatement-versions'));
  });
});
