import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueSetExpander } from './expand-value-set.js';
import { CARDIO, pathologies, sourceWith, valueSet } from './test-fixtures.js';
import { textMatcher } from './text-filter.js';
import type { ValueSetResource } from './types.js';
import { ValueSetMembership } from './value-set-membership.js';
import { WorkBudget } from './work-budget.js';

const GENDER = 'http://hl7.org/fhir/administrative-gender';
const cardiac = valueSet('http://socle.example/ValueSet/cardiaque', { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'CV' }] }] });

async function codes(vs: ValueSetResource, options = {}, ...stored: (typeof pathologies | ValueSetResource)[]): Promise<string[]> {
  const expanded = await new ValueSetExpander(sourceWith(pathologies, cardiac, ...stored), options).expand(vs);
  return expanded.map((c) => c.code);
}

test('a whole code system, in its order; an is-a filter; listed concepts with their own display', async () => {
  assert.deepEqual(await codes(valueSet('urn:a', { include: [{ system: CARDIO }] })), ['CV', 'HTA', 'HTA-G', 'HTA-M', 'ICC', 'ICC-A', 'RESP', 'ASTH', 'BPCO', 'HTA-R']);
  assert.deepEqual(await codes(cardiac), ['CV', 'HTA', 'HTA-G', 'HTA-M', 'ICC', 'ICC-A', 'HTA-R']);
  const listed = await new ValueSetExpander(sourceWith(pathologies)).expand(valueSet('urn:b', {
    include: [{ system: CARDIO, concept: [{ code: 'ASTH', display: 'Asthme (toutes formes)' }, { code: 'ICC' }, { code: 'PAS-UN-CODE' }] }],
  }));
  assert.deepEqual(listed.map((c) => [c.code, c.display]), [['ASTH', 'Asthme (toutes formes)'], ['ICC', 'Insuffisance cardiaque']]);
});

test('excludes, value set imports (intersection) and the flags of each code', async () => {
  const noHta = valueSet('urn:c', {
    include: [{ valueSet: [cardiac.url as string] }],
    exclude: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'HTA' }] }],
  });
  assert.deepEqual(await codes(noHta), ['CV', 'ICC', 'ICC-A']);
  const both = valueSet('urn:d', { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'HTA' }], valueSet: [cardiac.url as string] }] });
  assert.deepEqual(await codes(both), ['HTA', 'HTA-G', 'HTA-M', 'HTA-R']);
  const expanded = await new ValueSetExpander(sourceWith(pathologies)).expand(valueSet('urn:e', { include: [{ system: CARDIO, concept: [{ code: 'CV' }, { code: 'BPCO' }] }] }));
  assert.deepEqual(expanded.map((c) => [c.code, c.abstract ?? false, c.inactive ?? false]), [['CV', true, false], ['BPCO', false, true]]);
});

test('HL7 value sets expand from HL7 code systems; a stored code system wins over HL7 one', async () => {
  const gender = valueSet('urn:g', { include: [{ system: GENDER }] });
  assert.deepEqual(await codes(gender), ['male', 'female', 'other', 'unknown']);
  const local = { resourceType: 'CodeSystem' as const, url: GENDER, content: 'complete', concept: [{ code: 'F', display: 'Femme' }, { code: 'M', display: 'Homme' }] };
  assert.deepEqual(await codes(gender, {}, local), ['F', 'M']);
});

test('text filter (word prefixes, accents and case ignored), activeOnly, displayLanguage and designations', async () => {
  assert.deepEqual(await codes(cardiac, { text: textMatcher('hyper ARTER') }), ['HTA']);
  assert.deepEqual(await codes(cardiac, { text: textMatcher('aigue') }), ['ICC-A']);
  assert.deepEqual(await codes(cardiac, { text: textMatcher('HTA-') }), ['HTA-G', 'HTA-M', 'HTA-R']);
  const all = valueSet('urn:f', { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'RESP' }] }] });
  assert.deepEqual(await codes(all, { activeOnly: true }), ['RESP', 'ASTH']);
  const [hta] = await new ValueSetExpander(sourceWith(pathologies), { displayLanguage: 'en', includeDesignations: true })
    .expand(valueSet('urn:h', { include: [{ system: CARDIO, concept: [{ code: 'HTA' }] }] }));
  assert.equal(hta?.display, 'High blood pressure');
  assert.deepEqual(hta?.designation, [{ language: 'en', value: 'High blood pressure' }]);
});

test('an unknown code system is an error naming it, except for codes listed one by one', async () => {
  await assert.rejects(codes(valueSet('urn:i', { include: [{ system: 'http://loinc.org' }] })), (e: { status?: number; issues?: { params?: { system?: string } }[] }) =>
    e.status === 422 && e.issues?.[0]?.params?.system === 'http://loinc.org');
  // HL7's SNOMED CT resource has no concepts (content = not-present): unknown as well.
  await assert.rejects(codes(valueSet('urn:j', { include: [{ system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] }] })), { status: 422 });
  assert.deepEqual(await codes(valueSet('urn:k', { include: [{ system: 'http://loinc.org', concept: [{ code: '8480-6', display: 'Systolic blood pressure' }] }] })), ['8480-6']);
});

test('too many codes is too-costly; a value set importing itself is refused', async () => {
  await assert.rejects(codes(valueSet('urn:l', { include: [{ system: CARDIO }] }), { limit: 5 }), (e: { status?: number; issues?: { type?: string }[] }) =>
    e.status === 422 && e.issues?.[0]?.type === 'too-costly');
  const loop = valueSet('urn:loop', { include: [{ valueSet: ['urn:loop'] }] });
  await assert.rejects(codes(loop, {}, loop), { status: 422 });
  // The value set exists; what it imports does not: 422 naming both, not the 404 of an unknown target.
  await assert.rejects(codes(valueSet('urn:m', { include: [{ valueSet: ['urn:absent'] }] })), (e: { status?: number; issues?: { message?: string; params?: Record<string, unknown> }[] }) =>
    e.status === 422 && e.issues?.[0]?.message === 'terminology.import-unknown' && e.issues[0].params?.url === 'urn:absent' && e.issues[0].params.valueSet === 'urn:m');
  await assert.rejects(new ValueSetMembership(sourceWith()).check(valueSet('urn:m', { include: [{ valueSet: ['urn:absent'] }] }), CARDIO, 'HTA'), { status: 422 });
});

test('membership without expanding: filters, excludes, imports, unknown systems', async () => {
  const membership = new ValueSetMembership(sourceWith(pathologies, cardiac));
  const noHta = valueSet('urn:n', { include: [{ valueSet: [cardiac.url as string] }], exclude: [{ system: CARDIO, concept: [{ code: 'HTA' }] }] });
  assert.equal((await membership.check(cardiac, CARDIO, 'HTA-R')).kind, 'member');
  assert.equal((await membership.check(cardiac, CARDIO, 'ASTH')).kind, 'absent');
  assert.equal((await membership.check(noHta, CARDIO, 'HTA')).kind, 'absent');
  assert.equal((await membership.check(noHta, CARDIO, 'ICC-A')).kind, 'member');
  assert.equal((await membership.check(cardiac, 'http://other', 'HTA')).kind, 'absent');
  const loinc = valueSet('urn:o', { include: [{ system: 'http://loinc.org' }] });
  assert.deepEqual(await membership.check(loinc, 'http://loinc.org', '8480-6'), { kind: 'unknown-system', system: 'http://loinc.org' });
});

/** fx-0 lists two codes; fx-i imports fx-(i-1) ten times over (a value set writer's exponential). */
function importTower(depth: number): ValueSetResource[] {
  const tower = [valueSet('urn:fx-0', { include: [{ system: CARDIO, concept: [{ code: 'HTA' }, { code: 'ASTH' }] }] })];
  for (let i = 1; i <= depth; i++) tower.push(valueSet(`urn:fx-${i}`, { include: [{ valueSet: Array.from({ length: 10 }, () => `urn:fx-${i - 1}`) }] }));
  return tower;
}

test('a value set imported many times over is expanded once: a tower of ten imports per level, eight levels deep, is immediate', async () => {
  const tower = importTower(8);
  const source = sourceWith(pathologies, ...tower);
  const top = tower[8] as ValueSetResource;
  const started = performance.now();
  assert.deepEqual((await new ValueSetExpander(source).expand(top)).map((c) => c.code), ['HTA', 'ASTH']);
  assert.equal((await new ValueSetMembership(source).check(top, CARDIO, 'ASTH')).kind, 'member');
  assert.equal((await new ValueSetMembership(source).check(top, CARDIO, 'ICC')).kind, 'absent');
  assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
});

test('a cycle through imports is refused by membership too; work beyond the budget is too-costly', async () => {
  const a = valueSet('urn:cycle-a', { include: [{ valueSet: ['urn:cycle-b'] }] });
  const b = valueSet('urn:cycle-b', { include: [{ system: CARDIO, concept: [{ code: 'HTA' }], valueSet: ['urn:cycle-a'] }] });
  await assert.rejects(new ValueSetMembership(sourceWith(pathologies, a, b)).check(a, CARDIO, 'HTA'), (e: { issues?: { params?: { url?: string } }[] }) =>
    e.issues?.[0]?.params?.url === 'urn:cycle-a');
  const wide = valueSet('urn:wide', { include: Array.from({ length: 20 }, () => ({ system: CARDIO })) });
  const tooCostly = (e: { status?: number; issues?: { type?: string; key?: string }[] }): boolean => e.status === 422 && e.issues?.[0]?.type === 'too-costly';
  await assert.rejects(new ValueSetExpander(sourceWith(pathologies), { budget: new WorkBudget(150) }).expand(wide), tooCostly);
  assert.equal((await new ValueSetExpander(sourceWith(pathologies), { budget: new WorkBudget(250) }).expand(wide)).length, 10);
});

test('membership in a version: an include pinned to another version does not hold the code; a version not held cannot be checked', async () => {
  const pinned = valueSet('urn:pinned', { include: [{ system: CARDIO, version: '1', concept: [{ code: 'HTA' }] }] });
  const membership = new ValueSetMembership(sourceWith(pathologies));
  assert.equal((await membership.check(pinned, CARDIO, 'HTA', '1')).kind, 'member');
  assert.equal((await membership.check(pinned, CARDIO, 'HTA', '2')).kind, 'absent');
  assert.deepEqual(await membership.check(cardiac, CARDIO, 'HTA', '2'), { kind: 'unknown-system', system: `${CARDIO}|2` });
  assert.equal((await membership.check(cardiac, CARDIO, 'HTA')).kind, 'member');
});

test('the text filter reads designations whether or not they are shown: a display option does not change which codes match', async () => {
  const hidden = await new ValueSetExpander(sourceWith(pathologies, cardiac), { text: textMatcher('blood') }).expand(cardiac);
  assert.deepEqual(hidden.map((c) => c.code), ['HTA']);
  assert.equal(hidden[0]?.designation, undefined);
  const shown = await new ValueSetExpander(sourceWith(pathologies, cardiac), { text: textMatcher('blood'), includeDesignations: true }).expand(cardiac);
  assert.deepEqual(shown.map((c) => [c.code, c.designation]), [['HTA', [{ language: 'en', value: 'High blood pressure' }]]]);
});
