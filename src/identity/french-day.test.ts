import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frenchDay, latestFrenchDay } from './french-day.js';

test('the French day of an instant: after midnight in Paris is the next day, in winter (UTC+1) and summer (UTC+2)', () => {
  assert.equal(frenchDay(Date.parse('2026-01-14T22:59:59Z')), '2026-01-14');
  assert.equal(frenchDay(Date.parse('2026-01-14T23:00:00Z')), '2026-01-15');
  assert.equal(frenchDay(Date.parse('2026-07-14T21:59:59Z')), '2026-07-14');
  assert.equal(frenchDay(Date.parse('2026-07-14T22:00:00Z')), '2026-07-15');
  assert.equal(frenchDay(Date.parse('2026-12-31T23:30:00Z')), '2027-01-01');
});

test('the newest French day: La Réunion and Wallis-et-Futuna reach a day before Paris does', () => {
  assert.equal(latestFrenchDay(Date.parse('2026-01-14T22:30:00Z')), '2026-01-15');
  assert.equal(latestFrenchDay(Date.parse('2026-01-14T11:59:59Z')), '2026-01-14');
  assert.equal(latestFrenchDay(Date.parse('2026-01-14T12:00:00Z')), '2026-01-15');
});
