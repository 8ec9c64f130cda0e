/**
 * Conditional create, update, delete and read over HTTP
 * (http://hl7.org/fhir/R4/http.html#ccreate, #cond-update, #3.1.0.7.1 conditional delete, #cread),
 * on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, frenchPatient, insCriteria, INS_NIR_SYSTEM, jsonPatch, UUID_V4, versionCount, type PatientJson } from '../support/fixtures.js';

/** Two patients sharing one INS (a duplicate that identity vigilance has yet to merge). */
function duplicates(): [PatientJson, PatientJson, string] {
  const first = frenchPatient({ family: 'Durand', given: 'Camille', gender: 'female', birthDate: '1990-06-02' });
  const second = frenchPatient({ family: 'Durand', given: 'Camille', gender: 'female', birthDate: '1990-06-02', nir: first.identifier[0].value });
  return [first, second, insCriteria(first)];
}

async function count(server: () => { get: (p: string) => Promise<{ body: any }> }, criteria: string): Promise<number> {
  return (await server().get(`Patient?${criteria}&_total=accurate&_count=0`)).body.total as number;
}

forEachBackend('conditional create (If-None-Exist)', (server) => {
  test('with no match, conditional create creates the resource: 201', async () => {
    const patient = frenchPatient();
    const result = await server().post('Patient', patient, { 'if-none-exist': insCriteria(patient) });
    assert.equal(result.status, 201, result.text);
    assert.match(result.body.id, UUID_V4);
    assert.equal(result.headers.get('location'), `${server().base}/Patient/${result.body.id}/_history/1`);
    assert.equal(await count(server, insCriteria(patient)), 1);
  });

  test('with one match, conditional create answers 200 with the existing resource and writes nothing', async () => {
    const existing = await server().create(frenchPatient({ family: 'Bernard' }));
    await server().put(`Patient/${existing.id}`, { ...existing, active: true });
    const again = { ...frenchPatient({ family: 'Bernard-Nouveau' }), identifier: existing.identifier };
    const result = await server().post('Patient', again, { 'if-none-exist': insCriteria(existing) });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, existing.id);
    assert.equal(result.body.name[0].family, 'Bernard');
    assert.equal(result.body.meta.versionId, '2');
    assert.equal(result.headers.get('etag'), 'W/"2"');
    assert.equal(await count(server, insCriteria(existing)), 1);
    assert.equal(await versionCount(server(), 'Patient', existing.id), 2);
  });

  test('with several matches, conditional create answers 412 and writes nothing', async () => {
    const [first, second, criteria] = duplicates();
    await server().create(first);
    await server().create(second);
    assertOutcome(await server().post('Patient', frenchPatient(), { 'if-none-exist': criteria }), 412, 'multiple-matches');
    assert.equal(await count(server, criteria), 2);
  });

  test('If-None-Exist also accepts the Type?criteria form', async () => {
    const existing = await server().create(frenchPatient());
    const result = await server().post('Patient', frenchPatient(), { 'if-none-exist': `Patient?${insCriteria(existing)}` });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, existing.id);
  });

  test('If-None-Exist on another server\'s base, or for another type, answers 400 naming the header, and writes nothing', async () => {
    const patient = frenchPatient();
    const criteria = insCriteria(patient);
    const foreign = [
      `http://other.example/fhir/Patient?${criteria}`,
      `https://other.example/Patient?${criteria}`,
      `${server().base.replace('127.0.0.1', 'localhost')}/Patient?${criteria}`,
      `Observation?${criteria}`,
      `Patiente?${criteria}`,
      `fhir/Patient?${criteria}`,
    ];
    for (const value of foreign) {
      const result = await server().post('Patient', patient, { 'if-none-exist': value });
      assertOutcome(result, 400, 'value');
      assert.deepEqual(result.body.issue[0].expression, ['http.If-None-Exist'], value);
      assert.match(result.body.issue[0].diagnostics, /If-None-Exist/);
    }
    assert.equal(await count(server, criteria), 0);
  });

  test('If-None-Exist on the server\'s own base is read as the same search', async () => {
    const existing = await server().create(frenchPatient());
    const result = await server().post('Patient', frenchPatient(), { 'if-none-exist': `${server().base}/Patient?${insCriteria(existing)}` });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, existing.id);
  });

  test('If-None-Exist criteria with a modifier (name:exact=…) are a query, not an address', async () => {
    const existing = await server().create(frenchPatient());
    const query = `family:exact=${encodeURIComponent(existing.name[0].family)}&${insCriteria(existing)}`;
    for (const value of [query, `Patient?${query}`]) {
      const result = await server().post('Patient', frenchPatient(), { 'if-none-exist': value });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.id, existing.id);
    }
  });

  test('a transaction entry whose ifNoneExist names another server fails the transaction with 400; in a batch, only that entry', async () => {
    const patient = frenchPatient();
    const criteria = insCriteria(patient);
    const entries = [
      { resource: patient, request: { method: 'POST', url: 'Patient', ifNoneExist: `http://other.example/fhir/Patient?${criteria}` } },
      { resource: frenchPatient(), request: { method: 'POST', url: 'Patient' } },
    ];
    const transaction = await server().post('', { resourceType: 'Bundle', type: 'transaction', entry: entries });
    assertOutcome(transaction, 400, 'value');
    assert.deepEqual(transaction.body.issue[0].expression, ['Bundle.entry[0].request.ifNoneExist']);
    assert.equal(await count(server, criteria), 0);
    const batch = await server().post('', { resourceType: 'Bundle', type: 'batch', entry: entries });
    assert.equal(batch.status, 200, batch.text);
    assert.match(batch.body.entry[0].response.status, /^400/);
    assert.match(batch.body.entry[1].response.status, /^201/);
    assert.equal(await count(server, criteria), 0);
  });

  test('a deleted match does not count: conditional create creates a new resource', async () => {
    const existing = await server().create(frenchPatient());
    await server().delete(`Patient/${existing.id}`);
    const result = await server().post('Patient', { ...existing, id: undefined, meta: undefined }, { 'if-none-exist': insCriteria(existing) });
    assert.equal(result.status, 201, result.text);
    assert.notEqual(result.body.id, existing.id);
  });

  test('conditional create with an unknown search parameter answers 400 and writes nothing', async () => {
    const patient = frenchPatient();
    assertOutcome(await server().post('Patient', patient, { 'if-none-exist': `numero-secu=${randomUUID()}` }), 400);
    assert.equal(await count(server, insCriteria(patient)), 0);
  });

  test('concurrent conditional creates with the same criteria create exactly one resource', async () => {
    const patient = frenchPatient();
    const results = await Promise.all(Array.from({ length: 6 }, () => server().post('Patient', patient, { 'if-none-exist': insCriteria(patient) })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    assert.equal(await count(server, insCriteria(patient)), 1);
  });
});

forEachBackend('conditional update (PUT Type?criteria)', (server) => {
  test('with no match, conditional update creates the resource with a server id: 201', async () => {
    const patient = frenchPatient();
    const result = await server().put(`Patient?${insCriteria(patient)}`, patient);
    assert.equal(result.status, 201, result.text);
    assert.match(result.body.id, UUID_V4);
    assert.equal(result.headers.get('location'), `${server().base}/Patient/${result.body.id}/_history/1`);
    assert.equal(await count(server, insCriteria(patient)), 1);
  });

  test('with one match, conditional update updates that resource: 200 and version 2', async () => {
    const existing = await server().create(frenchPatient({ family: 'Thomas' }));
    const { id: _id, meta: _meta, ...body } = existing;
    const result = await server().put(`Patient?${insCriteria(existing)}`, { ...body, name: [{ family: 'Thomas', given: ['Hugo', 'Louis'] }] });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, existing.id);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    const read = await server().get(`Patient/${existing.id}`);
    assert.deepEqual(read.body.name[0].given, ['Hugo', 'Louis']);
    assert.equal(await count(server, insCriteria(existing)), 1);
  });

  test('with one match and the same id in the body, conditional update updates it', async () => {
    const existing = await server().create(frenchPatient());
    const result = await server().put(`Patient?${insCriteria(existing)}`, { ...existing, active: true });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, existing.id);
    assert.equal(result.body.active, true);
  });

  test('with one match and another id in the body, conditional update answers 400 and writes nothing', async () => {
    const existing = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient?${insCriteria(existing)}`, { ...existing, id: randomUUID(), active: true }), 400);
    assert.equal(await versionCount(server(), 'Patient', existing.id), 1);
  });

  test('with no match and an id in the body, conditional update creates the resource at that id', async () => {
    const id = randomUUID();
    const patient = { ...frenchPatient(), id };
    const result = await server().put(`Patient?${insCriteria(patient)}`, patient);
    assert.equal(result.status, 201, result.text);
    assert.equal(result.body.id, id);
    assert.equal((await server().get(`Patient/${id}`)).status, 200);
  });

  test('with no match and the id of another existing resource in the body, conditional update answers 409 and leaves it alone', async () => {
    const victim = await server().create({ resourceType: 'Basic', code: { text: 'original' }, identifier: [{ system: 'urn:socle:test:victim', value: randomUUID() }] });
    const criteria = `identifier=${encodeURIComponent(`urn:socle:test:victim|${randomUUID()}`)}`;
    assertOutcome(await server().put(`Basic?${criteria}`, { resourceType: 'Basic', id: victim.id, code: { text: 'overwritten' } }), 409);
    assert.equal(await versionCount(server(), 'Basic', victim.id), 1);
    const transaction = await server().post('', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ resource: { resourceType: 'Basic', id: victim.id, code: { text: 'overwritten' } }, request: { method: 'PUT', url: `Basic?${criteria}` } }],
    });
    assertOutcome(transaction, 409);
    assert.equal((await server().get(`Basic/${victim.id}`)).body.code.text, 'original');
  });

  test('with several matches, conditional update answers 412 and writes nothing', async () => {
    const [first, second, criteria] = duplicates();
    const a = await server().create(first);
    const b = await server().create(second);
    assertOutcome(await server().put(`Patient?${criteria}`, { ...first, active: false }), 412, 'multiple-matches');
    assert.equal(await versionCount(server(), 'Patient', a.id), 1);
    assert.equal(await versionCount(server(), 'Patient', b.id), 1);
    assert.equal(await count(server, criteria), 2);
  });

  test('concurrent conditional updates with the same new criteria create exactly one resource', async () => {
    const patient = frenchPatient();
    const results = await Promise.all(['Lyon', 'Bron', 'Vénissieux', 'Villeurbanne', 'Caluire'].map((city) =>
      server().put(`Patient?${insCriteria(patient)}`, { ...patient, address: [{ city, country: 'FR' }] })));
    for (const result of results) assert.ok(result.status === 200 || result.status === 201, result.text);
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    assert.equal(await count(server, insCriteria(patient)), 1);
    const id = results[0]?.body.id as string;
    // Identical bodies would be no-ops; these differ, so every request wrote a version.
    assert.equal(await versionCount(server(), 'Patient', id), 5);
  });

  test('conditional update with an unknown search parameter answers 400', async () => {
    assertOutcome(await server().put('Patient?numero-secu=1840317069123', frenchPatient()), 400);
  });

  test('conditional update honours If-Match on the matched resource', async () => {
    const existing = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient?${insCriteria(existing)}`, { ...existing, active: true }, { 'if-match': 'W/"7"' }), 412);
    const result = await server().put(`Patient?${insCriteria(existing)}`, { ...existing, active: true }, { 'if-match': 'W/"1"' });
    assert.equal(result.status, 200, result.text);
  });
});

forEachBackend('conditional delete (DELETE Type?criteria)', (server) => {
  test('with no match, conditional delete succeeds and deletes nothing', async () => {
    const untouched = await server().create(frenchPatient());
    const result = await server().delete(`Patient?identifier=${encodeURIComponent(`${INS_NIR_SYSTEM}|${randomUUID()}`)}`);
    assert.ok(result.status === 200 || result.status === 204, `status ${result.status}`);
    if (result.status === 200) assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.equal((await server().get(`Patient/${untouched.id}`)).status, 200);
  });

  test('with one match, conditional delete deletes it: read then answers 410', async () => {
    const existing = await server().create(frenchPatient());
    const result = await server().delete(`Patient?${insCriteria(existing)}`);
    assert.ok(result.status === 200 || result.status === 204, `status ${result.status}`);
    assertOutcome(await server().get(`Patient/${existing.id}`), 410, 'deleted');
    const history = await server().get(`Patient/${existing.id}/_history`);
    assert.equal(history.body.entry[0].request.method, 'DELETE');
  });

  test('with several matches, conditional delete answers 412 and deletes none', async () => {
    const [first, second, criteria] = duplicates();
    const a = await server().create(first);
    const b = await server().create(second);
    assertOutcome(await server().delete(`Patient?${criteria}`), 412, 'multiple-matches');
    assert.equal((await server().get(`Patient/${a.id}`)).status, 200);
    assert.equal((await server().get(`Patient/${b.id}`)).status, 200);
  });

  test('conditional delete without criteria answers 400 rather than deleting everything', async () => {
    const existing = await server().create(frenchPatient());
    assertOutcome(await server().delete('Patient'), 400);
    assert.equal((await server().get(`Patient/${existing.id}`)).status, 200);
  });

  test('criteria that select nothing (empty values) are no criteria: 400, never an unconditional write', async () => {
    const type = `Basic`;
    const only = await server().create({ resourceType: type, code: { text: 'seul' } });
    for (const criteria of ['code', 'code=', '=', '%25%25', 'code=&_count=1']) {
      assertOutcome(await server().request('PUT', `${type}?${criteria}`, { body: { resourceType: type, code: { text: 'écrasé' } } }), 400);
      assertOutcome(await server().delete(`${type}?${criteria}`), 400);
    }
    assertOutcome(await server().request('POST', type, { body: { resourceType: type, code: { text: 'x' } }, headers: { 'if-none-exist': 'code=' } }), 400);
    const after = await server().get(`${type}/${only.id}`);
    assert.equal(after.status, 200);
    assert.equal(after.body.code.text, 'seul');
  });

  test('conditional delete with an unknown search parameter answers 400 and deletes nothing', async () => {
    const existing = await server().create(frenchPatient());
    assertOutcome(await server().delete(`Patient?numero-secu=${encodeURIComponent(existing.identifier[0].value)}`), 400);
    assert.equal((await server().get(`Patient/${existing.id}`)).status, 200);
  });
});

forEachBackend('conditional read', (server) => {
  test('read with If-None-Match of the current version answers 304 with no body', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().get(`Patient/${created.id}`, { 'if-none-match': 'W/"1"' });
    assert.equal(result.status, 304);
    assert.equal(result.text, '');
    assert.equal(result.headers.get('etag'), 'W/"1"');
  });

  test('read with If-None-Match of an older version answers 200 and the current content', async () => {
    const created = await server().create(frenchPatient());
    await server().put(`Patient/${created.id}`, { ...created, active: true });
    const result = await server().get(`Patient/${created.id}`, { 'if-none-match': 'W/"1"' });
    assert.equal(result.status, 200);
    assert.equal(result.body.meta.versionId, '2');
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('read with If-None-Match listing several tags answers 304 when one is current', async () => {
    const created = await server().create(frenchPatient());
    await server().put(`Patient/${created.id}`, { ...created, active: true });
    assert.equal((await server().get(`Patient/${created.id}`, { 'if-none-match': 'W/"1", W/"2"' })).status, 304);
    assert.equal((await server().get(`Patient/${created.id}`, { 'if-none-match': '*' })).status, 304);
  });

  test('read with If-Modified-Since at or after Last-Modified answers 304', async () => {
    const created = await server().create(frenchPatient());
    const lastModified = (await server().get(`Patient/${created.id}`)).headers.get('last-modified') ?? '';
    const result = await server().get(`Patient/${created.id}`, { 'if-modified-since': lastModified });
    assert.equal(result.status, 304);
    assert.equal(result.text, '');
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    assert.equal((await server().get(`Patient/${created.id}`, { 'if-modified-since': later })).status, 304);
  });

  test('read with If-Modified-Since before Last-Modified answers 200 and the content', async () => {
    const created = await server().create(frenchPatient());
    const earlier = new Date(Date.parse(created.meta.lastUpdated) - 3_600_000).toUTCString();
    const result = await server().get(`Patient/${created.id}`, { 'if-modified-since': earlier });
    assert.equal(result.status, 200);
    assert.equal(result.body.id, created.id);
  });

  test('If-None-Match takes precedence over If-Modified-Since (RFC 7232 §6)', async () => {
    const created = await server().create(frenchPatient());
    await server().put(`Patient/${created.id}`, { ...created, active: true });
    const future = new Date(Date.now() + 3_600_000).toUTCString();
    const result = await server().get(`Patient/${created.id}`, { 'if-none-match': 'W/"1"', 'if-modified-since': future });
    assert.equal(result.status, 200);
  });

  test('conditional read of a deleted resource answers 410, not 304', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    assertOutcome(await server().get(`Patient/${created.id}`, { 'if-none-match': 'W/"1"' }), 410);
  });

  test('PUT with If-None-Match: * creates, and answers 412 without writing when the resource exists (RFC 9110 §13.1.2)', async () => {
    const id = `inm-${randomUUID()}`;
    const first = await server().request('PUT', `Patient/${id}`, { body: { ...frenchPatient(), id }, headers: { 'if-none-match': '*' } });
    assert.equal(first.status, 201, first.text);
    const again = await server().request('PUT', `Patient/${id}`, { body: { ...frenchPatient(), id, active: false }, headers: { 'if-none-match': '*' } });
    assertOutcome(again, 412, 'duplicate');
    assert.equal(await versionCount(server(), 'Patient', id), 1);
    await server().delete(`Patient/${id}`);
    const recreated = await server().request('PUT', `Patient/${id}`, { body: { ...frenchPatient(), id }, headers: { 'if-none-match': '*' } });
    assert.equal(recreated.status, 201, 'a deleted resource has no current representation');
  });

  test('a conditional reference in a create or update outside a transaction answers 400 and stores nothing (http.html#trules: "only in a transaction")', async () => {
    const patient = await server().create(frenchPatient());
    const system = `urn:socle-test:cond-ref:${randomUUID()}`;
    const observation = (reference: string) => ({ resourceType: 'Observation', identifier: [{ system, value: 'o' }], status: 'final', code: { text: 'poids' }, subject: { reference } });
    const criteria = `Patient?_id=${patient.id}`;
    assertOutcome(await server().post('Observation', observation(criteria)), 400, 'business-rule');
    assertOutcome(await server().put(`Observation/cond-ref-${patient.id}`, { ...observation(`${server().base}/${criteria}`), id: `cond-ref-${patient.id}` }), 400, 'business-rule');
    assertOutcome(await server().put(`Observation?identifier=${encodeURIComponent(`${system}|o`)}`, observation(criteria)), 400, 'business-rule');
    assert.equal((await server().get(`Observation?identifier=${encodeURIComponent(`${system}|o`)}`)).body.entry, undefined);
    const inTransaction = await server().post('', {
      resourceType: 'Bundle', type: 'transaction', entry: [{ resource: observation(criteria), request: { method: 'POST', url: 'Observation' } }],
    });
    assert.equal(inTransaction.status, 200, inTransaction.text);
    assert.equal(inTransaction.body.entry[0].resource.subject.reference, `Patient/${patient.id}`);
  });

  test('a conditional reference written by a PATCH outside a transaction answers 400 and leaves the resource as it was (JSON Patch and FHIRPath Patch)', async () => {
    const patient = await server().create(frenchPatient());
    const created = await server().post('Observation', { resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}` } });
    assert.equal(created.status, 201, created.text);
    const path = `Observation/${created.body.id}`;
    const criteria = `Patient?_id=${patient.id}`;
    assertOutcome(await jsonPatch(server(), path, [{ op: 'replace', path: '/subject', value: { reference: criteria } }]), 400, 'business-rule');
    assertOutcome(await jsonPatch(server(), path, [{ op: 'replace', path: '/subject/reference', value: criteria }]), 400, 'business-rule');
    const fhirPath = {
      resourceType: 'Parameters',
      parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'Observation.subject' }, { name: 'value', valueReference: { reference: criteria } }] }],
    };
    assertOutcome(await server().request('PATCH', path, { body: fhirPath, headers: { 'content-type': 'application/fhir+json' } }), 400, 'business-rule');
    const read = await server().get(path);
    assert.equal(read.body.meta.versionId, '1');
    assert.equal(read.body.subject.reference, `Patient/${patient.id}`);
  });
});
