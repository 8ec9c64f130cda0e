import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingQueries, blockMatches, indexedNamesOf, searchParameters } from './blocking.js';
import { matchTraitsOf } from './traits.js';

const stored = {
  resourceType: 'Patient',
  name: [{ use: 'official', family: 'Lefèvre-Durand', given: ['Marie-Hélène'] }, { use: 'usual', family: 'Martin' }],
  birthDate: '1967-03-08',
};

test('a query finds the record through at least one key despite one error on any trait', () => {
  const names = indexedNamesOf(stored);
  const variants = [
    { family: 'LEFEVRE DURAND', given: ['MARIE HELENE'], birthDate: '1967-03-08' },
    { family: 'Lefèvre-Durand', given: ['Marie-Hélène'], birthDate: '1967-08-03' },
    { family: 'Lefèvre-Durand', given: ['Marie-Hélène'], birthDate: '1976-03-08' },
    { family: 'Lfevre-Durand', given: ['Marie-Hélène'], birthDate: '1967-03-09' },
    { family: 'Martin', given: ['Marie'], birthDate: '1967-03-18' },
  ];
  for (const v of variants) {
    const traits = matchTraitsOf({ name: [{ use: 'official', family: v.family, given: v.given }], birthDate: v.birthDate });
    assert.ok(blockingQueries(traits).some((q) => blockMatches(q, names)), JSON.stringify(v));
  }
});

test('keys are FHIR search parameters of Patient, and a stranger is not found', () => {
  const traits = matchTraitsOf(stored);
  const params = blockingQueries(traits).map(searchParameters);
  assert.deepEqual(params[0], [['birthdate', '1967-03-08']]);
  assert.deepEqual(params[1], [['birthdate', '1967-08-03']]);
  assert.ok(params.some((p) => p.some(([k, v]) => k === 'family:contains' && v === 'lefe')));
  const stranger = indexedNamesOf({ name: [{ family: 'Nguyen', given: ['Paul'] }], birthDate: '1990-01-01' });
  assert.ok(!blockingQueries(traits).some((q) => blockMatches(q, stranger)));
});
