import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend } from '../support/test-server.js';

forEachBackend('server basics', (server) => {
  test('healthz answers 200 once the server is ready', async () => {
    const result = await server().get('/healthz');
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { status: 'ok' });
  });

  test('a created Patient can be read back with its version', async () => {
    const created = await server().create({ resourceType: 'Patient', name: [{ family: 'Martin' }] });
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), 'W/"1"');
    assert.equal(read.body.name[0].family, 'Martin');
  });
});
