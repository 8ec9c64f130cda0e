/**
 * Patient/[id]/$everything (http://hl7.org/fhir/R4/patient-operation-everything.html):
 * the patient, its compartment and what those reference, paged like a search
 * with next links back to the operation; start and end bound the care dates,
 * _type the types, _since the record dates; one audit record per call, naming
 * the patient; a patient's token reaches only their own. On both backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ids = (bundle: Json, mode?: string): string[] => (bundle.entry ?? [])
  .filter((e: Json) => e.resource?.resourceType !== 'OperationOutcome' && (mode === undefined || e.search?.mode === mode))
  .map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`).sort();

async function allPages(server: TestServer, first: Json): Promise<string[]> {
  const seen = ids(first);
  let next = first.link?.find((l: Json) => l.relation === 'next')?.url as string | undefined;
  while (next) {
    const page = await server.get(next);
    assert.equal(page.status, 200, page.text);
    seen.push(...ids(page.body));
    next = page.body.link?.find((l: Json) => l.relation === 'next')?.url;
  }
  return [...new Set(seen)].sort();
}

forEachBackend('Patient $everything', (server) => {
  let alice: Json; let bob: Json; let doctor: Json;
  let aliceObs: Json; let aliceCondition: Json; let bobObs: Json;
  /** Carol's record spans several years: the care-date window tests read it. */
  let carol: Json; let nurse: Json; let care: Record<string, string>;

  before(async () => {
    const s = server();
    doctor = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Docteur' }] });
    alice = await s.create({ resourceType: 'Patient', name: [{ family: 'Alice' }], generalPractitioner: [{ reference: `Practitioner/${doctor.id}` }] });
    bob = await s.create({ resourceType: 'Patient', name: [{ family: 'Bob' }] });
    const observation = (patient: Json, extra: Json = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}` }, ...extra });
    aliceObs = await s.create(observation(alice, { performer: [{ reference: `Practitioner/${doctor.id}` }] }));
    aliceCondition = await s.create({ resourceType: 'Condition', subject: { reference: `Patient/${alice.id}` }, code: { text: 'asthme' } });
    bobObs = await s.create(observation(bob));

    carol = await s.create({ resourceType: 'Patient', name: [{ family: 'Carol' }] });
    nurse = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Infirmière' }] });
    const subject = { reference: `Patient/${carol.id}` };
    const made = async (resource: Json): Promise<string> => {
      const created = await s.create(resource as Json & { resourceType: string });
      return `${created.resourceType}/${created.id}`;
    };
    care = {
      // Observation.effective, R4's clinical-date: an instant, then a period across new year.
      obs2019: await made({ ...observation(carol), effectiveDateTime: '2019-06-15T10:00:00Z', performer: [{ reference: `Practitioner/${nurse.id}` }] }),
      obs2021: await made({ ...observation(carol), effectivePeriod: { start: '2020-12-20', end: '2021-01-10' } }),
      // No effective date: no care date to place it outside any window.
      undated: await made(observation(carol)),
      // Encounter.period (clinical-date), Condition.recordedDate, MedicationRequest.authoredOn (the table for types clinical-date leaves out).
      enc2023: await made({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject, period: { start: '2023-03-01T08:00:00Z', end: '2023-03-02T18:00:00Z' } }),
      cond2021: await made({ resourceType: 'Condition', subject, code: { text: 'asthme' }, onsetDateTime: '2005-01-01', recordedDate: '2021-05-01' }),
      med2022: await made({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'paracétamol' }, subject, authoredOn: '2022-02-02' }),
      // Coverage has no care date in R4: a window leaves it whole.
      coverage: await made({ resourceType: 'Coverage', status: 'active', beneficiary: subject, payor: [subject] }),
      patient: `Patient/${carol.id}`,
    };
  });

  test('gives the patient, its compartment and the resources they reference, nothing of another patient', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything`);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'searchset');
    const found = ids(result.body);
    assert.deepEqual(found, [`Condition/${aliceCondition.id}`, `Observation/${aliceObs.id}`, `Patient/${alice.id}`, `Practitioner/${doctor.id}`].sort());
    assert.ok(!found.includes(`Observation/${bobObs.id}`));
    assert.ok(!found.includes(`Patient/${bob.id}`));
    assert.deepEqual(ids(result.body, 'include'), [`Practitioner/${doctor.id}`]);
  });

  test('_type limits the compartment types', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything?_type=Condition`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Condition/${aliceCondition.id}`]);
  });

  test('_type limits every resource returned: the referenced ones, and the patient unless listed', async () => {
    // patient-operation-everything.html: "_type … resource types to include in the return resources".
    const observations = await server().get(`Patient/${alice.id}/$everything?_type=Observation`);
    assert.equal(observations.status, 200, observations.text);
    assert.deepEqual(ids(observations.body), [`Observation/${aliceObs.id}`]);
    const withPatient = await server().get(`Patient/${alice.id}/$everything?_type=Observation,Patient`);
    assert.deepEqual(ids(withPatient.body), [`Observation/${aliceObs.id}`, `Patient/${alice.id}`].sort());
    // A referenced type listed comes as an include (the performer, Alice's general practitioner).
    const withDoctor = await server().get(`Patient/${alice.id}/$everything?_type=Observation,Practitioner`);
    assert.deepEqual(ids(withDoctor.body), [`Observation/${aliceObs.id}`, `Practitioner/${doctor.id}`].sort());
    assert.deepEqual(ids(withDoctor.body, 'include'), [`Practitioner/${doctor.id}`]);
  });

  test('_since keeps what changed since then', async () => {
    const before = (await server().get(`Observation/${aliceObs.id}`)).body.meta.lastUpdated as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    const later = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'taille' }, subject: { reference: `Patient/${alice.id}` } });
    assert.ok(before < since);
    const result = await server().get(`Patient/${alice.id}/$everything?_since=${encodeURIComponent(since)}`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Observation/${later.id}`]);
    await server().delete(`Observation/${later.id}`);
  });

  test('_since keeps a resource updated at that very instant (the spec asks that no change be missed at a boundary)', async () => {
    const at = (await server().get(`Condition/${aliceCondition.id}`)).body.meta.lastUpdated as string;
    const result = await server().get(`Patient/${alice.id}/$everything?_since=${encodeURIComponent(at)}&_type=Condition`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Condition/${aliceCondition.id}`]);
  });

  test('_type takes several types, comma-separated or repeated, and refuses an unknown one', async () => {
    const expected = [`Condition/${aliceCondition.id}`, `Observation/${aliceObs.id}`].sort();
    const comma = await server().get(`Patient/${alice.id}/$everything?_type=Condition,Observation`);
    assert.equal(comma.status, 200, comma.text);
    assert.deepEqual(ids(comma.body, 'match'), expected);
    const repeated = await server().get(`Patient/${alice.id}/$everything?_type=Condition&_type=Observation`);
    assert.equal(repeated.status, 200, repeated.text);
    assert.deepEqual(ids(repeated.body, 'match'), expected);
    const unknown = await server().get(`Patient/${alice.id}/$everything?_type=Nonsense`);
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
  });

  test('_count pages, and following the next links gives everything', async () => {
    const first = await server().get(`Patient/${alice.id}/$everything?_count=1`);
    assert.equal(first.status, 200, first.text);
    assert.equal(ids(first.body, 'match').length, 1);
    assert.ok(first.body.link.some((l: Json) => l.relation === 'next'));
    const all = await allPages(server(), first.body);
    assert.deepEqual(all, [`Condition/${aliceCondition.id}`, `Observation/${aliceObs.id}`, `Patient/${alice.id}`, `Practitioner/${doctor.id}`].sort());
  });

  test('page links lead back to the operation with its own parameters', async () => {
    const first = await server().get(`Patient/${alice.id}/$everything?_count=1&_type=Observation,Condition`);
    assert.equal(first.status, 200, first.text);
    const next = new URL(first.body.link.find((l: Json) => l.relation === 'next').url as string);
    assert.match(next.pathname, new RegExp(`/Patient/${alice.id}/\\$everything$`));
    assert.equal(next.searchParams.get('_count'), '1');
    assert.equal(next.searchParams.get('_type'), 'Observation,Condition');
    assert.ok(next.searchParams.get('_cursor'));
    assert.equal(next.searchParams.get('_include'), null, 'the inner search’s parameters are not the operation’s');
  });

  test('an unknown parameter is reported in the Bundle, and refused under handling=strict', async () => {
    const lenient = await server().get(`Patient/${alice.id}/$everything?colour=blue`);
    assert.equal(lenient.status, 200, lenient.text);
    const notice = lenient.body.entry.find((e: Json) => e.search?.mode === 'outcome')?.resource;
    assert.equal(notice?.resourceType, 'OperationOutcome');
    assert.equal(notice.issue[0].severity, 'warning');
    assert.match(notice.issue[0].details.text, /colour/);
    const strict = await server().get(`Patient/${alice.id}/$everything?colour=blue`, { prefer: 'handling=strict' });
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.body.issue[0].details.coding[0].code, 'operation.parameter-unsupported');
    const known = await server().get(`Patient/${alice.id}/$everything?start=2020-01-01&_format=json`, { prefer: 'handling=strict' });
    assert.equal(known.status, 200, known.text);
  });

  test('POST with a Parameters resource takes the same parameters', async () => {
    const result = await server().post(`Patient/${alice.id}/$everything`, { resourceType: 'Parameters', parameter: [{ name: '_type', valueCode: 'Observation' }] });
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body, 'match'), [`Observation/${aliceObs.id}`]);
    const wrong = await server().post(`Patient/${alice.id}/$everything`, { resourceType: 'Patient' });
    assert.equal(wrong.status, 400, wrong.text);
    assert.equal(wrong.body.resourceType, 'OperationOutcome');
  });

  test('an invalid _since is a 400 naming _since', async () => {
    const result = await server().get(`Patient/${alice.id}/$everything?_since=notadate`);
    assert.equal(result.status, 400, result.text);
    assert.match(result.body.issue[0].details.text, /_since/);
  });

  test('an unknown patient is 404 and a deleted one 410, not an empty Bundle', async () => {
    assert.equal((await server().get('Patient/00000000-0000-4000-8000-000000000000/$everything')).status, 404);
    const gone = await server().create({ resourceType: 'Patient', name: [{ family: 'Parti' }] });
    assert.equal((await server().delete(`Patient/${gone.id}`)).status < 300, true);
    assert.equal((await server().get(`Patient/${gone.id}/$everything`)).status, 410);
  });

  test('a patient reaches their own record only, another patient’s answering as absent', async () => {
    const asAlice = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/*.rs'] });
    const own = await asAlice.get(`Patient/${alice.id}/$everything`);
    assert.equal(own.status, 200, own.text);
    const found = ids(own.body);
    assert.ok(found.includes(`Observation/${aliceObs.id}`));
    assert.ok(!found.includes(`Practitioner/${doctor.id}`), 'outside every compartment: not a patient’s to read');
    assert.equal((await asAlice.get(`Patient/${bob.id}/$everything`)).status, 404);
  });

  /** What $everything gives with `query`: all entries, or the matches only (an _include=* brings the subject Patient in). */
  const window = async (query: string, mode?: string): Promise<string[]> => {
    const result = await server().get(`Patient/${carol.id}/$everything?${query}`);
    assert.equal(result.status, 200, result.text);
    assert.ok(!result.body.entry.some((e: Json) => e.search?.mode === 'outcome'), 'nothing reported as ignored');
    return ids(result.body, mode);
  };
  const pick = (...names: string[]): string[] => names.map((name) => care[name] as string).sort();

  test('start and end keep what was cared for in the window, overlaps included, with the undated, the dateless types and the patient', async () => {
    assert.deepEqual(await window('start=2020-01-01&end=2021-12-31'), pick('obs2021', 'undated', 'cond2021', 'coverage', 'patient'));
  });

  test('start alone keeps everything from that day on', async () => {
    assert.deepEqual(await window('start=2022-01-01'), pick('med2022', 'enc2023', 'undated', 'coverage', 'patient'));
    assert.ok((await window('start=2021-01-10')).includes(care.obs2021 as string), 'a period ending on the start day overlaps');
  });

  test('end alone keeps everything up to that day, the day itself included', async () => {
    const nurseToo = (names: string[]): string[] => [...names, `Practitioner/${nurse.id}`].sort();
    assert.deepEqual(await window('end=2020-12-20'), nurseToo(pick('obs2019', 'obs2021', 'undated', 'coverage', 'patient')), 'a period begun on the end day overlaps');
    assert.deepEqual(await window('end=2019-06-15'), nurseToo(pick('obs2019', 'undated', 'coverage', 'patient')));
  });

  test('a resource left out by the window does not bring in what it references', async () => {
    const inWindow = await window('start=2019-01-01&end=2019-12');
    assert.deepEqual(inWindow, [...pick('obs2019', 'undated', 'coverage', 'patient'), `Practitioner/${nurse.id}`].sort());
    assert.ok(!(await window('start=2020')).includes(`Practitioner/${nurse.id}`));
  });

  test('the window pages: the next links carry it, and all pages together give the unpaged answer', async () => {
    const first = await server().get(`Patient/${carol.id}/$everything?start=2020-01-01&end=2021-12-31&_count=2`);
    assert.equal(first.status, 200, first.text);
    const next = new URL(first.body.link.find((l: Json) => l.relation === 'next').url as string);
    assert.equal(next.searchParams.get('start'), '2020-01-01');
    assert.equal(next.searchParams.get('end'), '2021-12-31');
    assert.deepEqual(await allPages(server(), first.body), pick('obs2021', 'undated', 'cond2021', 'coverage', 'patient'));
  });

  test('the window combines with _type and _since', async () => {
    assert.deepEqual(await window('start=2020-01-01&_type=Observation', 'match'), pick('obs2021', 'undated'));
    const since = (await server().get(care.med2022 as string)).body.meta.lastUpdated as string;
    assert.deepEqual(await window(`start=2020-01-01&_type=Observation,MedicationRequest&_since=${encodeURIComponent(since)}`, 'match'), pick('med2022'));
  });

  test('POST takes start and end as valueDate parameters, and handling=strict accepts them', async () => {
    const result = await server().post(`Patient/${carol.id}/$everything`, {
      resourceType: 'Parameters', parameter: [{ name: 'start', valueDate: '2022-01-01' }, { name: 'end', valueDate: '2022-12-31' }],
    }, { prefer: 'handling=strict' });
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(ids(result.body), pick('med2022', 'undated', 'coverage', 'patient'));
  });

  test('a start or end that is not a date, or an end before the start, is a 400 naming it', async () => {
    for (const query of ['start=yesterday', 'end=2021-13-01', 'start=2021-01-01T00:00:00Z', 'start=2022-01-01&end=2021-12-31']) {
      const result = await server().get(`Patient/${carol.id}/$everything?${query}`);
      assert.equal(result.status, 400, `${query}: ${result.text}`);
      assert.match(result.body.issue[0].details.text, query.includes('end=') ? /end/ : /start/, query);
    }
  });

  /** The access records of `patient`'s own requests since `since` (read by the operator: its reads are its own records). */
  async function ownRecords(patient: string, since: string): Promise<Json[]> {
    const found = await server().get(`AuditEvent?agent=Patient/${patient}&date=ge${encodeURIComponent(since)}&_count=200`);
    assert.equal(found.status, 200, found.text);
    return (found.body.entry ?? []).map((e: Json) => e.resource);
  }

  test('one call is one audit record: the operation, naming the patient', async () => {
    const asCarol = server().as({ kind: 'patient', patient: carol.id, fhirUser: `Patient/${carol.id}`, scopes: ['patient/*.rs'] });
    const since = new Date().toISOString();
    const result = await asCarol.get(`Patient/${carol.id}/$everything?start=2020-01-01`);
    assert.equal(result.status, 200, result.text);
    const records = await ownRecords(carol.id, since);
    assert.equal(records.length, 1, JSON.stringify(records.map((r) => r.subtype)));
    const [record] = records as [Json];
    assert.deepEqual(record.subtype.map((c: Json) => c.code), ['operation', 'everything']);
    assert.equal(record.action, 'E');
    assert.equal(record.outcome, '0');
    const patients = record.entity.filter((e: Json) => e.role?.code === '1').map((e: Json) => e.what.reference);
    assert.deepEqual(patients, [`Patient/${carol.id}`]);
    // Which part of the record was shown: the operation's parameters, as a search's query is kept (BALP entity.query).
    const queries = record.entity.filter((e: Json) => e.query).map((e: Json) => Buffer.from(e.query, 'base64').toString());
    assert.deepEqual(queries, ['start=2020-01-01']);
  });

  test('a posted Parameters entry that is no named object, or has no primitive value, answers 400', async () => {
    for (const entry of [null, 'start', { valueDate: '2021-01-01' }, { name: 'start', valueReference: { reference: 'Patient/x' } }]) {
      const result = await server().post(`Patient/${carol.id}/$everything`, { resourceType: 'Parameters', parameter: [entry] });
      assert.equal(result.status, 400, `${JSON.stringify(entry)}: ${result.text}`);
      assert.equal(result.body.resourceType, 'OperationOutcome');
    }
  });

  test('a posted $everything keeps its parameters in its audit record too', async () => {
    const asCarol = server().as({ kind: 'patient', patient: carol.id, fhirUser: `Patient/${carol.id}`, scopes: ['patient/*.rs'] });
    const since = new Date().toISOString();
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'start', valueDate: '2021-02-03' }, { name: '_type', valueString: 'Observation' }] };
    const result = await asCarol.post(`Patient/${carol.id}/$everything`, parameters);
    assert.equal(result.status, 200, result.text);
    const [record, ...more] = await ownRecords(carol.id, since);
    assert.equal(more.length, 0);
    const queries = (record as Json).entity.filter((e: Json) => e.query).map((e: Json) => Buffer.from(e.query, 'base64').toString());
    assert.deepEqual(queries, ['start=2021-02-03&_type=Observation']);
  });

  test('an answer with no match and a next page are each one record naming the patient too', async () => {
    const asCarol = server().as({ kind: 'patient', patient: carol.id, fhirUser: `Patient/${carol.id}`, scopes: ['patient/*.rs'] });
    let since = new Date().toISOString();
    const empty = await asCarol.get(`Patient/${carol.id}/$everything?_type=AllergyIntolerance`);
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(ids(empty.body), []);
    let records = await ownRecords(carol.id, since);
    assert.equal(records.length, 1);
    assert.deepEqual(records[0]?.entity.filter((e: Json) => e.role?.code === '1').map((e: Json) => e.what.reference), [`Patient/${carol.id}`]);
    const first = await asCarol.get(`Patient/${carol.id}/$everything?_count=2`);
    const next = first.body.link.find((l: Json) => l.relation === 'next').url as string;
    since = new Date().toISOString();
    assert.equal((await asCarol.get(next)).status, 200);
    records = await ownRecords(carol.id, since);
    assert.equal(records.length, 1);
    assert.deepEqual(records[0]?.subtype.map((c: Json) => c.code), ['operation', 'everything']);
  });

  test('the CapabilityStatement lists the operation on Patient', async () => {
    const capability = await server().get('metadata');
    const patient = capability.body.rest[0].resource.find((r: Json) => r.type === 'Patient');
    const operation = patient.operation.find((o: Json) => o.name === 'everything');
    assert.equal(operation?.definition, 'http://hl7.org/fhir/OperationDefinition/Patient-everything');
  });
}, { auditWait: 'on' }); // the audit tests read the records right after the calls
