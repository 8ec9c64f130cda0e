import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstRepeatedName, repeatedProperty } from './duplicate-keys.js';

const repeated = (text: string): string | undefined => repeatedProperty(text, JSON.parse(text));

test('a name repeated in one object is found, with its FHIRPath from the resource type', () => {
  assert.equal(repeated('{"resourceType":"Patient","gender":"male","gender":"female"}'), 'Patient.gender');
  assert.equal(repeated('{"resourceType":"Patient","name":[{"family":"A"},{"given":["B"],"family":"C","family":"D"}]}'), 'Patient.name[1].family');
  assert.equal(repeated('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","active":true,"active":false}}]}'), 'Bundle.entry[1].resource.active');
  assert.equal(repeated('[{"op":"add","op":"remove"}]'), '[0].op');
});

test('names are compared decoded: an escape spells the same name', () => {
  assert.equal(repeated('{"resourceType":"Patient","gender":"male","gend\\u0065r":"female"}'), 'Patient.gender');
  assert.equal(repeated('{"a\\"b":1,"a\\u0022b":2}'), 'a"b');
});

test('the same name in different objects, or inside strings, is no repetition', () => {
  assert.equal(repeated('{"resourceType":"Patient","name":[{"family":"A"},{"family":"B"}],"contact":[{"name":{"family":"C"}}]}'), undefined);
  assert.equal(repeated('{"a":"\\"a\\": 1, \\"a\\": 2","b":"x\\\\","c":{"a":1}}'), undefined);
  assert.equal(repeated('{"div":"<p>{\\"a\\":1,\\"a\\":2}</p>","n":[1,2.50,{"a":[]}]}'), undefined);
});

test('white space anywhere between tokens changes nothing', () => {
  const text = '{ "resourceType" : "Patient" ,\n  "name" : [ { "family" : "A" } ,\n { "family" : "B" , "family" : "C" } ] }';
  assert.equal(repeated(text), 'Patient.name[1].family');
});

test('no repetition in any JSON.stringify output, large objects included', () => {
  const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, { v: i, w: [i, `s${i}"\\`] }]));
  assert.equal(firstRepeatedName(JSON.stringify({ resourceType: 'Basic', wide, list: [wide, wide] })), -1);
  // The 200th name repeats the first, after the object's names moved to a Set.
  const text = `{${Array.from({ length: 200 }, (_, i) => `"k${i}":${i}`).join(',')},"k0":0}`;
  assert.equal(repeated(text), 'k0');
});
