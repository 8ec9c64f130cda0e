/**
 * A store whose search index was written under older indexing rules (index
 * format 1: punctuation kept, no row per later word of a name, tokens as
 * written) is reindexed by the server at start, before the first request,
 * with progress in the logs and no personal data there; then the searches of
 * search.html#string and #token find what they should. The same store left
 * believing its index up to date shows what the reindex repairs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { INDEX_FORMAT } from '../../src/fhir/indexing/index-format.js';
import { createLogger } from '../../src/server/observability/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { writeFormatOneIndex } from '../support/old-index.js';
import { rawSql } from '../support/raw-database.js';
import { TEST_OPERATOR, TestServer } from '../support/test-server.js';
import { expectIds, newScope, searchIds } from '../support/search.js';

const q = encodeURIComponent;

/** A server on the prepared store, its log lines kept (JSON, one a line). */
async function start(prepared: PreparedBackend, lines: string[]): Promise<{ server: TestServer; running: RunningServer }> {
  const config = loadConfig({}, { ...prepared.settings, port: 0, host: '127.0.0.1', logLevel: 'info', demo: 'off' });
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter((l) => l !== '')); done(); } });
  const running = await startServer(config, createLogger('info', sink));
  return { server: new TestServer(prepared.name, running, prepared, TEST_OPERATOR, config.baseUrl), running };
}

for (const backend of backendNames()) {
  describe(`reindex at start of a store indexed under older rules [${backend}]`, () => {
    let prepared: PreparedBackend;
    const s = newScope();
    const ids: Record<string, { id: string }> = {};

    before(async () => {
      prepared = await prepareBackend(backend);
      const { server, running } = await start(prepared, []);
      try {
        ids.obrien = await server.create(s.mark({
          resourceType: 'Patient', name: [{ family: "O'Brien-Zyx", given: ['Jean-Pierre'] }], telecom: [{ system: 'email', value: 'Jean@Example.org' }],
        }));
        ids.carreno = await server.create(s.mark({ resourceType: 'Patient', name: [{ family: 'Carreno Quinones' }] }));
        ids.valueSet = await server.create(s.mark({ resourceType: 'ValueSet', status: 'active', url: `http://example.org/vs-${s.u}`, version: 'V1.0-Beta' }));
        // Enough resources for several batches of the reindex (500 each), and a deleted one.
        const bundle = { resourceType: 'Bundle', type: 'batch', entry: Array.from({ length: 1_100 }, (_, i) => ({
          resource: s.mark({ resourceType: 'Patient', name: [{ family: `Filler${i}` }] }), request: { method: 'POST', url: 'Patient' },
        })) };
        assert.equal((await server.post('', bundle)).status, 200);
        const gone = await server.create(s.mark({ resourceType: 'Patient', name: [{ family: 'Deleted Person' }] }));
        assert.equal((await server.delete(`Patient/${gone.id}`)).status, 200);
      } finally {
        await running.close();
      }
      await writeFormatOneIndex(prepared, ['Jean@Example.org', 'V1.0-Beta'], INDEX_FORMAT);
    });

    after(() => prepared.cleanup());

    const searches = async (server: TestServer, found: boolean): Promise<void> => {
      const expect = (resource: { id: string } | undefined) => (found && resource ? [resource] : []);
      await expectIds(server, `Patient?family=obrien&${s.q}`, expect(ids.obrien));
      await expectIds(server, `Patient?given=${q('jean pierre')}&${s.q}`, expect(ids.obrien));
      await expectIds(server, `Patient?family=quinones&${s.q}`, expect(ids.carreno));
      await expectIds(server, `Patient?email=jean@example.org&${s.q}`, expect(ids.obrien));
      await expectIds(server, `ValueSet?version=v1.0-beta&${s.q}`, expect(ids.valueSet));
    };

    test('rows of the older rules, the format recorded as current: the new searches miss them', async () => {
      const { server, running } = await start(prepared, []);
      try {
        await searches(server, false);
      } finally {
        await running.close();
      }
    });

    test('the format recorded as older: the server reindexes before serving, then every search finds them', async () => {
      await rawSql(prepared, 'UPDATE index_format SET version = 1');
      const lines: string[] = [];
      const { server, running } = await start(prepared, lines);
      try {
        await searches(server, true);
        // Still found as before, and a deleted resource has no rows.
        // Every batch rewritten, none lost.
        assert.equal((await server.get(`Patient?family=filler&_summary=count&${s.q}`)).body.total, 1_100);
        assert.equal((await searchIds(server, `Patient?family=filler1099&${s.q}`)).length, 1);
        await expectIds(server, `Patient?family=deleted&${s.q}`, []);
      } finally {
        await running.close();
      }
      const [format] = await rawSql<{ version: number }>(prepared, 'SELECT version FROM index_format');
      assert.equal(Number(format?.version), INDEX_FORMAT);
      const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const started = logs.find((l) => l.msg === 'search index format changed: reindexing every resource');
      assert.ok(started, lines.join('\n'));
      assert.equal(started.from, 1);
      assert.equal(started.to, INDEX_FORMAT);
      const done = logs.find((l) => l.msg === 'search index rebuilt');
      assert.ok(done);
      assert.ok(Number(done.resources) >= 1_103, JSON.stringify(done));
      assert.equal(done.failed, 0);
      // Counts only: no name, no e-mail address in the logs.
      for (const word of ['Brien', 'brien', 'Jean', 'jean', 'Quinones', 'Example', 'Filler']) assert.ok(!lines.some((l) => l.includes(word)), word);
      // Before the server said it was ready.
      assert.ok(logs.findIndex((l) => l.msg === 'search index rebuilt') < logs.findIndex((l) => l.msg === 'Socle is ready'));
    });

    test('a later start finds the index up to date and does not reindex again', async () => {
      const lines: string[] = [];
      const { server, running } = await start(prepared, lines);
      try {
        await searches(server, true);
      } finally {
        await running.close();
      }
      assert.ok(!lines.some((l) => l.includes('reindexing')), lines.join('\n'));
    });
  });
}
