/**
 * The `socle` command run as a real child process (`node --import tsx
 * src/cli/socle.ts …`), for tests that kill it, restart it, or read its exit
 * code and output: durability and CLI tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { PreparedBackend } from './backends.js';
import { mintAccessToken } from '../../src/auth/tokens/access-token.js';
import { SigningKeyStore, type StoredSigningKey } from '../../src/auth/tokens/key-store.js';
import { systemClock } from '../../src/core/clock.js';
import { Collection } from '../../src/storage/collection.js';
import { openStore } from '../../src/storage/open-store.js';

/** Authorization headers of the servers started here, by FHIR base: an operator token signed with the server's own keys. */
const authorizations = new Map<string, string>();

export function authorizationFor(base: string): string | undefined {
  return authorizations.get(base);
}

async function operatorToken(prepared: PreparedBackend, origin: string): Promise<string> {
  const store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 2 });
  try {
    const keys = new SigningKeyStore(new Collection<StoredSigningKey>(store, 'auth.signing-keys', systemClock), () => systemClock.now());
    const [signing] = await keys.activeKeys();
    if (!signing) throw new Error('no signing key');
    return await mintAccessToken(signing, {
      issuer: `${origin}/oidc`, audience: `${origin}/fhir`, subject: 'test-operator', clientId: 'socle-tests',
      scopes: ['system/*.cruds'], socle_kind: 'operator', ttlSeconds: 3600,
    });
  } finally {
    await store.close();
  }
}

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'src', 'cli', 'socle.ts');

/** The environment that points a child process at a prepared store. */
export function storeEnv(prepared: PreparedBackend): Record<string, string> {
  return prepared.settings.databaseUrl
    ? { SOCLE_DATABASE_URL: prepared.settings.databaseUrl, SOCLE_DATA_DIR: prepared.settings.dataDir }
    : { SOCLE_DATA_DIR: prepared.settings.dataDir };
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The parent's test settings must not leak into the child's configuration.
  for (const name of Object.keys(env)) if (name.startsWith('SOCLE_') || name === 'PORT' || name === 'HOST') delete env[name];
  delete env.NODE_TEST_CONTEXT;
  return { ...env, SOCLE_LOG_LEVEL: 'warn', SOCLE_DEMO: 'off', ...extra };
}

/** Children still running when the test process ends are killed: a failed test leaves no server behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function spawnSocle(args: readonly string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `socle args…` to its end (or until `timeoutMs`, then SIGKILL). */
export function runSocle(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CommandResult> {
  const child = spawnSocle(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A `socle serve` child process listening on a free port. */
export class ServerProcess {
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess, readonly url: string) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { this.output += chunk; });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.output += chunk; });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get base(): string {
    return `${this.url}/fhir`;
  }

  /** What the process wrote (logs), for failure messages. */
  get logs(): string {
    return this.output;
  }

  static async start(prepared: PreparedBackend, timeoutMs = 30_000): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawnSocle(['serve'], { ...storeEnv(prepared), PORT: String(port), HOST: '127.0.0.1' });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    await server.waitHealthy(timeoutMs);
    authorizations.set(server.base, `Bearer ${await operatorToken(prepared, server.url)}`);
    return server;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => { exited = true; });
    while (Date.now() < deadline && !exited) {
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`socle serve did not become healthy:\n${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed: a crash. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL') throw new Error(`expected the server to die by SIGKILL, got ${String(signal)}:\n${this.output}`);
  }

  /** SIGTERM: the graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const { code } = await this.exited;
    return code;
  }
}

/**
 * Rows of the resources table, read straight from the store while another
 * process writes to it (read-only on SQLite: the writer keeps its lock).
 */
export async function countStoredResources(prepared: PreparedBackend): Promise<number> {
  if (prepared.settings.databaseUrl) {
    const client = new pg.Client({ connectionString: prepared.settings.databaseUrl });
    await client.connect();
    try {
      const result = await client.query('SELECT COUNT(*) AS n FROM resources');
      return Number(result.rows[0]?.n ?? 0);
    } catch {
      return 0; // The schema is not there yet.
    } finally {
      await client.end();
    }
  }
  const file = join(prepared.settings.dataDir, 'socle.sqlite');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const row = db.prepare('SELECT COUNT(*) AS n FROM resources').get() as { n: number } | undefined;
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  } finally {
    db.close();
  }
}
