/**
 * Family names with French particles, as registers and software write them:
 * kept, dropped, or run into the name (RNIV: the birth name is typed as on
 * the identity document, particles included, but records typed before it
 * and other systems differ). Real French family names.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNameWords } from './compare-names.js';
import { nameWords } from './normalize.js';

const compare = (a: string, b: string) => {
  const forward = compareNameWords(nameWords(a), nameWords(b));
  assert.deepEqual(compareNameWords(nameWords(b), nameWords(a)), forward, `${a}/${b} is symmetric`);
  return forward;
};

test('a particle written apart, run in, or with its apostrophe lost is the same name', () => {
  for (const [a, b] of [['LE GALL', 'LEGALL'], ['Le Bihan', 'LEBIHAN'], ["L'Hermitte", 'LHERMITTE'], ["d'Estienne d'Orves", "D ESTIENNE D ORVES"],
    ['de La Fontaine', 'DELAFONTAINE'], ['Des Jardins', 'DESJARDINS'], ['Du Guesclin', 'DUGUESCLIN'], ['de Gaulle', 'DEGAULLE']] as const) {
    assert.deepEqual(compare(a, b), { value: 1, reason: 'exact' }, `${a}/${b}`);
  }
});

test('a "de" left out is the same name: systems drop the nobiliary particle', () => {
  for (const [a, b] of [['de Gaulle', 'GAULLE'], ['de Villiers', 'Villiers'], ["d'Artagnan", 'ARTAGNAN'], ['de La Fontaine', 'LA FONTAINE']] as const) {
    assert.deepEqual(compare(a, b), { value: 1, reason: 'exact' }, `${a}/${b}`);
  }
});

test('an article left out is one error, worth a typo: Le Gall / Gall, Le Roux / Roux, Du Pont / Pont, L\'Hermitte / Hermitte', () => {
  for (const [a, b] of [['LE GALL', 'GALL'], ['Le Roux', 'ROUX'], ['Du Pont', 'PONT'], ["L'Hermitte", 'HERMITTE'], ['de La Fontaine', 'FONTAINE'], ['Des Jardins', 'Jardins']] as const) {
    assert.deepEqual(compare(a, b), { value: 0.9, reason: 'article-dropped' }, `${a}/${b}`);
  }
});

test('a leading syllable that may be a glued particle, dropped, is a likeness below a typo: LEGALL / GALL may be Le Gall, DUBOIS / BOIS are two names', () => {
  for (const [a, b] of [['LEGALL', 'GALL'], ['LEROUX', 'ROUX'], ['DELAFONTAINE', 'FONTAINE'], ['DELAFONTAINE', 'LA FONTAINE'], ['DARTAGNAN', 'ARTAGNAN'],
    ['LHERMITTE', 'HERMITTE'], ['DEVILLIERS', 'VILLIERS'], ['DESJARDINS', 'JARDINS'],
    ['DUPONT', 'PONT'], ['DUBOIS', 'BOIS'], ['LEROY', 'ROY'], ['LEBLANC', 'BLANC'], ['DESCHAMPS', 'CHAMPS'], ['LAMOTTE', 'MOTTE']] as const) {
    assert.deepEqual(compare(a, b), { value: 0.6, reason: 'glued-particle-dropped' }, `${a}/${b}`);
  }
  // Nor do the typing-error rules read the syllable as one or two typos: LAFONTAINE / FONTAINE is two letters apart, LHERMITTE / HERMITTE one.
  for (const [a, b] of [['LAFONTAINE', 'FONTAINE'], ['DUMOULIN', 'MOULIN'], ['LEFEBVRE', 'FEBVRE'], ['LEGALL-MARTIN', 'GALL MARTIN'], ['DUPONT', 'UPONT']] as const) {
    assert.deepEqual(compare(a, b), { value: 0.6, reason: 'glued-particle-dropped' }, `${a}/${b}`);
  }
  // Written apart, the article is one error as before, and glued or apart the same name.
  assert.deepEqual(compare('LE GALL', 'GALL'), { value: 0.9, reason: 'article-dropped' });
  assert.deepEqual(compare('LEGALL', 'LE GALL'), { value: 1, reason: 'exact' });
});

test('names that only look like a particle and a name stay apart, and other particles keep their rules', () => {
  assert.equal(compare('LEON', 'ON').value, 0, 'Léon is not le + on: "le" elides before a vowel');
  assert.equal(compare('LAURENT', 'URENT').value, 0);
  assert.equal(compare('LE GOFF', 'LE GALL').value, 0);
  assert.deepEqual(compare('DA SILVA', 'SILVA'), { value: 1, reason: 'exact' });
  assert.deepEqual(compare('LE GALL', 'LE GAL'), { value: 0.9, reason: 'typo' });
});
