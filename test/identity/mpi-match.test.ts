/**
 * Patient/$match over HTTP on both backends (http://hl7.org/fhir/R4/patient-operation-match.html):
 * candidates found despite typing errors, graded and scored, certain ones
 * alone on request, merged records standing for their survivor, bad input
 * refused with an OperationOutcome.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM } from '../../src/identity/fr-core.js';
import { forEachBackend } from '../support/test-server.js';
import { IPP_LILLE, matchParameters, operatorClient, patient } from './mpi-fixtures.js';

const GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const gradeOf = (entry: any): string => entry.search.extension.find((e: any) => e.url === GRADE).valueCode;

forEachBackend('Patient/$match', (testServer) => {
  const client = operatorClient(testServer);
  const server = () => client;
  const ids: Record<string, string> = {};
  before(async () => {
    const people = {
      helene: patient({ family: 'Lefèvre-Durand', used: 'Martin', given: ['Marie-Hélène', 'Louise'], gender: 'female', birthDate: '1967-03-08', place: '59350', identifiers: [{ system: IPP_LILLE, value: 'L-1001' }] }),
      twin: patient({ family: 'Lefèvre-Durand', given: ['Anne', 'Sophie'], gender: 'female', birthDate: '1967-03-08', place: '59350' }),
      namesake: patient({ family: 'Lefèvre-Durand', given: ['Marie-Hélène'], gender: 'female', birthDate: '1991-10-23', place: '75056' }),
      stranger: patient({ family: 'Nguyen', given: ['Paul'], gender: 'male', birthDate: '1967-03-08', place: '75056' }),
    };
    for (const [key, resource] of Object.entries(people)) ids[key] = (await server().create(resource )).id;
  });

  test('a record typed in capitals, without accents, with the day and month swapped, is a certain match', async () => {
    const query = patient({ family: 'LEFEVRE DURAND', given: ['MARIE HELENE'], gender: 'female', birthDate: '1967-08-03' });
    const result = await server().post('Patient/$match', matchParameters(query));
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'searchset');
    const [best] = result.body.entry;
    assert.equal(best.resource.id, ids.helene);
    assert.equal(best.search.mode, 'match');
    assert.equal(gradeOf(best), 'certain');
    assert.ok(best.search.score >= 0.875 && best.search.score <= 1);
    assert.match(best.fullUrl, new RegExp(`/Patient/${ids.helene}$`));
    // The stranger shares only the birth date: never returned.
    assert.ok(!result.body.entry.some((e: any) => e.resource.id === ids.stranger));
  });

  test('the used name typed as the birth name, with a typo in the first name, is found; the twin is at most possible', async () => {
    const query = patient({ family: 'MARTIN', given: ['Marie-Hélèen'], gender: 'female', birthDate: '1967-03-08', place: '59350' });
    const result = await server().post('Patient/$match', matchParameters(query));
    assert.equal(result.status, 200, result.text);
    const byId = new Map(result.body.entry.map((e: any) => [e.resource.id, e]));
    assert.equal(result.body.entry[0].resource.id, ids.helene);
    const twin = byId.get(ids.twin) as any;
    if (twin) assert.equal(gradeOf(twin), 'possible');
    const scores = result.body.entry.map((e: any) => e.search.score);
    assert.deepEqual(scores, [...scores].sort((a: number, b: number) => b - a), 'best first');
  });

  test('onlyCertainMatches keeps the certain match; count limits the entries', async () => {
    const query = patient({ family: 'Lefèvre-Durand', given: ['Marie-Hélène'], gender: 'female', birthDate: '1967-03-08', place: '59350' });
    const all = await server().post('Patient/$match', matchParameters(query));
    assert.ok(all.body.entry.length >= 2, 'the twin and the namesake come as lesser candidates');
    const certain = await server().post('Patient/$match', matchParameters(query, [{ name: 'onlyCertainMatches', valueBoolean: true }]));
    assert.deepEqual(certain.body.entry.map((e: any) => [e.resource.id, gradeOf(e)]), [[ids.helene, 'certain']]);
    const one = await server().post('Patient/$match', matchParameters(query, [{ name: 'count', valueInteger: 1 }]));
    assert.equal(one.body.entry.length, 1);
  });

  test('the Patient posted unwrapped is matched as a Parameters holding it alone (PDQm ITI-119)', async () => {
    const query = patient({ family: 'Lefèvre-Durand', given: ['Marie-Hélène'], gender: 'female', birthDate: '1967-03-08', place: '59350' });
    const wrapped = await server().post('Patient/$match', matchParameters(query));
    const bare = await server().post('Patient/$match', query);
    assert.equal(bare.status, 200, bare.text);
    assert.equal(bare.body.type, 'searchset');
    const ranking = (body: any) => body.entry.map((e: any) => [e.resource.id, gradeOf(e), e.search.score]);
    assert.deepEqual(ranking(bare.body), ranking(wrapped.body));
  });

  test('with two certain matches, onlyCertainMatches returns none: the match is not certain any more', async () => {
    const payet = patient({ family: 'Payet', given: ['Lucas'], gender: 'male', birthDate: '2015-09-09', place: '97411' });
    const first = (await server().create(payet)).id;
    const second = (await server().create(patient({ family: 'PAYET', given: ['LUCAS'], gender: 'male', birthDate: '2015-09-09' }))).id;
    const all = await server().post('Patient/$match', matchParameters(payet));
    assert.deepEqual(all.body.entry.map((e: any) => [e.resource.id, gradeOf(e)]).sort(), [[first, 'certain'], [second, 'certain']].sort());
    const certain = await server().post('Patient/$match', matchParameters(payet, [{ name: 'onlyCertainMatches', valueBoolean: true }]));
    assert.equal(certain.status, 200);
    assert.deepEqual(certain.body.entry ?? [], []);
  });

  test('a shared identifier raises a possible match to certain, and discordant traits to probable only', async () => {
    const loose = patient({ family: 'Lefèvre', given: ['Marie'], gender: 'female', birthDate: '1967-03-08', identifiers: [{ system: IPP_LILLE, value: 'L-1001' }] });
    const first = await server().post('Patient/$match', matchParameters(loose));
    assert.equal(first.body.entry[0].resource.id, ids.helene);
    assert.equal(gradeOf(first.body.entry[0]), 'certain');
    const withoutIdentifier = await server().post('Patient/$match', matchParameters({ ...loose, identifier: undefined }));
    assert.notEqual(gradeOf(withoutIdentifier.body.entry.find((e: any) => e.resource.id === ids.helene)), 'certain');
    const discordant = patient({ family: 'Lefebvre', given: ['Marie'], gender: 'female', birthDate: '1967-03-08', identifiers: [{ system: IPP_LILLE, value: 'L-1001' }] });
    const second = await server().post('Patient/$match', matchParameters(discordant));
    assert.equal(second.body.entry[0].resource.id, ids.helene);
    assert.equal(gradeOf(second.body.entry[0]), 'probable', 'an identity collision is left to a human');
  });

  test('confirmed homonyms (HOMA) are never certain on traits alone, and onlyCertainMatches returns neither', async () => {
    const homa = (resource: Record<string, any>) => ({
      ...resource,
      extension: [...(resource.extension ?? []), { url: IDENTITY_RELIABILITY, extension: [{ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code: 'HOMA' }] } }] }],
    });
    const traits = { family: 'Hoarau', given: ['Jean-Paul'], gender: 'male' as const, birthDate: '1958-07-14', place: '97411' };
    const first = (await server().create(homa(patient(traits)))).id;
    const second = (await server().create(homa(patient(traits)))).id;
    const result = await server().post('Patient/$match', matchParameters(homa(patient(traits))));
    const found = result.body.entry.filter((e: any) => [first, second].includes(e.resource.id));
    assert.equal(found.length, 2);
    assert.deepEqual(found.map(gradeOf), ['probable', 'probable']);
    const plain = await server().post('Patient/$match', matchParameters(patient(traits)));
    assert.ok(plain.body.entry.every((e: any) => gradeOf(e) !== 'certain'), 'the candidates\' mark is enough');
    const onlyCertain = await server().post('Patient/$match', matchParameters(patient(traits), [{ name: 'onlyCertainMatches', valueBoolean: true }]));
    assert.equal(onlyCertain.body.total, 0);
  });

  test('bad input answers an OperationOutcome with 400, 422 or 405', async () => {
    const noPatient = await server().post('Patient/$match', { resourceType: 'Parameters', parameter: [{ name: 'count', valueInteger: 3 }] });
    assert.equal(noPatient.status, 400);
    assert.equal(noPatient.body.resourceType, 'OperationOutcome');
    assert.equal(noPatient.body.issue[0].details.coding[0].code, 'mpi.match.resource-required');
    const notParameters = await server().post('Patient/$match', { resourceType: 'Bundle', type: 'collection' });
    assert.equal(notParameters.status, 400);
    const wrongType = await server().post('Patient/$match', matchParameters({ resourceType: 'Practitioner', name: [{ family: 'X' }] }));
    assert.equal(wrongType.status, 400);
    const empty = await server().post('Patient/$match', matchParameters({ resourceType: 'Patient', gender: 'male' }));
    assert.equal(empty.status, 422);
    assert.equal(empty.body.issue[0].details.coding[0].code, 'mpi.match.traits-required');
    const invalid = await server().post('Patient/$match', matchParameters({ resourceType: 'Patient', birthDate: 'yesterday' }));
    assert.equal(invalid.status, 400);
    const badCount = await server().post('Patient/$match', matchParameters(patient({ family: 'X', given: ['Y'], gender: 'male', birthDate: '2000-01-01' }), [{ name: 'count', valueInteger: 0 }]));
    assert.equal(badCount.status, 400);
    const get = await server().get('Patient/$match');
    assert.equal(get.status, 405);
  });
});
