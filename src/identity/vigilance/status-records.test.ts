import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../../core/principal.js';
import { agentReference, reviewTask, statusAuditEntry, statusProvenance, type StatusChange } from './status-records.js';

const change: StatusChange = {
  patientId: 'p1', from: 'QUAL', to: 'PROV', now: Date.UTC(2026, 0, 2),
  reasons: [{ key: 'vigilance.reason.traits', params: { traits: 'family, birthdate' } }],
};

test('the author: fhirUser first, then idNat_PS, then the client; never a patient principal\'s INS', () => {
  const base = { clientId: 'app', scopes: [] };
  assert.deepEqual(agentReference({ ...base, kind: 'practitioner', subject: '81', fhirUser: 'Practitioner/x', display: 'Dr X' }), { reference: 'Practitioner/x', display: 'Dr X' });
  assert.deepEqual(agentReference({ ...base, kind: 'practitioner', subject: '81', nationalId: '810000000001' }).identifier, { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810000000001' });
  const patient: Principal = { ...base, kind: 'patient', subject: '285057800612345' };
  assert.ok(!JSON.stringify(agentReference(patient)).includes('285057800612345'));
  assert.deepEqual(agentReference({ ...base, kind: 'system', subject: 'gw' }).identifier, { system: 'urn:socle:client', value: 'app' });
  assert.match(String(agentReference(undefined).display), /inconnu/);
});

test('the Provenance and the Task say which traits changed, in French with English alongside, without values', () => {
  const provenance = statusProvenance(change) as any;
  assert.equal(provenance.reason[0].text, 'Statut de l’identité QUAL → PROV : traits INS modifiés : nom de naissance, date de naissance.');
  assert.equal(provenance.reason[0]._text.extension[0].extension[1].valueString, 'Identity status QUAL → PROV: INS traits changed: birth name, birth date.');
  assert.equal(provenance.recorded, '2026-01-02T00:00:00.000Z');
  const task = reviewTask(change) as any;
  assert.match(task.description, /^Revue d’identitovigilance : l’identité est passée de QUAL à PROV \(traits INS modifiés : nom de naissance, date de naissance\)/);
  assert.deepEqual([task.status, task.intent, task.focus.reference, task.for.reference], ['requested', 'order', 'Patient/p1', 'Patient/p1']);
  const entry = statusAuditEntry(change, ['Provenance/v1'], 'req-1');
  assert.deepEqual([entry.action, entry.interaction, entry.patients, entry.entities], ['U', 'identity-status:QUAL-PROV', ['p1'], ['Patient/p1', 'Provenance/v1']]);
});
