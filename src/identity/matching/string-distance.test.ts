import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { damerauLevenshtein, jaroWinkler } from './string-distance.js';

test('Damerau–Levenshtein counts the four typing errors as one each', () => {
  assert.equal(damerauLevenshtein('dupont', 'dupont'), 0);
  assert.equal(damerauLevenshtein('dupont', 'dupond'), 1);
  assert.equal(damerauLevenshtein('dupont', 'dupnot'), 1);
  assert.equal(damerauLevenshtein('dupont', 'duppont'), 1);
  assert.equal(damerauLevenshtein('dupont', 'dupon'), 1);
  assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
  assert.equal(damerauLevenshtein('', 'abc'), 3);
});

test('Jaro–Winkler gives the published values (Winkler 1990)', () => {
  assert.equal(Math.round(jaroWinkler('martha', 'marhta') * 1000) / 1000, 0.961);
  assert.equal(Math.round(jaroWinkler('dixon', 'dicksonx') * 1000) / 1000, 0.813);
  assert.equal(jaroWinkler('abc', 'xyz'), 0);
});

test('both are symmetric and bounded', () => {
  fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
    assert.equal(damerauLevenshtein(a, b), damerauLevenshtein(b, a));
    const jw = jaroWinkler(a, b);
    assert.ok(jw >= 0 && jw <= 1);
    assert.ok(damerauLevenshtein(a, b) <= Math.max(a.length, b.length));
  }));
});
