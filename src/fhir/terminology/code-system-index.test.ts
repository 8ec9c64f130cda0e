import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeSystemIndex } from './code-system-index.js';
import { pathologies } from './test-fixtures.js';

const index = new CodeSystemIndex(pathologies);

test('the hierarchy joins nested concepts and parent properties', () => {
  assert.deepEqual([...index.descendants('HTA')].sort(), ['HTA-G', 'HTA-M', 'HTA-R']);
  assert.deepEqual([...index.descendants('CV')].sort(), ['HTA', 'HTA-G', 'HTA-M', 'HTA-R', 'ICC', 'ICC-A']);
  assert.deepEqual([...index.ancestors('HTA-R')].sort(), ['CV', 'HTA']);
  assert.deepEqual([...(index.get('HTA')?.children ?? [])].sort(), ['HTA-G', 'HTA-M', 'HTA-R']);
  assert.equal(index.size, 10);
});

test('codes are compared as written unless the code system says it is not case-sensitive', () => {
  assert.equal(index.get('hta'), undefined);
  const folded = new CodeSystemIndex({ ...pathologies, caseSensitive: false });
  assert.equal(folded.get('hta')?.code, 'HTA');
});

test('status retired is inactive, notSelectable abstract', () => {
  assert.equal(index.isInactive(index.get('BPCO')!), true);
  assert.equal(index.isInactive(index.get('ASTH')!), false);
  assert.equal(index.isAbstract(index.get('CV')!), true);
  assert.equal(index.isAbstract(index.get('HTA')!), false);
});

test('a cycle in bad data ends the walk', () => {
  const cyclic = new CodeSystemIndex({
    resourceType: 'CodeSystem', url: 'urn:cyclic', content: 'complete',
    concept: [{ code: 'A', property: [{ code: 'parent', valueCode: 'B' }] }, { code: 'B', property: [{ code: 'parent', valueCode: 'A' }] }],
  });
  assert.deepEqual([...cyclic.descendants('A')], ['B']);
});
