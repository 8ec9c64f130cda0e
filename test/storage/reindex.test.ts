/**
 * The reindex routine (storage/reindex.ts) on both backends: it rewrites the
 * index rows of every current resource in batches, from the stored JSON,
 * records the index format once done, leaves a resource it cannot index with
 * its rows, and may run while the resources are being written: every
 * resource ends with the rows of its current content.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INDEX_FORMAT } from '../../src/fhir/indexing/index-format.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { reindexIfOutdated, reindexStore, type ReindexProgress } from '../../src/storage/reindex.js';
import type { Store } from '../../src/storage/contract.js';
import { backendNames } from '../support/backends.js';
import { ENGINE_BASE, engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

const PATIENTS = 120;

for (const backend of backendNames()) {
  describe(`reindex of a store [${backend}]`, () => {
    let opened: EngineOnBackend;
    let engine: FhirEngine;
    let store: Store;

    const ids = async (query: [string, string][]): Promise<string[]> => {
      const response = await engine.handle(engineRequest('GET', 'Patient', { query: [...query, ['_count', '1000']] }));
      return (((responseJson(response).entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id)).sort();
    };
    const reindex = (options: Partial<Parameters<typeof reindexStore>[1]> = {}) =>
      reindexStore(store, { format: INDEX_FORMAT, index: (r) => engine.deps.indexer.indexStored(r.content), batchSize: 7, ...options });

    before(async () => {
      opened = await engineOn(backend);
      engine = opened.engine;
      store = opened.store;
      const units = Array.from({ length: PATIENTS }, (_, i) => [{ resourceType: 'Patient', id: `rx-${i}`, name: [{ family: `Carreno Quinones${i}` }] }]);
      assert.ok((await engine.putUnits(units, ENGINE_BASE)).every((o) => o.ok));
      const deleted = await engine.handle(engineRequest('DELETE', 'Patient/rx-0'));
      assert.equal(deleted.status, 200);
    });

    after(() => opened.close());

    test('a store records format 1 until a reindex records its own', async () => {
      assert.equal(await store.indexFormat(), 1);
      await store.transaction((tx) => tx.setIndexFormat(7));
      assert.equal(await store.indexFormat(), 7);
    });

    test('rewrites every current resource in batches, reports progress, then records the format', async () => {
      // The rows of rx-5 lost: a reindex writes them again.
      await store.transaction((tx) => tx.reindexAfter(0, 1_000, (r) => (r.id === 'rx-5' ? { ...engine.deps.indexer.indexStored(r.content), string: [] } : undefined)));
      assert.ok(!(await ids([['family', 'quinones5']])).includes('rx-5'));
      const progress: ReindexProgress[] = [];
      const report = await reindex({ onProgress: (p) => progress.push(p) });
      assert.equal(report.resources, PATIENTS - 1);
      assert.equal(report.failed, 0);
      assert.deepEqual(progress[0], { done: 0, total: PATIENTS - 1, failed: 0 });
      assert.deepEqual(progress.at(-1), { done: PATIENTS - 1, total: PATIENTS - 1, failed: 0 });
      assert.equal(progress.length, 1 + Math.ceil((PATIENTS - 1) / 7));
      assert.equal(await store.indexFormat(), INDEX_FORMAT);
      assert.ok((await ids([['family', 'quinones5']])).includes('rx-5'));
      // 1, 10–19, 100–119.
      assert.equal((await ids([['family', 'carreno quinones1']])).length, 31);
      // The deleted resource has no rows; versions are untouched.
      assert.deepEqual(await ids([['family', 'quinones0']]), []);
      assert.equal((await store.readCurrent('Patient', 'rx-1'))?.versionId, 1);
    });

    test('at start: nothing to do when the format is current; a store written by a newer version is left as it is, with a warning', async () => {
      const warnings: unknown[] = [];
      const log = { info: () => undefined, warn: (fields: Record<string, unknown>) => warnings.push(fields) };
      const options = { format: INDEX_FORMAT, index: () => { throw new Error('not expected'); } };
      await store.transaction((tx) => tx.setIndexFormat(INDEX_FORMAT));
      assert.equal(await reindexIfOutdated(store, options, log), undefined);
      await store.transaction((tx) => tx.setIndexFormat(INDEX_FORMAT + 1));
      assert.equal(await reindexIfOutdated(store, options, log), undefined);
      assert.deepEqual(warnings, [{ recorded: INDEX_FORMAT + 1, supported: INDEX_FORMAT }]);
      assert.equal(await store.indexFormat(), INDEX_FORMAT + 1);
    });

    test('a resource the indexer throws on keeps its rows and is reported; the others are rewritten', async () => {
      await store.transaction((tx) => tx.setIndexFormat(1));
      const failures: string[] = [];
      const report = await reindex({
        index: (r) => {
          if (r.id === 'rx-9') throw new Error('boom');
          return engine.deps.indexer.indexStored(r.content);
        },
        onFailure: ({ resourceType, id, error }) => failures.push(`${resourceType}/${id} ${(error as Error).message}`),
      });
      assert.equal(report.failed, 1);
      assert.deepEqual(failures, ['Patient/rx-9 boom']);
      assert.ok((await ids([['family', 'quinones9']])).includes('rx-9'));
      assert.equal(await store.indexFormat(), INDEX_FORMAT);
    });

    test('a write of a resource the batch has read waits for the batch, and leaves only its own rows', async () => {
      let write: Promise<unknown> | undefined;
      const report = await reindex({
        batchSize: 50,
        index: (r) => {
          // The write starts once this batch has read rx-60; the batch then deletes and inserts rows over several statements.
          if (r.id === 'rx-60' && !write) {
            write = engine.handle(engineRequest('PUT', 'Patient/rx-60', { body: { resourceType: 'Patient', id: 'rx-60', name: [{ family: 'Renamed Sixty' }] } }));
          }
          return engine.deps.indexer.indexStored(r.content);
        },
      });
      assert.equal(report.failed, 0);
      assert.equal(((await write) as { status: number }).status, 200);
      assert.deepEqual(await ids([['family', 'sixty']]), ['rx-60']);
      assert.ok(!(await ids([['family', 'quinones60']])).includes('rx-60'), 'the rows of the content the batch read are gone');
    });

    test('writes during a reindex: each resource ends with the rows of its current content', async () => {
      const writes = Array.from({ length: 40 }, (_, i) => i + 1).map((i) =>
        engine.handle(engineRequest('PUT', `Patient/rx-${i}`, { body: { resourceType: 'Patient', id: `rx-${i}`, name: [{ family: `Le Goff${i}` }] } })));
      const [report, ...responses] = await Promise.all([reindex({ batchSize: 3 }), ...writes]);
      assert.ok(responses.every((r) => r.status === 200), responses.map((r) => r.status).join());
      assert.equal(report.failed, 0);
      for (let i = 1; i <= 40; i++) {
        assert.ok((await ids([['family', `goff${i}`]])).includes(`rx-${i}`), `goff${i}`);
        assert.deepEqual(await ids([['family:exact', `Carreno Quinones${i}`]]), [], `old name of rx-${i}`);
      }
      assert.equal((await ids([['family', 'goff']])).length, 40);
      assert.equal((await ids([['family', 'quinones']])).length, PATIENTS - 42);
    });
  });
}
