/**
 * The engine's bulk PUT (fhir/rest/interactions/bulk-put.ts), on both
 * backends: each unit is written whole or not at all, a refused unit costs
 * only itself whether it fails before the transaction (validation) or inside
 * it (a write hook), and the results tell created, updated and unchanged
 * apart as an update would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fail } from '../../src/core/errors.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import type { JsonResource } from '../../src/fhir/rest/resource-version.js';
import type { Store } from '../../src/storage/contract.js';
import { backendNames } from '../support/backends.js';
import { ENGINE_BASE as BASE, engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

const organization = (id: string, name: string): JsonResource => ({ resourceType: 'Organization', id, name });

for (const backend of backendNames()) {
  describe(`bulk PUT [${backend}]`, () => {
    let opened: EngineOnBackend;
    let store: Store;
    let engine: FhirEngine;

    before(async () => {
      opened = await engineOn(backend);
      ({ store, engine } = opened);
      // A rule a module could enforce inside the transaction: it refuses one name.
      engine.deps.writeHooks.push({
        types: ['Organization'],
        beforeWrite: async (resource) => {
          if (resource.name === 'REFUSED') throw fail('auth.write-outside-reach', { type: 'Organization' });
          return resource;
        },
      });
    });

    after(() => opened.close());

    const current = async (id: string) => store.readCurrent('Organization', id);

    test('writes every unit and tells created, updated and unchanged apart', async () => {
      const first = await engine.putUnits([[organization('bulk-a', 'A'), organization('bulk-b', 'B')], [organization('bulk-c', 'C')]], BASE);
      assert.deepEqual(first, [{ ok: true, results: ['created', 'created'] }, { ok: true, results: ['created'] }]);
      const second = await engine.putUnits([[organization('bulk-a', 'A'), organization('bulk-b', 'B2')], [organization('bulk-c', 'C')]], BASE);
      assert.deepEqual(second, [{ ok: true, results: ['unchanged', 'updated'] }, { ok: true, results: ['unchanged'] }]);
      assert.equal((await current('bulk-a'))?.versionId, 1, 'an unchanged resource gets no new version');
      const b = await current('bulk-b');
      assert.equal(b?.versionId, 2);
      assert.equal(JSON.parse(b?.content ?? '{}').name, 'B2');
    });

    test('an invalid unit is refused alone and leaves nothing of itself', async () => {
      const outcomes = await engine.putUnits([
        [organization('valid-1', 'One')],
        // Its first resource is valid, its second is not: neither may be written.
        [organization('half-1', 'Half'), { resourceType: 'Organization', id: 'half-2', name: 'Half', active: 'yes' }],
        [organization('valid-2', 'Two')],
      ], BASE);
      assert.equal(outcomes[0]?.ok, true);
      assert.equal(outcomes[2]?.ok, true);
      const refused = outcomes[1];
      assert.ok(refused && !refused.ok);
      assert.equal(refused.error.status, 400);
      assert.match(JSON.stringify(refused.error.issues), /active/);
      assert.equal(await current('half-1'), undefined);
      assert.equal(await current('half-2'), undefined);
      assert.ok(await current('valid-1'));
      assert.ok(await current('valid-2'));
    });

    test('a unit refused inside the transaction (a write hook) is refused alone; the others are written', async () => {
      const outcomes = await engine.putUnits([
        [organization('hook-1', 'One')],
        [organization('hook-2', 'Two'), organization('hook-3', 'REFUSED')],
        [organization('hook-4', 'Four')],
      ], BASE);
      assert.deepEqual(outcomes.map((o) => o.ok), [true, false, true]);
      const refused = outcomes[1];
      assert.ok(refused && !refused.ok);
      assert.equal(refused.error.status, 403);
      assert.equal(await current('hook-2'), undefined, 'the refused unit is not half-written');
      assert.equal(await current('hook-3'), undefined);
      assert.ok(await current('hook-1'));
      assert.ok(await current('hook-4'));
    });

    test('an invalid id refuses its unit', async () => {
      const [outcome] = await engine.putUnits([[{ resourceType: 'Organization', id: 'not valid!', name: 'X' }]], BASE);
      assert.ok(outcome && !outcome.ok);
      assert.equal(outcome.error.status, 400);
    });

    test('new resources are searchable at once: indexed in the same transaction', async () => {
      await engine.putUnits([[organization('searchable', 'Centre hospitalier de Douai')]], BASE);
      const body = responseJson(await engine.handle(engineRequest('GET', 'Organization', { query: [['name', 'centre hosp']] })));
      assert.deepEqual((body as { entry?: { resource: { id: string } }[] }).entry?.map((e) => e.resource.id), ['searchable']);
    });
  });
}
