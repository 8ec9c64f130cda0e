import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeSystemIndex } from './code-system-index.js';
import { subsumption } from './subsumes-operation.js';
import { pathologies } from './test-fixtures.js';

const index = new CodeSystemIndex(pathologies);

test('subsumption: equivalent, subsumes, subsumed-by, not-subsumed; an unknown code is an error', () => {
  assert.equal(subsumption(index, 'HTA', 'HTA'), 'equivalent');
  assert.equal(subsumption(index, 'CV', 'HTA-R'), 'subsumes');
  assert.equal(subsumption(index, 'HTA-G', 'CV'), 'subsumed-by');
  assert.equal(subsumption(index, 'HTA', 'ASTH'), 'not-subsumed');
  assert.throws(() => subsumption(index, 'HTA', 'XYZ'), (e: { status?: number }) => e.status === 404);
});
