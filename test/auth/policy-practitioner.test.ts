/**
 * The default professionals' policy through HTTP, on both backends: a
 * professional reads and writes the clinical data of the patients they are
 * in a care relationship with (Encounter participant, CareTeam member through
 * a PractitionerRole, active Consent), and reference data; nothing else.
 * Then a patient lists who accessed their data, with profession and
 * organisation, and nothing about anybody else.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';
const ids = (bundle: Json): string[] => (bundle.entry ?? []).map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`).sort();

forEachBackend('care-relationship policy', (server) => {
  let organization: Json; let doctor: Json; let other: Json;
  const patients: Record<'a' | 'b' | 'c' | 'd', Json> = {} as never;
  let obsA: Json; let obsD: Json;
  let asDoctor: TestServer;

  before(async () => {
    const s = server();
    organization = await s.create({ resourceType: 'Organization', name: 'Centre hospitalier de Lens' });
    doctor = await s.create({ resourceType: 'Practitioner', identifier: [{ system: ID_NAT_PS, value: '810000000017' }], name: [{ family: 'Curie', given: ['Marie'] }] });
    other = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Autre' }] });
    const role = await s.create({
      resourceType: 'PractitionerRole', practitioner: { reference: `Practitioner/${doctor.id}` }, organization: { reference: `Organization/${organization.id}` },
      code: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', code: '10', display: 'Médecin' }] }],
    });
    for (const key of ['a', 'b', 'c', 'd'] as const) patients[key] = await s.create({ resourceType: 'Patient', name: [{ family: `Patient-${key}` }] });
    await s.create({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patients.a.id}` }, participant: [{ individual: { reference: `Practitioner/${doctor.id}` } }] });
    await s.create({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patients.d.id}` }, participant: [{ individual: { reference: `Practitioner/${other.id}` } }] });
    await s.create({ resourceType: 'CareTeam', status: 'active', subject: { reference: `Patient/${patients.b.id}` }, participant: [{ member: { reference: `PractitionerRole/${role.id}` } }] });
    const consent = await s.post('Consent', {
      resourceType: 'Consent', status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${patients.c.id}` },
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      provision: { type: 'permit', actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP' }] }, reference: { reference: `Practitioner/${doctor.id}` } }] },
    });
    assert.equal(consent.status, 201, consent.text);
    const observation = (patient: Json) => ({ resourceType: 'Observation', status: 'final', code: { text: 'glycémie' }, subject: { reference: `Patient/${patient.id}` } });
    obsA = await s.create(observation(patients.a));
    obsD = await s.create(observation(patients.d));
    asDoctor = s.as({ kind: 'practitioner', subject: '810000000017', idnat: '810000000017', name: 'Dr Marie Curie', fhirUser: `Practitioner/${doctor.id}`, scopes: ['user/*.cruds'] });
  });

  test('patients in a care relationship (Encounter, CareTeam via role, Consent) are visible; others 404', async () => {
    for (const key of ['a', 'b', 'c'] as const) assert.equal((await asDoctor.get(`Patient/${patients[key].id}`)).status, 200, key);
    assert.equal((await asDoctor.get(`Patient/${patients.d.id}`)).status, 404);
    assert.equal((await asDoctor.get(`Observation/${obsA.id}`)).status, 200);
    assert.equal((await asDoctor.get(`Observation/${obsD.id}`)).status, 404);
  });

  test('searches and totals hold only related patients; reference data stays readable', async () => {
    const found = await asDoctor.get('Patient?_total=accurate');
    assert.deepEqual(ids(found.body), ['a', 'b', 'c'].map((k) => `Patient/${patients[k as 'a'].id}`).sort());
    assert.equal(found.body.total, 3);
    assert.deepEqual(ids((await asDoctor.get('Observation')).body), [`Observation/${obsA.id}`]);
    assert.equal((await asDoctor.get(`Organization/${organization.id}`)).status, 200);
    assert.equal((await asDoctor.get(`Practitioner/${other.id}`)).status, 200);
    const encounters = await asDoctor.get('Encounter?_include=Encounter:subject');
    assert.ok(!ids(encounters.body).includes(`Patient/${patients.d.id}`));
    // Access traces are not a professional's to read.
    assert.deepEqual(ids((await asDoctor.get('AuditEvent')).body), []);
  });

  test('writes: within a relationship only; an admission Encounter naming oneself starts one', async () => {
    const forD = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patients.d.id}` } };
    assert.equal((await asDoctor.post('Observation', forD)).status, 403);
    assert.equal((await asDoctor.post('Observation', { ...forD, subject: { reference: `Patient/${patients.a.id}` } })).status, 201);
    assert.equal((await asDoctor.put(`Observation/${obsD.id}`, { ...obsD, status: 'amended' })).status, 404);
    const admission = await asDoctor.post('Encounter', { resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, subject: { reference: `Patient/${patients.d.id}` }, participant: [{ individual: { reference: `Practitioner/${doctor.id}` } }] });
    assert.equal(admission.status, 201);
    assert.equal((await asDoctor.get(`Patient/${patients.d.id}`)).status, 200);
    assert.equal((await asDoctor.post('Observation', forD)).status, 201);
  });

  test('with a launch patient in the token, only that patient is open; without fhirUser, no patient', async () => {
    const launched = server().as({ kind: 'practitioner', fhirUser: `Practitioner/${doctor.id}`, patient: patients.a.id, scopes: ['patient/*.rs'] });
    assert.equal((await launched.get(`Patient/${patients.a.id}`)).status, 200);
    assert.equal((await launched.get(`Patient/${patients.b.id}`)).status, 404);
    const anonymousPro = server().as({ kind: 'practitioner', scopes: ['user/*.rs'] });
    assert.deepEqual(ids((await anonymousPro.get('Patient')).body), []);
  });

  test('a patient lists who accessed their data (profession, organisation), and nothing about others', async () => {
    const asA = server().as({ kind: 'patient', patient: patients.a.id, scopes: ['patient/*.rs'] });
    const listing = await asA.get('AuditEvent?_count=500');
    assert.equal(listing.status, 200);
    const events: Json[] = (listing.body.entry ?? []).map((e: Json) => e.resource);
    const byDoctor = events.filter((e) => e.agent.some((a: Json) => a.who?.reference === `Practitioner/${doctor.id}`));
    assert.ok(byDoctor.length > 0);
    const event = byDoctor[0] as Json;
    const user = event.agent.find((a: Json) => a.requestor);
    assert.equal(user.who.identifier.system, ID_NAT_PS);
    assert.equal(user.who.identifier.value, '810000000017');
    assert.equal(user.who.display, 'Dr Marie Curie');
    assert.ok(user.role.some((r: Json) => r.coding[0].code === '10' && r.coding[0].display === 'Médecin'));
    const org = event.agent.find((a: Json) => a.who?.reference === `Organization/${organization.id}`);
    assert.equal(org.who.display, 'Centre hospitalier de Lens');
    assert.ok(event.recorded);
    // Every record names Alice's patient only: nobody else's.
    for (const e of events) {
      const named = (e.entity ?? []).map((x: Json) => x.what?.reference).filter((r: string | undefined) => r?.startsWith('Patient/'));
      assert.ok(named.every((r: string) => r === `Patient/${patients.a.id}`), JSON.stringify(named));
    }
    // Refused attempts are traces too: D sees that the doctor tried to read their data before any relationship.
    const asD = server().as({ kind: 'patient', patient: patients.d.id, scopes: ['patient/*.rs'] });
    const refused: Json[] = ((await asD.get('AuditEvent?outcome=4&_count=100')).body.entry ?? []).map((e: Json) => e.resource);
    assert.ok(refused.some((e) => e.outcomeDesc === 'resource.not-found' && e.agent.some((a: Json) => a.who?.reference === `Practitioner/${doctor.id}`)));
    const aboutB = await server().get(`AuditEvent?patient=Patient/${patients.b.id}&_count=1`);
    const eventB = aboutB.body.entry[0].resource;
    assert.equal((await asA.get(`AuditEvent/${eventB.id}`)).status, 404);
    assert.deepEqual(ids((await asA.get(`AuditEvent?patient=Patient/${patients.b.id}`)).body), []);
  });
}, { auditWait: 'on' }); // the tests read the traces right after the accesses
