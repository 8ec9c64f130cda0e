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

test('forward: the targets of the code, with their equivalence and the map', async () => {
  assert.deepEqual(await matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'female', { reverse: false }), [
    { equivalence: 'equivalent', concept: { system: 'urn:oid:1.2.250.1.213.1.1.5.1', code: 'F', display: 'Féminin' }, source: 'http://socle.example/ConceptMap/sexe' },
  ]);
  assert.deepEqual((await matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'unknown', { reverse: false })).map((m) => m.equivalence), ['unmatched']);
  assert.deepEqual(await matchesIn(map, 'http://other', 'female', { reverse: false }), []);
  assert.deepEqual(await matchesIn(map, 'http://hl7.org/fhir/administrative-gender', 'female', { reverse: false, targetSystem: 'http://other' }), []);
});

test('reverse: the sources of a target code, equivalences turned round', async () => {
  assert.deepEqual(await matchesIn(map, 'urn:oid:1.2.250.1.213.1.1.5.1', 'I', { reverse: true }), [
    { equivalence: 'narrower', concept: { system: 'http://hl7.org/fhir/administrative-gender', code: 'other' }, source: 'http://socle.example/ConceptMap/sexe' },
  ]);
});

const GENDER = 'http://hl7.org/fhir/administrative-gender';
const INS = 'urn:oid:1.2.250.1.213.1.1.5.1';

function withUnmapped(url: string, unmapped: NonNullable<NonNullable<ConceptMapResource['group']>[number]['unmapped']>): ConceptMapResource {
  return { ...map, url, group: [{ ...(map.group?.[0] ?? {}), unmapped }] };
}

test('unmapped provided: a code without an element maps to itself in the target system; a code mapped as unmatched stays unmatched', async () => {
  const provided = withUnmapped('urn:provided', { mode: 'provided' });
  assert.deepEqual(await matchesIn(provided, GENDER, 'male', { reverse: false }), [{ equivalence: 'equivalent', concept: { system: INS, code: 'male' }, source: 'urn:provided' }]);
  assert.deepEqual((await matchesIn(provided, GENDER, 'unknown', { reverse: false })).map((m) => m.equivalence), ['unmatched']);
  // Unmapped speaks of source codes only.
  assert.deepEqual(await matchesIn(provided, INS, 'M', { reverse: true }), []);
});

test('unmapped fixed: the group\'s code and display', async () => {
  assert.deepEqual(await matchesIn(withUnmapped('urn:fixed', { mode: 'fixed', code: 'I', display: 'Indéterminé' }), GENDER, 'male', { reverse: false }), [
    { equivalence: 'wider', concept: { system: INS, code: 'I', display: 'Indéterminé' }, source: 'urn:fixed' },
  ]);
});

test('unmapped other-map: the matches of the map it names, a cycle followed once, an unknown map an error', async () => {
  const first = withUnmapped('urn:first', { mode: 'other-map', url: 'urn:second' });
  const second: ConceptMapResource = { resourceType: 'ConceptMap', url: 'urn:second', group: [{ source: GENDER, target: INS, element: [{ code: 'male', target: [{ code: 'M', equivalence: 'equal' }] }], unmapped: { mode: 'other-map', url: 'urn:first' } }] };
  const maps = [first, second];
  const otherMap = async (url: string): Promise<ConceptMapResource | undefined> => maps.find((m) => m.url === url);
  assert.deepEqual(await matchesIn(first, GENDER, 'male', { reverse: false }, otherMap), [{ equivalence: 'equal', concept: { system: INS, code: 'M' }, source: 'urn:second' }]);
  assert.deepEqual(await matchesIn(first, GENDER, 'autre', { reverse: false }, otherMap), []);
  await assert.rejects(matchesIn(withUnmapped('urn:lost', { mode: 'other-map', url: 'urn:absent' }), GENDER, 'male', { reverse: false }, otherMap), { status: 404 });
});
