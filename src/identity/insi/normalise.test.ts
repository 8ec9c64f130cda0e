import { test } from 'node:test';
import assert from 'node:assert/strict';
import { givenListEquals, givenMatches, normaliseName, splitGiven, traitsKey } from './normalise.js';

test('birth names fold case, accents, ligatures, hyphens, apostrophes and spaces', () => {
  assert.equal(normaliseName('Lefèvre-Martin'), 'LEFEVRE MARTIN');
  assert.equal(normaliseName('LEFEVRE  MARTIN'), 'LEFEVRE MARTIN');
  assert.equal(normaliseName('d’Almeida'), 'D ALMEIDA');
  assert.equal(normaliseName("D'ALMEIDA"), normaliseName('d almeida'));
  assert.equal(normaliseName('Œuvrard'), 'OEUVRARD');
  assert.equal(normaliseName('Lætitia'), 'LAETITIA');
  assert.notEqual(normaliseName('Dupond'), normaliseName('Dupont'));
});

test('first names match the register list as a prefix, at name boundaries', () => {
  const list = ['MARIE', 'LOUISE', 'JEANNE'];
  assert.equal(givenMatches(['Marie'], list), true);
  assert.equal(givenMatches(['marie', 'Louise'], list), true);
  assert.equal(givenMatches(['Marie Louise Jeanne'], list), true);
  assert.equal(givenMatches(['Louise'], list), false, 'the first birth first name must come first');
  assert.equal(givenMatches(['Marie', 'Jeanne'], list), false, 'names keep their order, none skipped');
  assert.equal(givenMatches(['Marie', 'Louise', 'Jeanne', 'Rose'], list), false);
  assert.equal(givenMatches([], list), false);
});

test('a compound first name matches whole, written with a hyphen or a space, never by its first half', () => {
  const list = ['Jean-Pierre', 'Paul'];
  assert.equal(givenMatches(['Jean-Pierre'], list), true);
  assert.equal(givenMatches(['Jean Pierre'], list), true);
  assert.equal(givenMatches(['JEAN-PIERRE', 'PAUL'], list), true);
  assert.equal(givenMatches(['Jean'], list), false);
});

test('given values are split into first names on spaces', () => {
  assert.deepEqual(splitGiven([' Marie  Louise ', 'Jeanne']), ['Marie', 'Louise', 'Jeanne']);
});

test('the lookup key holds the three exact traits', () => {
  assert.equal(traitsKey('Dupont', '1985-03-14', 'female'), 'DUPONT|1985-03-14|female');
  assert.notEqual(traitsKey('Dupont', '1985-03-14', 'female'), traitsKey('Dupont', '1985-03-14', 'male'));
});

test('a verification wants the whole list of birth first names, in order, folded', () => {
  const list = ['MARIE', 'LOUISE', 'JEANNE'];
  assert.equal(givenListEquals(['Marie', 'Louise', 'Jeanne'], list), true);
  assert.equal(givenListEquals(['marie louise jeanne'], list), true);
  assert.equal(givenListEquals(['Marie'], list), false, 'a first part of the list is not the list');
  assert.equal(givenListEquals(['Marie', 'Louise'], list), false);
  assert.equal(givenListEquals(['Jean Pierre'], ['JEAN-PIERRE']), true);
  assert.equal(givenListEquals([], list), false);
});
