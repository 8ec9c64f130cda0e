import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from '../../storage/query.js';
import { MAX_URI_SEGMENTS, uriAbove, uriBelow, uriEquals } from './uri-conditions.js';

/** Whether a stored uri value meets a condition, as storage compares (IN list, prefix). */
function matches(condition: Condition | string, stored: string): boolean {
  assert.ok(typeof condition !== 'string', condition as string);
  if (condition.kind === 'or') return condition.any.some((c) => matches(c, stored));
  assert.equal(condition.kind, 'uri');
  if (condition.kind !== 'uri') return false;
  return (condition.values?.includes(stored) ?? true) && (condition.prefix === undefined || stored.startsWith(condition.prefix));
}

describe('uri conditions (search.html#uri, #versions)', () => {
  const p = 'Resource._profile';

  it('the url of a canonical matches every version; url|version that version', () => {
    assert.ok(matches(uriEquals(p, 'http://x/p'), 'http://x/p|1.0'));
    assert.ok(matches(uriEquals(p, 'http://x/p'), 'http://x/p'));
    assert.ok(!matches(uriEquals(p, 'http://x/p'), 'http://x/pq|1.0'));
    assert.ok(matches(uriEquals(p, 'http://x/p|1.0'), 'http://x/p|1.0'));
    assert.ok(!matches(uriEquals(p, 'http://x/p|1.0'), 'http://x/p|1.0.1'));
  });

  it(':below stops at segment boundaries, and at versions on canonicals only', () => {
    assert.ok(matches(uriBelow(p, 'http://x/fhir', false), 'http://x/fhir/ValueSet/1'));
    assert.ok(!matches(uriBelow(p, 'http://x/fhir', false), 'http://x/fhirx'));
    assert.ok(!matches(uriBelow(p, 'http://x/fhir', false), 'http://x/fhir|1'));
    assert.ok(matches(uriBelow(p, 'http://x/fhir', true), 'http://x/fhir|1'));
    assert.ok(matches(uriBelow(p, 'http://x/p|1', true), 'http://x/p|1.2'));
    assert.ok(!matches(uriBelow(p, 'http://x/p|1', true), 'http://x/p|10'));
    assert.equal(uriBelow(p, 'urn:oid:1.2.3', false), 'not-a-url');
  });

  it(':above takes the value, its paths with and without the final slash, and its authority', () => {
    const above = uriAbove(p, 'http://x.org/a/b', false);
    for (const stored of ['http://x.org', 'http://x.org/', 'http://x.org/a', 'http://x.org/a/', 'http://x.org/a/b']) assert.ok(matches(above, stored), stored);
    for (const stored of ['http://x.org/a/b/', 'http://x.org/a/bc', 'http://x.or', 'http://x.org/a/b/c']) assert.ok(!matches(above, stored), stored);
    assert.ok(matches(uriAbove(p, 'http://x.org/p|2.0', true), 'http://x.org/p'));
    assert.equal(uriAbove(p, 'urn:uuid:1', false), 'not-a-url');
    assert.equal(uriAbove(p, `http://x.org${'/a'.repeat(MAX_URI_SEGMENTS + 1)}`, false), 'too-many-segments');
  });
});
