/**
 * A real third-party FHIR client, fhir-kit-client (Vermonster), against the
 * running server: what an application written for any FHIR R4 server would do.
 * On both backends.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CapabilityTool, Client } from 'fhir-kit-client';
import { forEachBackend, TEST_OPERATOR } from '../support/test-server.js';
import { frenchPatient, INS_NIR_SYSTEM, UUID_V4, type Json } from '../support/fixtures.js';

/** The status of a failed fhir-kit-client call, and the body the server sent. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: Json }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: Json } }).response;
    assert.ok(response, `an HTTP error, not ${String(error)}`);
    return response;
  }
  assert.fail('the call should have failed');
}

forEachBackend('fhir-kit-client', (server) => {
  // A real access token, sent by the client as RFC 6750 asks (Authorization: Bearer).
  let token = '';
  before(async () => {
    token = await server().tokenFor(TEST_OPERATOR);
  });
  const client = (): Client => new Client({ baseUrl: server().base, bearerToken: token });

  test('without its bearer token the client is refused with 401 and a WWW-Authenticate challenge', async () => {
    const { status, data } = await failure(new Client({ baseUrl: server().base }).search({ resourceType: 'Patient', searchParams: {} }));
    assert.equal(status, 401);
    assert.equal(data.resourceType, 'OperationOutcome');
  });

  test('capabilityStatement fetches an R4 CapabilityStatement that CapabilityTool understands', async () => {
    const statement = (await client().capabilityStatement()) as Json;
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    assert.equal(statement.kind, 'instance');
    const tool = new CapabilityTool(statement as never);
    for (const interaction of ['read', 'vread', 'create', 'update', 'patch', 'delete', 'search-type', 'history-instance']) {
      assert.ok(tool.resourceCan('Patient', interaction), `Patient ${interaction}`);
    }
    assert.ok(tool.serverCan('transaction'));
    assert.ok(tool.resourceSearch('Patient', 'identifier'));
    assert.ok(tool.resourceSearch('Patient', 'birthdate'));
  });

  test('create, read, update, vread and delete a Patient through the client', async () => {
    const fhir = client();
    const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient({ family: 'Martin', given: 'Théo', gender: 'male', birthDate: '2001-09-23' }) })) as Json;
    assert.equal(created.resourceType, 'Patient');
    assert.match(created.id, UUID_V4);
    assert.equal(created.meta.versionId, '1');
    const { response } = Client.httpFor(created as never);
    assert.equal(response?.status, 201);
    assert.equal(response?.headers.get('location'), `${server().base}/Patient/${created.id}/_history/1`);

    const read = (await fhir.read({ resourceType: 'Patient', id: created.id })) as Json;
    assert.equal(read.name[0].family, 'Martin');
    assert.equal(read.birthDate, '2001-09-23');

    const updated = (await fhir.update({ resourceType: 'Patient', id: created.id, body: { ...read, resourceType: 'Patient', name: [{ use: 'official', family: 'Martin', given: ['Théo', 'Louis'] }] } })) as Json;
    assert.equal(updated.meta.versionId, '2');
    assert.deepEqual(updated.name[0].given, ['Théo', 'Louis']);

    const first = (await fhir.vread({ resourceType: 'Patient', id: created.id, version: '1' })) as Json;
    assert.deepEqual(first.name[0].given, ['Théo']);

    const deleted = (await fhir.delete({ resourceType: 'Patient', id: created.id })) as Json;
    assert.equal(deleted.resourceType, 'OperationOutcome');
    const gone = await failure(fhir.read({ resourceType: 'Patient', id: created.id }));
    assert.equal(gone.status, 410);
    assert.equal(gone.data.resourceType, 'OperationOutcome');
  });

  test('patch through the client (application/json-patch+json)', async () => {
    const fhir = client();
    const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient() })) as Json;
    const patched = (await fhir.patch({
      resourceType: 'Patient',
      id: created.id,
      jsonPatch: [
        { op: 'add', path: '/active', value: true },
        { op: 'add', path: '/telecom', value: [{ system: 'phone', value: '06 98 76 54 32', use: 'mobile' }] },
      ],
    })) as Json;
    assert.equal(patched.active, true);
    assert.equal(patched.meta.versionId, '2');
  });

  test('a conditional update through the client updates the patient found by INS', async () => {
    const fhir = client();
    const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient() })) as Json;
    const nir = created.identifier[0].value as string;
    const { id: _id, meta: _meta, ...body } = created;
    const updated = (await fhir.update({ resourceType: 'Patient', searchParams: { identifier: `${INS_NIR_SYSTEM}|${nir}` }, body: { ...body, resourceType: 'Patient', active: false } })) as Json;
    assert.equal(updated.id, created.id);
    assert.equal(updated.meta.versionId, '2');
  });

  test('search and nextPage walk every match exactly once', async () => {
    const fhir = client();
    const family = `Lefèvre-${randomUUID().slice(0, 8)}`;
    const ids = new Set<string>();
    for (let i = 0; i < 7; i += 1) {
      const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient({ family }) })) as Json;
      ids.add(created.id);
    }
    let bundle = (await fhir.search({ resourceType: 'Patient', searchParams: { family, _count: 3 } })) as Json | undefined;
    const seen: string[] = [];
    let pages = 0;
    while (bundle) {
      pages += 1;
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'searchset');
      assert.ok((bundle.entry ?? []).length <= 3);
      for (const entry of bundle.entry ?? []) seen.push(entry.resource.id);
      bundle = (await fhir.nextPage({ bundle: bundle as never })) as Json | undefined;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.deepEqual(new Set(seen), ids);
  });

  test('search by INS identifier finds exactly that patient', async () => {
    const fhir = client();
    const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient() })) as Json;
    const bundle = (await fhir.search({ resourceType: 'Patient', searchParams: { identifier: `${INS_NIR_SYSTEM}|${created.identifier[0].value}` } })) as Json;
    assert.deepEqual(bundle.entry.map((e: Json) => e.resource.id), [created.id]);
  });

  test('history through the client lists the versions newest first', async () => {
    const fhir = client();
    const created = (await fhir.create({ resourceType: 'Patient', body: frenchPatient() })) as Json;
    await fhir.update({ resourceType: 'Patient', id: created.id, body: { ...created, resourceType: 'Patient', active: true } });
    const history = (await fhir.history({ resourceType: 'Patient', id: created.id })) as Json;
    assert.equal(history.type, 'history');
    assert.deepEqual(history.entry.map((e: Json) => e.resource.meta.versionId), ['2', '1']);
  });

  test('errors reach the client as an HTTP status with an OperationOutcome', async () => {
    const fhir = client();
    const missing = await failure(fhir.read({ resourceType: 'Patient', id: randomUUID() }));
    assert.equal(missing.status, 404);
    assert.equal(missing.data.resourceType, 'OperationOutcome');
    const invalid = await failure(fhir.create({ resourceType: 'Patient', body: { ...frenchPatient(), birthDate: '23/09/2001' } }));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.data.resourceType, 'OperationOutcome');
  });
});
