/**
 * Small builders for the Bundle tests (transaction.test.ts,
 * transaction-rules.test.ts): a Patient marked by an identifier of the test's
 * own system, an Observation body, and the id a response location names.
 */
import assert from 'node:assert/strict';

export const OBSERVATION = { resourceType: 'Observation', status: 'final', code: { text: 'poids' } };

export function patient(system: string, value: string, extra: Record<string, unknown> = {}): { resourceType: string } & Record<string, unknown> {
  return { resourceType: 'Patient', identifier: [{ system, value }], ...extra };
}

/** The id of a response location base/Type/id/_history/vid. */
export function idOf(location: string): string {
  const match = /\/([A-Za-z]+)\/([^/]+)\/_history\/(\d+)$/.exec(location);
  assert.ok(match, `a location Type/id/_history/vid: ${location}`);
  return match[2] as string;
}
