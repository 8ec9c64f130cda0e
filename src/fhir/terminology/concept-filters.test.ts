import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeSystemIndex } from './code-system-index.js';
import { compileFilter, MAX_REGEX_PATHS } from './concept-filters.js';
import { simpleRegex } from './simple-regex.js';
import { pathologies } from './test-fixtures.js';
import type { ValueSetFilter } from './types.js';

const index = new CodeSystemIndex(pathologies);

function selected(filter: ValueSetFilter): string[] {
  const predicate = compileFilter(index, filter, { valueSet: 'test' });
  return [...index.all()].filter(predicate).map((c) => c.code).sort();
}

test('is-a takes the concept and everything below it; descendent-of only what is below', () => {
  assert.deepEqual(selected({ property: 'concept', op: 'is-a', value: 'HTA' }), ['HTA', 'HTA-G', 'HTA-M', 'HTA-R']);
  assert.deepEqual(selected({ property: 'concept', op: 'descendent-of', value: 'HTA' }), ['HTA-G', 'HTA-M', 'HTA-R']);
  assert.deepEqual(selected({ property: 'concept', op: 'is-a', value: 'INCONNU' }), []);
});

test('is-not-a leaves the concept and its descendants out; generalizes takes it and its ancestors', () => {
  assert.deepEqual(selected({ property: 'concept', op: 'is-not-a', value: 'CV' }), ['ASTH', 'BPCO', 'RESP']);
  assert.deepEqual(selected({ property: 'concept', op: 'generalizes', value: 'HTA-R' }), ['CV', 'HTA', 'HTA-R']);
});

test('= on the concept, on parent (direct children), on a property; in and not-in on lists', () => {
  assert.deepEqual(selected({ property: 'concept', op: '=', value: 'ICC' }), ['ICC']);
  assert.deepEqual(selected({ property: 'parent', op: '=', value: 'CV' }), ['HTA', 'ICC']);
  assert.deepEqual(selected({ property: 'status', op: '=', value: 'retired' }), ['BPCO']);
  assert.deepEqual(selected({ property: 'concept', op: 'in', value: 'ASTH, ICC,INCONNU' }), ['ASTH', 'ICC']);
  assert.deepEqual(selected({ property: 'concept', op: 'not-in', value: 'CV,HTA,HTA-G,HTA-M,HTA-R,ICC,ICC-A' }), ['ASTH', 'BPCO', 'RESP']);
});

test('regex matches the whole value; exists tests presence', () => {
  assert.deepEqual(selected({ property: 'code', op: 'regex', value: 'HTA-[GM]' }), ['HTA-G', 'HTA-M']);
  assert.deepEqual(selected({ property: 'code', op: 'regex', value: 'HTA' }), ['HTA']);
  assert.deepEqual(selected({ property: 'display', op: 'regex', value: 'Insuffisance.*' }), ['ICC', 'ICC-A']);
  assert.deepEqual(selected({ property: 'notSelectable', op: 'exists', value: 'true' }), ['CV']);
});

test('what cannot be evaluated is refused with 422, never guessed', () => {
  for (const filter of [
    { property: 'concept', op: 'sounds-like', value: 'x' },
    { property: 'status', op: 'is-a', value: 'retired' },
    { property: 'code', op: 'regex', value: '(a+)+$' },
    { property: 'concept', op: 'exists', value: 'maybe' },
  ]) {
    assert.throws(() => compileFilter(index, filter, { valueSet: 'test' }), (e: { status?: number }) => e.status === 422, JSON.stringify(filter));
  }
});

test('simple patterns run, risky ones are refused', () => {
  for (const pattern of ['[A-Z]{3}-\\d+', 'HTA(-G)?', '(abc)*', 'a|b|c', '(?:HTA|ICC)-.*', '\\p{L}+', '[(|)]*', 'x{2,5}?']) {
    assert.ok(simpleRegex(pattern), pattern);
  }
  for (const pattern of ['(a*)*b', '(x)\\1', 'a'.repeat(201), '(unclosed', '(?=a)a', 'a{2}*']) {
    assert.equal(simpleRegex(pattern), undefined, pattern);
  }
});

test('a group repeated more than once that can match one round in several ways is refused: alternation, repetition or class inside', () => {
  for (const pattern of ['(.|.)*#', '(?:a|b)+', '(a|b){1,30}', '((a|b))*', '(a+)+', '(?:[ab])*', '(x(y*))+', '((a|b)?)*', '((-[GM])?)+']) {
    assert.equal(simpleRegex(pattern), undefined, pattern);
  }
});

test('an optional group is one round at most: it may hold an alternation, a repetition or a class, and its ways add up', () => {
  const optional = simpleRegex('HTA(-[GM])?');
  assert.ok(optional);
  assert.deepEqual(['HTA', 'HTA-G', 'HTA-M', 'HTA-X', 'HTA-GM'].map(optional.test), [true, true, true, false, false]);
  assert.equal(optional.paths(5), 2);
  assert.equal(simpleRegex('(a|b)?c')?.paths(2), 3);
  assert.equal(simpleRegex('(a+){1}')?.paths(4), 4);
  assert.ok(simpleRegex('(?:[ab]+)?x'));
  assert.deepEqual(selected({ property: 'code', op: 'regex', value: 'HTA(-[GM])?' }), ['HTA', 'HTA-G', 'HTA-M']);
});

test('the ways to match grow with the value: a sequence multiplies them, alternatives add them', () => {
  assert.equal(simpleRegex('HTA-[GM]')?.paths(5), 1);
  assert.equal(simpleRegex('.*x.*')?.paths(9), 100);
  assert.equal(simpleRegex('(?:a|b)(?:c|d|e)')?.paths(2), 6);
  assert.equal(simpleRegex('a{2,4}')?.paths(3), 2);
});

test('a regex with too many ways to match a value is refused as too costly, not run', () => {
  const valueSet = { resourceType: 'CodeSystem' as const, url: 'urn:long', content: 'complete', concept: [{ code: 'L', display: 'a'.repeat(400) }] };
  const predicate = compileFilter(new CodeSystemIndex(valueSet), { property: 'display', op: 'regex', value: '.*.*#' }, { valueSet: 'test' });
  assert.ok(401 ** 2 > MAX_REGEX_PATHS);
  assert.throws(() => [...new CodeSystemIndex(valueSet).all()].filter(predicate), (e: { status?: number; issues?: { type?: string }[] }) => e.status === 422 && e.issues?.[0]?.type === 'too-costly');
  // On a short value the same pattern runs.
  assert.deepEqual(selected({ property: 'display', op: 'regex', value: '.*.*aiguë' }), ['ICC-A']);
});
