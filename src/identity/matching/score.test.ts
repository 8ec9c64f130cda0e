import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MATCH_WEIGHTS, scoreCandidate } from './score.js';
import type { MatchTraits } from './traits.js';

const marie: MatchTraits = {
  birthFamily: 'Lefèvre-Durand',
  usedFamily: 'Martin',
  given: ['Marie-Hélène', 'Louise'],
  gender: 'female',
  birthDate: '1967-03-08',
  birthPlace: '59350',
};

const grade = (a: MatchTraits, b: MatchTraits) => scoreCandidate(a, b).grade;
const reasonOf = (a: MatchTraits, b: MatchTraits, trait: string) => scoreCandidate(a, b).explanation.find((e) => e.trait === trait)?.reason;

test('the weights sum to 1 and the same identity scores 1', () => {
  assert.equal(Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0), 1);
  assert.deepEqual({ score: scoreCandidate(marie, marie).score, grade: grade(marie, marie) }, { score: 1, grade: 'certain' });
});

test('capitals, lost accents and hyphens typed as spaces are the same name', () => {
  const typed: MatchTraits = { ...marie, birthFamily: 'LEFEVRE DURAND', usedFamily: 'MARTIN', given: ['MARIE HELENE', 'LOUISE'] };
  assert.equal(scoreCandidate(marie, typed).score, 1);
});

test('particles and compound names', () => {
  const fontaine: MatchTraits = { ...marie, birthFamily: 'de La Fontaine', usedFamily: undefined };
  assert.equal(reasonOf(fontaine, { ...fontaine, birthFamily: 'FONTAINE' }, 'family'), 'article-dropped');
  assert.equal(reasonOf(fontaine, { ...fontaine, birthFamily: 'Lafontaine' }, 'family'), 'exact');
  const single: MatchTraits = { ...marie, usedFamily: undefined };
  assert.equal(reasonOf(single, { ...single, birthFamily: 'Durand Lefèvre' }, 'family'), 'word-order');
  assert.equal(reasonOf(single, { ...single, birthFamily: 'Lefèvre' }, 'family'), 'compound-part');
  assert.equal(grade(single, { ...single, birthFamily: 'Lefèvre' }), 'certain');
});

test('the used name typed as the birth name, or an "épouse" form, still matches', () => {
  const asUsed: MatchTraits = { ...marie, birthFamily: 'MARTIN', usedFamily: undefined };
  assert.equal(reasonOf(marie, asUsed, 'family'), 'used-name-exact');
  assert.equal(grade(marie, asUsed), 'certain');
  const epouse: MatchTraits = { ...marie, birthFamily: 'LEFEVRE-DURAND EP. MARTIN', usedFamily: undefined };
  assert.equal(reasonOf(marie, epouse, 'family'), 'exact');
});

test('first-name lists: missing second name, used first name, split compound, typo', () => {
  assert.equal(reasonOf(marie, { ...marie, given: ['Marie-Hélène'] }, 'given'), 'exact');
  assert.equal(reasonOf(marie, { ...marie, given: ['Louise'] }, 'given'), 'other-first-name');
  assert.equal(reasonOf(marie, { ...marie, given: ['Marie', 'Hélène', 'Louise'] }, 'given'), 'compound-split');
  assert.equal(reasonOf(marie, { ...marie, given: ['Marie-Heleen'] }, 'given'), 'typo');
  assert.equal(reasonOf(marie, { ...marie, given: ['Marie'] }, 'given'), 'compound-part');
});

test('dates: swapped day and month, one digit, adjacent digits swapped, same month', () => {
  assert.equal(reasonOf(marie, { ...marie, birthDate: '1967-08-03' }, 'birthDate'), 'day-month-swapped');
  assert.equal(reasonOf(marie, { ...marie, birthDate: '1957-03-08' }, 'birthDate'), 'one-digit');
  assert.equal(reasonOf(marie, { ...marie, birthDate: '1967-03-25' }, 'birthDate'), 'same-month');
  assert.equal(reasonOf({ ...marie, birthDate: '1967-12-21' }, { ...marie, birthDate: '1967-12-12' }, 'birthDate'), 'digits-swapped');
  assert.equal(grade(marie, { ...marie, birthDate: '1967-08-03' }), 'certain');
});

test('twins and namesakes are not certain matches', () => {
  const twin: MatchTraits = { ...marie, given: ['Anne', 'Sophie'] };
  assert.notEqual(grade(marie, twin), 'certain');
  assert.notEqual(grade(marie, twin), 'probable');
  const namesake: MatchTraits = { ...marie, birthDate: '1988-11-23' };
  assert.notEqual(grade(marie, namesake), 'certain');
  const brother: MatchTraits = { ...marie, gender: 'male', given: ['Marc-Hélène'] };
  assert.ok(scoreCandidate(marie, brother).score <= 0.79, 'a different sex caps the score below probable');
});

test('a missing birth place costs less than a different one', () => {
  const { birthPlace: _place, ...noPlace } = marie;
  const elsewhere: MatchTraits = { ...marie, birthPlace: '13055' };
  assert.ok(scoreCandidate(marie, noPlace).score > scoreCandidate(marie, elsewhere).score);
  assert.equal(reasonOf(marie, { ...marie, birthPlace: '59183' }, 'birthPlace'), 'same-department');
});

test('two known birth places that differ keep an otherwise identical pair below certain (namesakes born the same day)', () => {
  const elsewhere: MatchTraits = { ...marie, birthPlace: '13055' };
  assert.equal(reasonOf(marie, elsewhere, 'birthPlace'), 'different');
  assert.equal(grade(marie, elsewhere), 'probable');
  assert.equal(grade(marie, { ...marie, birthPlace: '59183' }), 'certain', 'same department: a commune renumbered, still certain');
  assert.equal(grade(marie, { ...marie, birthPlace: undefined }), 'certain', 'a missing place is no evidence against');
});

test('twins whose first names are a letter or two apart are not certain: both spellings are first names, not a typo', () => {
  const gautier: MatchTraits = { birthFamily: 'GAUTIER', given: ['Léa'], gender: 'female', birthDate: '2012-04-02', birthPlace: '35238' };
  for (const [a, b] of [['Léa', 'Léna'], ['MATHIS', 'MATHIAS'], ['Jean-Marc', 'Jean-Marie'], ['Christine', 'Christiane']] as const) {
    const pair = scoreCandidate({ ...gautier, given: [a] }, { ...gautier, given: [b] });
    assert.equal(pair.explanation.find((e) => e.trait === 'given')?.reason, 'close-first-name', `${a}/${b}`);
    assert.equal(pair.grade, 'probable', `${a}/${b}: left to a review`);
  }
  // A typo gives a spelling nobody bears: still certain.
  for (const typo of ['Mathsi', 'Matthis', 'Mahtis']) assert.equal(grade({ ...gautier, given: ['Mathis'] }, { ...gautier, given: [typo] }), 'certain', typo);
  assert.equal(grade({ ...gautier, given: ['Anne'] }, { ...gautier, given: ['Sophie'] }), 'possible', 'two far names are no closer for being names');
});

test('SAINT abbreviated (ST, STE) is the same family name', () => {
  const omer: MatchTraits = { ...marie, birthFamily: 'SAINT-OMER', usedFamily: undefined };
  for (const typed of ['ST-OMER', 'ST OMER', 'St Omer']) {
    assert.equal(reasonOf(omer, { ...omer, birthFamily: typed }, 'family'), 'exact', typed);
  }
  assert.equal(grade(omer, { ...omer, birthFamily: 'STE-OMER' }), 'certain', 'SAINTE for SAINT: one letter');
});

test('a dropped article (le, la, du…) is a strong likeness, not the same name: "Le Gall" is not "Gall"', () => {
  const gall: MatchTraits = { ...marie, birthFamily: 'LE GALL', usedFamily: undefined };
  for (const [a, b] of [['LE GALL', 'GALL'], ['Le Roux', 'ROUX'], ['Du Pont', 'PONT'], ['de La Fontaine', 'Fontaine']] as const) {
    const pair = scoreCandidate({ ...gall, birthFamily: a }, { ...gall, birthFamily: b });
    assert.deepEqual(pair.explanation.find((e) => e.trait === 'family'), { trait: 'family', weight: 0.35, similarity: 0.9, reason: 'article-dropped' }, `${a}/${b}`);
    assert.deepEqual({ score: pair.score, grade: pair.grade }, { score: 0.965, grade: 'certain' }, `${a}/${b}`);
  }
  // The article kept, however written, and a dropped "de" are still the same name.
  for (const [a, b] of [['LE GALL', 'LEGALL'], ['Le-Gall', 'le gall'], ['de Villiers', 'Villiers'], ['Du Pont', 'Dupont'], ['de La Fontaine', 'La Fontaine'], ['de La Fontaine', 'LAFONTAINE']] as const) {
    assert.equal(reasonOf({ ...gall, birthFamily: a }, { ...gall, birthFamily: b }, 'family'), 'exact', `${a}/${b}`);
  }
});

test('a dropped article costs what a typo costs: with one wrong date digit as well, the pair stays certain as a typo does', () => {
  const gall: MatchTraits = { ...marie, birthFamily: 'LE GALL', usedFamily: undefined };
  const digit = { birthDate: '1967-03-09' };
  const typo = scoreCandidate(gall, { ...gall, ...digit, birthFamily: 'LE GAL' });
  const dropped = scoreCandidate(gall, { ...gall, ...digit, birthFamily: 'GALL' });
  assert.deepEqual({ score: dropped.score, grade: dropped.grade }, { score: typo.score, grade: 'certain' });
});

test('a leading syllable that may be a glued particle, dropped, is at best "probable": LEGALL / GALL may be Le Gall / Gall, DUBOIS / BOIS is two names', () => {
  const gall: MatchTraits = { ...marie, birthFamily: 'LE GALL', usedFamily: undefined };
  for (const [glued, dropped] of [['LEGALL', 'GALL'], ['DELAFONTAINE', 'Fontaine'], ['LEROUX', 'Roux'], ['DARTAGNAN', 'ARTAGNAN'],
    ['DUBOIS', 'BOIS'], ['Dupont', 'Pont'], ['LEROY', 'ROY'], ['Leblanc', 'Blanc'], ['DESCHAMPS', 'CHAMPS'], ['LAMOTTE', 'MOTTE'], ['LAFONTAINE', 'FONTAINE'], ['LHERMITTE', 'HERMITTE']] as const) {
    const pair = scoreCandidate({ ...gall, birthFamily: glued }, { ...gall, birthFamily: dropped });
    assert.deepEqual(pair.explanation.find((e) => e.trait === 'family'), { trait: 'family', weight: 0.35, similarity: 0.6, reason: 'glued-particle-dropped' }, `${glued}/${dropped}`);
    // Every other trait equal: 0.65 + 0.35 × 0.6, below "certain" (0.875).
    assert.deepEqual({ score: pair.score, grade: pair.grade }, { score: 0.86, grade: 'probable' }, `${glued}/${dropped}`);
  }
  // One trait missing besides still leaves it for a review.
  const { birthPlace: _place, ...placeless } = gall;
  assert.equal(grade({ ...gall, birthFamily: 'LEGALL' }, { ...placeless, birthFamily: 'GALL' }), 'probable');
});

test('namesakes whose family names differ by a leading syllable, alike in every other trait, are never "certain", whichever of them carries a used name', () => {
  for (const [long, short] of [['DUBOIS', 'BOIS'], ['DUPONT', 'PONT'], ['LEROY', 'ROY'], ['LEBLANC', 'BLANC'], ['DESCHAMPS', 'CHAMPS'], ['LAMOTTE', 'MOTTE'], ['DUMOULIN', 'MOULIN'], ['LEFEBVRE', 'FEBVRE']] as const) {
    for (const usedFamily of [undefined, 'MARTIN']) {
      const a: MatchTraits = { ...marie, birthFamily: long, usedFamily };
      const b: MatchTraits = { ...marie, birthFamily: short, usedFamily: undefined };
      assert.notEqual(grade(a, b), 'certain', `${long} (used name ${usedFamily ?? 'none'}) / ${short}`);
      assert.notEqual(grade({ ...a, birthFamily: short }, { ...b, birthFamily: long }), 'certain', `${short} (used name ${usedFamily ?? 'none'}) / ${long}`);
    }
  }
});
