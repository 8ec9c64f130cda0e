/**
 * `socle reindex` as an operator runs it (a child process): on a store whose
 * index rows follow older indexing rules, it rewrites them all with a
 * progress report, records the index format and exits 0; the searches of the
 * new rules then find what they should.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import { INDEX_FORMAT } from '../../src/fhir/indexing/index-format.js';
import { createEngine } from '../../src/platform/create-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { runSocle, storeEnv } from '../support/child-process.js';
import { ENGINE_BASE, engineRequest, responseJson } from '../support/engine.js';
import { formatOneNorm, writeFormatOneIndex } from '../support/old-index.js';
import { rawSql } from '../support/raw-database.js';

/** Runs `work` on an engine over the prepared store, then closes it. */
async function withEngine<T>(prepared: PreparedBackend, work: (engine: ReturnType<typeof createEngine>) => Promise<T>): Promise<T> {
  const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent', demo: 'off' });
  const store = await openStore(config);
  try {
    return await work(createEngine({ config, store, schema: r4Schema(), clock: systemClock }));
  } finally {
    await store.close();
  }
}

for (const backend of backendNames()) {
  describe(`socle reindex [${backend}]`, () => {
    let prepared: PreparedBackend;

    before(async () => {
      prepared = await prepareBackend(backend);
      await withEngine(prepared, async (engine) => {
        const units = [
          [{ resourceType: 'Patient', id: 'cli-carreno', name: [{ family: 'Carreno Quinones', given: ['Jean-Pierre'] }] }],
          [{ resourceType: 'Patient', id: 'cli-email', telecom: [{ system: 'email', value: 'Jean@Example.org' }] }],
        ];
        assert.ok((await engine.putUnits(units, ENGINE_BASE)).every((o) => o.ok));
      });
      await writeFormatOneIndex(prepared, ['Jean@Example.org']);
    });

    after(() => prepared.cleanup());

    test('help lists the command', async () => {
      const result = await runSocle(['help'], {});
      assert.match(result.stdout, /\n {2}reindex\b/);
    });

    test('rewrites the rows of the older rules, records the format and exits 0', async () => {
      const norms = async () => (await rawSql<{ norm: string }>(prepared, 'SELECT norm FROM idx_string WHERE exact = ? ORDER BY norm', ['Carreno Quinones'])).map((r) => r.norm);
      assert.deepEqual(await norms(), [formatOneNorm('Carreno Quinones')]);
      const result = await runSocle(['reindex'], storeEnv(prepared));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Reindexed 2 resources \\(0 failed\\) in [0-9.]+ s; index format ${INDEX_FORMAT}\\.`));
      assert.deepEqual(await norms(), ['carrenoquinones', 'quinones']);
      const [format] = await rawSql<{ version: number }>(prepared, 'SELECT version FROM index_format');
      assert.equal(Number(format?.version), INDEX_FORMAT);
      await withEngine(prepared, async (engine) => {
        const ids = async (type: string, query: [string, string][]) =>
          ((responseJson(await engine.handle(engineRequest('GET', type, { query }))).entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
        assert.deepEqual(await ids('Patient', [['family', 'quinones']]), ['cli-carreno']);
        assert.deepEqual(await ids('Patient', [['given', 'jean pierre']]), ['cli-carreno']);
        assert.deepEqual(await ids('Patient', [['email', 'jean@example.org']]), ['cli-email']);
      });
    });
  });
}
