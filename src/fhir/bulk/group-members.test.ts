import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupMembers } from './group-members.js';

test('active Patient members, relative or on this base, each once; inactive ones left out, others reported', () => {
  const members = groupMembers({
    resourceType: 'Group', type: 'person', actual: true,
    member: [
      { entity: { reference: 'Patient/a' } },
      { entity: { reference: 'http://socle/fhir/Patient/b' } },
      { entity: { reference: 'Patient/a/_history/2' } },
      { entity: { reference: 'Patient/c' }, inactive: true },
      { entity: { reference: 'Group/g' } },
      { entity: { reference: 'http://elsewhere/fhir/Patient/d' } },
      { entity: { display: 'no reference' } },
    ],
  }, 'http://socle/fhir');
  assert.deepEqual(members.patients, ['a', 'b']);
  assert.deepEqual(members.others, ['Group/g', 'http://elsewhere/fhir/Patient/d']);
  assert.deepEqual(groupMembers({ resourceType: 'Group' }, 'http://socle/fhir'), { patients: [], others: [] });
});
