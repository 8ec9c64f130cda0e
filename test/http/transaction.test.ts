/**
 * Transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction) on both
 * backends: all or nothing, identities settled before the entries using them are written,
 * references rewritten, the processing order DELETE, POST, PUT/PATCH, GET.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { assertOutcome, base64Json, countOf, messageKeys, postBundle, uniqueSystem, urn } from '../support/outcome.js';
import { idOf, OBSERVATION, patient } from '../support/bundle-entries.js';


/** After a failed transaction: the identifiers it wrote must not exist and the updated resources must be unchanged. */
async function assertNothingWritten(server: TestServer, system: string, untouched: readonly { type: string; id: string; versionId: string }[] = []): Promise<void> {
  assert.equal(await countOf(server, `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 0, 'no Patient of the failed transaction');
  assert.equal(await countOf(server, `Observation?identifier=${encodeURIComponent(`${system}|`)}`), 0, 'no Observation of the failed transaction');
  for (const { type, id, versionId } of untouched) {
    const read = await server.get(`${type}/${id}`);
    assert.equal(read.status, 200, `${type}/${id} still readable`);
    assert.equal(read.body.meta.versionId, versionId, `${type}/${id} unchanged`);
  }
}

forEachBackend('transaction', (server) => {
  test('urn:uuid fullUrls are replaced by the assigned ids in every reference, nested ones included', async () => {
    const system = uniqueSystem('tx-refs');
    const patientUrl = urn();
    const practitionerUrl = urn();
    const encounterUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      {
        fullUrl: encounterUrl,
        resource: {
          resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
          subject: { reference: patientUrl },
          participant: [{ individual: { reference: practitionerUrl, display: 'Dr Lefèvre' } }],
        },
        request: { method: 'POST', url: 'Encounter' },
      },
      {
        resource: {
          ...OBSERVATION, identifier: [{ system, value: 'obs' }],
          subject: { reference: patientUrl },
          encounter: { reference: encounterUrl },
          performer: [{ reference: practitionerUrl }],
          extension: [{ url: 'http://example.org/fhir/StructureDefinition/witness', valueReference: { reference: practitionerUrl } }],
        },
        request: { method: 'POST', url: 'Observation' },
      },
      { fullUrl: patientUrl, resource: patient(system, 'p', { generalPractitioner: [{ reference: practitionerUrl }] }), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: practitionerUrl, resource: { resourceType: 'Practitioner', name: [{ family: 'Lefèvre' }] }, request: { method: 'POST', url: 'Practitioner' } },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'transaction-response');
    assert.equal(result.body.entry.length, 4);
    const [encounterEntry, observationEntry, patientEntry, practitionerEntry] = result.body.entry;
    for (const entry of result.body.entry) {
      assert.match(entry.response.status, /^201/);
      assert.match(entry.response.location, /\/_history\/1$/);
      assert.equal(entry.response.etag, 'W/"1"');
    }
    // Entries answer in request order, whatever the processing order.
    assert.match(encounterEntry.response.location, /\/Encounter\//);
    assert.match(observationEntry.response.location, /\/Observation\//);
    assert.match(patientEntry.response.location, /\/Patient\//);
    assert.match(practitionerEntry.response.location, /\/Practitioner\//);
    const patientId = idOf(patientEntry.response.location);
    const practitionerId = idOf(practitionerEntry.response.location);
    const encounterId = idOf(encounterEntry.response.location);

    const observation = await server().get(`Observation/${idOf(observationEntry.response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${patientId}`);
    assert.equal(observation.body.encounter.reference, `Encounter/${encounterId}`);
    assert.equal(observation.body.performer[0].reference, `Practitioner/${practitionerId}`);
    assert.equal(observation.body.extension[0].valueReference.reference, `Practitioner/${practitionerId}`);
    const encounter = await server().get(`Encounter/${encounterId}`);
    assert.equal(encounter.body.participant[0].individual.reference, `Practitioner/${practitionerId}`);
    assert.equal(encounter.body.participant[0].individual.display, 'Dr Lefèvre');
    const stored = await server().get(`Patient/${patientId}`);
    assert.equal(stored.body.generalPractitioner[0].reference, `Practitioner/${practitionerId}`);
    // The index holds the rewritten references too.
    assert.equal(await countOf(server(), `Observation?subject=Patient/${patientId}`), 1);
    assert.equal(await countOf(server(), `Encounter?participant=Practitioner/${practitionerId}`), 1);
  });

  test('RESTful fullUrls: absolute and relative references to them are rewritten, and an Attachment.url to a Binary too', async () => {
    const system = uniqueSystem('tx-rest');
    const source = 'http://source.example.org/fhir';
    const result = await postBundle(server(), 'transaction', [
      {
        fullUrl: `${source}/Observation/src-obs`,
        resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: 'Patient/src-pat' }, focus: [{ reference: `${source}/Patient/src-pat` }] },
        request: { method: 'POST', url: 'Observation' },
      },
      { fullUrl: `${source}/Patient/src-pat`, resource: patient(system, 'p'), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: 'urn:uuid:8c5a1d0e-0f3b-4d6e-9a61-3f2b7c1d9e01', resource: { resourceType: 'Binary', contentType: 'text/plain', data: Buffer.from('compte rendu').toString('base64') }, request: { method: 'POST', url: 'Binary' } },
      {
        resource: {
          resourceType: 'DocumentReference', status: 'current', identifier: [{ system, value: 'd' }], subject: { reference: `${source}/Patient/src-pat` },
          content: [{ attachment: { contentType: 'text/plain', url: 'urn:uuid:8c5a1d0e-0f3b-4d6e-9a61-3f2b7c1d9e01' } }],
        },
        request: { method: 'POST', url: 'DocumentReference' },
      },
    ]);
    assert.equal(result.status, 200, result.text);
    const patientId = idOf(result.body.entry[1].response.location);
    const binaryId = idOf(result.body.entry[2].response.location);
    const observation = await server().get(`Observation/${idOf(result.body.entry[0].response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${patientId}`, 'a relative reference resolves against the fullUrl base');
    assert.equal(observation.body.focus[0].reference, `Patient/${patientId}`);
    const document = await server().get(`DocumentReference/${idOf(result.body.entry[3].response.location)}`);
    assert.equal(document.body.subject.reference, `Patient/${patientId}`);
    assert.equal(document.body.content[0].attachment.url, `Binary/${binaryId}`);
    // No resource at the source's ids was touched or created here.
    assert.equal((await server().get('Patient/src-pat')).status, 404);
  });

  test('an entry without a RESTful fullUrl writes "Patient/x" against this server\'s base: it names the entry whose fullUrl is [base]/Patient/x', async () => {
    const system = uniqueSystem('tx-own-base');
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: `${server().base}/Patient/tx-own-pat`, resource: { ...patient(system, 'p'), id: 'tx-own-pat' }, request: { method: 'POST', url: 'Patient' } },
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o1' }], subject: { reference: 'Patient/tx-own-pat' } }, request: { method: 'POST', url: 'Observation' } },
      { fullUrl: urn(), resource: { ...OBSERVATION, identifier: [{ system, value: 'o2' }], subject: { reference: 'Patient/tx-own-pat' } }, request: { method: 'POST', url: 'Observation' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const patientId = idOf(result.body.entry[0].response.location);
    assert.notEqual(patientId, 'tx-own-pat', 'a created resource gets the server\'s id');
    for (const index of [1, 2]) {
      const observation = await server().get(`Observation/${idOf(result.body.entry[index].response.location)}`);
      assert.equal(observation.body.subject.reference, `Patient/${patientId}`);
    }
  });

  test('a reference to a urn:uuid that no entry declares fails the transaction', async () => {
    const system = uniqueSystem('tx-dangling');
    const result = await postBundle(server(), 'transaction', [
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: urn() } }, request: { method: 'POST', url: 'Observation' } },
      { resource: patient(system, 'p'), request: { method: 'POST', url: 'Patient' } },
    ]);
    assertOutcome(result, 400, 'bundle.unresolved-reference');
    await assertNothingWritten(server(), system);
  });

  test('a Bundle stored by a transaction (a document) keeps its own urn:uuid links: they resolve among its entries, not the transaction\'s', async () => {
    const system = uniqueSystem('tx-nested-bundle');
    const outerPatient = urn();
    const innerPatient = urn();
    const innerComposition = urn();
    const document = {
      resourceType: 'Bundle', type: 'document', identifier: { system, value: 'doc' }, timestamp: '2026-11-24T10:00:00+01:00',
      entry: [
        {
          fullUrl: innerComposition,
          resource: { resourceType: 'Composition', status: 'final', type: { text: 'Lettre de liaison' }, date: '2026-11-24', title: 'Lettre', author: [{ display: 'Dr X' }], subject: { reference: innerPatient } },
        },
        // Its fullUrl is also the transaction's: inside the document it names the document's own entry.
        { fullUrl: innerPatient, resource: { resourceType: 'Patient', name: [{ family: 'Interne' }] } },
        { fullUrl: outerPatient, resource: { resourceType: 'Patient', name: [{ family: 'Homonyme' }] } },
      ],
    };
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: outerPatient, resource: patient(system, 'p'), request: { method: 'POST', url: 'Patient' } },
      { resource: document, request: { method: 'POST', url: 'Bundle' } },
    ]);
    assert.equal(result.status, 200, result.text.slice(0, 500));
    const stored = await server().get(result.body.entry[1].response.location);
    assert.deepEqual(stored.body.entry.map((e: { fullUrl: string }) => e.fullUrl), [innerComposition, innerPatient, outerPatient]);
    assert.equal(stored.body.entry[0].resource.subject.reference, innerPatient);
  });

  test('entries run in the order DELETE, POST, PUT/PATCH, GET and GET entries see the writes of the transaction', async () => {
    const system = uniqueSystem('tx-order');
    const toDelete = await server().create(patient(system, 'deleted'));
    const toUpdate = await server().create(patient(system, 'updated', { name: [{ family: 'Avant' }] }));
    const toPatch = await server().create(patient(system, 'patched', { active: true }));
    const result = await postBundle(server(), 'transaction', [
      { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(`${system}|`)}&_total=accurate` } },
      { request: { method: 'GET', url: `Patient/${toUpdate.id}` } },
      { request: { method: 'GET', url: `Patient/${toPatch.id}` } },
      { request: { method: 'GET', url: `Patient?_id=${toDelete.id}&_total=accurate` } },
      { resource: patient(system, 'updated', { id: toUpdate.id, name: [{ family: 'Après' }] }), request: { method: 'PUT', url: `Patient/${toUpdate.id}` } },
      {
        resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: base64Json([{ op: 'replace', path: '/active', value: false }]) },
        request: { method: 'PATCH', url: `Patient/${toPatch.id}` },
      },
      { resource: patient(system, 'created'), request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'DELETE', url: `Patient/${toDelete.id}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry;
    assert.equal(entries.length, 8);
    assert.deepEqual(entries.map((e: { response: { status: string } }) => e.response.status.slice(0, 3)), ['200', '200', '200', '200', '200', '200', '201', '200']);

    const searchAll = entries[0].resource;
    assert.equal(searchAll.resourceType, 'Bundle');
    assert.equal(searchAll.type, 'searchset');
    // deleted is gone, created is there: 3 of the 4 identifiers.
    assert.equal(searchAll.total, 3);
    const values = searchAll.entry.map((e: { resource: { identifier: { value: string }[] } }) => e.resource.identifier[0]?.value).sort();
    assert.deepEqual(values, ['created', 'patched', 'updated']);
    assert.equal(entries[1].resource.name[0].family, 'Après');
    assert.equal(entries[1].resource.meta.versionId, '2');
    assert.equal(entries[2].resource.active, false);
    assert.equal(entries[3].resource.total, 0);
    // The write entries carry their version headers.
    assert.equal(entries[4].response.etag, 'W/"2"');
    assert.match(entries[4].response.location, new RegExp(`/Patient/${toUpdate.id}/_history/2$`));
    assert.equal(entries[5].response.etag, 'W/"2"');
    assert.equal(entries[7].response.etag, 'W/"2"');

    assert.equal((await server().get(`Patient/${toDelete.id}`)).status, 410);
    assert.equal((await server().get(`Patient/${toPatch.id}`)).body.active, false);
  });

  test('a PATCH entry carries its JSON Patch as a base64 Binary', async () => {
    const system = uniqueSystem('tx-patch');
    const target = await server().create(patient(system, 'x', { name: [{ family: 'Dupont' }] }));
    const result = await postBundle(server(), 'transaction', [{
      resource: {
        resourceType: 'Binary', contentType: 'application/json-patch+json',
        data: base64Json([{ op: 'add', path: '/birthDate', value: '1970-01-02' }, { op: 'replace', path: '/name/0/family', value: 'Durand' }]),
      },
      request: { method: 'PATCH', url: `Patient/${target.id}` },
    }]);
    assert.equal(result.status, 200, result.text);
    assert.match(result.body.entry[0].response.status, /^200/);
    const read = await server().get(`Patient/${target.id}`);
    assert.equal(read.body.birthDate, '1970-01-02');
    assert.equal(read.body.name[0].family, 'Durand');
    assert.equal(read.body.meta.versionId, '2');
  });

  test('conditional create of an existing resource answers 200 and its id is used by the references', async () => {
    const system = uniqueSystem('tx-ccreate');
    const existing = await server().create(patient(system, 'known'));
    const patientUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: patientUrl, resource: patient(system, 'known', { name: [{ family: 'Ignoré' }] }), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${system}|known` } },
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o1' }], subject: { reference: patientUrl } }, request: { method: 'POST', url: 'Observation' } },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.match(result.body.entry[0].response.status, /^200/);
    assert.equal(idOf(result.body.entry[0].response.location), existing.id);
    assert.equal(result.body.entry[0].response.etag, 'W/"1"');
    assert.match(result.body.entry[1].response.status, /^201/);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|known`)}`), 1, 'no second Patient');
    const observation = await server().get(`Observation/${idOf(result.body.entry[1].response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${existing.id}`);
    assert.equal((await server().get(`Patient/${existing.id}`)).body.name, undefined, 'the existing Patient is not changed');
  });

  test('conditional create of an existing resource answers its location even when the entry has no fullUrl', async () => {
    const system = uniqueSystem('tx-ccreate-nofullurl');
    const existing = await server().create(patient(system, 'known'));
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'known'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${system}|known` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const [entry] = result.body.entry;
    assert.match(entry.response.status, /^200/);
    assert.equal(idOf(entry.response.location ?? ''), existing.id);
    assert.equal(entry.response.etag, 'W/"1"');
  });

  test('conditional create with no match creates, and its new id is used by the references', async () => {
    const system = uniqueSystem('tx-ccreate-new');
    const patientUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: patientUrl } }, request: { method: 'POST', url: 'Observation' } },
      { fullUrl: patientUrl, resource: patient(system, 'new'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${system}|new` } },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.match(result.body.entry[1].response.status, /^201/);
    const patientId = idOf(result.body.entry[1].response.location);
    const observation = await server().get(`Observation/${idOf(result.body.entry[0].response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${patientId}`);
  });

  test('conditional create matching several resources fails the transaction with 412', async () => {
    const system = uniqueSystem('tx-ccreate-many');
    await server().create(patient(system, 'twin'));
    await server().create(patient(system, 'twin'));
    const other = uniqueSystem('tx-ccreate-many-other');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(other, 'first'), request: { method: 'POST', url: 'Patient' } },
      { resource: patient(system, 'twin'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${system}|twin` } },
    ]);
    assertOutcome(result, 412, 'conditional.multiple-matches');
    await assertNothingWritten(server(), other);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|twin`)}`), 2);
  });

  test('conditional update inside a transaction updates the match, or creates when none matches', async () => {
    const system = uniqueSystem('tx-cupdate');
    const existing = await server().create(patient(system, 'u1', { name: [{ family: 'Ancien' }] }));
    const newUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'u1', { name: [{ family: 'Nouveau' }] }), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${system}|u1`)}` } },
      { fullUrl: newUrl, resource: patient(system, 'u2', { name: [{ family: 'Créé' }] }), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${system}|u2`)}` } },
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: newUrl } }, request: { method: 'POST', url: 'Observation' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const [updated, created, observationEntry] = result.body.entry;
    assert.match(updated.response.status, /^200/);
    assert.equal(idOf(updated.response.location), existing.id);
    assert.equal(updated.response.etag, 'W/"2"');
    assert.match(created.response.status, /^201/);
    const createdId = idOf(created.response.location);
    assert.notEqual(createdId, existing.id);
    assert.equal((await server().get(`Patient/${existing.id}`)).body.name[0].family, 'Nouveau');
    assert.equal((await server().get(`Patient/${createdId}`)).body.name[0].family, 'Créé');
    const observation = await server().get(`Observation/${idOf(observationEntry.response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${createdId}`);
  });

  test('conditional update matching several resources fails the transaction with 412', async () => {
    const system = uniqueSystem('tx-cupdate-many');
    await server().create(patient(system, 'dup'));
    await server().create(patient(system, 'dup'));
    const other = uniqueSystem('tx-cupdate-other');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(other, 'a'), request: { method: 'POST', url: 'Patient' } },
      { resource: patient(system, 'dup', { active: true }), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${system}|dup`)}` } },
    ]);
    assertOutcome(result, 412, 'conditional.multiple-matches');
    await assertNothingWritten(server(), other);
  });

  test('conditional references are resolved to the one matching resource', async () => {
    const system = uniqueSystem('tx-cref');
    const target = await server().create(patient(system, 'cible'));
    const result = await postBundle(server(), 'transaction', [{
      resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: `Patient?identifier=${system}|cible` } },
      request: { method: 'POST', url: 'Observation' },
    }]);
    assert.equal(result.status, 200, result.text);
    const observation = await server().get(`Observation/${idOf(result.body.entry[0].response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${target.id}`);
    assert.equal(await countOf(server(), `Observation?subject=Patient/${target.id}`), 1);
  });

  test('a fullUrl that disagrees with the resource\'s id is a 400 and nothing is written (Bundle.entry.fullUrl)', async () => {
    const system = uniqueSystem('tx-fullurl');
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: `${server().base}/Patient/aaa-${system.length}`, resource: { ...patient(system, 'x'), id: 'bbb' }, request: { method: 'PUT', url: 'Patient/bbb' } },
    ]);
    assertOutcome(result, 400, 'bundle.entry-invalid');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|x`)}`), 0);
  });

  test('a conditional reference written on the server\'s base ([base]/Type?criteria) is resolved too', async () => {
    const system = uniqueSystem('tx-cref-abs');
    const target = await server().create(patient(system, 'cible'));
    const result = await postBundle(server(), 'transaction', [{
      resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: `${server().base}/Patient?identifier=${system}|cible` } },
      request: { method: 'POST', url: 'Observation' },
    }]);
    assert.equal(result.status, 200, result.text);
    const observation = await server().get(`Observation/${idOf(result.body.entry[0].response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${target.id}`);
  });

  test('a conditional reference matching no resource fails the transaction with 412', async () => {
    const system = uniqueSystem('tx-cref-none');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'bystander'), request: { method: 'POST', url: 'Patient' } },
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: `Patient?identifier=${system}|personne` } }, request: { method: 'POST', url: 'Observation' } },
    ]);
    const issues = assertOutcome(result, 412, 'bundle.conditional-reference-none');
    assert.ok(issues.some((i) => i.code === 'not-found'), 'no match is not-found, not multiple-matches');
    await assertNothingWritten(server(), system);
  });

  test('a conditional reference matching several resources fails the transaction with 412', async () => {
    const system = uniqueSystem('tx-cref-many');
    await server().create(patient(system, 'jumeau'));
    await server().create(patient(system, 'jumeau'));
    const other = uniqueSystem('tx-cref-many-other');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(other, 'bystander'), request: { method: 'POST', url: 'Patient' } },
      { resource: { ...OBSERVATION, identifier: [{ system: other, value: 'o' }], subject: { reference: `Patient?identifier=${system}|jumeau` } }, request: { method: 'POST', url: 'Observation' } },
    ]);
    const issues = assertOutcome(result, 412, 'bundle.conditional-reference');
    assert.ok(issues.some((i) => i.code === 'multiple-matches'));
    await assertNothingWritten(server(), other);
  });

  test('a duplicate fullUrl is refused with 400', async () => {
    const system = uniqueSystem('tx-dup');
    const same = urn();
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: same, resource: patient(system, 'a'), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: same, resource: patient(system, 'b'), request: { method: 'POST', url: 'Patient' } },
    ]);
    // Refused by the Bundle's own invariant bdl-7 (bundle.html#invs) or by the transaction rules: 400 either way.
    const issues = assertOutcome(result, 400);
    assert.ok(messageKeys(issues).includes('bundle.duplicate-fullurl') || issues.some((i) => /bdl-7/.test(i.diagnostics ?? '')), result.text);
    await assertNothingWritten(server(), system);
  });

  test('the same resource targeted twice is refused with 400', async () => {
    const system = uniqueSystem('tx-twice');
    const target = await server().create(patient(system, 'twice'));
    const untouched = [{ type: 'Patient', id: target.id, versionId: '1' }];
    const twoPuts = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'twice', { id: target.id, active: true }), request: { method: 'PUT', url: `Patient/${target.id}` } },
      { resource: patient(system, 'twice', { id: target.id, active: false }), request: { method: 'PUT', url: `Patient/${target.id}` } },
    ]);
    assertOutcome(twoPuts, 400, 'bundle.same-resource-twice');
    const deleteAndPut = await postBundle(server(), 'transaction', [
      { request: { method: 'DELETE', url: `Patient/${target.id}` } },
      { resource: patient(system, 'twice', { id: target.id, active: true }), request: { method: 'PUT', url: `Patient/${target.id}` } },
    ]);
    assertOutcome(deleteAndPut, 400, 'bundle.same-resource-twice');
    // A conditional update resolving to the resource another entry updates by id is the same resource.
    const conditionalAndPut = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'twice', { active: true }), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${system}|twice`)}` } },
      { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: base64Json([{ op: 'add', path: '/active', value: false }]) }, request: { method: 'PATCH', url: `Patient/${target.id}` } },
    ]);
    assertOutcome(conditionalAndPut, 400, 'bundle.same-resource-twice');
    await assertNothingWritten(server(), uniqueSystem('none'), untouched);
  });

  test('an invalid resource in the last entry leaves nothing written', async () => {
    const system = uniqueSystem('tx-invalid');
    const target = await server().create(patient(system, 'keep', { active: true }));
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'first'), request: { method: 'POST', url: 'Patient' } },
      { resource: patient(system, 'keep', { id: target.id, active: false }), request: { method: 'PUT', url: `Patient/${target.id}` } },
      { resource: patient(system, 'bad', { gender: 'robot' }), request: { method: 'POST', url: 'Patient' } },
    ]);
    const issues = assertOutcome(result, [400, 422]);
    assert.ok(messageKeys(issues).includes('bundle.entry-failed'));
    assert.ok(issues.some((i) => (i.expression ?? []).includes('Bundle.entry[2].resource.gender')), 'the failing element is located in the Bundle sent');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|first`)}`), 0);
    assert.equal((await server().get(`Patient/${target.id}`)).body.active, true);
    assert.equal((await server().get(`Patient/${target.id}`)).body.meta.versionId, '1');
  });

  test('a GET entry of a missing resource fails the whole transaction with 404', async () => {
    const system = uniqueSystem('tx-404');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'a'), request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: 'Patient/does-not-exist-anywhere' } },
      { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }] }, request: { method: 'POST', url: 'Observation' } },
    ]);
    assertOutcome(result, 404, 'resource.not-found');
    await assertNothingWritten(server(), system);
  });

  test('a version conflict (If-Match) in one entry leaves nothing written', async () => {
    const system = uniqueSystem('tx-412');
    const target = await server().create(patient(system, 'versioned'));
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'created-before-conflict'), request: { method: 'POST', url: 'Patient' } },
      { resource: patient(system, 'versioned', { id: target.id, active: false }), request: { method: 'PUT', url: `Patient/${target.id}`, ifMatch: 'W/"7"' } },
    ]);
    assertOutcome(result, 412, 'version.mismatch');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|created-before-conflict`)}`), 0);
    assert.equal((await server().get(`Patient/${target.id}`)).body.meta.versionId, '1');
  });

  test('a conditional delete matching several resources leaves nothing written', async () => {
    const system = uniqueSystem('tx-cdelete');
    const a = await server().create(patient(system, 'same'));
    const b = await server().create(patient(system, 'same'));
    const other = uniqueSystem('tx-cdelete-other');
    const result = await postBundle(server(), 'transaction', [
      { request: { method: 'DELETE', url: `Patient?identifier=${encodeURIComponent(`${system}|same`)}` } },
      { resource: patient(other, 'new'), request: { method: 'POST', url: 'Patient' } },
    ]);
    assertOutcome(result, 412, 'conditional.multiple-matches');
    await assertNothingWritten(server(), other, [{ type: 'Patient', id: a.id, versionId: '1' }, { type: 'Patient', id: b.id, versionId: '1' }]);
  });

  test('transactions racing on one resource commit whole, their references intact, or fail whole with 409', async () => {
    const system = uniqueSystem('tx-race');
    const hot = await server().create(patient(system, 'hot'));
    const results = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const patientUrl = urn();
      return postBundle(server(), 'transaction', [
        { fullUrl: patientUrl, resource: patient(system, `p${i}`), request: { method: 'POST', url: 'Patient' } },
        { resource: { ...OBSERVATION, identifier: [{ system, value: `o${i}` }], subject: { reference: patientUrl } }, request: { method: 'POST', url: 'Observation' } },
        { resource: patient(system, 'hot', { id: hot.id, name: [{ family: `F${i}` }] }), request: { method: 'PUT', url: `Patient/${hot.id}` } },
      ]);
    }));
    let committed = 0;
    for (const result of results) {
      if (result.status !== 200) {
        assertOutcome(result, 409);
        continue;
      }
      committed += 1;
      const observation = await server().get(`Observation/${idOf(result.body.entry[1].response.location)}`);
      const subject = await server().get(observation.body.subject.reference);
      assert.equal(subject.status, 200, `the Observation's subject ${observation.body.subject.reference} exists`);
      assert.equal(`Patient/${subject.body.id}`, `Patient/${idOf(result.body.entry[0].response.location)}`);
    }
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|`)}`), committed);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), committed + 1);
    assert.equal((await server().get(`Patient/${hot.id}`)).body.meta.versionId, String(committed + 1));
  });

  test('an empty transaction answers an empty transaction-response', async () => {
    // An empty array is not valid FHIR JSON (json.html#arrays): a Bundle without entries has no entry element.
    const result = await server().post('', { resourceType: 'Bundle', type: 'transaction' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.type, 'transaction-response');
    assert.deepEqual(result.body.entry ?? [], []);
  });

  test('Prefer: return=minimal leaves the resources out of the response entries', async () => {
    const system = uniqueSystem('tx-minimal');
    const result = await postBundle(server(), 'transaction', [{ resource: patient(system, 'm'), request: { method: 'POST', url: 'Patient' } }], { prefer: 'return=minimal' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.entry[0].resource, undefined);
    assert.match(result.body.entry[0].response.status, /^201/);
    assert.match(result.body.entry[0].response.location, /\/Patient\/[^/]+\/_history\/1$/);
  });

  test('Prefer: return=OperationOutcome and deletions put the OperationOutcome in response.outcome, not in entry.resource', async () => {
    const system = uniqueSystem('tx-outcome');
    const existing = await server().create(patient(system, 'gone'));
    for (const prefer of ['return=OperationOutcome', 'return=minimal']) {
      const result = await postBundle(server(), 'transaction', [
        { resource: patient(system, `oo-${prefer}`), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'DELETE', url: `Patient/${existing.id}` } },
      ], { prefer });
      assert.equal(result.status, 200, result.text);
      for (const entry of result.body.entry) assert.equal(entry.resource, undefined, `${prefer}: ${JSON.stringify(entry)}`);
      const created = result.body.entry.find((e: any) => e.response.status.startsWith('201'));
      if (prefer === 'return=OperationOutcome') assert.equal(created.response.outcome.resourceType, 'OperationOutcome');
      if (prefer === 'return=minimal') {
        // "204 No Content with no response payload" (http.html#delete): none asked, none sent.
        const deleted = result.body.entry.find((e: any) => e.response.status.startsWith('204'));
        assert.equal(deleted.response.outcome, undefined, JSON.stringify(deleted));
      } else {
        const deleted = result.body.entry.find((e: any) => e.response.status.startsWith('200'));
        assert.equal(deleted.response.outcome.resourceType, 'OperationOutcome');
      }
    }
  });

  test('a conditional reference whose criteria select nothing (an empty value) is a 400, never a reference to whatever matches', async () => {
    const system = uniqueSystem('tx-empty-criteria');
    for (const reference of ['Patient?identifier=', 'Patient?_count=1']) {
      const result = await postBundle(server(), 'transaction', [
        { resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference } }, request: { method: 'POST', url: 'Observation' } },
      ]);
      assertOutcome(result, 400, 'conditional.no-criteria');
    }
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|`)}`), 0);
  });

  test('an entry nested deeper than any resource is a 400 before anything runs, in a transaction and in a batch', async () => {
    const system = uniqueSystem();
    let deep: Record<string, unknown> = { url: 'http://example.org/deep', valueString: 'x' };
    for (let i = 0; i < 1500; i += 1) deep = { url: 'http://example.org/deep', extension: [deep] };
    const entries = [
      { fullUrl: urn(), resource: patient(system, 'ok'), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: urn(), resource: patient(system, 'deep', { extension: [deep] }), request: { method: 'POST', url: 'Patient' } },
    ];
    const result = await postBundle(server(), 'transaction', entries);
    assertOutcome(result, 400);
    await assertNothingWritten(server(), system);
    const batch = await postBundle(server(), 'batch', entries);
    assert.equal(batch.status, 200, batch.text.slice(0, 300));
    assert.match(batch.body.entry[0].response.status, /^201/);
    assert.match(batch.body.entry[1].response.status, /^400/);
  });
});
