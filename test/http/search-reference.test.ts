/**
 * Reference search parameters (http://hl7.org/fhir/R4/search.html#reference):
 * "Type/id", a bare id (any target type), an absolute URL on this server,
 * the type modifier, :identifier on Reference.identifier, :missing, and
 * canonical references with an optional |version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, type Scope } from '../support/search.js';

const INS = 'urn:oid:1.2.250.1.213.1.4.8';
const LOINC = 'http://loinc.org';
const q = encodeURIComponent;

forEachBackend('search: reference parameters', (server) => {
  const observation = (s: Scope, extra: Record<string, unknown>) =>
    server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '29463-7' }] }, ...extra }));

  test('Type/id, bare id and an absolute URL of this server find the same resources', async () => {
    const s = newScope();
    const p1 = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Renard' }] }));
    const p2 = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Loup' }] }));
    const o1 = await observation(s, { subject: { reference: `Patient/${p1.id}` } });
    const o2 = await observation(s, { subject: { reference: `Patient/${p2.id}` } });
    const o1Versioned = await observation(s, { subject: { reference: `Patient/${p1.id}/_history/1` } });
    await observation(s, {});

    await expectIds(server(), `Observation?subject=Patient/${p1.id}&${s.q}`, [o1, o1Versioned]);
    await expectIds(server(), `Observation?subject=${p1.id}&${s.q}`, [o1, o1Versioned]);
    await expectIds(server(), `Observation?subject=${q(`${server().base}/Patient/${p1.id}`)}&${s.q}`, [o1, o1Versioned]);
    await expectIds(server(), `Observation?patient=${p2.id}&${s.q}`, [o2]);
    await expectIds(server(), `Observation?subject=Patient/${p1.id},Patient/${p2.id}&${s.q}`, [o1, o2, o1Versioned]);
    await expectIds(server(), `Observation?subject=Patient/unknown-${s.u}&${s.q}`, []);
    // Another type with the same id is another resource.
    await expectIds(server(), `Observation?subject=Group/${p1.id}&${s.q}`, []);
  });

  test('a bare id names any target type; the type modifier keeps one (both types holding it: search-ambiguous-id.test.ts)', async () => {
    const s = newScope();
    const id = `shared-${s.u}`;
    const patient = await server().put(`Patient/${id}`, s.mark({ resourceType: 'Patient', id, name: [{ family: 'Partage' }] }));
    assert.ok(patient.status === 201 || patient.status === 200, patient.text);
    const group = await server().put(`Group/${id}`, s.mark({ resourceType: 'Group', id, type: 'person', actual: true }));
    assert.ok(group.status === 201 || group.status === 200, group.text);
    const ofPatient = await observation(s, { subject: { reference: `Patient/${id}` } });
    const ofGroup = await observation(s, { subject: { reference: `Group/${id}` } });

    await expectIds(server(), `Observation?subject:Patient=${id}&${s.q}`, [ofPatient]);
    await expectIds(server(), `Observation?subject:Group=${id}&${s.q}`, [ofGroup]);
    await expectIds(server(), `Observation?subject:Device=${id}&${s.q}`, []);
    // patient= only ever targets Patient.
    await expectIds(server(), `Observation?patient=${id}&${s.q}`, [ofPatient]);
    // An id only a Group holds: the bare id finds the references to it.
    const groupOnly = await server().create(s.mark({ resourceType: 'Group', type: 'person', actual: true }));
    const ofGroupOnly = await observation(s, { subject: { reference: `Group/${groupOnly.id}` } });
    await expectIds(server(), `Observation?subject=${groupOnly.id}&${s.q}`, [ofGroupOnly]);
  });

  test('a reference to another server matches its absolute URL only', async () => {
    const s = newScope();
    const remote = `https://autre-serveur.example.org/fhir/Patient/${s.u}`;
    const external = await observation(s, { subject: { reference: remote } });
    const local = await observation(s, { subject: { reference: `Patient/${s.u}` } });
    await expectIds(server(), `Observation?subject=${q(remote)}&${s.q}`, [external]);
    await expectIds(server(), `Observation?subject=Patient/${s.u}&${s.q}`, [local]);
  });

  test('a versioned reference to another server is found by its exact URL, and by the URL without the version', async () => {
    const s = newScope();
    const remote = `https://autre-serveur.example.org/fhir/Patient/${s.u}`;
    const v3 = await observation(s, { subject: { reference: `${remote}/_history/3` } });
    const v4 = await observation(s, { subject: { reference: `${remote}/_history/4` } });
    await expectIds(server(), `Observation?subject=${q(`${remote}/_history/3`)}&${s.q}`, [v3]);
    await expectIds(server(), `Observation?subject=${q(remote)}&${s.q}`, [v3, v4]);
  });

  test('a stored absolute reference to the base this server answers with is a local reference', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Absolu' }] }));
    const absolute = await observation(s, { subject: { reference: `${server().base}/Patient/${patient.id}` } });
    await expectIds(server(), `Observation?subject=Patient/${patient.id}&${s.q}`, [absolute]);
  });

  test(':identifier searches Reference.identifier (system|value)', async () => {
    const s = newScope();
    const nir = `1${s.u.replace(/\D/g, '').padEnd(12, '7').slice(0, 12)}42`;
    const byIdentifier = await observation(s, { subject: { identifier: { system: INS, value: nir }, display: 'Patient identifié par INS' } });
    const otherSystem = await observation(s, { subject: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: nir } } });
    await observation(s, { subject: { reference: `Patient/${s.u}` } });

    await expectIds(server(), `Observation?subject:identifier=${q(`${INS}|${nir}`)}&${s.q}`, [byIdentifier]);
    await expectIds(server(), `Observation?subject:identifier=${nir}&${s.q}`, [byIdentifier, otherSystem]);
    await expectIds(server(), `Observation?subject:identifier=${q(`${INS}|0000`)}&${s.q}`, []);
  });

  test(':missing=true finds resources without the reference, :missing=false those with one', async () => {
    const s = newScope();
    const withSubject = await observation(s, { subject: { reference: `Patient/${s.u}` } });
    const without = await observation(s, {});
    await expectIds(server(), `Observation?subject:missing=true&${s.q}`, [without]);
    await expectIds(server(), `Observation?subject:missing=false&${s.q}`, [withSubject]);
    await expectIds(server(), `Observation?encounter:missing=true&${s.q}`, [withSubject, without]);
  });

  test('canonical references: url alone matches every version, url|version one', async () => {
    const s = newScope();
    const url = `http://socle.example.org/fhir/Questionnaire/phq9-${s.u}`;
    const response = (questionnaire: string) => server().create(s.mark({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire }));
    const v1 = await response(`${url}|1.0`);
    const v2 = await response(`${url}|2.0`);
    const unversioned = await response(url);
    const other = await response(`${url}-bis|1.0`);

    await expectIds(server(), `QuestionnaireResponse?questionnaire=${q(url)}&${s.q}`, [v1, v2, unversioned]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire=${q(`${url}|1.0`)}&${s.q}`, [v1]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire=${q(`${url}|2.0`)}&${s.q}`, [v2]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire=${q(`${url}|3.0`)}&${s.q}`, []);
    await expectIds(server(), `QuestionnaireResponse?questionnaire=${q(`${url}-bis`)}&${s.q}`, [other]);
    // :below (search.html#versions): the URL with every version, or a version and those below it.
    const v11 = await response(`${url}|1.1`);
    const v10b = await response(`${url}|10.0`);
    await expectIds(server(), `QuestionnaireResponse?questionnaire:below=${q(url)}&${s.q}`, [v1, v2, unversioned, v11, v10b]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire:below=${q(`${url}|1`)}&${s.q}`, [v1, v11]);
  });

  test('a reference parameter that is not a canonical in the model: MedicationRequest requester by type', async () => {
    const s = newScope();
    const practitioner = await server().create(s.mark({ resourceType: 'Practitioner', name: [{ family: 'Prescripteur' }] }));
    const organization = await server().create(s.mark({ resourceType: 'Organization', name: `CH ${s.u}` }));
    const request = (requester: string) => server().create(s.mark({
      resourceType: 'MedicationRequest', status: 'active', intent: 'order',
      medicationCodeableConcept: { text: 'Paracétamol 500 mg' },
      subject: { reference: `Patient/${s.u}` },
      requester: { reference: requester },
    }));
    const byPractitioner = await request(`Practitioner/${practitioner.id}`);
    const byOrganization = await request(`Organization/${organization.id}`);
    await expectIds(server(), `MedicationRequest?requester:Practitioner=${practitioner.id}&${s.q}`, [byPractitioner]);
    await expectIds(server(), `MedicationRequest?requester=Organization/${organization.id}&${s.q}`, [byOrganization]);
    await expectIds(server(), `MedicationRequest?requester:Organization=${practitioner.id}&${s.q}`, []);
  });
});

/** With SOCLE_BASE_URL set, absolute references to that base are local references (references.html#literal). */
const PUBLIC_BASE = 'https://socle.example.test/fhir';

forEachBackend('search: absolute references to the configured base', (server) => {
  test('a stored absolute reference to this server matches Type/id, the bare id and the absolute URL', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Absolu' }] }));
    const absolute = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { text: 'Poids' }, subject: { reference: `${PUBLIC_BASE}/Patient/${patient.id}` },
    }));
    const relative = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { text: 'Taille' }, subject: { reference: `Patient/${patient.id}` },
    }));
    await expectIds(server(), `Observation?subject=Patient/${patient.id}&${s.q}`, [absolute, relative]);
    await expectIds(server(), `Observation?subject=${patient.id}&${s.q}`, [absolute, relative]);
    await expectIds(server(), `Observation?subject=${q(`${PUBLIC_BASE}/Patient/${patient.id}`)}&${s.q}`, [absolute, relative]);
    await expectIds(server(), `Observation?subject.family=absolu&${s.q}`, [absolute, relative]);
    await expectIds(server(), `Patient?_has:Observation:subject:code:text=poids&${s.q}`, [patient]);
  });
}, { baseUrl: PUBLIC_BASE });
