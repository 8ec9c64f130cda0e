/**
 * FHIRPath Patch on resource JSON (http://hl7.org/fhir/R4/fhirpatch.html),
 * after the cases of HL7's R4 patch test suite (fhir-test-cases,
 * r4/patch/fhir-patch-tests.xml: primitives, nested primitives, complex,
 * anonymous types, lists) and the JSON forms json.html sets for primitives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FhirError } from '../../../core/errors.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';
import { r4Schema } from '../../definitions/schema.js';
import { schemaIndex } from '../../validation/element-index.js';
import { applyFhirPathPatch } from './fhirpath-patch.js';

const index = schemaIndex(r4Schema());

type Part = Record<string, unknown>;

function operation(type: string, path: string, ...parts: Part[]): Part {
  return { name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...parts] };
}

function patched(resource: Record<string, unknown>, ...operations: Part[]): Record<string, unknown> {
  return applyFhirPathPatch(index, JSON.stringify(resource), { resourceType: 'Parameters', parameter: operations });
}

/** The reason of the patch.invalid a patch fails with. */
function refusal(resource: Record<string, unknown>, ...operations: Part[]): string {
  try {
    patched(resource, ...operations);
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    assert.equal(error.status, 422);
    assert.equal(error.issues[0]?.message, 'patch.invalid');
    return String(error.issues[0]?.params?.reason);
  }
  assert.fail('the patch applied');
}

const identifiers = (...values: string[]): Part[] => values.map((value) => ({ system: 'http://example.org', value }));
const listed = (resource: Record<string, unknown>): unknown[] => (resource.identifier as { value: string }[]).map((i) => i.value);

test('primitives are replaced, deleted and added', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01' };
  assert.deepEqual(patched(patient, operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1930-01-01' })), { resourceType: 'Patient', birthDate: '1930-01-01' });
  assert.deepEqual(patched(patient, operation('delete', 'Patient.birthDate')), { resourceType: 'Patient' });
  assert.deepEqual(
    patched({ resourceType: 'Patient' }, operation('add', 'Patient', { name: 'name', valueString: 'birthDate' }, { name: 'value', valueDate: '1930-01-01' })),
    { resourceType: 'Patient', birthDate: '1930-01-01' },
  );
});

test('numeric elements (decimal, integer, unsignedInt, a choice) are replaced and deleted', () => {
  const location = { resourceType: 'Location', position: { latitude: 50.63, longitude: 3.06 } };
  assert.deepEqual(patched(location, operation('replace', 'Location.position.latitude', { name: 'value', valueDecimal: 50.7 })).position, { latitude: 50.7, longitude: 3.06 });
  assert.deepEqual(patched(location, operation('delete', 'Location.position.longitude')).position, { latitude: 50.63 });
  const study = { resourceType: 'ImagingStudy', status: 'available', subject: { reference: 'Patient/x' }, numberOfSeries: 2 };
  assert.equal(patched(study, operation('replace', 'ImagingStudy.numberOfSeries', { name: 'value', valueUnsignedInt: 3 })).numberOfSeries, 3);
  const twin = { resourceType: 'Patient', multipleBirthInteger: 2 };
  assert.deepEqual(patched(twin, operation('replace', 'Patient.multipleBirth', { name: 'value', valueInteger: 1 })), { resourceType: 'Patient', multipleBirthInteger: 1 });
  const weight = { resourceType: 'Observation', status: 'final', code: { text: 'poids' }, valueQuantity: { value: 70, unit: 'kg' } };
  assert.deepEqual(patched(weight, operation('replace', 'Observation.value.value', { name: 'value', valueDecimal: 71.5 })).valueQuantity, { value: 71.5, unit: 'kg' });
});

test('nested primitives: a code replaced, a string replaced, one deleted, one added', () => {
  const patient = { resourceType: 'Patient', contact: [{ name: { text: 'a name' }, gender: 'male' }] };
  assert.deepEqual(patched(patient, operation('replace', 'Patient.contact[0].gender', { name: 'value', valueCode: 'female' })).contact, [{ name: { text: 'a name' }, gender: 'female' }]);
  assert.deepEqual(patched(patient, operation('replace', 'Patient.contact[0].name.text', { name: 'value', valueString: 'the name' })).contact, [{ name: { text: 'the name' }, gender: 'male' }]);
  assert.deepEqual(patched(patient, operation('delete', 'Patient.contact[0].gender')).contact, [{ name: { text: 'a name' } }]);
  const added = patched({ resourceType: 'Patient', contact: [{ name: { text: 'a name' } }] },
    operation('add', 'Patient.contact[0]', { name: 'name', valueString: 'gender' }, { name: 'value', valueCode: 'male' }));
  assert.deepEqual(added.contact, [{ name: { text: 'a name' }, gender: 'male' }]);
});

test('complex values: added, replaced as a whole (its id too) and deleted', () => {
  const married = patched({ resourceType: 'Patient' }, operation('add', 'Patient', { name: 'name', valueString: 'maritalStatus' }, { name: 'value', valueCodeableConcept: { text: 'married' } }));
  assert.deepEqual(married.maritalStatus, { text: 'married' });
  const replaced = patched({ resourceType: 'Patient', maritalStatus: { id: '1', text: 'married' } },
    operation('replace', 'Patient.maritalStatus', { name: 'value', valueCodeableConcept: { id: '2', text: 'not married' } }));
  assert.deepEqual(replaced.maritalStatus, { id: '2', text: 'not married' });
  assert.deepEqual(patched(married, operation('delete', 'Patient.maritalStatus')), { resourceType: 'Patient' });
});

test('an element with no datatype of its own is built from nested parts, typed by the model', () => {
  const result = patched({ resourceType: 'Patient' }, operation('add', 'Patient', { name: 'name', valueString: 'contact' }, {
    name: 'value',
    part: [
      { name: 'name', valueHumanName: { text: 'a name' } },
      { name: 'telecom', valueContactPoint: { system: 'phone', value: '01 02 03 04 05' } },
      { name: 'gender', valueCode: 'female' },
    ],
  }));
  // telecom repeats: an array even with one part.
  assert.deepEqual(result.contact, [{ name: { text: 'a name' }, telecom: [{ system: 'phone', value: '01 02 03 04 05' }], gender: 'female' }]);
  const observation = patched({ resourceType: 'Observation', status: 'final', code: { text: 'x' } },
    operation('add', 'Observation', { name: 'name', valueString: 'component' }, {
      name: 'value', part: [{ name: 'code', valueCodeableConcept: { text: 'systolic' } }, { name: 'value', valueQuantity: { value: 120, unit: 'mmHg' } }],
    }));
  assert.deepEqual(observation.component, [{ code: { text: 'systolic' }, valueQuantity: { value: 120, unit: 'mmHg' } }]);
});

test('lists: add appends, insert puts at the index, delete takes one out, move reorders', () => {
  const patient = { resourceType: 'Patient', identifier: identifiers('value 1', 'value 2') };
  const added = patched(patient, operation('add', 'Patient', { name: 'name', valueString: 'identifier' }, { name: 'value', valueIdentifier: identifiers('value 3')[0] }));
  assert.deepEqual(listed(added), ['value 1', 'value 2', 'value 3']);
  const inserted = (at: number): unknown[] => listed(patched(patient, operation('insert', 'Patient.identifier', { name: 'index', valueInteger: at }, { name: 'value', valueIdentifier: identifiers('value 3')[0] })));
  assert.deepEqual(inserted(1), ['value 1', 'value 3', 'value 2']);
  assert.deepEqual(inserted(0), ['value 3', 'value 1', 'value 2']);
  assert.deepEqual(inserted(2), ['value 1', 'value 2', 'value 3']);
  const three = { resourceType: 'Patient', identifier: identifiers('value 1', 'value 2', 'value 3') };
  assert.deepEqual(listed(patched(three, operation('delete', 'Patient.identifier[1]'))), ['value 1', 'value 3']);
  const four = { resourceType: 'Patient', identifier: identifiers('value 1', 'value 2', 'value 3', 'value 4') };
  const moved = (source: number, destination: number): unknown[] =>
    listed(patched(four, operation('move', 'Patient.identifier', { name: 'source', valueInteger: source }, { name: 'destination', valueInteger: destination })));
  assert.deepEqual(moved(3, 1), ['value 1', 'value 4', 'value 2', 'value 3']);
  assert.deepEqual(moved(3, 0), ['value 4', 'value 1', 'value 2', 'value 3']);
  assert.deepEqual(moved(0, 3), ['value 2', 'value 3', 'value 4', 'value 1']);
});

test('operations apply in order, each on the result of the one before', () => {
  const four = { resourceType: 'Patient', identifier: identifiers('value 1', 'value 2', 'value 3', 'value 4') };
  const move = (source: number, destination: number): Part =>
    operation('move', 'Patient.identifier', { name: 'source', valueInteger: source }, { name: 'destination', valueInteger: destination });
  assert.deepEqual(listed(patched(four, move(3, 0), move(3, 1), move(3, 2))), ['value 4', 'value 3', 'value 2', 'value 1']);
});

test('insert into an absent list at 0 creates it; beyond its end is refused', () => {
  const result = patched({ resourceType: 'Patient', name: [{ family: 'Martin' }] },
    operation('insert', 'Patient.name[0].given', { name: 'index', valueInteger: 0 }, { name: 'value', valueString: 'Jeanne' }));
  assert.deepEqual(result.name, [{ family: 'Martin', given: ['Jeanne'] }]);
  assert.match(refusal({ resourceType: 'Patient' }, operation('insert', 'Patient.identifier', { name: 'index', valueInteger: 1 }, { name: 'value', valueIdentifier: { value: 'x' } })), /beyond the end/);
});

test('a where() path selects the element to change', () => {
  const patient = { resourceType: 'Patient', identifier: [{ system: 'a', value: '1' }, { system: 'x', value: '2' }] };
  const result = patched(patient, operation('replace', "Patient.identifier.where(system='x').value", { name: 'value', valueString: '3' }));
  assert.deepEqual(result.identifier, [{ system: 'a', value: '1' }, { system: 'x', value: '3' }]);
  assert.deepEqual(patched(patient, operation('delete', "Patient.identifier.where(system='x')")).identifier, [{ system: 'a', value: '1' }]);
});

test('delete: nothing found is no change, several found is refused, the last item takes its list away', () => {
  const patient = { resourceType: 'Patient', identifier: identifiers('value 1', 'value 2') };
  assert.deepEqual(patched(patient, operation('delete', "Patient.identifier.where(system='nowhere')")), patient);
  assert.match(refusal(patient, operation('delete', 'Patient.identifier')), /selects 2 elements/);
  assert.deepEqual(patched({ resourceType: 'Patient', identifier: identifiers('x') }, operation('delete', 'Patient.identifier')), { resourceType: 'Patient' });
});

test('a primitive list keeps its extensions with their values', () => {
  const extension = { extension: [{ url: 'http://example.org/e', valueString: 'B' }] };
  const patient = { resourceType: 'Patient', name: [{ given: ['A', 'B', 'C'], _given: [null, extension, null] }] };
  const deleted = patched(patient, operation('delete', 'Patient.name[0].given[0]'));
  assert.deepEqual(deleted.name, [{ given: ['B', 'C'], _given: [extension, null] }]);
  const moved = patched(patient, operation('move', 'Patient.name[0].given', { name: 'source', valueInteger: 1 }, { name: 'destination', valueInteger: 2 }));
  assert.deepEqual(moved.name, [{ given: ['A', 'C', 'B'], _given: [null, null, extension] }]);
  const inserted = patched(patient, operation('insert', 'Patient.name[0].given', { name: 'index', valueInteger: 0 }, { name: 'value', valueString: 'Z' }));
  assert.deepEqual(inserted.name, [{ given: ['Z', 'A', 'B', 'C'], _given: [null, null, extension, null] }]);
  // Replacing a value replaces the element: its extensions go with the old value.
  const replaced = patched(patient, operation('replace', 'Patient.name[0].given[1]', { name: 'value', valueString: 'Y' }));
  assert.deepEqual(replaced.name, [{ given: ['A', 'Y', 'C'] }]);
});

test('extensions of a primitive are elements too: added, and deleted without leaving an empty object', () => {
  const birthTime = { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1974-12-25T14:35:45-05:00' };
  const added = patched({ resourceType: 'Patient', birthDate: '1974-12-25' },
    operation('add', 'Patient.birthDate', { name: 'name', valueString: 'extension' }, { name: 'value', valueExtension: birthTime }));
  assert.deepEqual(added, { resourceType: 'Patient', birthDate: '1974-12-25', _birthDate: { extension: [birthTime] } });
  assert.deepEqual(patched(added, operation('delete', 'Patient.birthDate.extension')), { resourceType: 'Patient', birthDate: '1974-12-25' });
});

test('a choice element takes the type of its value, and changes JSON name with it', () => {
  const patient = { resourceType: 'Patient', deceasedBoolean: false };
  assert.deepEqual(patched(patient, operation('replace', 'Patient.deceased', { name: 'value', valueDateTime: '2020-02-03' })), { resourceType: 'Patient', deceasedDateTime: '2020-02-03' });
  assert.match(refusal(patient, operation('replace', 'Patient.deceased', { name: 'value', valueString: 'yes' })), /type string cannot go there/);
  const observation = patched({ resourceType: 'Observation', status: 'final', code: { text: 'x' } },
    operation('add', 'Observation', { name: 'name', valueString: 'value' }, { name: 'value', valueQuantity: { value: 1 } }));
  assert.deepEqual(observation.valueQuantity, { value: 1 });
});

test('values of the wrong type are refused', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01' };
  assert.match(refusal(patient, operation('replace', 'Patient.birthDate', { name: 'value', valueHumanName: { text: 'x' } })), /HumanName cannot go there/);
  assert.match(refusal(patient, operation('add', 'Patient', { name: 'name', valueString: 'maritalStatus' }, { name: 'value', valueCoding: { code: 'M' } })), /Coding cannot go there/);
  assert.match(refusal(patient, operation('add', 'Patient', { name: 'name', valueString: 'contact' }, { name: 'value', part: [{ name: 'nickname', valueString: 'x' }] })), /no element nickname/);
  assert.match(refusal(patient, operation('add', 'Patient', { name: 'name', valueString: 'favouriteColour' }, { name: 'value', valueString: 'blue' })), /Patient has no element favouriteColour/);
});

test('add refuses a non-repeating element already there, and a path that selects nothing', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01', identifier: [{ use: 'official', value: '123' }] };
  assert.match(refusal(patient, operation('add', 'Patient', { name: 'name', valueString: 'birthDate' }, { name: 'value', valueDate: '1930-01-01' })), /already there/);
  assert.match(refusal(patient, operation('add', "Patient.identifier.where(use = 'official').period", { name: 'name', valueString: 'end' }, { name: 'value', valueDateTime: '2021-12-01' })), /selects 0 elements/);
});

test('paths that select no element of the resource, or no list, are refused', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01', name: [{ given: ['A'] }] };
  assert.match(refusal(patient, operation('replace', 'Patient.birthDate.toString()', { name: 'value', valueString: 'x' })), /not an element of the resource/);
  assert.match(refusal(patient, operation('replace', "Patient.name.given + 'x'", { name: 'value', valueString: 'x' })), /not an element of the resource/);
  assert.match(refusal(patient, operation('replace', 'Patient.(', { name: 'value', valueString: 'x' })), /cannot be evaluated/);
  assert.match(refusal(patient, operation('delete', 'Patient')), /the resource itself/);
  assert.match(refusal(patient, operation('move', 'Patient.name[0]', { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 0 })), /does not name a list/);
  assert.match(refusal(patient, operation('move', 'Patient.birthDate', { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 0 })), /not a repeating element/);
});

test('malformed Parameters are refused, naming the operation', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01' };
  const cases: [Part, RegExp][] = [
    [{ name: 'operation', part: [{ name: 'path', valueString: 'Patient.birthDate' }] }, /needs a type and a path/],
    [operation('remove', 'Patient.birthDate'), /unknown operation type remove/],
    [operation('replace', 'Patient.birthDate'), /replace needs a part value/],
    [operation('delete', 'Patient.birthDate', { name: 'value', valueDate: '1930-01-01' }), /delete takes no part value/],
    [operation('insert', 'Patient.identifier', { name: 'index', valueInteger: -1 }, { name: 'value', valueIdentifier: {} }), /index must be a valueInteger of 0 or more/],
    [operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1930-01-01', valueString: 'x' }), /exactly one of value\[x\], resource or part/],
    [{ name: 'patch', part: [] }, /must be named operation/],
    [{ ...operation('delete', 'Patient.birthDate'), valueString: 'x' }, /not by valueString/],
  ];
  for (const [parameter, reason] of cases) assert.match(refusal(patient, parameter), reason);
  assert.throws(() => applyFhirPathPatch(index, JSON.stringify(patient), { resourceType: 'Patient' }), /patch.invalid/);
});

test('a Parameters with no operation changes nothing', () => {
  const patient = { resourceType: 'Patient', birthDate: '1920-01-01' };
  assert.deepEqual(applyFhirPathPatch(index, JSON.stringify(patient), { resourceType: 'Parameters' }), patient);
});

test('a contained resource is added from a resource part', () => {
  const organisation = { resourceType: 'Organization', id: 'o1', name: 'Clinique' };
  const result = patched({ resourceType: 'Patient' }, operation('add', 'Patient', { name: 'name', valueString: 'contained' }, { name: 'value', resource: organisation }));
  assert.deepEqual(result.contained, [organisation]);
  const renamed = patched(result, operation('replace', 'Patient.contained.ofType(Organization).name', { name: 'value', valueString: 'Hôpital' }));
  assert.deepEqual(renamed.contained, [{ ...organisation, name: 'Hôpital' }]);
});

/** The reviewer's path: ten-item literals nested in six select(), 27 s and 1 GB of work before any limit. */
function explosive(): string {
  let expression = '(1|2|3|4|5|6|7|8|9|0)';
  for (let i = 0; i < 6; i += 1) expression = `(1|2|3|4|5|6|7|8|9|0).select(${expression})`;
  return `Patient.where(${expression}.count() > 5)`;
}

test('a path whose cost could grow beyond the resource is refused before it runs, naming the limit', () => {
  const patient = { resourceType: 'Patient', name: [{ given: ['A'] }], identifier: identifiers('1') };
  const started = performance.now();
  // Its first refused part: the literals' unions, before the select()s.
  assert.match(refusal(patient, operation('delete', explosive())), /is refused: the union operator \| is not allowed in a patch path/);
  assert.ok(performance.now() - started < 1000, 'refused without being evaluated');
  const refused: [string, RegExp][] = [
    ['Patient.name.select(given).first()', /the function select\(\) is not allowed in a patch path, which only finds an element \(allowed: where\(\)/],
    ['Patient.name.repeat(given)', /repeat\(\) is not allowed/],
    ['Patient.descendants().where(true)', /descendants\(\) is not allowed/],
    ['Patient.name.combine(Patient.name).first()', /combine\(\) is not allowed/],
    ["Patient.name.where(given.aggregate($this + $total, '') = 'A')", /aggregate\(\) is not allowed/],
    ["Patient.name.where(iif(true, true, false))", /iif\(\) is not allowed/],
    ["Patient.name.where(given.matches('(a+)+$'))", /matches\(\) is not allowed/],
    ['Patient.name | Patient.identifier', /the union operator \| is not allowed/],
    ['Patient.name.where(%resource.name.exists())', /%resource may start the path itself, not a function's argument/],
    ['Patient.identifier[%resource.name.count()]', /%resource may start the path itself/],
    ['Patient.name.where(given.where(extension.where(value.where(true).exists()).exists()).exists())', /criteria \(where\(\), exists\(\), all\(\)\) nest at most 3 deep/],
    [`Patient.identifier.where(${Array(8).fill('type.coding.extension.value.exists()').join(' and ')})`, /a patch path takes at most 32 steps \(names and function calls\), not 43/],
    [`Patient.extension('${'x'.repeat(1000)}')`, /a path of 1021 characters is longer than the 1000 a patch path may have/],
  ];
  for (const [path, reason] of refused) assert.match(refusal(patient, operation('delete', path)), reason, path);
});

test('the paths patches are written with still select their element', () => {
  const official = { resourceType: 'Patient', name: [{ use: 'usual', given: ['Jo'] }, { use: 'official', given: ['Jeanne'] }] };
  assert.deepEqual(patched(official, operation('replace', "Patient.name.where(use='official').given", { name: 'value', valueString: 'Marie' })).name,
    [{ use: 'usual', given: ['Jo'] }, { use: 'official', given: ['Marie'] }]);
  assert.deepEqual(patched(official, operation('delete', 'Patient.name.first()')).name, [{ use: 'official', given: ['Jeanne'] }]);
  assert.deepEqual(patched(official, operation('delete', 'Patient.name.last().given')).name, [{ use: 'usual', given: ['Jo'] }, { use: 'official' }]);
  assert.deepEqual(patched(official, operation('delete', "%resource.name.where(given.exists($this.startsWith('J') and length() = 2))")).name, [{ use: 'official', given: ['Jeanne'] }]);
  const observation = {
    resourceType: 'Observation', status: 'final', code: { text: 'tension' },
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg' } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mmHg' } },
    ],
    extension: [{ url: 'http://example.org/e', valueString: 'a' }],
  };
  const quantity = (value: number): Part => ({ name: 'value', valueQuantity: { value, unit: 'mmHg' } });
  const second = (result: Record<string, unknown>): unknown => (result.component as Record<string, unknown>[])[1]?.valueQuantity;
  assert.deepEqual(second(patched(observation, operation('replace', 'Observation.component[1].value', quantity(85)))), { value: 85, unit: 'mmHg' });
  assert.deepEqual(second(patched(observation, operation('replace', "Observation.component.where(code.coding.where(system = 'http://loinc.org' and code = '8462-4').exists()).value.ofType(Quantity)", quantity(90)))), { value: 90, unit: 'mmHg' });
  assert.deepEqual(second(patched(observation, operation('replace', 'Observation.component.skip(1).take(1).value as Quantity', quantity(95)))), { value: 95, unit: 'mmHg' });
  // Three criteria deep, an exists() without criteria at the bottom.
  const nested = "Observation.component.where(code.coding.where(extension.where(value.exists()).empty() and code = '8462-4').exists()).value";
  assert.deepEqual(second(patched(observation, operation('replace', nested, quantity(100)))), { value: 100, unit: 'mmHg' });
  assert.deepEqual(patched(observation, operation('replace', "Observation.extension('http://example.org/e').value", { name: 'value', valueString: 'b' })).extension,
    [{ url: 'http://example.org/e', valueString: 'b' }]);
});

test('resolve() finds a contained resource by its #id, and refuses any other reference', () => {
  const basic = {
    resourceType: 'Basic', code: { text: 'note' },
    contained: [{ resourceType: 'Organization', id: 'o1', name: 'Clinique' }, { resourceType: 'Organization', id: 'o2', name: 'Hôpital' }],
    author: { reference: '#o2' },
  };
  const result = patched(basic, operation('replace', 'Basic.author.resolve().name', { name: 'value', valueString: 'X' }));
  assert.deepEqual(result.contained, [{ resourceType: 'Organization', id: 'o1', name: 'Clinique' }, { resourceType: 'Organization', id: 'o2', name: 'X' }]);
  assert.match(refusal({ ...basic, author: { reference: '#nowhere' } }, operation('replace', 'Basic.author.resolve().name', { name: 'value', valueString: 'X' })), /selects 0 elements/);
  assert.match(refusal({ ...basic, author: { reference: 'Organization/o2' } }, operation('replace', 'Basic.author.resolve().name', { name: 'value', valueString: 'X' })),
    /resolve\(\) finds only the resources contained in the patched one \(#id\) in a patch path, not Organization\/o2/);
  assert.match(refusal(basic, operation('delete', "Basic.contained.where(id = 'o1' and %resource.author.resolve().exists())")), /%resource may start the path itself/);
});

test('a path the engine cannot finish is refused without the engine\'s words', () => {
  const reason = refusal({ resourceType: 'Patient' }, operation('delete', 'Patient.where(1.repeat($this + 1).exists())'));
  assert.doesNotMatch(reason, /Maximum call stack|RangeError/);
  assert.match(reason, /repeat\(\) is not allowed/);
});

/** A patch sent as text, decimals as written, and the patched resource as it would be stored. */
function patchedText(resource: string, operations: string): string {
  return stringifyJson(applyFhirPathPatch(index, resource, parseJson(`{"resourceType":"Parameters","parameter":${operations}}`)));
}

/** An operation in JSON text, with its value part written as given (`"valueDecimal":50.6300`). */
function operationText(type: string, path: string, ...parts: string[]): string {
  return `{"name":"operation","part":[{"name":"type","valueCode":"${type}"},{"name":"path","valueString":"${path}"}${parts.map((part) => `,${part}`).join('')}]}`;
}

test('decimals the patch writes keep their written precision, bare or in parts, in lists too', () => {
  const location = '{"resourceType":"Location","position":{"longitude":3.0570,"latitude":50.6290}}';
  assert.equal(patchedText(location, `[${operationText('replace', 'Location.position.latitude', '{"name":"value","valueDecimal":50.6300}')}]`),
    '{"resourceType":"Location","position":{"longitude":3.0570,"latitude":50.6300}}');
  // Written 50.629 over a stored 50.6290: the patch's text, not the stored one.
  assert.equal(patchedText(location, `[${operationText('replace', 'Location.position.latitude', '{"name":"value","valueDecimal":50.629}')}]`),
    '{"resourceType":"Location","position":{"longitude":3.0570,"latitude":50.629}}');
  assert.equal(patchedText('{"resourceType":"Location"}', `[${operationText('add', 'Location', '{"name":"name","valueString":"position"}',
    '{"name":"value","part":[{"name":"longitude","valueDecimal":3.0500},{"name":"latitude","valueDecimal":50.60}]}')}]`),
  '{"resourceType":"Location","position":{"longitude":3.0500,"latitude":50.60}}');
  const request = '{"resourceType":"MedicationRequest","status":"active","intent":"order","subject":{"reference":"Patient/p"},"dosageInstruction":[{"timing":{"code":{"text":"1/j"}}}]}';
  assert.match(patchedText(request, `[${operationText('add', 'MedicationRequest.dosageInstruction[0].timing', '{"name":"name","valueString":"repeat"}',
    '{"name":"value","part":[{"name":"frequency","valueInteger":1},{"name":"period","valueDecimal":1.0},{"name":"periodUnit","valueCode":"d"}]}')}]`), /"repeat":\{"frequency":1,"period":1\.0,"periodUnit":"d"\}/);
  const roc = '{"resourceType":"MolecularSequence","coordinateSystem":0,"quality":[{"type":"snp","roc":{"precision":[0.10,0.20]}}]}';
  const listed = (text: string): string => /"precision":\[([^\]]*)\]/.exec(text)?.[1] ?? '';
  assert.equal(listed(patchedText(roc, `[${operationText('insert', 'MolecularSequence.quality[0].roc.precision', '{"name":"index","valueInteger":0}', '{"name":"value","valueDecimal":0.50}')}]`)), '0.50,0.10,0.20');
  assert.equal(listed(patchedText(roc, `[${operationText('move', 'MolecularSequence.quality[0].roc.precision', '{"name":"source","valueInteger":0}', '{"name":"destination","valueInteger":1}')}]`)), '0.20,0.10');
  assert.equal(listed(patchedText(roc, `[${operationText('delete', 'MolecularSequence.quality[0].roc.precision[0]')}]`)), '0.20');
  assert.equal(listed(patchedText(roc, `[${operationText('add', 'MolecularSequence.quality[0].roc', '{"name":"name","valueString":"precision"}', '{"name":"value","valueDecimal":0.30}')}]`)), '0.10,0.20,0.30');
});
