import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { luhnValid, rppsValid, finessValid } from '../directory/identifiers.js';
import { withLuhnKey } from './check-digits.js';

test('the key completes real numbers as published (open-points-resolved §3)', () => {
  // Real RPPS and FINESS numbers that pass Luhn: their body gives back their key.
  for (const real of ['10005682603', '10100394740', '10111377833', '750712184', '130786049', '690781810', '750100125']) {
    assert.equal(withLuhnKey(real.slice(0, -1)), real);
  }
});

test('any digit string completed with its key passes the directory validators', () => {
  fc.assert(fc.property(fc.stringMatching(/^\d{1,20}$/), (body) => luhnValid(withLuhnKey(body))));
  fc.assert(fc.property(fc.stringMatching(/^\d{10}$/), (body) => rppsValid(withLuhnKey(body))));
  fc.assert(fc.property(fc.stringMatching(/^\d{8}$/), (body) => finessValid(withLuhnKey(body))));
});

test('a single changed digit breaks the key', () => {
  fc.assert(fc.property(fc.stringMatching(/^\d{10}$/), fc.nat(10), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
    const full = withLuhnKey(body);
    const i = at % full.length;
    const changed = full.slice(0, i) + String((Number(full[i]) + shift) % 10) + full.slice(i + 1);
    return !luhnValid(changed);
  }));
});

test('non-digit bodies are refused', () => {
  assert.throws(() => withLuhnKey('12A4'));
  assert.throws(() => withLuhnKey(''));
});
