/**
 * A module's write hook may reshape the resource it is given (write-hooks.ts):
 * what is stored and indexed is the hook's result, on every write interaction,
 * and a reshaped resource is validated again. Both backends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import type { FhirRequest } from '../../src/fhir/rest/types.js';
import type { Store } from '../../src/storage/contract.js';
import { backendNames } from '../support/backends.js';
import { ENGINE_BASE as BASE, engineOn, engineRequest, responseJson as json, type EngineOnBackend } from '../support/engine.js';

function request(method: FhirRequest['method'], path: string, body?: unknown, query: [string, string][] = []): FhirRequest {
  return engineRequest(method, path, { body, query, ...(method === 'PATCH' ? { contentType: 'application/json-patch+json' } : {}) });
}

for (const backend of backendNames()) {
  describe(`write hooks reshape what is stored and indexed [${backend}]`, () => {
    let opened: EngineOnBackend;
    let store: Store;
    let engine: FhirEngine;

    before(async () => {
      opened = await engineOn(backend);
      ({ store, engine } = opened);
      // Renames every Organization "<name>" to "<name> (checked)", and turns "INVALID" into an invalid resource.
      engine.deps.writeHooks.push({
        types: ['Organization'],
        beforeWrite: async (resource) => (resource.name === 'INVALID'
          ? { ...resource, active: 'not a boolean' }
          : { ...resource, name: `${String(resource.name)} (checked)` }),
      });
    });

    after(() => opened.close());

    const idsByName = async (name: string): Promise<string[]> => {
      const found = json(await engine.handle(request('GET', 'Organization', undefined, [['name:exact', name]])));
      return ((found.entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id).sort();
    };

    test('create, update, patch and bulk PUT store and index the hook\'s result, not the request\'s', async () => {
      const created = await engine.handle(request('POST', 'Organization', { resourceType: 'Organization', name: 'Created' }));
      assert.equal(created.status, 201);
      // Location: <base>/Organization/<id>/_history/1
      const id = String(created.headers.location).slice(`${BASE}/Organization/`.length).split('/')[0] ?? '';
      assert.ok(await store.readCurrent('Organization', id));
      assert.deepEqual(await idsByName('Created (checked)'), [id]);
      assert.deepEqual(await idsByName('Created'), []);

      assert.equal((await engine.handle(request('PUT', 'Organization/hooked-put', { resourceType: 'Organization', id: 'hooked-put', name: 'Put' }))).status, 201);
      assert.deepEqual(await idsByName('Put (checked)'), ['hooked-put']);

      const patched = await engine.handle(request('PATCH', 'Organization/hooked-put', [{ op: 'replace', path: '/name', value: 'Patched' }]));
      assert.equal(patched.status, 200);
      assert.deepEqual(await idsByName('Patched (checked)'), ['hooked-put']);
      assert.deepEqual(await idsByName('Put (checked)'), []);

      const [bulk] = await engine.putUnits([[{ resourceType: 'Organization', id: 'hooked-bulk', name: 'Bulk' }]], BASE);
      assert.equal(bulk?.ok, true);
      assert.deepEqual(await idsByName('Bulk (checked)'), ['hooked-bulk']);
    });

    test('a resource the hook made invalid is refused (400) and nothing is written', async () => {
      const response = await engine.handle(request('PUT', 'Organization/hooked-invalid', { resourceType: 'Organization', id: 'hooked-invalid', name: 'INVALID' }));
      assert.equal(response.status, 400);
      assert.equal(await store.readCurrent('Organization', 'hooked-invalid'), undefined);
    });
  });
}
