import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalUnit, toCanonical } from './ucum.js';

const inCanonical = (value: number, code: string): [number, string] | undefined => {
  const unit = canonicalUnit(code);
  return unit ? [toCanonical(value, unit), unit.code] : undefined;
};

describe('canonicalUnit', () => {
  it('reads prefixes on metric atoms, written out in decimal', () => {
    assert.deepEqual(inCanonical(5.4, 'mg'), [0.0054, 'g']);
    assert.deepEqual(inCanonical(70.5, 'kg'), [70500, 'g']);
    assert.deepEqual(inCanonical(2, 'dag'), [20, 'g']);
    assert.deepEqual(inCanonical(3, 'cm'), [0.03, 'm']);
  });

  it('reads products, quotients and exponents into one canonical code', () => {
    assert.deepEqual(inCanonical(1, 'mg/dL'), [10, 'g.m-3']);
    assert.deepEqual(inCanonical(10, 'g/L'), [10000, 'g.m-3']);
    assert.deepEqual(inCanonical(25, 'kg/m2'), [25000, 'g.m-2']);
    assert.deepEqual(inCanonical(60, '/min'), inCanonical(1, 's-1'));
    assert.deepEqual(inCanonical(4, '10*9/L'), inCanonical(4, '10*3/uL'));
    assert.deepEqual(inCanonical(5, 'mmol/L'), inCanonical(5000, 'umol/L'));
  });

  it('an atom\'s own name wins over a prefix reading: cd is candela, min a minute, d a day', () => {
    assert.deepEqual(inCanonical(1, 'cd'), [1, 'cd']);
    assert.deepEqual(inCanonical(2, 'min'), [120, 's']);
    assert.deepEqual(inCanonical(1, 'd'), [86400, 's']);
  });

  it('mm[Hg] and kPa are both pressures', () => {
    const [mmHg, code] = inCanonical(120, 'mm[Hg]') ?? [];
    const [kPa, kPaCode] = inCanonical(1, 'kPa') ?? [];
    assert.equal(code, kPaCode);
    assert.ok(Math.abs((mmHg as number) / (kPa as number) - 15.99864) < 1e-5);
  });

  it('amounts of substance never compare with counts, nor [IU] with anything but [IU]', () => {
    assert.notEqual(canonicalUnit('mmol/L')?.code, canonicalUnit('10*9/L')?.code);
    assert.notEqual(canonicalUnit('[IU]/L')?.code, canonicalUnit('mmol/L')?.code);
  });

  it('has no canonical form for annotations, non-ratio scales, parentheses or unknown atoms', () => {
    for (const code of ['{score}', '{beats}/min', 'Cel', '[degF]', 'mL/min/1.73m2', '(g)', 'xyz', '', 'm0', 'da']) {
      assert.equal(canonicalUnit(code), undefined, code);
    }
  });
});

describe('canonicalUnit beyond any clinical scale', () => {
  it('has no canonical form for powers of ten past 10^±100, which would scale values to 0 or Infinity', () => {
    for (const code of ['10*400', '10*-400', '10*101/L', 'Ym5']) assert.equal(canonicalUnit(code), undefined, code);
    assert.deepEqual(inCanonical(1, '10*100'), [1e100, '1']);
  });
});
