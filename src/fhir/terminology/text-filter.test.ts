import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textMatcher } from './text-filter.js';

test('every word of the filter starts a word of the display, whatever case, accents and punctuation', () => {
  const match = textMatcher('ins card aig');
  assert.ok(match);
  assert.equal(match('ICC-A', 'Insuffisance cardiaque aiguë'), true);
  assert.equal(match('ICC', 'Insuffisance cardiaque'), false);
  assert.equal(textMatcher('œdème')?.('X', 'Oedème pulmonaire'), true);
  assert.equal(textMatcher('pulm')?.('X', 'Œdème (pulmonaire)'), true);
  assert.equal(textMatcher('naire')?.('X', 'pulmonaire'), false);
});

test('the filter may start the code; designations count too; a blank filter is no filter', () => {
  assert.equal(textMatcher('hta-g')?.('HTA-G', 'Hypertension gravidique'), true);
  assert.equal(textMatcher('blood')?.('HTA', 'Hypertension', ['High blood pressure']), true);
  assert.equal(textMatcher('   '), undefined);
  assert.equal(textMatcher(undefined), undefined);
});
