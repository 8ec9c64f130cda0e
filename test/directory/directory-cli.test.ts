/**
 * `socle directory import` as a user runs it (a child process) on both
 * backends: the sample extracts load with a progress bar on stderr, one
 * "line N" per rejected line, counts on stdout and exit code 1 (lines were
 * rejected); a newer extract then updates and deactivates; a file of an
 * unknown layout is reported and skipped, the others loaded, exit 2. What was
 * stored is read back through the engine on the same store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import { createEngine } from '../../src/platform/create-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { runSocle, storeEnv } from '../support/child-process.js';
import { DIPL_AUT_EXERC, FINESS, MSSANTE, PS_V1, PS_V2, SAVOIR_FAIRE } from './samples.js';

async function read(prepared: PreparedBackend, path: string): Promise<{ status: number; body: any }> {
  const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent' });
  const store = await openStore(config);
  try {
    const engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
    const response = await engine.handle({ method: 'GET', path, query: [], headers: {}, baseUrl: 'http://cli.test/fhir', language: 'en' });
    const body = response.body;
    return { status: response.status, body: JSON.parse(body?.kind === 'text' ? body.text : JSON.stringify(body?.kind === 'json' ? body.value : {})) };
  } finally {
    await store.close();
  }
}

for (const backend of backendNames()) {
  describe(`socle directory import [${backend}]`, () => {
    let prepared: PreparedBackend;
    before(async () => {
      prepared = await prepareBackend(backend);
    });
    after(async () => {
      await prepared.cleanup();
    });

    test('loads the four sample extracts, reports rejected lines by number, exits 1', async () => {
      const result = await runSocle(['directory', 'import', PS_V1, FINESS, SAVOIR_FAIRE, MSSANTE], storeEnv(prepared), 120_000);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /PS_LibreAcces_Personne_activite_sample\.txt \(ps-activite\): 11 lines, 4 rejected; resources 20 created, 0 updated, 0 unchanged, 0 deactivated/);
      assert.match(result.stdout, /etalab-cs1100507-stock-sample\.csv \(finess-etalab\): 6 lines, 2 rejected; resources 2 created, 4 updated/);
      assert.match(result.stdout, /PS_LibreAcces_SavoirFaire_sample\.txt \(ps-savoir-faire\): 5 lines, 2 rejected; resources 0 created, 1 updated, 1 unchanged/);
      assert.match(result.stdout, /Extraction_Correspondance_MSSante_sample\.txt \(mssante\): 8 lines, 3 rejected; resources 0 created, 4 updated/);
      assert.match(result.stderr, /ligne 6 : RPPS « 10000555011 » invalide .* \| line 6: RPPS "10000555011" is invalid/);
      assert.match(result.stderr, /line 8: 13 fields instead of 52/);
      assert.match(result.stderr, /line 5: professional 810000555069 is not in the directory/);
      assert.equal((await read(prepared, 'Practitioner/810000555036')).body.active, true);
    });

    test('a newer extract updates what changed and deactivates what vanished', async () => {
      const result = await runSocle(['directory', 'import', PS_V2], storeEnv(prepared), 120_000);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /11 lines, 4 rejected; resources 2 created, 2 updated, 15 unchanged, 3 deactivated/);
      const gone = await read(prepared, 'Practitioner/810000555036');
      assert.equal(gone.body.active, false);
      const practice = await read(prepared, 'Organization/383456789000019');
      assert.equal(practice.body.active, false);
      // The savoir-faire extract's additions survive a re-import of an unchanged professional.
      const enriched = await read(prepared, 'Practitioner/810000555010');
      assert.ok(JSON.stringify(enriched.body.qualification).includes('CAPA08'));
      assert.equal(enriched.body.telecom[0].value, 'claire.martineau@medecin.mssante.fr');
    });

    test('a file of an unknown layout is reported and skipped, the other files are loaded, and the exit code is 2', async () => {
      // As the published zip lists them: the diplomas file first; then a personne-activité extract with one new professional.
      const folder = await mkdtemp(join(tmpdir(), 'directory-cli-skip-'));
      try {
        const [header, line] = (await readFile(PS_V1, 'utf8')).split('\n');
        const extract = join(folder, 'PS_LibreAcces_Personne_activite_new.txt');
        await writeFile(extract, `${header!}\n${line!.replace('|10000555010|810000555010|', '|10000555200|810000555200|')}\n`);
        const unknown = new URL(import.meta.url).pathname;
        const result = await runSocle(['directory', 'import', '--keep-vanished', DIPL_AUT_EXERC, extract, unknown], storeEnv(prepared), 120_000);
        assert.equal(result.code, 2, result.stderr);
        const skipped = result.stderr.split('\n').filter((l) => l.includes('file skipped'));
        assert.equal(skipped.length, 2, result.stderr);
        assert.match(skipped[0]!, /^Fichier .*PS_LibreAcces_Dipl_AutExerc_sample\.txt : format non reconnu \(formats connus : .*PS_LibreAcces_Personne_activite_\*.*\) ; fichier ignoré \| File .*PS_LibreAcces_Dipl_AutExerc_sample\.txt: format not recognised \(known layouts: .*PS_LibreAcces_SavoirFaire_\*.*Extraction_Correspondance_MSSante_\*.*etalab-cs1100507-stock-\*\); file skipped$/);
        assert.match(skipped[1]!, /directory-cli\.test\.ts: format not recognised/);
        assert.match(result.stderr, /2 of 3 file\(s\) skipped/);
        assert.match(result.stdout, /PS_LibreAcces_Personne_activite_new\.txt \(ps-activite\): 1 lines, 0 rejected; resources 2 created, 0 updated, 1 unchanged, 0 deactivated/);
        assert.equal((await read(prepared, 'Practitioner/810000555200')).status, 200);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    test('a skipped file gives exit code 2 even when the loaded files had rejected lines (1)', async () => {
      const result = await runSocle(['directory', 'import', '--keep-vanished', DIPL_AUT_EXERC, PS_V2], storeEnv(prepared), 120_000);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stdout, /PS_LibreAcces_Personne_activite_sample_v2\.txt \(ps-activite\): 11 lines, 4 rejected/);
    });

    test('usage errors exit 2', async () => {
      assert.equal((await runSocle(['directory', 'export'], storeEnv(prepared))).code, 2);
      assert.equal((await runSocle(['directory', 'import', '/nonexistent/file.txt'], storeEnv(prepared))).code, 2);
    });
  });
}
