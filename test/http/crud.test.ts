/**
 * read, vread, create, update, delete, If-Match, Prefer and HEAD over HTTP
 * (http://hl7.org/fhir/R4/http.html#read, #vread, #create, #update, #delete,
 * #concurrency, #ops, #head), on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, frenchPatient, insCriteria, INS_NIR_SYSTEM, UUID_V4, versionCount } from '../support/fixtures.js';

forEachBackend('create', (server) => {
  test('create answers 201 with a server-assigned UUID, version 1 and the content as sent', async () => {
    const patient = frenchPatient({ family: 'Lefèvre', given: 'Élodie', gender: 'female', birthDate: '1984-03-17' });
    const before = Date.now();
    const result = await server().post('Patient', patient);
    assert.equal(result.status, 201, result.text);
    assert.match(result.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const created = result.body;
    assert.equal(created.resourceType, 'Patient');
    assert.match(created.id, UUID_V4);
    assert.equal(created.meta.versionId, '1');
    const lastUpdated = Date.parse(created.meta.lastUpdated);
    assert.ok(lastUpdated >= before - 1000 && lastUpdated <= Date.now() + 1000, `lastUpdated ${created.meta.lastUpdated} is the time of the create`);
    assert.deepEqual(created.identifier, patient.identifier);
    assert.deepEqual(created.name, [{ use: 'official', family: 'Lefèvre', given: ['Élodie'] }]);
    assert.equal(created.birthDate, '1984-03-17');
    assert.equal(created.gender, 'female');
  });

  test('create answers Location base/Type/id/_history/1, ETag W/"1" and Last-Modified', async () => {
    const result = await server().post('Patient', frenchPatient());
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `${server().base}/Patient/${result.body.id}/_history/1`);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    const lastModified = result.headers.get('last-modified');
    assert.ok(lastModified, 'Last-Modified is sent');
    assert.equal(Date.parse(lastModified), Math.floor(Date.parse(result.body.meta.lastUpdated) / 1000) * 1000);
  });

  test('two creates of the same content get two distinct ids', async () => {
    const patient = frenchPatient();
    const [a, b] = await Promise.all([server().post('Patient', patient), server().post('Patient', patient)]);
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.id, b.body.id);
  });

  test('create ignores an id given by the client in the body', async () => {
    const clientId = randomUUID();
    const result = await server().post('Patient', { ...frenchPatient(), id: clientId });
    assert.equal(result.status, 201, result.text);
    assert.notEqual(result.body.id, clientId);
    assert.match(result.body.id, UUID_V4);
    assertOutcome(await server().get(`Patient/${clientId}`), 404, 'not-found');
    assert.equal((await server().get(`Patient/${result.body.id}`)).status, 200);
  });

  test('create ignores meta.versionId and meta.lastUpdated sent by the client but keeps its tags', async () => {
    const tag = { system: 'https://socle.example.fr/tags', code: 'import-dmp' };
    const result = await server().post('Patient', { ...frenchPatient(), meta: { versionId: '42', lastUpdated: '2001-01-01T00:00:00Z', tag: [tag] } });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.body.meta.versionId, '1');
    assert.ok(Date.parse(result.body.meta.lastUpdated) > Date.parse('2020-01-01T00:00:00Z'));
    assert.deepEqual(result.body.meta.tag, [tag]);
    assert.equal(result.headers.get('etag'), 'W/"1"');
  });

  test('create of a resource whose type differs from the URL answers 400 and writes nothing', async () => {
    const patient = frenchPatient();
    assertOutcome(await server().post('Practitioner', patient), 400);
    const search = await server().get(`Patient?${insCriteria(patient)}&_total=accurate`);
    assert.equal(search.body.total, 0);
  });

  test('create with malformed JSON answers 400', async () => {
    assertOutcome(await server().request('POST', 'Patient', { rawBody: '{"resourceType":"Patient",', headers: { 'content-type': 'application/fhir+json' } }), 400);
  });

  test('create with an empty body answers 400', async () => {
    assertOutcome(await server().request('POST', 'Patient', { rawBody: '', headers: { 'content-type': 'application/fhir+json' } }), 400);
  });

  test('create of a resource breaking FHIR rules (birthDate 17/03/1984) answers 400', async () => {
    assertOutcome(await server().post('Patient', { ...frenchPatient(), birthDate: '17/03/1984' }), 400);
  });

  test('create on an unknown resource type answers 404', async () => {
    assertOutcome(await server().post('Patiente', { resourceType: 'Patiente' }), 404);
  });

  test('create sent as plain application/json is accepted, and Accept: application/json gets application/json back', async () => {
    const result = await server().request('POST', 'Patient', { body: frenchPatient(), headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.equal(result.status, 201, result.text);
    assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(result.body.resourceType, 'Patient');
  });

  test('create in XML answers 415 (the server speaks JSON only)', async () => {
    const xml = '<Patient xmlns="http://hl7.org/fhir"><gender value="female"/></Patient>';
    assertOutcome(await server().request('POST', 'Patient', { rawBody: xml, headers: { 'content-type': 'application/fhir+xml' } }), 415);
  });
});

forEachBackend('Prefer return', (server) => {
  test('create with Prefer: return=minimal answers 201 with no body but Location and ETag', async () => {
    const result = await server().post('Patient', frenchPatient(), { prefer: 'return=minimal' });
    assert.equal(result.status, 201);
    assert.equal(result.text, '');
    const location = result.headers.get('location') ?? '';
    assert.match(location, new RegExp(`^${server().base}/Patient/[0-9a-f-]{36}/_history/1$`));
    assert.equal(result.headers.get('etag'), 'W/"1"');
    const id = location.split('/')[location.split('/').length - 3];
    assert.equal((await server().get(`Patient/${id}`)).status, 200);
  });

  test('create with Prefer: return=OperationOutcome answers 201 with an informational OperationOutcome', async () => {
    const result = await server().post('Patient', frenchPatient(), { prefer: 'return=OperationOutcome' });
    assert.equal(result.status, 201);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.ok((result.body.issue as any[]).every((i) => i.severity === 'information' || i.severity === 'warning'));
    assert.match(result.headers.get('location') ?? '', /\/Patient\/[0-9a-f-]{36}\/_history\/1$/);
  });

  test('create with Prefer: return=representation answers the resource as stored', async () => {
    const result = await server().post('Patient', frenchPatient(), { prefer: 'return=representation' });
    assert.equal(result.status, 201);
    assert.equal(result.body.resourceType, 'Patient');
    assert.equal(result.body.meta.versionId, '1');
  });

  test('update with Prefer: return=minimal answers 200 with no body and the new ETag', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, { ...created, active: true }, { prefer: 'return=minimal' });
    assert.equal(result.status, 200);
    assert.equal(result.text, '');
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('update with Prefer: return=OperationOutcome answers an informational OperationOutcome', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, { ...created, active: true }, { prefer: 'return=OperationOutcome' });
    assert.equal(result.status, 200);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('the OperationOutcome of an update (Prefer: return=OperationOutcome) does not claim a creation', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, { ...created, active: true }, { prefer: 'return=OperationOutcome', 'accept-language': 'en' });
    assert.equal(result.status, 200);
    assert.doesNotMatch(JSON.stringify(result.body.issue), /created|créée/i);
  });

  test('Prefer does not change errors: a failed create still answers an error OperationOutcome', async () => {
    assertOutcome(await server().post('Patient', { ...frenchPatient(), birthDate: 'hier' }, { prefer: 'return=minimal' }), 400);
  });
});

forEachBackend('read and vread', (server) => {
  test('read answers 200, the resource, ETag W/"n" and Last-Modified', async () => {
    const created = await server().create(frenchPatient({ family: 'Garnier' }));
    const result = await server().get(`Patient/${created.id}`);
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(Date.parse(result.headers.get('last-modified') ?? ''), Math.floor(Date.parse(created.meta.lastUpdated) / 1000) * 1000);
    assert.deepEqual(result.body, created);
  });

  test('read of an unknown id answers 404', async () => {
    assertOutcome(await server().get(`Patient/${randomUUID()}`), 404, 'not-found');
  });

  test('read with _summary takes true, text, data or false; anything else is a 400', async () => {
    const created = await server().create(frenchPatient());
    const summary = await server().get(`Patient/${created.id}?_summary=true`);
    assert.equal(summary.status, 200);
    assert.ok(summary.body.meta.tag.some((t: { code: string }) => t.code === 'SUBSETTED'));
    assertOutcome(await server().get(`Patient/${created.id}?_summary=bogus`), 400);
    assertOutcome(await server().get(`Patient/${created.id}?_summary=count`), 400);
  });

  test('read of an unknown resource type answers 404', async () => {
    assertOutcome(await server().get(`Patiente/${randomUUID()}`), 404);
  });

  test('vread answers each version with its own meta.versionId and ETag', async () => {
    const created = await server().create(frenchPatient({ family: 'Moreau' }));
    const updated = await server().put(`Patient/${created.id}`, { ...created, name: [{ family: 'Moreau-Dubois', given: ['Inès'] }] });
    assert.equal(updated.status, 200);
    const v1 = await server().get(`Patient/${created.id}/_history/1`);
    const v2 = await server().get(`Patient/${created.id}/_history/2`);
    assert.equal(v1.status, 200);
    assert.equal(v1.body.id, created.id);
    assert.equal(v1.body.meta.versionId, '1');
    assert.equal(v1.body.name[0].family, 'Moreau');
    assert.equal(v1.headers.get('etag'), 'W/"1"');
    assert.equal(v2.status, 200);
    assert.equal(v2.body.meta.versionId, '2');
    assert.equal(v2.body.name[0].family, 'Moreau-Dubois');
    assert.equal(v2.headers.get('etag'), 'W/"2"');
  });

  test('vread of a version that does not exist answers 404', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().get(`Patient/${created.id}/_history/2`), 404, 'not-found');
    assertOutcome(await server().get(`Patient/${created.id}/_history/abc`), 404, 'not-found');
    // "01" is not how the server writes version 1: the answer would carry a meta.versionId other than the [vid] asked.
    assertOutcome(await server().get(`Patient/${created.id}/_history/01`), 404, 'not-found');
    assertOutcome(await server().get(`Patient/${randomUUID()}/_history/1`), 404, 'not-found');
  });
});

forEachBackend('update', (server) => {
  test('update of an existing resource answers 200, ETag W/"2" and server-set meta', async () => {
    const created = await server().create(frenchPatient({ family: 'Petit' }));
    const result = await server().put(`Patient/${created.id}`, {
      ...created,
      meta: { versionId: '99', lastUpdated: '2001-01-01T00:00:00Z' },
      telecom: [{ system: 'phone', value: '+33 4 72 00 00 00', use: 'home' }],
    });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    assert.equal(result.body.meta.versionId, '2');
    assert.ok(Date.parse(result.body.meta.lastUpdated) >= Date.parse(created.meta.lastUpdated));
    assert.ok(result.headers.get('last-modified'));
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.meta.versionId, '2');
    assert.deepEqual(read.body.telecom, [{ system: 'phone', value: '+33 4 72 00 00 00', use: 'home' }]);
  });

  test('update replaces the whole content: elements left out are removed', async () => {
    const created = await server().create(frenchPatient());
    const { address: _address, ...withoutAddress } = created;
    const result = await server().put(`Patient/${created.id}`, withoutAddress);
    assert.equal(result.status, 200);
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.address, undefined);
  });

  test('update whose body id differs from the URL id answers 400 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient/${created.id}`, { ...created, id: randomUUID(), active: false }), 400);
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.meta.versionId, '1');
    assert.equal(read.body.active, undefined);
  });

  test('update whose body has no id answers 400 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    const { id: _id, ...withoutId } = created;
    assertOutcome(await server().put(`Patient/${created.id}`, { ...withoutId, active: false }), 400);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('update whose body is of another type answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient/${created.id}`, { resourceType: 'Practitioner', id: created.id }), 400);
  });

  test('update with a malformed value (birthDate "hier") answers 400 and keeps the current version', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient/${created.id}`, { ...created, birthDate: 'hier' }), 400);
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('update with a code outside a required value set (gender "féminin") answers 422 and keeps the current version', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient/${created.id}`, { ...created, gender: 'féminin' }), 422, 'code-invalid');
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('update on an unknown id creates the resource there: 201, Location with _history/1', async () => {
    const id = randomUUID();
    const result = await server().put(`Patient/${id}`, { ...frenchPatient(), id });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `${server().base}/Patient/${id}/_history/1`);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.body.id, id);
    assert.equal(result.body.meta.versionId, '1');
    assert.equal((await server().get(`Patient/${id}`)).status, 200);
  });

  test('update with an invalid id in the URL answers 400', async () => {
    const id = 'dossier_patient#1';
    assertOutcome(await server().put(`Patient/${encodeURIComponent(id)}`, { ...frenchPatient(), id }), 400);
  });

  test('concurrent updates without If-Match are all applied, each as its own version', async () => {
    const created = await server().create(frenchPatient());
    const cities = ['Lyon', 'Marseille', 'Lille', 'Nantes', 'Rennes', 'Brest'];
    const results = await Promise.all(cities.map((city) => server().put(`Patient/${created.id}`, { ...created, address: [{ city, country: 'FR' }] })));
    for (const result of results) assert.equal(result.status, 200, result.text);
    assert.deepEqual(results.map((r) => r.headers.get('etag')).sort(), ['W/"2"', 'W/"3"', 'W/"4"', 'W/"5"', 'W/"6"', 'W/"7"']);
    const history = await server().get(`Patient/${created.id}/_history`);
    assert.deepEqual(history.body.entry.slice(0, -1).map((e: any) => e.resource.address[0].city).sort(), [...cities].sort());
  });

  test('concurrent updates creating the same new id: one 201, the others update it', async () => {
    const id = randomUUID();
    const results = await Promise.all(['Lyon', 'Marseille', 'Lille', 'Nantes'].map((city) =>
      server().put(`Patient/${id}`, { ...frenchPatient(), id, address: [{ city, country: 'FR' }] })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 201]);
    assert.equal(await versionCount(server(), 'Patient', id), 4);
  });

  test('update with identical content writes no new version', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, created);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(result.body.meta.versionId, '1');
    assert.equal(result.body.meta.lastUpdated, created.meta.lastUpdated);
    const withoutMeta = { ...created, meta: undefined };
    assert.equal((await server().put(`Patient/${created.id}`, withoutMeta)).headers.get('etag'), 'W/"1"');
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('update of a deleted resource brings it back: 201 and the next version number', async () => {
    const created = await server().create(frenchPatient());
    assert.equal((await server().delete(`Patient/${created.id}`)).status, 200);
    const result = await server().put(`Patient/${created.id}`, created);
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('etag'), 'W/"3"');
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.meta.versionId, '3');
  });
});

forEachBackend('If-Match (version-aware update)', (server) => {
  test('update with If-Match of the current version answers 200', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, { ...created, active: true }, { 'if-match': 'W/"1"' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('update with a stale If-Match answers 412 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assert.equal((await server().put(`Patient/${created.id}`, { ...created, active: true }, { 'if-match': 'W/"1"' })).status, 200);
    assertOutcome(await server().put(`Patient/${created.id}`, { ...created, active: false }, { 'if-match': 'W/"1"' }), 412);
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.meta.versionId, '2');
    assert.equal(read.body.active, true);
  });

  test('update with a malformed If-Match answers 400 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().put(`Patient/${created.id}`, { ...created, active: true }, { 'if-match': 'version-une' }), 400);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('update with If-Match: * succeeds when the resource exists (RFC 7232 §3.1)', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().put(`Patient/${created.id}`, { ...created, active: true }, { 'if-match': '*' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('update with If-Match: * on an id that does not exist answers 412 and creates nothing', async () => {
    const id = randomUUID();
    assertOutcome(await server().put(`Patient/${id}`, { ...frenchPatient(), id }, { 'if-match': '*' }), 412);
    assertOutcome(await server().get(`Patient/${id}`), 404);
  });

  test('update with If-Match on an id that does not exist answers 412 and creates nothing', async () => {
    const id = randomUUID();
    assertOutcome(await server().put(`Patient/${id}`, { ...frenchPatient(), id }, { 'if-match': 'W/"1"' }), 412);
    assertOutcome(await server().get(`Patient/${id}`), 404);
  });

  test('of two concurrent updates quoting the same version, exactly one wins', async () => {
    const created = await server().create(frenchPatient());
    const results = await Promise.all(['Lyon', 'Marseille', 'Lille', 'Nantes'].map((city) =>
      server().put(`Patient/${created.id}`, { ...created, address: [{ city, country: 'FR' }] }, { 'if-match': 'W/"1"' })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 412, 412, 412]);
    for (const loser of results.filter((r) => r.status === 412)) assertOutcome(loser, 412);
    assert.equal(await versionCount(server(), 'Patient', created.id), 2);
  });

  test('delete with a stale If-Match answers 412 and the resource stays', async () => {
    const created = await server().create(frenchPatient());
    await server().put(`Patient/${created.id}`, { ...created, active: true });
    assertOutcome(await server().delete(`Patient/${created.id}`, { 'if-match': 'W/"1"' }), 412);
    assert.equal((await server().get(`Patient/${created.id}`)).status, 200);
    assert.equal((await server().delete(`Patient/${created.id}`, { 'if-match': 'W/"2"' })).status, 200);
  });
});

forEachBackend('delete', (server) => {
  test('delete answers 200 with an informational OperationOutcome, then read answers 410', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().delete(`Patient/${created.id}`);
    assert.equal(result.status, 200);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.ok((result.body.issue as any[]).every((i) => i.severity === 'information'));
    assert.equal(result.headers.get('etag'), 'W/"2"');
    const read = await server().get(`Patient/${created.id}`);
    assertOutcome(read, 410, 'deleted');
    assert.equal(read.headers.get('etag'), 'W/"2"');
  });

  test('delete with Prefer: return=minimal answers 204 and no body, conditional or not, even when nothing was there (http.html#delete)', async () => {
    const created = await server().create(frenchPatient());
    const result = await server().delete(`Patient/${created.id}`, { prefer: 'return=minimal' });
    assert.equal(result.status, 204);
    assert.equal(result.text, '');
    assert.equal(result.headers.get('etag'), 'W/"2"');
    const absent = await server().delete(`Patient/${randomUUID()}`, { prefer: 'return=minimal' });
    assert.equal(absent.status, 204);
    assert.equal(absent.text, '');
    const other = await server().create(frenchPatient());
    const conditional = await server().delete(`Patient?_id=${other.id}`, { prefer: 'return=minimal' });
    assert.equal(conditional.status, 204);
    assert.equal(conditional.text, '');
    assert.equal((await server().get(`Patient/${other.id}`)).status, 410);
  });

  test('a deleted version answers 410 with its ETag and Last-Modified, on read and vread', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    const history = await server().get(`Patient/${created.id}/_history`);
    const deletedAt = new Date(history.body.entry[0].response.lastModified).toUTCString();
    for (const path of [`Patient/${created.id}`, `Patient/${created.id}/_history/2`]) {
      const gone = await server().get(path);
      assertOutcome(gone, 410, 'deleted');
      assert.equal(gone.headers.get('etag'), 'W/"2"', path);
      assert.equal(gone.headers.get('last-modified'), deletedAt, path);
    }
  });

  test('after a delete, vread of the old version still answers it', async () => {
    const created = await server().create(frenchPatient({ family: 'Richard' }));
    await server().delete(`Patient/${created.id}`);
    const v1 = await server().get(`Patient/${created.id}/_history/1`);
    assert.equal(v1.status, 200);
    assert.equal(v1.body.name[0].family, 'Richard');
    assertOutcome(await server().get(`Patient/${created.id}/_history/2`), 410, 'deleted');
  });

  test('after a delete, the history shows the deletion without a resource', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    const history = await server().get(`Patient/${created.id}/_history`);
    assert.equal(history.status, 200);
    assert.equal(history.body.total, 2);
    const [deletion, creation] = history.body.entry;
    assert.equal(deletion.resource, undefined);
    assert.equal(deletion.request.method, 'DELETE');
    assert.equal(deletion.request.url, `Patient/${created.id}`);
    assert.equal(deletion.response.etag, 'W/"2"');
    assert.equal(creation.resource.meta.versionId, '1');
  });

  test('after a delete, search no longer finds the resource', async () => {
    const created = await server().create(frenchPatient());
    assert.equal((await server().get(`Patient?${insCriteria(created)}`)).body.entry.length, 1);
    await server().delete(`Patient/${created.id}`);
    const after = await server().get(`Patient?${insCriteria(created)}&_total=accurate`);
    assert.equal(after.body.total, 0);
    assert.equal((after.body.entry ?? []).length, 0);
  });

  test('delete of an id that never existed succeeds with an informational OperationOutcome and writes nothing (http.html#delete)', async () => {
    const id = randomUUID();
    const result = await server().delete(`Patient/${id}`);
    assert.equal(result.status, 200);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.ok((result.body.issue as any[]).every((i) => i.severity === 'information'));
    assert.equal(result.headers.get('etag'), null);
    assertOutcome(await server().get(`Patient/${id}`), 404, 'not-found');
    assert.equal((await server().get(`Patient/${id}/_history`)).status, 404);
  });

  test('deleting a deleted resource again succeeds and writes no new version', async () => {
    const created = await server().create(frenchPatient());
    assert.equal((await server().delete(`Patient/${created.id}`)).status, 200);
    const again = await server().delete(`Patient/${created.id}`);
    assert.ok(again.status === 200 || again.status === 204, `status ${again.status}`);
    if (again.status === 200) assert.equal(again.body.resourceType, 'OperationOutcome');
    assert.equal(await versionCount(server(), 'Patient', created.id), 2);
  });

  test('delete does not remove the other resources found by the same search', async () => {
    const nir = frenchPatient().identifier[0].value as string;
    const a = await server().create(frenchPatient({ nir }));
    const b = await server().create(frenchPatient({ nir }));
    await server().delete(`Patient/${a.id}`);
    const search = await server().get(`Patient?identifier=${encodeURIComponent(`${INS_NIR_SYSTEM}|${nir}`)}`);
    assert.deepEqual(search.body.entry.map((e: any) => e.resource.id), [b.id]);
  });
});

forEachBackend('HEAD', (server) => {
  test('HEAD on a resource answers the headers of GET and no body', async () => {
    const created = await server().create(frenchPatient());
    const get = await server().get(`Patient/${created.id}`);
    const head = await server().request('HEAD', `Patient/${created.id}`);
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('etag'), get.headers.get('etag'));
    assert.equal(head.headers.get('last-modified'), get.headers.get('last-modified'));
    assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
  });

  test('HEAD on an unknown resource answers 404 with no body', async () => {
    const head = await server().request('HEAD', `Patient/${randomUUID()}`);
    assert.equal(head.status, 404);
    assert.equal(head.text, '');
    assert.match(head.headers.get('content-type') ?? '', /application\/fhir\+json/, 'the GET would have been an OperationOutcome');
  });

  test('HEAD on a deleted resource answers 410 with no body', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    const head = await server().request('HEAD', `Patient/${created.id}`);
    assert.equal(head.status, 410);
    assert.equal(head.text, '');
    assert.match(head.headers.get('content-type') ?? '', /application\/fhir\+json/);
  });

  test('HEAD on vread, search, history and metadata answers 200 with no body', async () => {
    const created = await server().create(frenchPatient());
    for (const path of [`Patient/${created.id}/_history/1`, `Patient?${insCriteria(created)}`, `Patient/${created.id}/_history`, 'metadata']) {
      const head = await server().request('HEAD', path);
      assert.equal(head.status, 200, path);
      assert.equal(head.text, '', path);
      assert.match(head.headers.get('content-type') ?? '', /application\/fhir\+json/, path);
    }
  });
});
