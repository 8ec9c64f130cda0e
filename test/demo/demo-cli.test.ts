/**
 * `socle demo` as a user runs it (a child process) on both backends: sizes
 * and seed from the flags, everything loaded, a summary on stdout and exit 0;
 * bad flags and an unknown region exit 2 before anything is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { countStoredResources, runSocle, storeEnv } from '../support/child-process.js';

for (const backend of backendNames()) {
  describe(`socle demo [${backend}]`, () => {
    let prepared: PreparedBackend;
    before(async () => {
      prepared = await prepareBackend(backend);
    });
    after(async () => {
      await prepared.cleanup();
    });

    test('loads a region of the sizes asked, rejecting nothing', async () => {
      const result = await runSocle(['demo', '--patients', '25', '--professionals', '20', '--organisations', '12', '--seed', '5'], storeEnv(prepared), 180_000);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Demo region 32 \(seed 5\): \d+ resources and \d+ INSi register entries loaded, 0 rejected/);
      const loaded = Number(/: (\d+) resources/.exec(result.stdout)?.[1]);
      // 28 patients (3 featured), 26 professionals and their roles (6 featured), 12 organisations and the featured ones' workplaces.
      assert.ok(loaded >= 28 + 26 * 2 + 12 && loaded <= 28 + 26 * 2 + 12 + 6, `${loaded} resources`);
      assert.ok(await countStoredResources(prepared) >= loaded);
    });

    test('bad flags and an unknown region exit 2 with the reason', async () => {
      for (const args of [['--patients', 'many'], ['--seed'], ['--colour', 'blue'], ['--region', '99']]) {
        const result = await runSocle(['demo', ...args], storeEnv(prepared), 60_000);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, /socle demo: /);
      }
    });
  });
}
