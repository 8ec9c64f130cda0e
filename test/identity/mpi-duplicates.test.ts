/**
 * The identity-vigilance work list over HTTP on both backends:
 * Patient/$duplicates lists suspected duplicate pairs, best first, graded;
 * pairs declared distinct ($not-duplicate) and merged records leave it.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { operatorClient, patient } from './mpi-fixtures.js';

const pairsOf = (body: any): { ids: string[]; grade: string; score: number }[] =>
  body.parameter.filter((p: any) => p.name === 'pair').map((p: any) => ({
    ids: p.part.filter((x: any) => x.name === 'patient').map((x: any) => x.valueReference.reference.replace('Patient/', '')).sort(),
    grade: p.part.find((x: any) => x.name === 'grade').valueCode,
    score: p.part.find((x: any) => x.name === 'score').valueDecimal,
  }));

forEachBackend('Patient/$duplicates work list', (testServer) => {
  const client = operatorClient(testServer);
  const ids: Record<string, string> = {};
  const pair = (a: string, b: string): string[] => [ids[a] as string, ids[b] as string].sort();
  before(async () => {
    const people = {
      helene: patient({ family: 'Lefèvre-Durand', given: ['Marie-Hélène', 'Louise'], gender: 'female', birthDate: '1967-03-08', place: '59350' }),
      heleneAgain: patient({ family: 'LEFEVRE DURAND', given: ['MARIE HELENE'], gender: 'female', birthDate: '1967-08-03' }),
      twin: patient({ family: 'Lefèvre-Durand', given: ['Anne'], gender: 'female', birthDate: '1967-03-08', place: '59350' }),
      stranger: patient({ family: 'Nguyen', given: ['Paul'], gender: 'male', birthDate: '1980-05-05' }),
      kept: patient({ family: 'Payet', given: ['Lucas'], gender: 'male', birthDate: '2015-09-09' }),
      mergedAway: patient({ family: 'PAYET', given: ['LUCAS'], gender: 'male', birthDate: '2015-09-09' }),
    };
    for (const [key, resource] of Object.entries(people)) ids[key] = (await client.create(resource)).id;
  });

  test('pairs of records that may be one person, best first, with grade and score', async () => {
    const result = await client.get('Patient/$duplicates');
    assert.equal(result.status, 200, result.text);
    const pairs = pairsOf(result.body);
    const find = (a: string, b: string) => pairs.find((p) => p.ids.join() === pair(a, b).join());
    assert.equal(find('helene', 'heleneAgain')?.grade, 'certain');
    assert.equal(find('kept', 'mergedAway')?.grade, 'certain');
    assert.equal(find('helene', 'twin')?.grade, 'possible');
    assert.ok(!pairs.some((p) => p.ids.includes(ids.stranger as string)), 'the stranger is nobody\'s duplicate');
    assert.deepEqual(pairs.map((p) => p.score), [...pairs.map((p) => p.score)].sort((a, b) => b - a));
    assert.equal(result.body.parameter.find((p: any) => p.name === 'total').valueInteger, pairs.length);
  });

  test('grade and _count narrow the list', async () => {
    const probable = pairsOf((await client.get('Patient/$duplicates?grade=probable')).body);
    assert.ok(probable.every((p) => p.grade !== 'possible'));
    assert.ok(probable.length >= 2);
    const one = await client.get('Patient/$duplicates?_count=1');
    assert.equal(pairsOf(one.body).length, 1);
    assert.ok(one.body.parameter.find((p: any) => p.name === 'total').valueInteger >= 3);
  });

  test('pairs declared distinct and merged records leave the list', async () => {
    const marked = await client.post('Patient/$not-duplicate', { resourceType: 'Parameters', parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${ids.twin}` } },
      { name: 'patient', valueReference: { reference: `Patient/${ids.helene}` } },
    ] });
    assert.equal(marked.status, 200, marked.text);
    const merged = await client.post('Patient/$merge', { resourceType: 'Parameters', parameter: [
      { name: 'source-patient', valueReference: { reference: `Patient/${ids.mergedAway}` } },
      { name: 'target-patient', valueReference: { reference: `Patient/${ids.kept}` } },
    ] });
    assert.equal(merged.status, 200, merged.text);
    const listed = pairsOf((await client.get('Patient/$duplicates')).body).map((p) => p.ids.join());
    assert.ok(listed.includes(pair('helene', 'heleneAgain').join()));
    assert.ok(!listed.includes(pair('helene', 'twin').join()), 'declared distinct');
    assert.ok(!listed.some((p) => p.includes(ids.mergedAway as string)), 'merged away');
  });

  test('bad requests answer 400 or 422 with an OperationOutcome', async () => {
    assert.equal((await client.get('Patient/$duplicates?grade=sure')).status, 400);
    assert.equal((await client.get('Patient/$duplicates?_count=zero')).status, 400);
    const one = await client.post('Patient/$not-duplicate', { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: `Patient/${ids.twin}` } }] });
    assert.equal(one.status, 400);
    assert.equal(one.body.resourceType, 'OperationOutcome');
    const unknown = await client.post('Patient/$not-duplicate', { resourceType: 'Parameters', parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${ids.twin}` } },
      { name: 'patient', valueReference: { reference: 'Patient/nobody' } },
    ] });
    assert.equal(unknown.status, 422);
  });
});
