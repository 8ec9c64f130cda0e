import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyForms, foldName, nameWords, significantWords, ungluedReadings } from './normalize.js';

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

test('a word may be French particles run into the name, by the rules of elision', () => {
  const readings = (word: string) => ungluedReadings(word).map((r) => r.join(' '));
  // Every reading elision allows is kept (l'Egall, d'Elafontaine): only the other name decides which one meets it.
  assert.deepEqual(readings('legall'), ['le gall', 'l egall']);
  for (const reading of ['de lafontaine', 'de la fontaine']) assert.ok(readings('delafontaine').includes(reading), reading);
  assert.deepEqual(readings('dartagnan'), ['d artagnan']);
  assert.deepEqual(readings('lhermitte'), ['l hermitte']);
  assert.ok(readings('lehir').includes('le hir'), 'Le Hir: an aspirated h takes "le"');
  for (const reading of ['des champs', 'de schamps']) assert.ok(readings('deschamps').includes(reading), reading);
  // "le", "la" and "de" elide before a vowel: Léon is not "le on", Laurent not "la urent", Deauville not "de auville".
  assert.ok(!readings('leonard').includes('le onard'));
  assert.ok(!readings('laurent').includes('la urent'));
  assert.ok(!readings('deauville').includes('de auville'));
  // "d'" and "l'" take a vowel or a mute h.
  assert.deepEqual(readings('martin'), []);
  assert.deepEqual(readings('dmitri'), [], 'no vowel after d');
  // A name of three letters at least is left.
  assert.ok(!readings('ledu').includes('le du'));
});
