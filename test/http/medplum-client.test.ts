/**
 * Medplum's TypeScript client (npm `@medplum/core`, MedplumClient) against the
 * running server, on both backends: the client of an application built on
 * Medplum's SDK, pointed at Socle's FHIR base with a bearer token.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MedplumClient, OperationOutcomeError } from '@medplum/core';
import { forEachBackend, TEST_OPERATOR, type TestServer } from '../support/test-server.js';
import { frenchPatient, IPP_SYSTEM, UUID_V4, type Json } from '../support/fixtures.js';

/** A client as an application sets it up for another FHIR server: base URL, FHIR path, Node's fetch, a token. */
function medplumFor(server: TestServer, token: string | undefined, options: { autoBatchTime?: number; onUnauthenticated?: () => void } = {}): MedplumClient {
  const client = new MedplumClient({ baseUrl: server.url, fhirUrlPath: 'fhir', fetch: globalThis.fetch, ...options });
  if (token) client.setAccessToken(token);
  return client;
}

/** The OperationOutcome of a failed MedplumClient call. */
async function outcomeOf(call: Promise<unknown>): Promise<Json> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof OperationOutcomeError, `an OperationOutcomeError, not ${String(error)}`);
    return error.outcome as Json;
  }
  assert.fail('the call should have failed');
}

const codesOf = (outcome: Json): string[] => (outcome.issue as Json[]).map((issue) => issue.code as string);

function glucose(patientReference: string, value: number, date: string): Json & { resourceType: 'Observation' } {
  return {
    resourceType: 'Observation', status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }] },
    subject: { reference: patientReference }, effectiveDateTime: date,
    valueQuantity: { value, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
  };
}

forEachBackend('Medplum client', (server) => {
  let token = '';
  before(async () => {
    token = await server().tokenFor(TEST_OPERATOR);
  });
  const medplum = (options?: { autoBatchTime?: number }): MedplumClient => medplumFor(server(), token, options);

  test('createResource, readResource, updateResource, patchResource, readHistory, readVersion, deleteResource', async () => {
    const client = medplum();
    const created = (await client.createResource(frenchPatient({ family: 'Morel', given: 'Lucie', gender: 'female', birthDate: '1984-02-29' }))) as Json;
    assert.match(created.id, UUID_V4);
    assert.equal(created.meta.versionId, '1');

    const read = (await client.readResource('Patient', created.id)) as Json;
    assert.equal(read.name[0].family, 'Morel');
    assert.equal(read.birthDate, '1984-02-29');

    const updated = (await client.updateResource({ ...read, resourceType: 'Patient', telecom: [{ system: 'email', value: 'lucie.morel@example.fr' }] })) as Json;
    assert.equal(updated.meta.versionId, '2');
    assert.equal(updated.telecom[0].value, 'lucie.morel@example.fr');

    const patched = (await client.patchResource('Patient', created.id, [
      { op: 'test', path: '/meta/versionId', value: '2' },
      { op: 'replace', path: '/name/0/given', value: ['Lucie', 'Anne'] },
      { op: 'add', path: '/active', value: true },
    ])) as Json;
    assert.equal(patched.meta.versionId, '3');
    assert.deepEqual(patched.name[0].given, ['Lucie', 'Anne']);
    assert.equal(patched.active, true);

    const history = (await client.readHistory('Patient', created.id)) as Json;
    assert.equal(history.type, 'history');
    assert.deepEqual(history.entry.map((e: Json) => e.resource.meta.versionId), ['3', '2', '1']);
    assert.deepEqual(history.entry.map((e: Json) => e.request.method), ['PATCH', 'PUT', 'POST']);

    const first = (await client.readVersion('Patient', created.id, '1')) as Json;
    assert.deepEqual(first.name[0].given, ['Lucie']);
    assert.equal(first.telecom, undefined);

    await client.deleteResource('Patient', created.id);
    const gone = await outcomeOf(client.readResource('Patient', created.id));
    assert.deepEqual(codesOf(gone), ['deleted']);
  });

  test('a JSON Patch whose test operation fails changes nothing', async () => {
    const client = medplum();
    const created = (await client.createResource(frenchPatient())) as Json;
    const refused = await outcomeOf(client.patchResource('Patient', created.id, [{ op: 'test', path: '/gender', value: 'unknown' }, { op: 'add', path: '/active', value: false }]));
    assert.ok(codesOf(refused).length > 0);
    assert.equal(((await medplum().readResource('Patient', created.id)) as Json).meta.versionId, '1');
  });

  test('searchResources and search with several parameters, repeated ones, _sort and _total; searchOne', async () => {
    const client = medplum();
    const family = `Chevalier-${randomUUID().slice(0, 8)}`;
    const births = ['1975-06-01', '1982-03-15', '1986-11-30', '1991-01-20'];
    const ids: string[] = [];
    for (const [i, birthDate] of births.entries()) {
      ids.push(((await client.createResource(frenchPatient({ family, birthDate, gender: i % 2 === 0 ? 'female' : 'male' }))) as Json).id);
    }

    const women = (await client.searchResources('Patient', { family, gender: 'female' })) as Json[];
    assert.deepEqual(women.map((p) => p.id).sort(), [ids[0], ids[2]].sort());

    // Repeated parameters: a birth-date range.
    const eighties = (await client.searchResources('Patient', [['family', family], ['birthdate', 'ge1980-01-01'], ['birthdate', 'lt1990-01-01'], ['_sort', '-birthdate']])) as Json[];
    assert.deepEqual(eighties.map((p) => p.birthDate), ['1986-11-30', '1982-03-15']);

    const counted = (await client.search('Patient', { family, _total: 'accurate', _count: '1', _sort: 'birthdate' })) as Json;
    assert.equal(counted.total, 4);
    assert.equal(counted.entry.length, 1);
    assert.equal(counted.entry[0].resource.birthDate, '1975-06-01');
    assert.ok(counted.link.some((l: Json) => l.relation === 'next'));

    const youngest = (await client.searchOne('Patient', { family, _sort: '-birthdate' })) as Json;
    assert.equal(youngest.id, ids[3]);
    assert.equal(await client.searchOne('Patient', { family, birthdate: '2000-01-01' }), undefined);

    const byIdentifier = (await client.searchResources('Patient', `identifier=${IPP_SYSTEM}|${((await client.readResource('Patient', ids[1] as string)) as Json).identifier[1].value}`)) as Json[];
    assert.deepEqual(byIdentifier.map((p) => p.id), [ids[1]]);
  });

  test('searchResourcePages follows the next links: every match once, page by page', async () => {
    const client = medplum();
    const family = `Perrin-${randomUUID().slice(0, 8)}`;
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) ids.add(((await client.createResource(frenchPatient({ family }))) as Json).id);
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const page of client.searchResourcePages('Patient', { family, _count: 2 })) {
      sizes.push(page.length);
      for (const patient of page) seen.push((patient as Json).id);
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.equal(seen.length, 5);
    assert.deepEqual(new Set(seen), ids);
  });

  test('executeBatch: a transaction with urn:uuid references, then a batch whose entries succeed or fail alone', async () => {
    const client = medplum();
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const encounterUrn = `urn:uuid:${randomUUID()}`;
    const transaction = (await client.executeBatch({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: patientUrn, resource: frenchPatient({ family: 'Baron' }), request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: encounterUrn, request: { method: 'POST', url: 'Encounter' },
          resource: { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: patientUrn } },
        },
        { resource: { ...glucose(patientUrn, 1.05, '2024-03-01T08:00:00+01:00'), encounter: { reference: encounterUrn } }, request: { method: 'POST', url: 'Observation' } },
      ],
    } as never)) as Json;
    assert.equal(transaction.type, 'transaction-response');
    assert.deepEqual(transaction.entry.map((e: Json) => e.response.status.slice(0, 3)), ['201', '201', '201']);
    const [patient, encounter, observation] = transaction.entry.map((e: Json) => e.resource as Json);
    assert.equal(observation.subject.reference, `Patient/${patient.id}`);
    assert.equal(observation.encounter.reference, `Encounter/${encounter.id}`);
    const subject = (await client.readReference(observation.subject)) as Json;
    assert.equal(subject.name[0].family, 'Baron');

    const batch = (await client.executeBatch({
      resourceType: 'Bundle', type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${patient.id}` } },
        { request: { method: 'GET', url: `Patient/${randomUUID()}` } },
        { request: { method: 'GET', url: `Observation?subject=Patient/${patient.id}` } },
      ],
    } as never)) as Json;
    assert.equal(batch.type, 'batch-response');
    assert.deepEqual(batch.entry.map((e: Json) => e.response.status.slice(0, 3)), ['200', '404', '200']);
    assert.equal(batch.entry[0].resource.id, patient.id);
    assert.equal(batch.entry[1].response.outcome.resourceType, 'OperationOutcome');
    assert.equal(batch.entry[2].resource.total ?? batch.entry[2].resource.entry.length, 1);
  });

  test('automatic batching (autoBatchTime) groups reads into one batch and settles each alone', async () => {
    const created = (await medplum().createResource(frenchPatient({ family: 'Aubert' }))) as Json;
    const client = medplum({ autoBatchTime: 20 });
    const [found, missing, again] = await Promise.allSettled([
      client.readResource('Patient', created.id),
      client.readResource('Patient', randomUUID()),
      client.searchOne('Patient', { _id: created.id }),
    ]);
    assert.equal(found.status === 'fulfilled' && (found.value as Json).id, created.id);
    assert.equal(missing.status, 'rejected');
    assert.equal(again.status === 'fulfilled' && (again.value as Json).id, created.id);
  });

  test('createResourceIfNoneExist creates once, then returns the match without a new version', async () => {
    const client = medplum();
    const ipp = randomUUID();
    const patient = { ...frenchPatient({ family: 'Collin' }), identifier: [{ use: 'usual', system: IPP_SYSTEM, value: ipp }] };
    const first = (await client.createResourceIfNoneExist(patient, `identifier=${IPP_SYSTEM}|${ipp}`)) as Json;
    assert.equal(first.meta.versionId, '1');
    const second = (await client.createResourceIfNoneExist({ ...patient, active: true }, `identifier=${IPP_SYSTEM}|${ipp}`)) as Json;
    assert.equal(second.id, first.id);
    assert.equal(second.meta.versionId, '1');
    assert.equal(second.active, undefined);
    assert.equal(((await client.readHistory('Patient', first.id)) as Json).entry.length, 1);
  });

  test('upsertResource is a conditional update: created the first time, updated the next', async () => {
    const client = medplum();
    const ipp = randomUUID();
    const patient = { ...frenchPatient({ family: 'Renaud' }), identifier: [{ use: 'usual', system: IPP_SYSTEM, value: ipp }] };
    const created = (await client.upsertResource(patient, { identifier: `${IPP_SYSTEM}|${ipp}` })) as Json;
    assert.equal(created.meta.versionId, '1');
    const updated = (await client.upsertResource({ ...patient, active: false }, { identifier: `${IPP_SYSTEM}|${ipp}` })) as Json;
    assert.equal(updated.id, created.id);
    assert.equal(updated.meta.versionId, '2');
    assert.equal(updated.active, false);
  });

  test('validateResource maps to $validate: the verdict as an OperationOutcome, nothing stored', async () => {
    const client = medplum();
    const family = `Valide-${randomUUID().slice(0, 8)}`;
    const valid = (await client.validateResource(frenchPatient({ family }))) as Json;
    assert.equal(valid.resourceType, 'OperationOutcome');
    assert.ok((valid.issue as Json[]).every((i) => i.severity !== 'error' && i.severity !== 'fatal'), JSON.stringify(valid));
    const invalid = (await client.validateResource({ ...frenchPatient({ family }), birthDate: '29/02/1984' })) as Json;
    const errors = (invalid.issue as Json[]).filter((i) => i.severity === 'error');
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]?.expression, ['Patient.birthDate']);
    assert.equal((await client.searchResources('Patient', { family })).length, 0);
  });

  test('createBinary uploads raw bytes, download reads them back', async () => {
    const client = medplum();
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff]);
    const binary = (await client.createBinary(bytes, 'compte-rendu.pdf', 'application/pdf')) as Json;
    assert.equal(binary.resourceType, 'Binary');
    assert.equal(binary.contentType, 'application/pdf');
    const blob = await client.download(`Binary/${binary.id}`);
    assert.equal(blob.type, 'application/pdf');
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes);
  });

  test('readPatientEverything returns the patient and their compartment', async () => {
    const client = medplum();
    const patient = (await client.createResource(frenchPatient({ family: 'Everything' }))) as Json;
    const observation = (await client.createResource(glucose(`Patient/${patient.id}`, 0.97, '2024-05-02T09:30:00+02:00'))) as Json;
    const everything = (await client.readPatientEverything(patient.id)) as Json;
    const ids = (everything.entry as Json[]).map((e) => `${e.resource.resourceType}/${e.resource.id}`);
    assert.ok(ids.includes(`Patient/${patient.id}`), ids.join());
    assert.ok(ids.includes(`Observation/${observation.id}`), ids.join());
  });

  test('startClientLogin: client credentials at Socle’s token endpoint, without a scope (the client’s registered ones apply)', async () => {
    const registered = await server().request('POST', '/auth/clients', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: { client_name: 'Entrepôt de données', token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'], scope: 'system/*.rs' },
    });
    assert.equal(registered.status, 201, registered.text);
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string };
    const patient = (await medplum().createResource(frenchPatient({ family: 'Entrepot' }))) as Json;
    // Medplum's default token URL is its own server's (oauth2/token): an application names Socle's.
    const client = new MedplumClient({ baseUrl: server().url, fhirUrlPath: 'fhir', tokenUrl: 'oidc/token', fetch: globalThis.fetch });
    await client.startClientLogin(clientId, secret);
    assert.ok(client.getAccessToken());
    assert.equal(((await client.readResource('Patient', patient.id)) as Json).id, patient.id);
    const refused = await outcomeOf(client.createResource(frenchPatient()));
    assert.deepEqual(codesOf(refused), ['forbidden'], 'system/*.rs reads only');
  });

  test('errors reach the application as OperationOutcomes; without a token it is told it is unauthenticated', async () => {
    const client = medplum();
    assert.deepEqual(codesOf(await outcomeOf(client.readResource('Patient', randomUUID()))), ['not-found']);
    const invalid = await outcomeOf(client.createResource({ ...frenchPatient(), gender: 'feminin' }));
    assert.ok(codesOf(invalid).includes('code-invalid') || codesOf(invalid).includes('value'), JSON.stringify(invalid));
    let told = 0;
    const anonymous = medplumFor(server(), undefined, { onUnauthenticated: () => void (told += 1) });
    await assert.rejects(anonymous.readResource('Patient', randomUUID()));
    assert.equal(told, 1);
  });
});
