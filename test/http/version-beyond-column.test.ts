/**
 * A version number larger than the version_id column holds (INTEGER: 2^31 − 1
 * on PostgreSQL) names no version: vread, an operation on a version and a
 * Bundle entry reading one answer 404, as for any absent version. PostgreSQL
 * refused the parameter (integer out of range) and the server answered 500.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';

forEachBackend('vread: a version beyond the column range', (server) => {
  test('vread of version 2147483648 or 9999999999 is a 404 resource.version-not-found', async () => {
    const patient = await server().create({ resourceType: 'Patient', active: true });
    for (const version of ['2147483648', '9999999999', '9007199254740991']) {
      const result = await server().get(`Patient/${patient.id}/_history/${version}`);
      assert.equal(result.status, 404, `${version}: ${result.text.slice(0, 300)}`);
      assert.equal(result.body.issue[0].details.coding[0].code, 'resource.version-not-found');
    }
  });

  test('$meta on version 2147483648 and a batch entry reading it are 404s', async () => {
    const patient = await server().create({ resourceType: 'Patient', active: true });
    const meta = await server().get(`Patient/${patient.id}/_history/2147483648/$meta`);
    assert.equal(meta.status, 404, meta.text.slice(0, 300));
    const batch = await server().post('', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${patient.id}/_history/2147483648` } }] });
    assert.equal(batch.status, 200, batch.text.slice(0, 300));
    assert.match(batch.body.entry[0].response.status, /^404/);
  });
});
