import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../../definitions/schema.js';
import { requiredBindings } from '../bindings.js';
import { compileProfile } from './compile.js';
import { matchesPattern, sameValue } from './match.js';
import { ProfileRegistry } from './registry.js';
import type { StructureDefinitionJson } from './types.js';
import { validateAgainstProfile, type ProfileEnvironment } from './validate.js';

const schema = r4Schema();
const registry = new ProfileRegistry(schema);
const none = async (): Promise<undefined> => undefined;
const env: ProfileEnvironment = {
  schema,
  profile: (url) => registry.lookup(url, none),
  codeSet: async (url) => requiredBindings(schema).codeSet(url.split('|')[0] as string),
};

/** An Observation profile slicing component by a pattern on code, closed, ordered. */
const COMPONENTS: StructureDefinitionJson = {
  url: 'http://example.org/StructureDefinition/bp', type: 'Observation', derivation: 'constraint',
  snapshot: {
    element: [
      { id: 'Observation', path: 'Observation', min: 0, max: '*' },
      { id: 'Observation.component', path: 'Observation.component', min: 0, max: '*', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'closed', ordered: true } },
      { id: 'Observation.component:sys', path: 'Observation.component', sliceName: 'sys', min: 1, max: '1' },
      { id: 'Observation.component:sys.code', path: 'Observation.component.code', min: 1, max: '1', patternCodeableConcept: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] } },
      { id: 'Observation.component:dia', path: 'Observation.component', sliceName: 'dia', min: 0, max: '1' },
      { id: 'Observation.component:dia.code', path: 'Observation.component.code', min: 1, max: '1', patternCodeableConcept: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] } },
    ],
  },
};

function component(code: string): Record<string, unknown> {
  return { code: { coding: [{ system: 'http://loinc.org', code, display: 'x' }], text: 't' }, valueQuantity: { value: 1 } };
}

async function keys(components: unknown[]): Promise<string[]> {
  const profile = compileProfile(schema, COMPONENTS);
  assert.ok(profile);
  const issues = await validateAgainstProfile(env, { resourceType: 'Observation', component: components }, profile);
  return issues.map((i) => `${i.message} ${i.expression?.[0] ?? ''}`);
}

describe('pattern and fixed values (elementdefinition-definitions.html#ElementDefinition.pattern_x_)', () => {
  test('a pattern is contained: extra properties and array items are allowed, arrays match element-wise', () => {
    const pattern = { coding: [{ system: 'http://loinc.org', code: '8480-6' }] };
    assert.ok(matchesPattern({ coding: [{ system: 'x', code: 'y' }, { system: 'http://loinc.org', code: '8480-6', display: 'Systolic' }], text: 's' }, pattern));
    assert.ok(!matchesPattern({ coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, pattern));
    assert.ok(!matchesPattern({ text: 'only text' }, pattern));
    assert.ok(matchesPattern('a', 'a') && !matchesPattern('a', 'b'));
  });

  test('a fixed value is exact: an extra property breaks it', () => {
    assert.ok(sameValue({ system: 's', code: 'c' }, { code: 'c', system: 's' }));
    assert.ok(!sameValue({ system: 's', code: 'c', display: 'd' }, { system: 's', code: 'c' }));
    assert.ok(!sameValue(['a', 'b'], ['b', 'a']));
  });
});

describe('slicing (profiling.html#slicing)', () => {
  test('items are sorted into slices by the pattern at the discriminator path', async () => {
    assert.deepEqual(await keys([component('8480-6'), component('8462-4')]), []);
  });

  test('a required slice missing, a slice over its maximum, an item in no slice of a closed slicing, slices out of order', async () => {
    assert.deepEqual(await keys([component('8462-4')]), ['profile.slice-min Observation.component']);
    assert.deepEqual(await keys([component('8480-6'), component('8480-6')]), ['profile.slice-max Observation.component']);
    assert.deepEqual(await keys([component('8480-6'), component('0000-0')]), ['profile.slice-closed Observation.component[1]']);
    assert.deepEqual(await keys([component('8462-4'), component('8480-6')]), ['profile.slice-order Observation.component']);
  });

  test('a discriminator that is a FHIRPath function is said unsupported, not guessed', async () => {
    const definition = structuredClone(COMPONENTS) as { snapshot: { element: Record<string, unknown>[] } };
    (definition.snapshot.element[1] as { slicing: unknown }).slicing = { discriminator: [{ type: 'value', path: 'code.resolve()' }], rules: 'closed' };
    const profile = compileProfile(schema, definition as StructureDefinitionJson);
    assert.ok(profile);
    const issues = await validateAgainstProfile(env, { resourceType: 'Observation', component: [component('1')] }, profile);
    assert.deepEqual(issues.map((i) => [i.severity, i.message]), [['warning', 'profile.unsupported']]);
  });

  test('extensions are sliced by url, and an extension is checked against its HL7 definition', async () => {
    const found = await registry.lookup('http://hl7.org/fhir/StructureDefinition/bodyweight', none);
    assert.equal(found.kind, 'found');
    const birthPlace = await registry.lookup('http://hl7.org/fhir/StructureDefinition/patient-birthPlace', none);
    assert.ok(birthPlace.kind === 'found');
    const issues = await validateAgainstProfile(env, { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueString: 'Lille' }, birthPlace.profile);
    assert.deepEqual(issues.map((i) => i.message), ['profile.type']);
  });

  test('a StructureDefinition without a snapshot does not compile', () => {
    assert.equal(compileProfile(schema, { url: 'x', type: 'Patient' }), undefined);
  });
});
