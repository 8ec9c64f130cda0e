/**
 * The `socle` command as a user runs it (a child process): import of NDJSON
 * and Bundles with exit codes, counts and a reason per rejection, migrate,
 * help, unknown commands; and an import killed midway leaves no half-written
 * resource. What was stored is read back through the engine on the same store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import type { FhirRequest } from '../../src/fhir/rest/types.js';
import { createEngine } from '../../src/platform/create-engine.js';
import { AuditEventSource } from '../../src/audit/audit-event-source.js';
import { routeTypes } from '../../src/storage/type-routing.js';
import { openStore } from '../../src/storage/open-store.js';
import { MIGRATIONS } from '../../src/storage/sql/schema.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { countStoredResources, runSocle, spawnSocle, storeEnv } from '../support/child-process.js';

interface Json {
  [key: string]: any;
}

const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Opens the store the CLI wrote to and answers FHIR requests through the engine. */
async function withEngine<T>(prepared: PreparedBackend, work: (request: (path: string, query?: [string, string][]) => Promise<{ status: number; body: Json; text: string }>) => Promise<T>): Promise<T> {
  const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent' });
  const store = await openStore(config);
  try {
    // AuditEvent read from the audit log, as the platform serves it.
    const engine = createEngine({ config, store: routeTypes(store, [new AuditEventSource(store)]), schema: r4Schema(), clock: systemClock });
    return await work(async (path, query = []) => {
      const request: FhirRequest = { method: 'GET', path, query, headers: {}, baseUrl: 'http://cli.test/fhir', language: 'en' };
      const response = await engine.handle(request);
      const body = response.body;
      const text = body?.kind === 'text' ? body.text : body?.kind === 'json' ? JSON.stringify(body.value) : '{}';
      return { status: response.status, body: JSON.parse(text) as Json, text };
    });
  } finally {
    await store.close();
  }
}

async function totalOf(request: (path: string, query?: [string, string][]) => Promise<{ status: number; body: Json }>, type: string, query: [string, string][]): Promise<number> {
  const result = await request(type, [...query, ['_total', 'accurate'], ['_count', '0']]);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return Number(result.body.total);
}

describe('socle commands without a store', () => {
  test('help prints the usage and exits 0', async () => {
    for (const args of [['help'], ['--help']]) {
      const result = await runSocle(args, {});
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Usage: socle <command>/);
      for (const command of ['serve', 'migrate', 'import', 'help']) assert.match(result.stdout, new RegExp(`\\n  ${command}\\b`));
    }
  });

  test('an unknown command exits 2 with the usage on stderr', async () => {
    const result = await runSocle(['frobnicate'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "frobnicate"/);
    assert.match(result.stderr, /Usage: socle <command>/);
    assert.equal(result.stdout, '');
  });

  test('a configuration error exits 2 and names the variable', async () => {
    const result = await runSocle(['migrate'], { SOCLE_MAX_COUNT: 'lots' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /configuration error: SOCLE_MAX_COUNT/);
  });

  test('import without a file exits 2', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'socle-cli-'));
    try {
      const result = await runSocle(['import'], { SOCLE_DATA_DIR: dataDir });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /a file is required/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('import of a file that does not exist exits 2 with a message, not a stack trace', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'socle-cli-'));
    try {
      const missing = join(dataDir, 'absent.ndjson');
      const result = await runSocle(['import', missing], { SOCLE_DATA_DIR: dataDir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /absent\.ndjson/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

for (const backend of backendNames()) {
  describe(`socle commands on a store [${backend}]`, () => {
    let prepared: PreparedBackend;
    let folder: string;
    before(async () => {
      prepared = await prepareBackend(backend);
      folder = await mkdtemp(join(tmpdir(), 'socle-cli-files-'));
    });
    after(async () => {
      await prepared.cleanup();
      await rm(folder, { recursive: true, force: true });
    });

    test('migrate on a fresh store applies the migrations and reports the schema version; again, reports it up to date', async () => {
      const first = await runSocle(['migrate'], storeEnv(prepared));
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, new RegExp(`Applied migrations [0-9, ]+; schema at version ${LATEST_SCHEMA}\\.`));
      const second = await runSocle(['migrate'], storeEnv(prepared));
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, new RegExp(`Schema up to date \\(version ${LATEST_SCHEMA}\\)\\.`));
    });

    test('import of NDJSON loads the valid lines and rejects the others, each with its line and reason', async () => {
      const system = `urn:socle-test:cli:${randomUUID()}`;
      const fixedId = `cli-${randomUUID().slice(0, 8)}`;
      const lines = [
        JSON.stringify({ resourceType: 'Patient', identifier: [{ system, value: 'l1' }], name: [{ family: 'Ligne', given: ['Un'] }] }),
        JSON.stringify({ resourceType: 'Patient', identifier: [{ system, value: 'l2' }], gender: 'robot' }),
        '{"resourceType":"Patient", "identifier": [',
        '',
        JSON.stringify({ resourceType: 'Patient', id: fixedId, identifier: [{ system, value: 'l5' }] }),
        JSON.stringify({ resourceType: 'Unicorn', identifier: [{ system, value: 'l6' }] }),
        JSON.stringify({ resourceType: 'Observation', identifier: [{ system, value: 'l7' }], status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${fixedId}` } }),
        JSON.stringify({ resourceType: 'Observation', identifier: [{ system, value: 'l8' }] }),
        JSON.stringify([1, 2, 3]),
      ];
      const file = join(folder, 'mixed.ndjson');
      await writeFile(file, `${lines.join('\n')}\n`);
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 1, 'rejections make the exit code 1');
      assert.match(result.stdout, /Loaded 3 resources, rejected 5, in [0-9.]+ s\./);
      const rejected = result.stderr.split('\n').filter((l) => l.startsWith('rejected '));
      assert.equal(rejected.length, 5, result.stderr);
      assert.match(result.stderr, /rejected line 2: .*robot.*\(Patient\.gender\)/);
      assert.match(result.stderr, /rejected line 3: The request body is not valid JSON/);
      assert.match(result.stderr, /rejected line 6: .*Unicorn/);
      assert.match(result.stderr, /rejected line 8: .*Observation\.status/);
      assert.match(result.stderr, /rejected line 9: The request body must be a FHIR resource/);

      await withEngine(prepared, async (request) => {
        assert.equal(await totalOf(request, 'Patient', [['identifier', `${system}|`]]), 2);
        assert.equal(await totalOf(request, 'Observation', [['identifier', `${system}|`]]), 1);
        const kept = await request(`Patient/${fixedId}`);
        assert.equal(kept.status, 200, 'a line with an id keeps its id');
        assert.equal(kept.body.identifier[0].value, 'l5');
        assert.equal(await totalOf(request, 'Observation', [['subject', `Patient/${fixedId}`]]), 1);
        const first = await request('Patient', [['identifier', `${system}|l1`]]);
        assert.equal(first.body.entry[0].resource.name[0].given[0], 'Un');
        // Every imported resource is in the audit trail, written by Socle itself: the patient can read it.
        const traces = await request('AuditEvent', [['entity', `Patient/${fixedId}`]]);
        assert.equal(traces.status, 200, JSON.stringify(traces.body));
        const trace = traces.body.entry?.[0]?.resource;
        assert.ok(trace, 'a trace of the import of the patient');
        assert.equal(trace.action, 'C', 'a create at the id the line gives');
        assert.ok(JSON.stringify(trace.agent).includes('socle'), JSON.stringify(trace.agent));
      });
    });

    test('import keeps the written precision of decimals', async () => {
      const system = `urn:socle-test:cli-decimal:${randomUUID()}`;
      const file = join(folder, 'decimals.ndjson');
      await writeFile(file, `{"resourceType":"Observation","identifier":[{"system":"${system}","value":"d"}],"status":"final","code":{"text":"poids"},"valueQuantity":{"value":72.50,"unit":"kg"}}\n`);
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 0, result.stderr);
      await withEngine(prepared, async (request) => {
        const found = await request('Observation', [['identifier', `${system}|d`]]);
        assert.match(found.text, /"value":72\.50[,}]/);
      });
    });

    test('import of valid NDJSON only exits 0', async () => {
      const system = `urn:socle-test:cli-ok:${randomUUID()}`;
      const file = join(folder, 'valid.ndjson');
      await writeFile(file, Array.from({ length: 40 }, (_, i) => JSON.stringify({ resourceType: 'Patient', identifier: [{ system, value: `v${i}` }] })).join('\n'));
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Loaded 40 resources, rejected 0/);
      await withEngine(prepared, async (request) => assert.equal(await totalOf(request, 'Patient', [['identifier', `${system}|`]]), 40));
    });

    test('import of a transaction Bundle loads it whole, references rewritten', async () => {
      const system = `urn:socle-test:cli-tx:${randomUUID()}`;
      const patientUrl = `urn:uuid:${randomUUID()}`;
      const file = join(folder, 'transaction.json');
      await writeFile(file, JSON.stringify({
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { resource: { resourceType: 'Observation', identifier: [{ system, value: 'o' }], status: 'final', code: { text: 'x' }, subject: { reference: patientUrl } }, request: { method: 'POST', url: 'Observation' } },
          { fullUrl: patientUrl, resource: { resourceType: 'Patient', identifier: [{ system, value: 'p' }] }, request: { method: 'POST', url: 'Patient' } },
        ],
      }));
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Loaded 2 resources, rejected 0/);
      // The progress line, as every import shows it (stderr is not a terminal here: plain lines).
      assert.match(result.stderr, /100% \| 2 loaded, 0 rejected/);
      await withEngine(prepared, async (request) => {
        const patients = await request('Patient', [['identifier', `${system}|p`]]);
        const patientId = patients.body.entry[0].resource.id as string;
        const observations = await request('Observation', [['identifier', `${system}|o`]]);
        assert.equal(observations.body.entry[0].resource.subject.reference, `Patient/${patientId}`);
      });
    });

    test('import of a failing transaction Bundle loads nothing and exits 1', async () => {
      const system = `urn:socle-test:cli-tx-bad:${randomUUID()}`;
      const file = join(folder, 'transaction-bad.json');
      await writeFile(file, JSON.stringify({
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { resource: { resourceType: 'Patient', identifier: [{ system, value: 'ok' }] }, request: { method: 'POST', url: 'Patient' } },
          { resource: { resourceType: 'Patient', identifier: [{ system, value: 'bad' }], birthDate: 'hier' }, request: { method: 'POST', url: 'Patient' } },
        ],
      }));
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 1);
      assert.match(result.stdout, /Loaded 0 resources, rejected 1/);
      assert.match(result.stderr, /rejected .*transaction-bad\.json: .*birthDate/);
      await withEngine(prepared, async (request) => assert.equal(await totalOf(request, 'Patient', [['identifier', `${system}|`]]), 0));
    });

    test('import of a collection Bundle loads its resources one by one, rejecting the invalid ones', async () => {
      const system = `urn:socle-test:cli-coll:${randomUUID()}`;
      const file = join(folder, 'collection.json');
      await writeFile(file, JSON.stringify({
        resourceType: 'Bundle', type: 'collection',
        entry: [
          { fullUrl: 'http://example.org/fhir/Patient/a', resource: { resourceType: 'Patient', identifier: [{ system, value: 'a' }] } },
          { resource: { resourceType: 'Patient', identifier: [{ system, value: 'b' }], gender: 'robot' } },
          { resource: { resourceType: 'Practitioner', identifier: [{ system, value: 'c' }] } },
        ],
      }));
      const result = await runSocle(['import', file], storeEnv(prepared));
      assert.equal(result.code, 1);
      assert.match(result.stdout, /Loaded 2 resources, rejected 1/);
      assert.match(result.stderr, /rejected entry 1: .*Patient\.gender/);
      await withEngine(prepared, async (request) => {
        assert.equal(await totalOf(request, 'Patient', [['identifier', `${system}|`]]), 1);
        assert.equal(await totalOf(request, 'Practitioner', [['identifier', `${system}|`]]), 1);
      });
    });

    test('an import killed midway leaves only whole resources', async () => {
      const system = `urn:socle-test:cli-crash:${randomUUID()}`;
      const family = `Crash${randomUUID().slice(0, 8)}`;
      const LINES = 40_000;
      const file = join(folder, 'large.ndjson');
      const text = Array.from({ length: LINES }, (_, i) => JSON.stringify({
        resourceType: 'Patient', identifier: [{ system, value: `v${i + 1}` }], name: [{ family, given: [`G${i + 1}`] }], birthDate: '1970-01-01',
      })).join('\n');
      await writeFile(file, text);
      const before = await countStoredResources(prepared);
      const child = spawnSocle(['import', file], storeEnv(prepared));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && child.exitCode === null && (await countStoredResources(prepared)) <= before) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', `the import was still running when killed: ${stderr}`);

      await withEngine(prepared, async (request) => {
        const stored = await totalOf(request, 'Patient', [['identifier', `${system}|`]]);
        assert.ok(stored > 0 && stored < LINES, `killed midway: ${stored} of ${LINES} stored`);
        // Every stored resource has all of its index rows: found alike by each parameter.
        assert.equal(await totalOf(request, 'Patient', [['family', family]]), stored);
        assert.equal(await totalOf(request, 'Patient', [['birthdate', '1970-01-01'], ['identifier', `${system}|`]]), stored);
        // And its content whole: a sample read back matches its line.
        const page = await request('Patient', [['identifier', `${system}|`], ['_count', '100']]);
        for (const { resource } of page.body.entry as { resource: Json }[]) {
          const line = (resource.identifier[0].value as string).slice(1);
          assert.equal(resource.name[0].given[0], `G${line}`);
          assert.equal(resource.name[0].family, family);
          assert.equal(resource.meta.versionId, '1');
        }
      });
    });
  });
}
