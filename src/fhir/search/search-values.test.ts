import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { escapeValue, numberRange, splitUnescaped, unescapeValue } from './search-values.js';

/**
 * A stored value matches "eq" when it lies in [low, high): how storage
 * compares a stored double with the range parse-parameter.ts gives it.
 */
function inRange(text: string, stored: number): boolean {
  const range = numberRange(text);
  assert.ok(range, text);
  return stored >= range.low && stored < range.high;
}

/** A decimal units × 10^exponent as a JSON number, read as the indexer reads a resource's values. */
function stored(units: bigint, exponent: number): number {
  return JSON.parse(`${units}e${exponent}`) as number;
}

/** a × 10^ea compared with b × 10^eb, exactly. */
function compare(a: bigint, ea: number, b: bigint, eb: number): number {
  const e = Math.min(ea, eb);
  const x = a * 10n ** BigInt(ea - e);
  const y = b * 10n ** BigInt(eb - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A small deterministic generator (the same cases on every run). */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

describe('numberRange (http://hl7.org/fhir/R4/search.html#number)', () => {
  it('gives the implicit range of the significant digits, lower bound included, upper excluded', () => {
    assert.equal(inRange('5.4', 5.35), true);
    assert.equal(inRange('5.4', 5.45), false);
    assert.equal(inRange('5.4', 5.4499), true);
    assert.equal(inRange('5.4', 5.3499), false);
    assert.equal(inRange('0.2', 0.15), true);
    assert.equal(inRange('0.1', 0.15), false);
    assert.equal(inRange('0.1', 0.05), true);
    assert.equal(inRange('1.1', 1.15), false);
    assert.equal(inRange('1.2', 1.15), true);
    assert.equal(inRange('-5.4', -5.45), true);
    assert.equal(inRange('-5.4', -5.35), false);
    assert.equal(inRange('100', 99.5), true);
    assert.equal(inRange('100', 100.5), false);
    assert.equal(inRange('100.00', 100.005), false);
    assert.equal(inRange('100.00', 99.995), true);
  });

  it('keeps exponent forms at the precision of their mantissa', () => {
    assert.deepEqual(numberRange('1e2'), { value: 100, low: 50, high: 150, approximate: { low: 50, high: 150 } });
    assert.deepEqual(numberRange('5.4e-1'), { value: 0.54, low: 0.535, high: 0.545, approximate: { low: 0.486, high: 0.594 } });
    assert.equal(inRange('5.4e-1', 0.535), true);
    assert.equal(inRange('5.4e-1', 0.545), false);
    assert.equal(numberRange('1e400'), undefined);
    assert.equal(numberRange('5.'), undefined);
    assert.equal(numberRange('.'), undefined);
    assert.equal(numberRange('-'), undefined);
    assert.equal(numberRange('0x10'), undefined);
  });

  it('widens ap by a tenth of the value, at least by the implicit precision', () => {
    assert.deepEqual(numberRange('40')?.approximate, { low: 36, high: 44 });
    assert.deepEqual(numberRange('0.15')?.approximate, { low: 0.135, high: 0.165 });
    assert.deepEqual(numberRange('-0.15')?.approximate, { low: -0.165, high: -0.135 });
    assert.deepEqual(numberRange('0.2')?.approximate, { low: 0.15, high: 0.25 });
  });

  it('agrees with exact decimal arithmetic at the edges of the range, for any number of digits', () => {
    const next = generator(20_240_517);
    for (let n = 0; n < 20_000; n += 1) {
      const sign = next(4) === 0 ? -1n : 1n;
      const units = sign * BigInt(next(100_000));
      const decimals = next(6);
      const shift = next(3) === 0 ? next(7) - 3 : 0;
      // Written with or without an exponent ("5.4", "0.54e1"): the digits of the mantissa give the precision.
      const text = `${plain(units, -decimals)}${shift === 0 ? '' : `e${shift}`}`;
      const exponent = shift - decimals;
      // [low, high) in tenths of the last digit, exactly.
      const e = exponent - 1;
      const low = units * 10n - 5n;
      const high = units * 10n + 5n;
      const near = [-1n, 0n, 1n];
      for (const [edge, scale] of [[low, 0], [high, 0], [units * 10n, 0], [low * 100n, 2], [high * 100n, 2]] as const) {
        for (const delta of scale === 0 ? [0n] : near) {
          const x = edge + delta;
          const xe = e - scale;
          const expected = compare(x, xe, low, e) >= 0 && compare(x, xe, high, e) < 0;
          assert.equal(inRange(text, stored(x, xe)), expected, `${text} against ${x}e${xe}`);
        }
      }
    }
  });
});

/** units × 10^exponent as plain decimal text ("-0.054"). */
function plain(units: bigint, exponent: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (exponent >= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(exponent)}`;
  const padded = digits.padStart(-exponent + 1, '0');
  const point = padded.length + exponent;
  return `${negative ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}`;
}

test('a value escaped for search is one value again once split and unescaped', () => {
  for (const value of ['plain', 'a|b', 'x,y', 'cost$1', 'back\\slash', '\\|,$']) {
    const escaped = escapeValue(value);
    assert.deepEqual(splitUnescaped(escaped, '|').map(unescapeValue), [value]);
    assert.deepEqual(splitUnescaped(escaped, ',').map(unescapeValue), [value]);
  }
});
