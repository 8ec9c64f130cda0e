/**
 * Assertions on OperationOutcome answers (http://hl7.org/fhir/R4/operationoutcome.html)
 * and small builders shared by the HTTP tests.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FhirResult, TestServer } from './test-server.js';

export interface OutcomeIssue {
  severity: string;
  code: string;
  details?: { coding?: { system?: string; code?: string }[]; text?: string; _text?: unknown };
  diagnostics?: string;
  expression?: string[];
}

/** Asserts an error answer: the status, an OperationOutcome body, and returns its issues. */
export function assertOutcome(result: FhirResult, status: number | readonly number[], message?: string): OutcomeIssue[] {
  const statuses = typeof status === 'number' ? [status] : status;
  assert.ok(statuses.includes(result.status), `expected ${statuses.join(' or ')}, got ${result.status}: ${result.text.slice(0, 600)}`);
  assert.match(result.headers.get('content-type') ?? '', /json/, 'an OperationOutcome is JSON');
  assert.equal(result.body?.resourceType, 'OperationOutcome', `expected an OperationOutcome: ${result.text.slice(0, 300)}`);
  const issues = result.body.issue as OutcomeIssue[];
  assert.ok(Array.isArray(issues) && issues.length > 0, 'an OperationOutcome has at least one issue');
  for (const issue of issues) {
    assert.ok(issue.severity && issue.code, 'each issue has severity and code');
    assert.equal(typeof issue.details?.text, 'string', 'each issue has details.text');
  }
  if (message !== undefined) assert.ok(messageKeys(issues).includes(message), `expected message ${message} in ${messageKeys(issues).join(', ')}`);
  return issues;
}

/** The stable Socle message keys of the issues (details.coding, system urn:socle:message). */
export function messageKeys(issues: readonly OutcomeIssue[]): string[] {
  return issues.flatMap((i) => (i.details?.coding ?? []).map((c) => c.code ?? ''));
}

/** Every FHIRPath expression of the issues. */
export function expressions(issues: readonly OutcomeIssue[]): string[] {
  return issues.flatMap((i) => i.expression ?? []);
}

/** A unique identifier system per call: tests on a shared server never see each other's data. */
export function uniqueSystem(label = 'test'): string {
  return `urn:socle-test:${label}:${randomUUID()}`;
}

export function urn(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Number of resources a search finds (asks for an accurate total). */
export async function countOf(server: TestServer, query: string): Promise<number> {
  const separator = query.includes('?') ? '&' : '?';
  const result = await server.get(`${query}${separator}_total=accurate&_count=50`);
  assert.equal(result.status, 200, `search ${query}: ${result.text.slice(0, 300)}`);
  assert.equal(result.body.resourceType, 'Bundle');
  if (typeof result.body.total === 'number') return result.body.total;
  return (result.body.entry ?? []).filter((e: { search?: { mode?: string } }) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome').length;
}

export function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** POSTs a batch or transaction Bundle to the base. */
export function postBundle(server: TestServer, type: 'batch' | 'transaction', entry: unknown[], headers?: Record<string, string>): Promise<FhirResult> {
  return server.request('POST', '', { body: { resourceType: 'Bundle', type, entry }, ...(headers ? { headers } : {}) });
}
