/**
 * FHIR Bulk Data export (https://hl7.org/fhir/uv/bulkdata/export.html) through
 * HTTP on both backends: kick-off at system, Patient and Group level (202 and
 * Content-Location), polling until the manifest, NDJSON files equal to the
 * stored resources, _type, _since, _typeFilter and patient honoured, files
 * split at SOCLE_BULK_FILE_SIZE, the requester's reach applied, only the
 * requester sees the job, DELETE cancels, and the kick-off's refusals.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const ASYNC = { prefer: 'respond-async', accept: 'application/fhir+json' };
const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

async function kickOff(server: TestServer, path: string, body?: Json, prefer = ASYNC.prefer): Promise<string> {
  const headers = { ...ASYNC, prefer };
  const result = body === undefined ? await server.get(path, headers) : await server.post(path, body, headers);
  assert.equal(result.status, 202, result.text);
  const location = result.headers.get('content-location');
  assert.ok(location?.startsWith(server.base), `Content-Location: ${location}`);
  return location as string;
}

/** Polls the status URL until the export is no longer in progress (a deadline, not a timing assertion). */
async function completion(server: TestServer, statusUrl: string): Promise<Manifest> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await server.get(statusUrl);
    if (result.status !== 202) {
      assert.equal(result.status, 200, result.text);
      assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
      return JSON.parse(result.text) as Manifest;
    }
    assert.ok(result.headers.get('x-progress'), 'X-Progress while in progress');
    assert.ok(Number(result.headers.get('retry-after')) > 0, 'Retry-After while in progress');
    assert.ok(Date.now() < deadline, 'export still in progress after a minute');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A file's text, fetched as a bulk client does (the test helper would parse any *json body as one JSON document). */
async function download(server: TestServer, url: string): Promise<{ status: number; type: string; text: string }> {
  const authorization = await server.authorization();
  const response = await fetch(url, { headers: { accept: 'application/fhir+ndjson', ...(authorization ? { authorization } : {}) } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function lines(server: TestServer, url: string): Promise<Json[]> {
  const result = await download(server, url);
  assert.equal(result.status, 200, result.text);
  assert.match(result.type, /^application\/fhir\+ndjson/);
  assert.ok(result.text.endsWith('\n'));
  return result.text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

/** The exported resources by type, after checking each file's count. */
async function exported(server: TestServer, manifest: Manifest): Promise<Map<string, Json[]>> {
  const byType = new Map<string, Json[]>();
  for (const file of manifest.output) {
    const resources = await lines(server, file.url);
    assert.equal(resources.length, file.count, `count of ${file.url}`);
    for (const resource of resources) assert.equal(resource.resourceType, file.type);
    byType.set(file.type, [...(byType.get(file.type) ?? []), ...resources]);
  }
  return byType;
}

const refs = (resources: Json[] | undefined): string[] => (resources ?? []).map((r) => `${r.resourceType}/${r.id}`).sort();

/** Every resource of a search, page after page. */
async function allPages(server: TestServer, path: string): Promise<Json[]> {
  const found: Json[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: FhirResult<Json> = await server.get(next);
    assert.equal(page.status, 200, page.text);
    found.push(...(page.body.entry ?? []).map((e: Json) => e.resource));
    next = page.body.link?.find((l: Json) => l.relation === 'next')?.url;
  }
  return found;
}

async function runExport(server: TestServer, path: string, body?: Json): Promise<{ manifest: Manifest; byType: Map<string, Json[]> }> {
  const manifest = await completion(server, await kickOff(server, path, body));
  return { manifest, byType: await exported(server, manifest) };
}

forEachBackend('Bulk Data export', (server) => {
  let doctor: Json; let alice: Json; let bob: Json; let carol: Json; let group: Json; let organization: Json;
  const observations: Json[] = [];
  let aliceCondition: Json; let locationObservation: Json;

  before(async () => {
    const s = server();
    organization = await s.create({ resourceType: 'Organization', name: 'Centre hospitalier de Lens' });
    doctor = await s.create({ resourceType: 'Practitioner', identifier: [{ system: ID_NAT_PS, value: '810000000017' }], name: [{ family: 'Curie' }] });
    alice = await s.create({ resourceType: 'Patient', name: [{ family: 'Alice' }], birthDate: '1980-05-17' });
    bob = await s.create({ resourceType: 'Patient', name: [{ family: 'Bob' }] });
    carol = await s.create({ resourceType: 'Patient', name: [{ family: 'Carol' }] });
    for (const [patient, status] of [[alice, 'final'], [alice, 'preliminary'], [bob, 'final'], [carol, 'final'], [carol, 'amended']] as const) {
      // Sent as text: a decimal keeps its written precision (72.50), in the files too.
      const created = await s.request('POST', 'Observation', {
        rawBody: `{"resourceType":"Observation","status":"${status}","code":{"text":"poids"},"subject":{"reference":"Patient/${patient.id}"},"valueQuantity":{"value":72.50,"unit":"kg"}}`,
        headers: { 'content-type': 'application/fhir+json' },
      });
      assert.equal(created.status, 201, created.text);
      observations.push(created.body);
    }
    aliceCondition = await s.create({ resourceType: 'Condition', subject: { reference: `Patient/${alice.id}` }, code: { text: 'asthme' } });
    const location = await s.create({ resourceType: 'Location', name: 'Salle 3' });
    // An Observation about a place: in no Patient compartment.
    locationObservation = await s.create({ resourceType: 'Observation', status: 'final', code: { text: 'température' }, subject: { reference: `Location/${location.id}` } });
    group = await s.create({
      resourceType: 'Group', type: 'person', actual: true,
      member: [{ entity: { reference: `Patient/${alice.id}` } }, { entity: { reference: `Patient/${bob.id}` } }, { entity: { reference: `Patient/${carol.id}` }, inactive: true }],
    });
    await s.create({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${alice.id}` }, participant: [{ individual: { reference: `Practitioner/${doctor.id}` } }] });
  });

  test('system level: 202 with Content-Location, then a manifest whose files hold the stored resources', async () => {
    const s = server();
    const { manifest, byType } = await runExport(s, '$export?_type=Patient,Observation,Organization,Condition');
    assert.equal(manifest.requiresAccessToken, true);
    assert.equal(manifest.request, `${s.base}/$export?_type=Patient%2CObservation%2COrganization%2CCondition`);
    assert.ok(!Number.isNaN(Date.parse(manifest.transactionTime)));
    assert.deepEqual(manifest.error, []);
    assert.deepEqual([...byType.keys()].sort(), ['Condition', 'Observation', 'Organization', 'Patient']);
    for (const [type, resources] of byType) {
      const total = (await s.get(`${type}?_total=accurate&_count=0`)).body.total;
      assert.equal(resources.length, total, `every ${type}`);
      // Each line is the resource as stored: what a read returns.
      for (const resource of resources) assert.deepEqual(resource, (await s.get(`${type}/${resource.id}`)).body);
    }
    assert.ok(byType.get('Observation')?.some((o) => o.id === observations[0]?.id));
    const files = await Promise.all(manifest.output.filter((f) => f.type === 'Observation').map((f) => download(s, f.url)));
    assert.ok(files.some((f) => f.text.includes('"value":72.50')), 'decimals keep their written precision');
  });

  test('without _type: every type the token may read, AuditEvent left out', async () => {
    const { byType } = await runExport(server(), '$export');
    assert.ok(byType.has('Patient') && byType.has('Location') && byType.has('Group'));
    assert.ok(!byType.has('AuditEvent'));
  });

  test('a type with more than SOCLE_BULK_FILE_SIZE is split into several files, counts adding up', async () => {
    const { manifest, byType } = await runExport(server(), '$export?_type=Observation');
    const files = manifest.output.filter((f) => f.type === 'Observation');
    assert.ok(files.length > 1, `${files.length} file(s)`);
    assert.equal(files.reduce((sum, f) => sum + f.count, 0), byType.get('Observation')?.length);
    assert.equal(new Set(refs(byType.get('Observation'))).size, byType.get('Observation')?.length, 'each resource once');
  });

  test('_since: only resources updated after it', async () => {
    const s = server();
    const latest = Math.max(...observations.map((o) => Date.parse(o.meta.lastUpdated)));
    // Creations later than `since` by at least a millisecond.
    while (Date.now() <= latest + 1) await new Promise((resolve) => setTimeout(resolve, 2));
    const since = new Date(Date.now()).toISOString();
    while (Date.now() <= Date.parse(since)) await new Promise((resolve) => setTimeout(resolve, 2));
    const fresh = await s.create({ resourceType: 'Observation', status: 'final', code: { text: 'taille' }, subject: { reference: `Patient/${bob.id}` } });
    observations.push(fresh);
    const { byType } = await runExport(s, `$export?_type=Observation,Patient&_since=${encodeURIComponent(since)}`);
    assert.deepEqual(refs(byType.get('Observation')), [`Observation/${fresh.id}`]);
    assert.equal(byType.has('Patient'), false);
  });

  test('_typeFilter: the type\'s searches (combined with OR) select what is exported; other types stay whole', async () => {
    const s = server();
    const finals = observations.filter((o) => o.status === 'final').map((o) => `Observation/${o.id}`);
    const one = await runExport(s, `$export?_type=Observation,Condition&_typeFilter=${encodeURIComponent('Observation?status=final')}`);
    assert.deepEqual(refs(one.byType.get('Observation')), [...finals, `Observation/${locationObservation.id}`].sort());
    assert.deepEqual(refs(one.byType.get('Condition')), [`Condition/${aliceCondition.id}`]);
    const two = await runExport(s, `$export?_type=Observation&_typeFilter=${encodeURIComponent(`Observation?status=preliminary,Observation?subject=Patient/${carol.id}`)}`);
    const expected = observations.filter((o) => o.status === 'preliminary' || o.subject.reference === `Patient/${carol.id}`).map((o) => `Observation/${o.id}`).sort();
    assert.deepEqual(refs(two.byType.get('Observation')), expected);
  });

  test('Patient level: only the resources of the patients\' compartments', async () => {
    const { byType } = await runExport(server(), 'Patient/$export');
    assert.deepEqual(refs(byType.get('Patient')).filter((r) => [alice, bob, carol].some((p) => r === `Patient/${p.id}`)).length, 3);
    // Group and Encounter are compartment types (member, subject); Organization, Location, Practitioner are not.
    assert.ok(!byType.has('Organization') && !byType.has('Location') && !byType.has('Practitioner'));
    const exportedObservations = refs(byType.get('Observation'));
    assert.ok(!exportedObservations.includes(`Observation/${locationObservation.id}`), 'an Observation about a place is in no compartment');
    assert.deepEqual(exportedObservations, observations.map((o) => `Observation/${o.id}`).sort());
  });

  test('Patient level with the patient parameter (POST Parameters): those patients only', async () => {
    const { byType } = await runExport(server(), 'Patient/$export', {
      resourceType: 'Parameters',
      parameter: [{ name: '_type', valueString: 'Patient,Observation,Condition' }, { name: 'patient', valueReference: { reference: `Patient/${alice.id}` } }],
    });
    assert.deepEqual(refs(byType.get('Patient')), [`Patient/${alice.id}`]);
    assert.deepEqual(refs(byType.get('Condition')), [`Condition/${aliceCondition.id}`]);
    assert.deepEqual(refs(byType.get('Observation')), observations.filter((o) => o.subject.reference === `Patient/${alice.id}`).map((o) => `Observation/${o.id}`).sort());
  });

  test('Group level: only the active members\' compartments, _typeFilter applied per patient', async () => {
    const s = server();
    const all = await runExport(s, `Group/${group.id}/$export?_type=Patient,Observation`);
    assert.deepEqual(refs(all.byType.get('Patient')), [`Patient/${alice.id}`, `Patient/${bob.id}`].sort());
    const members = (o: Json) => o.subject.reference === `Patient/${alice.id}` || o.subject.reference === `Patient/${bob.id}`;
    assert.deepEqual(refs(all.byType.get('Observation')), observations.filter(members).map((o) => `Observation/${o.id}`).sort());
    const finals = await runExport(s, `Group/${group.id}/$export?_type=Observation&_typeFilter=${encodeURIComponent('Observation?status=final')}`);
    assert.deepEqual(refs(finals.byType.get('Observation')), observations.filter((o) => members(o) && o.status === 'final').map((o) => `Observation/${o.id}`).sort());
    const notMember = await s.post(`Group/${group.id}/$export`, { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: `Patient/${carol.id}` } }] }, ASYNC);
    assert.equal(notMember.status, 400, notMember.text);
  });

  test('the requester\'s reach applies: a professional exports only the patients they care for', async () => {
    const s = server();
    const asDoctor = s.as({ kind: 'practitioner', subject: '810000000017', idnat: '810000000017', fhirUser: `Practitioner/${doctor.id}`, scopes: ['user/*.rs'] });
    const { byType } = await runExport(asDoctor, 'Patient/$export?_type=Patient,Observation');
    assert.deepEqual(refs(byType.get('Patient')), [`Patient/${alice.id}`]);
    assert.deepEqual(refs(byType.get('Observation')), observations.filter((o) => o.subject.reference === `Patient/${alice.id}`).map((o) => `Observation/${o.id}`).sort());
  });

  test('the export is audited: the kick-off and every search the job made, as the requester', async () => {
    const s = server();
    const exporter = s.as({ kind: 'system', subject: 'audited-client', clientId: 'audited-client', scopes: ['system/*.rs'] });
    await runExport(exporter, `Patient/$export?_type=Condition`);
    const events = await allPages(s, `AuditEvent?patient=Patient/${alice.id}`);
    const reads = events
      .filter((r: Json) => JSON.stringify(r.agent).includes('audited-client') && JSON.stringify(r.entity).includes(`Condition/${aliceCondition.id}`));
    assert.ok(reads.length >= 1, 'the job\'s read of the Condition is recorded against the patient, as the requester');
    const kickOffs = await allPages(s, 'AuditEvent?subtype=export');
    assert.ok(kickOffs.some((r: Json) => JSON.stringify(r.agent).includes('audited-client')), 'the kick-off is recorded');
  });

  test('only the requester (or an operator) sees the status and the files: others get 404', async () => {
    const s = server();
    const owner = s.as({ kind: 'system', subject: 'client-a', clientId: 'client-a', scopes: ['system/*.rs'] });
    const other = s.as({ kind: 'system', subject: 'client-b', clientId: 'client-b', scopes: ['system/*.rs'] });
    const statusUrl = await kickOff(owner, '$export?_type=Patient');
    const manifest = await completion(owner, statusUrl);
    assert.equal((await other.get(statusUrl)).status, 404);
    assert.equal((await download(other, manifest.output[0]?.url as string)).status, 404);
    assert.equal((await other.delete(statusUrl)).status, 404);
    assert.equal((await download(s.anonymous, manifest.output[0]?.url as string)).status, 401);
    // The operator may.
    assert.equal((await s.get(statusUrl)).status, 200);
    assert.equal((await owner.get(statusUrl)).status, 200);
  });

  test('DELETE on the status URL cancels the export and deletes its files', async () => {
    const s = server();
    const statusUrl = await kickOff(s, '$export');
    const deleted = await s.delete(statusUrl);
    assert.equal(deleted.status, 202, deleted.text);
    assert.equal((await s.get(statusUrl)).status, 404);
    const finishedStatus = await kickOff(s, '$export?_type=Patient');
    const file = (await completion(s, finishedStatus)).output[0]?.url as string;
    assert.equal((await download(s, file)).status, 200);
    assert.equal((await s.delete(finishedStatus)).status, 202);
    assert.equal((await s.get(finishedStatus)).status, 404);
    assert.equal((await download(s, file)).status, 404, 'the files of a deleted export are gone');
  });

  test('kick-off refusals: no Prefer: respond-async (400), a bad _outputFormat (400), a patient\'s token (403), a type outside the compartment (400)', async () => {
    const s = server();
    const noPrefer = await s.get('$export', { accept: 'application/fhir+json' });
    assert.equal(noPrefer.status, 400);
    assert.equal(noPrefer.body.resourceType, 'OperationOutcome');
    assert.equal(noPrefer.body.issue[0].details.coding[0].code, 'bulk.respond-async-required');
    const badFormat = await s.get('$export?_outputFormat=text/csv', ASYNC);
    assert.equal(badFormat.status, 400);
    assert.equal(badFormat.body.issue[0].details.coding[0].code, 'bulk.output-format-unsupported');
    for (const format of ['ndjson', 'application/ndjson', 'application%2Ffhir%2Bndjson']) {
      assert.equal((await s.get(`$export?_type=Organization&_outputFormat=${format}`, ASYNC)).status, 202, format);
    }
    const patient = s.as({ kind: 'patient', patient: alice.id, scopes: ['patient/*.rs'] });
    assert.equal((await patient.get('$export', ASYNC)).status, 403);
    assert.equal((await patient.get('Patient/$export', ASYNC)).status, 403);
    assert.equal((await s.get('Patient/$export?_type=Organization', ASYNC)).status, 400);
    assert.equal((await s.get('$export?_type=NotAType', ASYNC)).status, 400);
    assert.equal((await s.get(`$export?_typeFilter=${encodeURIComponent('Observation?unknownparam=1')}`, ASYNC)).status, 400);
    assert.equal((await s.get(`$export?_typeFilter=${encodeURIComponent('Observation?_count=3')}`, ASYNC)).status, 400);
    assert.equal((await s.get('$export?_since=yesterday', ASYNC)).status, 400);
    const limited = s.as({ kind: 'system', subject: 'obs-only', scopes: ['system/Observation.rs'] });
    assert.equal((await limited.get('$export?_type=Patient', ASYNC)).status, 403);
  });

  test('the CapabilityStatement lists the operations and instantiates the Bulk Data capability statement', async () => {
    const metadata = (await server().anonymous.get('metadata')).body;
    assert.ok(metadata.instantiates.includes('http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'));
    assert.ok(metadata.rest[0].operation.some((op: Json) => op.name === 'export' && op.definition === 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export'));
    const resource = (type: string) => metadata.rest[0].resource.find((r: Json) => r.type === type);
    assert.ok(resource('Patient').operation.some((op: Json) => op.definition === 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export'));
    assert.ok(resource('Group').operation.some((op: Json) => op.definition === 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export'));
    const verdict = await server().post('CapabilityStatement/$validate', metadata);
    assert.equal(verdict.status, 200, verdict.text);
    assert.deepEqual(verdict.body.issue.filter((i: Json) => i.severity === 'error' || i.severity === 'fatal'), [], 'a valid R4 CapabilityStatement');
  });

  test('status and files need a token whose scopes still cover every exported type (403), as the kick-off did', async () => {
    const s = server();
    const owner = s.as({ kind: 'system', subject: 'client-scoped', clientId: 'client-scoped', scopes: ['system/*.rs'] });
    const narrower = s.as({ kind: 'system', subject: 'client-scoped', clientId: 'client-scoped', scopes: ['system/Organization.rs'] });
    const statusUrl = await kickOff(owner, '$export?_type=Patient,Organization');
    const manifest = await completion(owner, statusUrl);
    assert.equal((await narrower.get(statusUrl)).status, 403);
    assert.equal((await download(narrower, manifest.output.find((f) => f.type === 'Patient')?.url as string)).status, 403);
    assert.equal((await download(owner, manifest.output.find((f) => f.type === 'Patient')?.url as string)).status, 200);
  });

  test('downloading a file is audited with the job and the file asked for', async () => {
    const s = server();
    const exporter = s.as({ kind: 'system', subject: 'file-reader', clientId: 'file-reader', scopes: ['system/*.rs'] });
    const manifest = await completion(exporter, await kickOff(exporter, '$export?_type=Organization'));
    const url = manifest.output[0]?.url as string;
    assert.equal((await download(exporter, url)).status, 200);
    const query = new URL(url).search.slice(1);
    const names = (e: Json) => JSON.stringify(e.agent).includes('file-reader')
      && (e.entity as Json[]).some((entity) => entity.query !== undefined && Buffer.from(entity.query, 'base64').toString() === query);
    // The audit log is written by its own thread, in batches: wait for the record (a deadline, not a timing assertion).
    const deadline = Date.now() + 10_000;
    while (!(await allPages(s, 'AuditEvent?subtype=export-file')).some(names)) {
      assert.ok(Date.now() < deadline, 'the AuditEvent names the job and the file');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test('a Group member whose period has ended is not exported', async () => {
    const s = server();
    const former = await s.create({ resourceType: 'Patient', name: [{ family: 'Ancien' }] });
    const cohort = await s.create({
      resourceType: 'Group', type: 'person', actual: true,
      member: [{ entity: { reference: `Patient/${alice.id}` }, period: { start: '2019-01-01' } }, { entity: { reference: `Patient/${former.id}` }, period: { start: '2019-01-01', end: '2020-01-01' } }],
    });
    const { byType } = await runExport(s, `Group/${cohort.id}/$export?_type=Patient`);
    assert.deepEqual(refs(byType.get('Patient')), [`Patient/${alice.id}`]);
  });

  test('Patient and Group exports include the Provenance of compartment resources, each once', async () => {
    const s = server();
    const target = observations.find((o) => o.subject.reference === `Patient/${alice.id}`) as Json;
    const provenance = await s.create({ resourceType: 'Provenance', target: [{ reference: `Observation/${target.id}` }], recorded: '2024-01-01T00:00:00Z', agent: [{ who: { display: 'laboratoire' } }] });
    const elsewhere = await s.create({ resourceType: 'Provenance', target: [{ reference: `Location/${locationObservation.subject.reference.split('/')[1]}` }], recorded: '2024-01-01T00:00:00Z', agent: [{ who: { display: 'x' } }] });
    for (const path of ['Patient/$export?_type=Observation,Provenance', `Group/${group.id}/$export?_type=Observation,Provenance`]) {
      const provenances = refs((await runExport(s, path)).byType.get('Provenance'));
      assert.ok(provenances.includes(`Provenance/${provenance.id}`), `${path}: the Provenance of an Observation of the compartment`);
      assert.ok(!provenances.includes(`Provenance/${elsewhere.id}`), `${path}: not the Provenance of a Location`);
      assert.equal(new Set(provenances).size, provenances.length, 'each once');
    }
  });

  test('relative Attachment URLs are exported absolute (Bulk Data: "the url element SHALL be an absolute url")', async () => {
    const s = server();
    const document = await s.create({ resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${alice.id}` }, content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/compte-rendu' } }] });
    const { byType } = await runExport(s, 'Patient/$export?_type=DocumentReference');
    const line = byType.get('DocumentReference')?.find((d) => d.id === document.id) as Json;
    assert.equal(line.content[0].attachment.url, `${s.base}/Binary/compte-rendu`);
  });

  test('handling=lenient: the parameters and types left out are each reported in the error file', async () => {
    const s = server();
    const statusUrl = await kickOff(s, `Group/${group.id}/$export?_type=Patient,Foo,Practitioner&_elements=id`, undefined, 'respond-async, handling=lenient');
    const manifest = await completion(s, statusUrl);
    const outcomes = (await Promise.all(manifest.error.map((f) => lines(s, f.url)))).flat();
    const codes = outcomes.flatMap((o) => (o.issue as Json[]).map((i) => `${i.severity}:${i.details.coding[0].code}:${i.details.text}`));
    assert.ok(codes.some((c) => c.startsWith('warning:bulk.parameter-ignored:') && c.includes('_elements')), codes.join('\n'));
    assert.ok(codes.some((c) => c.startsWith('warning:bulk.type-ignored:') && c.includes('Foo')), codes.join('\n'));
    assert.ok(codes.some((c) => c.startsWith('warning:bulk.type-ignored:') && c.includes('Practitioner')), codes.join('\n'));
  });

  test('a POST kick-off whose Parameters cannot be read answers 400, never 5xx, and starts nothing', async () => {
    const s = server();
    for (const parameter of [[null], ['x'], [{ name: 'patient', valueReference: { identifier: { value: '285075935012324' } } }]]) {
      const result = await s.post('Patient/$export', { resourceType: 'Parameters', parameter }, ASYNC);
      assert.equal(result.status, 400, `${JSON.stringify(parameter)}: ${result.text}`);
      assert.equal(result.body.resourceType, 'OperationOutcome');
    }
  });
  // Small pages: the jobs follow their searches' next links.
}, { bulkFileSize: 1024, bulkMaxJobs: 8, maxPageSize: 3, defaultPageSize: 3 });
