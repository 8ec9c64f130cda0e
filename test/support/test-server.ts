/**
 * A real Socle server listening on a free port, for tests that go through HTTP
 * as any client would, plus a small fetch helper for FHIR requests.
 */
import { describe, before, after } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
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

export class TestServer {
  constructor(
    readonly backend: BackendName,
    readonly running: RunningServer,
    private readonly prepared: PreparedBackend,
  ) {}

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
    if (/json/.test(type) && text !== '') parsed = JSON.parse(text);
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

export async function startTestServer(backend: BackendName, overrides: Partial<Config> = {}): Promise<TestServer> {
  const prepared = await prepareBackend(backend);
  const config = loadConfig({}, { ...prepared.settings, port: 0, host: '127.0.0.1', logLevel: 'silent', demo: 'off', ...overrides });
  const running = await startServer(config, createLogger('silent'));
  return new TestServer(backend, running, prepared);
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
