import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyForms, foldName, nameWords, significantWords } from './normalize.js';

test('folding removes case, accents, ligatures and separators', () => {
  assert.equal(foldName('  Lefèvre-Œuvray '), 'lefevre oeuvray');
  assert.equal(foldName("D'ARTAGNAN"), 'd artagnan');
  assert.equal(foldName('Hélène'), foldName('HELENE'));
  assert.equal(foldName('Marie--Thérèse'), 'marie therese');
});

test('particles are dropped for comparison unless nothing else remains', () => {
  assert.deepEqual(significantWords(nameWords('de La Fontaine')), ['fontaine']);
  assert.deepEqual(significantWords(nameWords("d'Artagnan")), ['artagnan']);
  assert.deepEqual(significantWords(nameWords('Le')), ['le']);
});

test('"épouse" and "née" forms split into birth and used names', () => {
  assert.deepEqual(familyForms('MARTIN EP. DUPONT'), { birth: ['martin'], used: ['dupont'] });
  assert.deepEqual(familyForms('Martin épouse Dupont-Moreau'), { birth: ['martin'], used: ['dupont', 'moreau'] });
  assert.deepEqual(familyForms('Dupont née Martin'), { birth: ['martin'], used: ['dupont'] });
  assert.deepEqual(familyForms('Martin'), { birth: ['martin'] });
  // A marker without a name after it is part of the name, not a form.
  assert.deepEqual(familyForms('Nee'), { birth: ['nee'] });
});

test('ST and STE typed for SAINT and SAINTE are read as the words', () => {
  assert.deepEqual(nameWords('ST-OMER'), ['saint', 'omer']);
  assert.deepEqual(nameWords('Ste Croix'), ['sainte', 'croix']);
  assert.deepEqual(nameWords('STERN'), ['stern'], 'only a whole word');
});
