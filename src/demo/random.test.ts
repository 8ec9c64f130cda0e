import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Random, WeightedPicker } from './random.js';

test('the same seed gives the same sequence, another seed another one', () => {
  const draw = (seed: number | string) => { const r = new Random(seed); return Array.from({ length: 20 }, () => r.next()); };
  assert.deepEqual(draw(7), draw(7));
  assert.deepEqual(draw('demo'), draw('demo'));
  assert.notDeepEqual(draw(7), draw(8));
});

test('int stays within its bounds, both included, and reaches them', () => {
  fc.assert(fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 20 }), (seed, min, span) => {
    const random = new Random(seed);
    for (let i = 0; i < 50; i++) {
      const value = random.int(min, min + span);
      if (value < min || value > min + span || !Number.isInteger(value)) return false;
    }
    return true;
  }));
  const random = new Random(3);
  const seen = new Set(Array.from({ length: 500 }, () => random.int(1, 6)));
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
});

test('a forked generator does not depend on draws made later by its parent', () => {
  const a = new Random(11);
  const childA = a.fork('patients');
  a.next();
  const b = new Random(11);
  const childB = b.fork('patients');
  assert.equal(childA.next(), childB.next());
  assert.notEqual(new Random(11).fork('patients').next(), new Random(11).fork('directory').next());
});

test('weighted choice follows the weights and never picks a zero weight', () => {
  const picker = new WeightedPicker(['rare', 'common', 'never'], (item) => (item === 'rare' ? 1 : item === 'common' ? 9 : 0));
  const random = new Random(5);
  const counts = { rare: 0, common: 0, never: 0 };
  for (let i = 0; i < 10_000; i++) counts[picker.pick(random) as keyof typeof counts] += 1;
  assert.equal(counts.never, 0);
  assert.ok(counts.common > 8_500 && counts.common < 9_500, `common drawn ${counts.common} times`);
  assert.throws(() => new WeightedPicker([], () => 1));
});

test('digits gives the length asked, decimal only', () => {
  const random = new Random(1);
  for (let i = 0; i < 100; i++) assert.match(random.digits(9), /^\d{9}$/);
});
