/**
 * The quality target of issue #3, measured (not timed): on a fixed-seed
 * generated set with injected errors, the "certain" grade reaches precision
 * ≥ 0.99 at recall ≥ 0.95, blocking included (bench/matching.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMatchingBench } from '../../../bench/matching.js';

test('"certain" matches reach precision 0.99 at recall 0.95 on generated duplicates', () => {
  const result = runMatchingBench({ persons: 3000, seed: 424242 });
  const certain = result.bands.find((b) => b.band === 'certain');
  assert.ok(certain, 'the certain band is reported');
  assert.ok(result.duplicates > 1500, `enough duplicates to measure (${result.duplicates})`);
  assert.ok(certain.precision >= 0.99, `precision ${certain.precision}`);
  assert.ok(certain.recall >= 0.95, `recall ${certain.recall}`);
  // Looser grades find more true matches, at a lower precision.
  const possible = result.bands.find((b) => b.band === 'possible');
  assert.ok(possible && possible.recall >= certain.recall);
});
