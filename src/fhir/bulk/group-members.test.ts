import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupMembers } from './group-members.js';

test('current Patient members, relative or on this base, each once; inactive ones and those outside their period left out, others reported', () => {
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
      { entity: { reference: 'Patient/left' }, period: { start: '2019-01-01', end: '2020-01-01' } },
      { entity: { reference: 'Patient/later' }, period: { start: '2030-01-01' } },
      { entity: { reference: 'Patient/today' }, period: { start: '2019', end: '2024-06-15' } },
    ],
  }, 'http://socle/fhir', Date.parse('2024-06-15T18:00:00Z'));
  assert.deepEqual(members.patients, ['a', 'b', 'today']);
  assert.deepEqual(members.others, ['Group/g', 'http://elsewhere/fhir/Patient/d']);
  assert.deepEqual(groupMembers({ resourceType: 'Group' }, 'http://socle/fhir', Date.now()), { patients: [], others: [] });
});
