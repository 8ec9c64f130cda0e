import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesIn } from './translate-operation.js';
import type { ConceptMapResource } from './types.js';

const map: ConceptMapResource = {
  resourceType: 'ConceptMap',
  url: 'http://socle.example/ConceptMap/sexe',
  group: [{
    source: 'http://hl7.org/fhir/administrative-gender',
    target: 'urn:oid:1.2.250.1.213.1.1.5.1',
    element: [
      { code: 'female', target: [{ code: 'F', display: 'Féminin', equivalence: 'equivalent' }] },
      { code: 'other', target: [{ code: 'I', display: 'Indéterminé', equivalence: 'wider' }] },
      { code: 'unknown', target: [{ equivalence: 'unmatched' }] },
    ],
  }],
};

test('forward: the targets of the code, with their equivalence and the map', () => {
  assert.deepEqual(matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'female', { reverse: false }), [
    { equivalence: 'equivalent', concept: { system: 'urn:oid:1.2.250.1.213.1.1.5.1', code: 'F', display: 'Féminin' }, source: 'http://socle.example/ConceptMap/sexe' },
  ]);
  assert.deepEqual(matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'unknown', { reverse: false }).map((m) => m.equivalence), ['unmatched']);
  assert.deepEqual(matchesIn(map, 'http://other', 'female', { reverse: false }), []);
  assert.deepEqual(matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'female', { reverse: false, targetSystem: 'http://other' }), []);
});

test('reverse: the sources of a target code, equivalences turned round', () => {
  assert.deepEqual(matchesIn(map, 'urn:oid:1.2.250.1.213.1.1.5.1', 'I', { reverse: true }), [
    { equivalence: 'narrower', concept: { system: 'http://hl7.org/fhir/administrative-gender', code: 'other' }, source: 'http://socle.example/ConceptMap/sexe' },
  ]);
});
