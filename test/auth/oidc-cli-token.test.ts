/**
 * `socle token` as a real child process beside a running server on both
 * backends: the tokens it prints are accepted by the server's own verifier;
 * bad arguments and unknown accounts give clear errors; a production start
 * refuses a store holding the demo accounts.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/server/observability/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { AuthModule } from '../../src/auth/index.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { runSocle, storeEnv } from '../support/child-process.js';
import { DEMO_OVERRIDES, DOCTOR } from './oidc-support.js';

const BASE_URL = 'http://socle.test/fhir';

for (const backend of backendNames()) {
  describe(`socle token and socle account [${backend}]`, () => {
    let prepared: PreparedBackend;
    let running: RunningServer;
    let auth: AuthModule;
    const env = (): Record<string, string> => ({ ...storeEnv(prepared), SOCLE_BASE_URL: BASE_URL, SOCLE_DEMO: 'on' });

    before(async () => {
      prepared = await prepareBackend(backend);
      running = await startServer(loadConfig({}, { ...prepared.settings, port: 0, host: '127.0.0.1', logLevel: 'silent', baseUrl: BASE_URL, ...DEMO_OVERRIDES }), createLogger('silent'));
      auth = running.platform.modules.find((m) => m.name === 'auth') as AuthModule;
    });
    after(async () => {
      await running.close();
      await prepared.cleanup();
    });

    test('--admin prints an operator token with system scopes that the server accepts', async () => {
      const result = await runSocle(['token', '--admin'], env());
      assert.equal(result.code, 0, result.stderr);
      const principal = await auth.verifyToken(result.stdout.trim());
      assert.equal(principal?.kind, 'operator');
      assert.deepEqual(principal?.scopes, ['system/*.cruds']);
      assert.equal(principal?.issuer, 'http://socle.test/oidc');
    });

    test('--user gives a token for that account, cut to what its kind may hold', async () => {
      const result = await runSocle(['token', '--user', DOCTOR, '--scope', 'user/*.rs system/*.rs', '--ttl', '120'], env());
      assert.equal(result.code, 0, result.stderr);
      const principal = await auth.verifyToken(result.stdout.trim());
      assert.equal(principal?.kind, 'practitioner');
      assert.equal(principal?.fhirUser, `Practitioner/${DOCTOR}`);
      assert.deepEqual(principal?.scopes, ['user/*.rs'], 'no system scope for a professional');
    });

    test('bad arguments and unknown accounts are clear errors', async () => {
      const none = await runSocle(['token'], env());
      assert.equal(none.code, 2);
      assert.match(none.stderr, /--admin or --user/);
      const unknown = await runSocle(['token', '--user', '899999999999'], env());
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No account "899999999999"/);
      const ttl = await runSocle(['token', '--admin', '--ttl', 'forever'], env());
      assert.equal(ttl.code, 2);
    });

    test('socle account creates an account with a one-time shown password and TOTP secret, lists and unlocks', async () => {
      const created = await runSocle(['account', 'create', 'ops-team'], env());
      assert.equal(created.code, 0, created.stderr);
      const password = /^password: (\S+)$/m.exec(created.stdout)?.[1];
      assert.ok(password);
      assert.match(created.stdout, /^totp uri: otpauth:\/\/totp\//m);
      assert.equal((await auth.accounts.checkPassword('ops-team', password)).ok, true);
      const listed = await runSocle(['account', 'list'], env());
      assert.match(listed.stdout, /^ops-team\toperator$/m);
      assert.match(listed.stdout, new RegExp(`^${DOCTOR}\tpractitioner$`, 'm'));
      for (let i = 0; i < 5; i++) await auth.accounts.checkPassword('ops-team', 'wrong-password');
      assert.equal((await auth.accounts.checkPassword('ops-team', password)).ok, false, 'locked');
      assert.equal((await runSocle(['account', 'unlock', 'ops-team'], env())).code, 0);
      assert.equal((await auth.accounts.checkPassword('ops-team', password)).ok, true, 'unlocked');
      const unlinked = await runSocle(['account', 'create', '899999999999'], env());
      assert.equal(unlinked.code, 1);
      assert.match(unlinked.stderr, /No active professional with idNat_PS 899999999999/);
      const notALogin = await runSocle(['account', 'create', 'X'], env());
      assert.equal(notALogin.code, 1);
    });

    test('a production start refuses a store that holds the demo accounts', async () => {
      const production = backend === 'postgres'
        ? { ...env(), SOCLE_DEMO: 'auto' }
        : { ...env(), SOCLE_DEMO: 'auto', NODE_ENV: 'production' };
      const result = await runSocle(['token', '--admin'], production);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /auth\.demo-secret-in-production/);
    });
  });
}
