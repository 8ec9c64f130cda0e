/**
 * SMART App Launch 2.0's query-narrowed scopes ("Finer-grained resource
 * constraints using search parameters") through HTTP on both backends:
 * `patient/Observation.rs?category=…|laboratory` reads and searches the
 * patient's laboratory results and nothing else — reads, searches and their
 * totals, _include, history — and grants no write.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ids = (bundle: Json): string[] => (bundle.entry ?? []).filter((e: Json) => e.resource?.resourceType !== 'OperationOutcome').map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`).sort();

forEachBackend('query-narrowed SMART scopes', (server) => {
  let alice: Json; let lab: Json; let vital: Json; let report: Json;
  let labOnly: TestServer;

  before(async () => {
    const s = server();
    alice = await s.create({ resourceType: 'Patient', name: [{ family: 'Alice' }] });
    const observation = (category: string) => ({
      resourceType: 'Observation', status: 'final', code: { text: category }, subject: { reference: `Patient/${alice.id}` },
      category: [{ coding: [{ system: CATEGORY, code: category }] }],
    });
    lab = await s.create(observation('laboratory'));
    vital = await s.create(observation('vital-signs'));
    report = await s.create({ resourceType: 'DiagnosticReport', status: 'final', code: { text: 'bilan' }, subject: { reference: `Patient/${alice.id}` }, result: [{ reference: `Observation/${lab.id}` }, { reference: `Observation/${vital.id}` }] });
    labOnly = s.as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: [`patient/Observation.rs?category=${CATEGORY}|laboratory`, 'patient/DiagnosticReport.rs'] });
  });

  test('reads: the laboratory result 200, the vital sign 404 as if absent', async () => {
    assert.equal((await labOnly.get(`Observation/${lab.id}`)).status, 200);
    assert.equal((await labOnly.get(`Observation/${vital.id}`)).status, 404);
    assert.equal((await labOnly.get(`Observation/${vital.id}/_history/1`)).status, 404);
    assert.equal((await labOnly.get(`Observation/${lab.id}/_history`)).status, 200);
  });

  test('searches return what the query matches, and totals count only that', async () => {
    const found = await labOnly.get('Observation?_total=accurate');
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(ids(found.body), [`Observation/${lab.id}`]);
    assert.equal(found.body.total, 1);
    const included = await labOnly.get(`DiagnosticReport?_id=${report.id}&_include=DiagnosticReport:result`);
    assert.deepEqual(ids(included.body), [`DiagnosticReport/${report.id}`, `Observation/${lab.id}`].sort());
  });

  test('the other letters of a narrowed scope, and other types, stay refused with insufficient_scope', async () => {
    const narrowWrite = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: [`patient/Observation.cruds?category=${CATEGORY}|laboratory`] });
    const created = await narrowWrite.request('POST', 'Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${alice.id}` } } });
    assert.equal(created.status, 403);
    assert.match(created.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    assert.equal((await labOnly.get('Condition')).status, 403);
  });

  test('chains and _has go only through what the scopes let the caller search', async () => {
    const vitalChain = await labOnly.get('DiagnosticReport?result:Observation.category=vital-signs');
    assert.equal(vitalChain.status, 200, vitalChain.text);
    assert.deepEqual(ids(vitalChain.body), [], 'the vital sign is outside the narrowed scope: no report found through it');
    assert.deepEqual(ids((await labOnly.get('DiagnosticReport?result:Observation.category=laboratory')).body), [`DiagnosticReport/${report.id}`]);
    const noObservations = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/Patient.rs'] });
    const probed = await noObservations.get('Patient?_has:Observation:subject:category=vital-signs');
    assert.equal(probed.status, 200, probed.text);
    assert.deepEqual(ids(probed.body), [], 'no Observation scope: _has through Observations finds nothing');
    // With the whole scope, the same searches find what they should.
    const whole = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/Patient.rs', 'patient/Observation.rs', 'patient/DiagnosticReport.rs'] });
    assert.deepEqual(ids((await whole.get('Patient?_has:Observation:subject:category=vital-signs')).body), [`Patient/${alice.id}`]);
    assert.deepEqual(ids((await whole.get('DiagnosticReport?result:Observation.category=vital-signs')).body), [`DiagnosticReport/${report.id}`]);
  });

  test('an operation, which does not apply the scope\'s query to what it answers, needs the whole scope', async () => {
    const femaleOnly = server().as({ kind: 'practitioner', subject: '810001000016', fhirUser: 'Practitioner/x', scopes: ['user/Patient.rs?gender=female'] });
    const asked = await femaleOnly.request('POST', 'Patient/$ins-retrieve', { body: { resourceType: 'Parameters', parameter: [{ name: 'family', valueString: 'DUPONT' }] } });
    assert.equal(asked.status, 403, asked.text);
    assert.match(asked.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    const whole = server().as({ kind: 'practitioner', subject: '810001000016', fhirUser: 'Practitioner/x', scopes: ['user/Patient.rs'] });
    const allowed = await whole.request('POST', 'Patient/$ins-retrieve', { body: { resourceType: 'Parameters', parameter: [{ name: 'family', valueString: 'DUPONT' }] } });
    assert.notEqual(allowed.status, 403, allowed.text);
  });

  test('a query Socle cannot check the same way on reads and searches grants nothing', async () => {
    const dated = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/Observation.rs?date=ge2020'] });
    assert.equal((await dated.get('Observation')).status, 403);
    assert.equal((await dated.get(`Observation/${lab.id}`)).status, 403);
  });
});
