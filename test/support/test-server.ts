/**
 * A real Socle server listening on a free port, for tests that go through HTTP
 * as any client would, plus a small fetch helper for FHIR requests.
 */
import { describe, before, after } from 'node:test';
import { endpointsOf } from '../../src/auth/oidc/issuer.js';
import { mintAccessToken } from '../../src/auth/tokens/access-token.js';
import { SigningKeyStore, type StoredSigningKey } from '../../src/auth/tokens/key-store.js';
import type { Clock } from '../../src/core/clock.js';
import type { PrincipalKind } from '../../src/core/principal.js';
import { loadConfig } from '../../src/config/load-config.js';
import { Collection } from '../../src/storage/collection.js';
import type { Config } from '../../src/config/settings.js';
import { createLogger } from '../../src/server/observability/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { backendNames, prepareBackend, type BackendName, type PreparedBackend } from './backends.js';

export interface FhirResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is (no JSON encoding) when given. */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

/** Who a test's requests come from: the claims of the access token minted for them. */
export interface TestPrincipal {
  readonly kind: PrincipalKind;
  readonly subject?: string;
  readonly scopes: readonly string[];
  readonly patient?: string;
  readonly fhirUser?: string;
  readonly idnat?: string;
  readonly name?: string;
  readonly clientId?: string;
  readonly ttlSeconds?: number;
}

/** The default caller of HTTP tests: an operator with every system scope. */
export const TEST_OPERATOR: TestPrincipal = { kind: 'operator', subject: 'test-operator', scopes: ['system/*.cruds'] };

export class TestServer {
  private token: Promise<string> | undefined;

  constructor(
    readonly backend: BackendName,
    readonly running: RunningServer,
    private readonly prepared: PreparedBackend,
    /** null: no Authorization header at all. */
    readonly principal: TestPrincipal | null = TEST_OPERATOR,
    /** SOCLE_BASE_URL of the server, when set: the tokens' issuer and audience follow it. */
    private readonly publicBase = '',
  ) {}

  /** The same server, requests sent with a token minted for `principal`. */
  as(principal: TestPrincipal): TestServer {
    return new TestServer(this.backend, this.running, this.prepared, principal, this.publicBase);
  }

  /** The same server, requests sent without any token. */
  get anonymous(): TestServer {
    return new TestServer(this.backend, this.running, this.prepared, null, this.publicBase);
  }

  /** Issuer and audience of the server's own tokens (SOCLE_BASE_URL unset: its listening origin). */
  get endpoints(): { issuer: string; audience: string } {
    const { issuer, fhirBase } = endpointsOf({ baseUrl: this.publicBase }, this.url);
    return { issuer, audience: fhirBase };
  }

  /** A real access token, signed with the server's own key store, for `principal`. */
  async tokenFor(principal: TestPrincipal): Promise<string> {
    const { store, clock } = this.running.platform.engine.deps;
    const keys = new SigningKeyStore(new Collection<StoredSigningKey>(store, 'auth.signing-keys', clock), () => clock.now());
    const [signing] = await keys.activeKeys();
    if (!signing) throw new Error('no signing key');
    return mintAccessToken(signing, {
      ...this.endpoints,
      subject: principal.subject ?? `${principal.kind}-${principal.patient ?? principal.fhirUser ?? 'test'}`,
      clientId: principal.clientId ?? 'socle-tests',
      scopes: principal.scopes,
      socle_kind: principal.kind,
      ttlSeconds: principal.ttlSeconds ?? 3600,
      ...(principal.patient ? { patient: principal.patient } : {}),
      ...(principal.fhirUser ? { fhirUser: principal.fhirUser } : {}),
      ...(principal.idnat ? { idnat: principal.idnat } : {}),
      ...(principal.name ? { name: principal.name } : {}),
    });
  }

  /** The Authorization header this view sends, if any. */
  async authorization(): Promise<string | undefined> {
    if (this.principal === null) return undefined;
    this.token ??= this.tokenFor(this.principal);
    return `Bearer ${await this.token}`;
  }

  /** Where the server's store is (for tests that reach the database directly, or run the CLI on it). */
  get backendSettings(): PreparedBackend {
    return this.prepared;
  }

  /** e.g. http://127.0.0.1:41234 */
  get url(): string {
    return this.running.url;
  }

  /** The FHIR base, e.g. http://127.0.0.1:41234/fhir */
  get base(): string {
    return `${this.running.url}/fhir`;
  }

  /** A FHIR request; `path` is relative to the FHIR base ("Patient/1") or absolute ("/healthz"). */
  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<FhirResult<T>> {
    const url = path.startsWith('http') ? path : path.startsWith('/') ? `${this.url}${path}` : `${this.base}/${path}`;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const authorization = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization') ? undefined : await this.authorization();
    if (authorization) headers.authorization = authorization;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/fhir+json';
    }
    const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    // NDJSON (a bulk export's files) is many documents: left as text.
    if (/json/.test(type) && !/ndjson/.test(type) && text !== '') parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, headers?: Record<string, string>): Promise<FhirResult<T>> {
    return this.request<T>('GET', path, headers ? { headers } : {});
  }

  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<FhirResult<T>> {
    return this.request<T>('POST', path, { body, ...(headers ? { headers } : {}) });
  }

  put<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<FhirResult<T>> {
    return this.request<T>('PUT', path, { body, ...(headers ? { headers } : {}) });
  }

  delete<T = any>(path: string, headers?: Record<string, string>): Promise<FhirResult<T>> {
    return this.request<T>('DELETE', path, headers ? { headers } : {});
  }

  /** Creates a resource and returns it as stored (fails the test on any other outcome). */
  async create<T extends { resourceType: string } = any>(resource: T): Promise<T & { id: string; meta: { versionId: string; lastUpdated: string } }> {
    const result = await this.post(resource.resourceType, resource);
    if (result.status !== 201) throw new Error(`create ${resource.resourceType} failed: ${result.status} ${result.text}`);
    return result.body;
  }

  async close(): Promise<void> {
    await this.running.close();
    await this.prepared.cleanup();
  }
}

/** `clock`: the server's clock, when a test must set the time (held-clock.ts). */
export async function startTestServer(backend: BackendName, overrides: Partial<Config> = {}, clock?: Clock): Promise<TestServer> {
  const prepared = await prepareBackend(backend);
  const config = loadConfig({}, { ...prepared.settings, port: 0, host: '127.0.0.1', logLevel: 'silent', demo: 'off', ...overrides });
  const running = await startServer(config, createLogger('silent'), clock);
  return new TestServer(backend, running, prepared, TEST_OPERATOR, config.baseUrl);
}

/**
 * Declares the same tests once per backend (SQLite and PostgreSQL), each with
 * its own fresh server: `forEachBackend('read', (server) => { test(…, async () => server().get(…)) })`.
 */
export function forEachBackend(title: string, body: (server: () => TestServer) => void, overrides: Partial<Config> = {}): void {
  for (const backend of backendNames()) {
    describe(`${title} [${backend}]`, () => {
      let current: TestServer | undefined;
      before(async () => {
        current = await startTestServer(backend, overrides);
      });
      after(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('server not started');
        return current;
      });
    });
  }
}
