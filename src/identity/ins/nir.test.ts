/**
 * The INS key (reference §1.2): properties over generated bodies, plus the
 * hand-computed vectors that pin the arithmetic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { insKey, parseInsNumber, withInsKey } from './nir.js';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const month = fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0'));
const department = fc.oneof(
  fc.integer({ min: 1, max: 95 }).filter((d) => d !== 20).map((d) => String(d).padStart(2, '0')),
  fc.constantFrom('2A', '2B', '97', '99'),
);
/** A 13-character NIR body: sex, year, month, department, commune, order. */
const body = fc.tuple(fc.constantFrom('1', '2'), digits(2), month, department, digits(3), digits(3)).map((p) => p.join(''));

test('a body with its computed key always parses, and its key is 97 − (body mod 97) on two digits', () => {
  fc.assert(fc.property(body, (b) => {
    const ins = withInsKey(b);
    const parsed = parseInsNumber(ins);
    assert.ok(parsed.ok, ins);
    const key = Number(ins.slice(13));
    assert.ok(key >= 1 && key <= 97);
    assert.equal(ins.length, 15);
  }));
});

test('any change of a single digit of a valid INS is detected', () => {
  fc.assert(fc.property(body, fc.nat(14), fc.integer({ min: 1, max: 9 }), (b, position, delta) => {
    const ins = withInsKey(b);
    const char = ins[position]!;
    fc.pre(/\d/.test(char));
    const changed = `${ins.slice(0, position)}${(Number(char) + delta) % 10}${ins.slice(position + 1)}`;
    assert.equal(parseInsNumber(changed).ok, false, `${changed} from ${ins}`);
  }));
});

test('Corsica: a 2A body has the key of the same body with 19, 2B with 18', () => {
  fc.assert(fc.property(fc.constantFrom('1', '2'), digits(2), month, digits(6), (sex, year, m, rest) => {
    assert.equal(insKey(`${sex}${year}${m}2A${rest}`), insKey(`${sex}${year}${m}19${rest}`));
    assert.equal(insKey(`${sex}${year}${m}2B${rest}`), insKey(`${sex}${year}${m}18${rest}`));
    assert.equal(insKey(`${sex}${year}${m}2a${rest}`), insKey(`${sex}${year}${m}19${rest}`));
  }));
});

test('hand-computed keys: 1 85 05 78 006 084 → 91 (1850578006084 mod 97 = 6)', () => {
  assert.equal(insKey('1850578006084'), '91');
  assert.equal(parseInsNumber('185057800608491').ok, true);
});

test('FR Core\'s example INS 123456789012244 is fictitious: its key should be 12, so it is refused', () => {
  assert.equal(insKey('1234567890122'), '12');
  assert.deepEqual(parseInsNumber('123456789012244'), { ok: false, problem: 'key' });
});

test('provisional fund numbers (NNP, 7 or 8) are never an INS, whatever their key', () => {
  fc.assert(fc.property(fc.constantFrom('7', '8'), digits(14), (first, rest) => {
    const parsed = parseInsNumber(`${first}${rest}`);
    assert.deepEqual(parsed, { ok: false, problem: 'provisional' });
  }));
});

test('forms that are not 15 characters, or with a sex digit other than 1/2, are refused as format', () => {
  for (const value of ['', '18505780060849', '1850578006084911', '385057800608491', '1850578006084A1', '18505 7800608491']) {
    assert.deepEqual(parseInsNumber(value), { ok: false, problem: 'format' }, value);
  }
});
