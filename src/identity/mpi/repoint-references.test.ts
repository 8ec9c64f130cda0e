import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repointReferences, restoreReferences } from './repoint-references.js';

const BASE = 'http://x.test/fhir';

const observation = () => ({
  resourceType: 'Observation',
  subject: { reference: 'Patient/a' },
  performer: [{ reference: 'Practitioner/p' }, { reference: 'http://x.test/fhir/Patient/a/_history/3' }],
  hasMember: [{ reference: 'Patient/ab' }],
  focus: [{ reference: 'https://other.example/fhir/Patient/a' }, { reference: 'http://x.test/fhir-other/Patient/a' }],
  contained: [{ resourceType: 'Provenance', target: [{ reference: 'Patient/a' }] }],
});

test('every literal reference to the patient moves, in its own form, without a version; others stay', () => {
  const resource = observation();
  const moved = repointReferences(resource, 'a', 'b', BASE);
  assert.deepEqual(resource.subject, { reference: 'Patient/b' });
  assert.deepEqual(resource.performer, [{ reference: 'Practitioner/p' }, { reference: 'http://x.test/fhir/Patient/b' }]);
  assert.deepEqual(resource.hasMember, [{ reference: 'Patient/ab' }]);
  assert.deepEqual(resource.focus, observation().focus, 'Patient/a on another server\'s base is not the local one');
  assert.deepEqual(resource.contained[0]?.target, [{ reference: 'Patient/a' }], 'a contained resource keeps its own references');
  assert.deepEqual(moved.map((m) => m.path), [['subject', 'reference'], ['performer', 1, 'reference']]);
});

test('restoring puts back exactly what moved, unless it was changed since', () => {
  const resource = observation();
  const moved = repointReferences(resource, 'a', 'b', BASE);
  resource.subject.reference = 'Patient/c';
  assert.equal(restoreReferences(resource, moved), 1);
  assert.deepEqual(resource.subject, { reference: 'Patient/c' });
  assert.deepEqual(resource.performer[1], { reference: 'http://x.test/fhir/Patient/a/_history/3' });
});

test('a Patient\'s own links are not references to move', () => {
  const patient = { resourceType: 'Patient', link: [{ other: { reference: 'Patient/a' }, type: 'seealso' }], generalPractitioner: [{ reference: 'Patient/a' }] };
  assert.equal(repointReferences(patient, 'a', 'b', BASE).length, 1);
  assert.equal(patient.link[0]?.other.reference, 'Patient/a');
});
