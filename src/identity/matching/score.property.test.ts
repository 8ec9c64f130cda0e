/**
 * Properties of scoreCandidate over generated French identities (fast-check):
 * symmetry, invariance to how a name is typed, and that an error never makes
 * two records of the same person look more alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FIRST_NAMES } from './first-names.js';
import { scoreCandidate } from './score.js';
import { damerauLevenshtein } from './string-distance.js';
import { applyError, randomPerson, seededRandom, toPatient, type ErrorKind, type Person } from './synthetic-identities.js';
import { matchTraitsOf, type MatchTraits } from './traits.js';

const person = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => randomPerson(seededRandom(seed)));
const traits = fc.tuple(person, fc.integer()).map(([p, seed]) => matchTraitsOf(toPatient(seededRandom(seed), p, 'x')));

const ERROR_TRAIT: Readonly<Record<ErrorKind, string>> = {
  'family-typo': 'family', 'used-as-birth-name': 'family', 'married-name-form': 'family', 'compound-shortened': 'family', 'particle-dropped': 'family',
  'given-typo': 'given', 'second-given-missing': 'given', 'used-first-name': 'given',
  'day-month-swap': 'birthDate', 'date-digit': 'birthDate', 'birth-place-missing': 'birthPlace',
};
const errorKind = fc.constantFrom(...(Object.keys(ERROR_TRAIT) as ErrorKind[]));

const stripAccents = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

/** The same traits as another system may type them: capitals, no accents, hyphens and apostrophes as spaces. */
function retyped(t: MatchTraits, how: { upper: boolean; plain: boolean; spaced: boolean }): MatchTraits {
  const style = (s: string): string => {
    let out = how.plain ? stripAccents(s) : s;
    if (how.spaced) out = out.replace(/[-']/g, ' ');
    return how.upper ? out.toUpperCase() : out;
  };
  return {
    ...t,
    ...(t.birthFamily !== undefined ? { birthFamily: style(t.birthFamily) } : {}),
    ...(t.usedFamily !== undefined ? { usedFamily: style(t.usedFamily) } : {}),
    given: t.given.map(style),
  };
}

const score = (a: MatchTraits, b: MatchTraits): number => scoreCandidate(a, b).score;
const asTraits = (p: Person, seed: number): MatchTraits => matchTraitsOf(toPatient(seededRandom(seed), p, 'x'));

test('the score is symmetric and within [0, 1]', () => {
  fc.assert(fc.property(traits, traits, (a, b) => {
    const s = score(a, b);
    assert.ok(s >= 0 && s <= 1);
    assert.equal(s, score(b, a));
  }), { numRuns: 500 });
});

test('the score ignores case, accents, hyphens and apostrophes', () => {
  const how = fc.record({ upper: fc.boolean(), plain: fc.boolean(), spaced: fc.boolean() });
  fc.assert(fc.property(traits, traits, how, (a, b, h) => {
    assert.equal(score(a, retyped(b, h)), score(a, b));
  }), { numRuns: 500 });
});

test('a record scores highest against itself', () => {
  fc.assert(fc.property(traits, traits, (a, b) => {
    assert.ok(score(a, a) >= score(a, b));
  }), { numRuns: 300 });
});

test('an error never raises the score, and a second error on another trait never raises it either', () => {
  fc.assert(fc.property(person, errorKind, errorKind, fc.integer(), fc.integer(), (p, first, second, seed, styleSeed) => {
    const random = seededRandom(seed);
    const once = applyError(random, p, first);
    fc.pre(once !== undefined);
    const original = asTraits(p, styleSeed);
    const withOne = score(original, asTraits(once as Person, styleSeed + 1));
    assert.ok(withOne <= score(original, original));
    fc.pre(ERROR_TRAIT[first] !== ERROR_TRAIT[second]);
    const twice = applyError(random, once as Person, second);
    fc.pre(twice !== undefined);
    assert.ok(score(original, asTraits(twice as Person, styleSeed + 1)) <= withOne);
  }), { numRuns: 1000 });
});

/** Pairs of listed first names one or two edits apart (Léa/Léna): what twins are given. */
const closeNames = FIRST_NAMES.flatMap((a) => FIRST_NAMES.filter((b) => a < b && damerauLevenshtein(a, b) <= 2 && Math.max(a.length, b.length) >= 4).map((b) => [a, b] as const));

test('two close first names that are both names never make a certain pair, whatever the other traits', () => {
  assert.ok(closeNames.length > 50, `pairs to draw from (${closeNames.length})`);
  fc.assert(fc.property(traits, fc.constantFrom(...closeNames), fc.boolean(), (t, [a, b], upper) => {
    const style = (name: string): string => (upper ? name.toUpperCase() : name);
    assert.notEqual(scoreCandidate({ ...t, given: [style(a)] }, { ...t, given: [b] }).grade, 'certain', `${a}/${b}`);
  }), { numRuns: 500 });
});
