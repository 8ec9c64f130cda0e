import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { InsTraits } from '../fr-core.js';
import { checkTraitConsistency, compareBirthPlace } from './check-trait-consistency.js';
import { parseInsNumber, withInsKey, type InsNumberParts } from './nir.js';

const communes = (createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as { code: string; type: string }[])
  .filter((c) => c.type === 'commune-actuelle');

function parts(body: string): InsNumberParts {
  const parsed = parseInsNumber(withInsKey(body));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.parts;
}
const traits = (t: Partial<InsTraits> = {}): InsTraits => ({ family: 'MARTIN', given: ['JEANNE'], gender: 'female', birthDate: '1985-05-12', birthPlace: '78006', ...t });
const keys = (p: InsNumberParts, t: InsTraits) => checkTraitConsistency(p, t).map((i) => `${i.severity}:${i.message}`);

test('consistent traits give no issue', () => {
  assert.deepEqual(keys(parts('2850578006084'), traits()), []);
});

test('sex digit: 1 male, 2 female; unknown gender only warns', () => {
  assert.deepEqual(keys(parts('1850578006084'), traits()), ['error:ins.sex-mismatch']);
  assert.deepEqual(keys(parts('1850578006084'), traits({ gender: 'male' })), []);
  assert.deepEqual(keys(parts('2850578006084'), traits({ gender: 'unknown' })), ['warning:ins.sex-unknown']);
});

test('birth year and month are compared; a pseudo-month skips the month with no error', () => {
  assert.deepEqual(keys(parts('2860578006084'), traits()), ['error:ins.birth-year-mismatch']);
  assert.deepEqual(keys(parts('2850678006084'), traits()), ['error:ins.birth-month-mismatch']);
  assert.deepEqual(keys(parts('2853378006084'), traits()), []);
  assert.deepEqual(keys(parts('2850578006084'), traits({ birthDate: '1985' })), [], 'a year-only birth date compares the year');
});

test('birth place: the same INSEE code, abroad 99xxx, overseas 97x', () => {
  assert.deepEqual(keys(parts('2850578006084'), traits({ birthPlace: '78007' })), ['error:ins.birthplace-mismatch']);
  assert.deepEqual(keys(parts('2850599350084'), traits({ birthPlace: '99350' })), []);
  assert.deepEqual(keys(parts('2850599350084'), traits({ birthPlace: '99109' })), ['error:ins.birthplace-mismatch']);
  assert.deepEqual(keys(parts('2850597105084'), traits({ birthPlace: '97105' })), []);
  assert.deepEqual(keys(parts('2850578006084'), traits({ birthPlace: undefined })), [], 'an unknown birth place is not compared');
});

test('Corsica: 20 (before 1976), 2A and 2B are the same place', () => {
  assert.equal(compareBirthPlace('20004', '2A004', 1970), 'same');
  assert.equal(compareBirthPlace('2A004', '2A004', 1990), 'same');
  assert.equal(compareBirthPlace('2B033', '20033', 1990), 'same');
  assert.equal(compareBirthPlace('2A004', '2B004', 1990), 'same', 'the commune numbers of 2A and 2B never collide');
  assert.equal(compareBirthPlace('20004', '2A005', 1970), 'different');
  assert.deepEqual(keys(parts('2700520004084'), traits({ birthDate: '1970-05-01', birthPlace: '2A004' })), []);
});

test('renumbered places warn instead of refusing: Seine 1968, Algeria 1962, Mayotte 2011', () => {
  assert.equal(compareBirthPlace('75112', '92012', 1960), 'renumbered');
  assert.equal(compareBirthPlace('75112', '92012', 1975), 'different');
  assert.equal(compareBirthPlace('91352', '99352', 1955), 'renumbered');
  assert.equal(compareBirthPlace('98511', '97611', 2000), 'renumbered');
  assert.deepEqual(keys(parts('1600575112084'), traits({ gender: 'male', birthDate: '1960-05-01', birthPlace: '92012' })), ['warning:ins.birthplace-renumbered']);
});

test('every current commune of the official geographic code agrees with an INS born there', () => {
  fc.assert(fc.property(fc.constantFrom(...communes.map((c) => c.code)), fc.constantFrom('1', '2'), (code, sex) => {
    const p = parts(`${sex}9001${code}123`);
    assert.deepEqual(checkTraitConsistency(p, traits({ gender: sex === '1' ? 'male' : 'female', birthDate: '1990-01-15', birthPlace: code })), []);
  }), { numRuns: 500 });
});
