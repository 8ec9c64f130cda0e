/**
 * SMART's JavaScript client (npm `fhirclient`, its Node entry) for the tests,
 * loaded without its own type declarations: lib/types.d.ts references
 * TypeScript's DOM library, which would then type the whole program, the
 * server's Node code included, against browser globals. The parts the tests
 * use are typed here instead, after the package's API documentation.
 */
import { createRequire } from 'node:module';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

type Json = Record<string, any>;

export interface FetchOptions {
  readonly headers?: Record<string, string>;
  readonly includeResponse?: boolean;
}

export interface RequestOptions extends FetchOptions {
  readonly url: string;
  readonly method?: string;
  readonly body?: string;
}

/** `request`'s second argument (fhirclient.FhirOptions). */
export interface FhirOptions {
  readonly pageLimit?: number;
  readonly flat?: boolean;
  readonly graph?: boolean;
  readonly resolveReferences?: string | readonly string[];
  readonly onPage?: (data: Json | Json[], references?: Json) => unknown;
}

export interface Combined {
  readonly body: Json;
  readonly response: Response;
}

export interface SmartClient {
  readonly state: { tokenResponse?: Json; serverUrl: string };
  readonly environment: { options: Json };
  readonly patient: { readonly id: string | null; read(): Promise<Json>; request(url: string, fhirOptions?: FhirOptions): Promise<any> };
  readonly user: { readonly id: string | null; readonly fhirUser: string | null; readonly resourceType: string | null; read(): Promise<Json> };
  getIdToken(): Json | null;
  getFhirVersion(): Promise<string>;
  getFhirRelease(): Promise<number>;
  request(options: string | RequestOptions, fhirOptions?: FhirOptions): Promise<any>;
  create(resource: object, options: FetchOptions & { includeResponse: true }): Promise<Combined>;
  create(resource: object, options?: FetchOptions): Promise<Json>;
  update(resource: object, options: FetchOptions & { includeResponse: true }): Promise<Combined>;
  update(resource: object, options?: FetchOptions): Promise<Json>;
  delete(url: string, options?: FetchOptions): Promise<Json>;
  patch(url: string, patch: readonly Json[], options?: FetchOptions): Promise<Json>;
  resolveReferences(resource: Json, references: readonly string[]): Promise<void>;
  pages(bundleOrUrl: Json | string): AsyncGenerator<Json>;
  refresh(): Promise<unknown>;
}

/** Where an app keeps its launch state between the launch and the callback (a session in a real server). */
export interface SmartStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  unset(key: string): Promise<boolean>;
}

export interface AuthorizeParams {
  readonly iss: string;
  readonly clientId: string;
  readonly scope: string;
  readonly redirectUri: string;
  readonly noRedirect?: boolean;
}

/** What `smart(request, response, storage)` returns (fhirclient.SMART). */
export interface SmartApi {
  client(state: string | { serverUrl: string; tokenResponse?: Json }): SmartClient;
  authorize(params: AuthorizeParams): Promise<string | void>;
  ready(): Promise<SmartClient>;
}

const smart = createRequire(import.meta.url)('fhirclient') as (request: IncomingMessage, response: ServerResponse, storage?: SmartStorage) => SmartApi;

/** An in-memory SmartStorage. */
export function memoryStorage(): SmartStorage {
  const values = new Map<string, unknown>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
      return value;
    },
    unset: async (key) => values.delete(key),
  };
}

/**
 * fhirclient's SMART API as a Node app's page at `pageUrl` gets it: the Node
 * adapter reads its own URL (a launch's iss, a callback's code and state) from
 * the request it is given.
 */
export function smartAt(pageUrl: string, storage: SmartStorage = memoryStorage()): SmartApi {
  const request = new IncomingMessage(new Socket());
  const url = new URL(pageUrl);
  request.url = `${url.pathname}${url.search}`;
  request.headers = { host: url.host };
  return smart(request, new ServerResponse(request), storage);
}
