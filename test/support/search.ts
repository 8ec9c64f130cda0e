/**
 * Helpers for the search tests (http://hl7.org/fhir/R4/search.html): a
 * per-test scope (a unique meta.tag) so that tests sharing a server never see
 * each other's resources, and readers of searchset Bundles.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FhirResult, TestServer } from './test-server.js';

export const SCOPE_SYSTEM = 'urn:socle:test-scope';

export interface Scope {
  /** Unique per test: put it in values that must not collide ("Dupont" + u is still found by "dup"). */
  readonly u: string;
  /** The meta.tag marking every resource of the test. */
  readonly tag: { readonly system: string; readonly code: string };
  /** "_tag=urn:socle:test-scope|<u>", to restrict a search to the test's resources. */
  readonly q: string;
  /** `resource` with the scope tag added to its meta. */
  mark<T extends { resourceType: string; meta?: Record<string, unknown> }>(resource: T): T;
}

export function newScope(): Scope {
  const u = randomUUID().replace(/-/g, '').slice(0, 12);
  const tag = { system: SCOPE_SYSTEM, code: u };
  return {
    u,
    tag,
    q: `_tag=${encodeURIComponent(`${SCOPE_SYSTEM}|${u}`)}`,
    mark(resource) {
      const meta = resource.meta ?? {};
      const tags = Array.isArray(meta.tag) ? meta.tag : [];
      return { ...resource, meta: { ...meta, tag: [...tags, tag] } };
    },
  };
}

export interface Entry {
  fullUrl?: string;
  resource: any;
  search?: { mode?: string };
}

export function entries(bundle: any): Entry[] {
  return (bundle?.entry ?? []) as Entry[];
}

/** Ids of the entries of a mode ("match" by default), sorted. */
export function ids(bundle: any, mode: 'match' | 'include' | 'outcome' = 'match'): string[] {
  return entries(bundle).filter((e) => e.search?.mode === mode).map((e) => e.resource.id as string).sort();
}

/** "Type/id" of the entries of a mode, sorted: for searches returning several types. */
export function refs(bundle: any, mode: 'match' | 'include' = 'match'): string[] {
  return entries(bundle).filter((e) => e.search?.mode === mode).map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();
}

/** Ids of the matches, in the order returned. */
export function orderedIds(bundle: any): string[] {
  return entries(bundle).filter((e) => e.search?.mode === 'match').map((e) => e.resource.id as string);
}

export function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

export function link(bundle: any, relation: string): string | undefined {
  return (bundle?.link ?? []).find((l: { relation: string }) => l.relation === relation)?.url;
}

/** GET a search, expecting a searchset. */
export async function search(server: TestServer, query: string, headers?: Record<string, string>): Promise<FhirResult> {
  const result = await server.get(query, headers);
  assert.equal(result.status, 200, `${query} → ${result.status} ${result.text.slice(0, 500)}`);
  assert.equal(result.body.resourceType, 'Bundle');
  assert.equal(result.body.type, 'searchset');
  return result;
}

/** The ids a search matches, sorted. */
export async function searchIds(server: TestServer, query: string, headers?: Record<string, string>): Promise<string[]> {
  return ids((await search(server, query, headers)).body);
}

/** Asserts that `query` matches exactly the resources `expected` (in any order). */
export async function expectIds(server: TestServer, query: string, expected: readonly { id: string }[], message?: string): Promise<void> {
  assert.deepEqual(await searchIds(server, query), sorted(expected.map((r) => r.id)), message ?? query);
}

/** Asserts a 4xx/5xx answer with an OperationOutcome, returning it. */
export async function expectOutcome(server: TestServer, query: string, status: number, headers?: Record<string, string>): Promise<any> {
  const result = await server.get(query, headers);
  assert.equal(result.status, status, `${query} → ${result.status} ${result.text.slice(0, 500)}`);
  assert.equal(result.body.resourceType, 'OperationOutcome', result.text.slice(0, 500));
  assert.ok(Array.isArray(result.body.issue) && result.body.issue.length > 0);
  return result.body;
}

/** The message keys (details.coding[0].code) of an OperationOutcome. */
export function messageKeys(outcome: any): string[] {
  return (outcome.issue ?? []).map((i: any) => i.details?.coding?.[0]?.code as string);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
