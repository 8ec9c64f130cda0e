/**
 * PATCH with FHIRPath Patch over HTTP (http://hl7.org/fhir/R4/http.html#patch,
 * fhirpatch.html): a Parameters resource sent as application/fhir+json, each
 * operation applied in order, the result then processed as an update (its
 * validation, version, If-Match), alone or as the PATCH entry of a Bundle.
 * On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import { assertOutcome, expressions, postBundle, uniqueSystem, urn } from '../support/outcome.js';
import { idOf, OBSERVATION, patient } from '../support/bundle-entries.js';
import { versionCount } from '../support/fixtures.js';

type Part = Record<string, unknown>;

function operation(type: string, path: string, ...parts: Part[]): Part {
  return { name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...parts] };
}

function parameters(...operations: Part[]): Part {
  return { resourceType: 'Parameters', parameter: operations };
}

function fhirPathPatch(server: TestServer, path: string, operations: Part[], headers: Record<string, string> = {}): Promise<FhirResult> {
  return server.request('PATCH', path, { body: parameters(...operations), headers: { 'content-type': 'application/fhir+json', ...headers } });
}

/** A Patient of its own identifier system, with three identifiers and a birth date. */
async function created(server: TestServer, extra: Part = {}): Promise<{ id: string; system: string }> {
  const system = uniqueSystem('fhirpath-patch');
  const stored = await server.create(patient(system, 'value 1', {
    identifier: [{ system, value: 'value 1' }, { system, value: 'value 2' }, { system: 'urn:oid:1.2.3', value: 'other' }],
    name: [{ family: 'Martin', given: ['Jeanne'] }],
    birthDate: '1980-05-17',
    ...extra,
  }));
  return { id: stored.id, system };
}

async function read(server: TestServer, id: string): Promise<Record<string, any>> {
  const result = await server.get(`Patient/${id}`);
  assert.equal(result.status, 200, result.text);
  return result.body;
}

forEachBackend('FHIRPath Patch', (server) => {
  test('add appends to a repeating element and sets a non-repeating one', async () => {
    const { id, system } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('add', 'Patient', { name: 'name', valueString: 'identifier' }, { name: 'value', valueIdentifier: { system, value: 'value 3' } }),
      operation('add', 'Patient', { name: 'name', valueString: 'maritalStatus' }, { name: 'value', valueCodeableConcept: { text: 'mariée' } }),
      operation('add', 'Patient.name[0]', { name: 'name', valueString: 'given' }, { name: 'value', valueString: 'Marie' }),
    ]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    const stored = await read(server(), id);
    assert.deepEqual(stored.identifier.map((i: { value: string }) => i.value), ['value 1', 'value 2', 'other', 'value 3']);
    assert.deepEqual(stored.maritalStatus, { text: 'mariée' });
    assert.deepEqual(stored.name, [{ family: 'Martin', given: ['Jeanne', 'Marie'] }]);
    assert.equal(stored.meta.versionId, '2');
  });

  test('add of a non-repeating element that is already there answers 422 and writes nothing', async () => {
    const { id } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('add', 'Patient', { name: 'name', valueString: 'birthDate' }, { name: 'value', valueDate: '1990-01-01' }),
    ]);
    assertOutcome(result, 422, 'patch.invalid');
    assert.equal((await read(server(), id)).birthDate, '1980-05-17');
  });

  test('insert puts the value at the index of the list', async () => {
    const { id, system } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('insert', 'Patient.identifier', { name: 'index', valueInteger: 1 }, { name: 'value', valueIdentifier: { system, value: 'inserted' } }),
    ]);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual((await read(server(), id)).identifier.map((i: { value: string }) => i.value), ['value 1', 'inserted', 'value 2', 'other']);
  });

  test('delete removes the one element found; nothing found is no change', async () => {
    const { id } = await created(server());
    const deleted = await fhirPathPatch(server(), `Patient/${id}`, [operation('delete', 'Patient.birthDate')]);
    assert.equal(deleted.status, 200, deleted.text);
    const stored = await read(server(), id);
    assert.equal(stored.birthDate, undefined);
    assert.equal(stored.meta.versionId, '2');
    const nothing = await fhirPathPatch(server(), `Patient/${id}`, [operation('delete', "Patient.identifier.where(system='urn:nowhere')")]);
    assert.equal(nothing.status, 200, nothing.text);
    assert.equal(nothing.headers.get('etag'), 'W/"2"', 'no change, no new version');
    assert.equal((await read(server(), id)).identifier.length, 3);
  });

  test('delete of a path selecting several elements answers 422 and writes nothing', async () => {
    const { id, system } = await created(server());
    const issues = assertOutcome(await fhirPathPatch(server(), `Patient/${id}`, [operation('delete', `Patient.identifier.where(system='${system}')`)]), 422, 'patch.invalid');
    assert.deepEqual(expressions(issues), ['Parameters.parameter[0]']);
    assert.equal(await versionCount(server(), 'Patient', id), 1);
    assert.equal((await read(server(), id)).identifier.length, 3);
  });

  test('replace changes a primitive and a complex value', async () => {
    const { id } = await created(server(), { maritalStatus: { text: 'célibataire' } });
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1981-06-18' }),
      operation('replace', 'Patient.maritalStatus', { name: 'value', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] } }),
    ]);
    assert.equal(result.status, 200, result.text);
    const stored = await read(server(), id);
    assert.equal(stored.birthDate, '1981-06-18');
    assert.deepEqual(stored.maritalStatus, { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] });
  });

  test('move reorders a list', async () => {
    const { id } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('move', 'Patient.identifier', { name: 'source', valueInteger: 2 }, { name: 'destination', valueInteger: 0 }),
    ]);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual((await read(server(), id)).identifier.map((i: { value: string }) => i.value), ['other', 'value 1', 'value 2']);
  });

  test('a complex value without a datatype of its own is built from nested parts', async () => {
    const { id } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('add', 'Patient', { name: 'name', valueString: 'contact' }, {
        name: 'value',
        part: [
          { name: 'relationship', valueCodeableConcept: { text: 'fille' } },
          { name: 'name', valueHumanName: { family: 'Martin', given: ['Léa'] } },
          { name: 'telecom', valueContactPoint: { system: 'phone', value: '06 12 34 56 78' } },
        ],
      }),
    ]);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual((await read(server(), id)).contact, [{
      relationship: [{ text: 'fille' }], name: { family: 'Martin', given: ['Léa'] }, telecom: [{ system: 'phone', value: '06 12 34 56 78' }],
    }]);
  });

  test('a where() path selects the element to replace', async () => {
    const { id } = await created(server());
    const result = await fhirPathPatch(server(), `Patient/${id}`, [
      operation('replace', "Patient.identifier.where(system='urn:oid:1.2.3').value", { name: 'value', valueString: 'changed' }),
    ]);
    assert.equal(result.status, 200, result.text);
    const stored = await read(server(), id);
    assert.deepEqual(stored.identifier.map((i: { value: string }) => i.value), ['value 1', 'value 2', 'changed']);
  });

  test('invalid Parameters answer 422 with an OperationOutcome and write nothing', async () => {
    const { id } = await created(server());
    const invalid: Part[][] = [
      [{ name: 'operation', part: [{ name: 'path', valueString: 'Patient.birthDate' }] }],
      [operation('rename', 'Patient.birthDate')],
      [operation('replace', 'Patient.birthDate')],
      [operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1990-01-01' }, { name: 'index', valueInteger: 0 })],
      [operation('replace', 'Patient.birthDate.(', { name: 'value', valueDate: '1990-01-01' })],
      [operation('replace', 'Patient.managingOrganization.resolve().name', { name: 'value', valueString: 'x' })],
      [operation('replace', 'Patient.birthDate', { name: 'value', valueHumanName: { family: 'x' } })],
    ];
    for (const operations of invalid) {
      const result = await fhirPathPatch(server(), `Patient/${id}`, operations);
      assertOutcome(result, 422, 'patch.invalid');
      assert.doesNotMatch(result.text, /Error:|at [A-Za-z.]+ \(/, 'no engine internals in the answer');
    }
    const notAList = await server().request('PATCH', `Patient/${id}`, { body: { resourceType: 'Parameters', parameter: 'operation' } });
    assertOutcome(notAList, 422, 'patch.invalid');
    assert.equal(await versionCount(server(), 'Patient', id), 1);
  });

  test('a path whose cost is not bounded by the resource answers 422 at once, naming the limit, and writes nothing', async () => {
    const { id } = await created(server());
    // The reviewer's path: ten-item literals nested in six select() kept the server busy for 27 s.
    let literals = '(1|2|3|4|5|6|7|8|9|0)';
    for (let i = 0; i < 6; i += 1) literals = `(1|2|3|4|5|6|7|8|9|0).select(${literals})`;
    const started = performance.now();
    const result = await fhirPathPatch(server(), `Patient/${id}`, [operation('delete', `Patient.where(${literals}.count() > 5)`)]);
    assert.ok(performance.now() - started < 2000, 'refused before being evaluated');
    assertOutcome(result, 422, 'patch.invalid');
    assert.match(result.text, /the union operator \| is not allowed in a patch path/);
    const selected = await fhirPathPatch(server(), `Patient/${id}`, [operation('delete', 'Patient.name.select(given).first()')]);
    assertOutcome(selected, 422, 'patch.invalid');
    assert.match(selected.text, /the function select\(\) is not allowed in a patch path/);
    assert.equal(await versionCount(server(), 'Patient', id), 1);
  });

  test('resolve() in a path finds a contained resource by its #id; another reference answers 422 saying so', async () => {
    const basic = await server().create({
      resourceType: 'Basic', code: { text: 'note' },
      contained: [{ resourceType: 'Organization', id: 'o1', name: 'Clinique' }],
      author: { reference: '#o1' },
    });
    const path = `Basic/${basic.id}`;
    const renamed = await fhirPathPatch(server(), path, [operation('replace', 'Basic.author.resolve().name', { name: 'value', valueString: 'X' })]);
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual((await server().get(path)).body.contained, [{ resourceType: 'Organization', id: 'o1', name: 'X' }]);
    const { id } = await created(server(), { managingOrganization: { reference: 'Organization/elsewhere' } });
    const elsewhere = await fhirPathPatch(server(), `Patient/${id}`, [operation('replace', 'Patient.managingOrganization.resolve().name', { name: 'value', valueString: 'X' })]);
    assertOutcome(elsewhere, 422, 'patch.invalid');
    assert.match(elsewhere.text, /resolve\(\) finds only the resources contained in the patched one \(#id\) in a patch path, not Organization\/elsewhere/);
  });

  test('a patch leaving the resource invalid answers as an update would, and writes nothing', async () => {
    const { id } = await created(server());
    // A malformed date is not FHIR: 400, as JSON Patch answers.
    assertOutcome(await fhirPathPatch(server(), `Patient/${id}`, [operation('replace', 'Patient.birthDate', { name: 'value', valueString: '17/05/1980' })]), 400);
    const observation = await server().create({ ...OBSERVATION, identifier: [{ system: uniqueSystem('obs'), value: 'o' }] });
    // Without its required status, the Observation breaks a FHIR rule: 422.
    assertOutcome(await fhirPathPatch(server(), `Observation/${observation.id}`, [operation('delete', 'Observation.status')]), 422);
    assert.equal(await versionCount(server(), 'Patient', id), 1);
    assert.equal((await server().get(`Observation/${observation.id}`)).body.status, 'final');
  });

  test('decimals keep their written precision, those the patch leaves and those it writes', async () => {
    const created = await server().request('POST', 'Observation', {
      rawBody: '{"resourceType":"Observation","status":"final","code":{"text":"poids"},"valueQuantity":{"value":71.50,"unit":"kg"}}',
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(created.status, 201, created.text);
    const path = `Observation/${created.body.id}`;
    const amended = await fhirPathPatch(server(), path, [operation('replace', 'Observation.status', { name: 'value', valueCode: 'amended' })]);
    assert.equal(amended.status, 200, amended.text);
    assert.match((await server().get(path)).text, /"value":71\.50[,}]/);
    const replaced = await server().request('PATCH', path, {
      rawBody: JSON.stringify(parameters(operation('replace', 'Observation.value', { name: 'value', valueQuantity: { value: 0, unit: 'kg' } }))).replace('"value":0', '"value":72.10'),
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.match((await server().get(path)).text, /"value":72\.10[,}]/);
  });

  test('a bare decimal the patch writes, as a value or in parts, is stored as written (50.6300, 3.0500)', async () => {
    const created = await server().request('POST', 'Location', {
      rawBody: '{"resourceType":"Location","name":"Lille","position":{"longitude":3.0570,"latitude":50.6290}}',
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(created.status, 201, created.text);
    const path = `Location/${created.body.id}`;
    const replaced = await server().request('PATCH', path, {
      rawBody: JSON.stringify(parameters(operation('replace', 'Location.position.latitude', { name: 'value', valueDecimal: 0 }))).replace('"valueDecimal":0', '"valueDecimal":50.6300'),
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.match((await server().get(path)).text, /"position":\{"longitude":3\.0570,"latitude":50\.6300\}/);
    const rebuilt = await server().request('PATCH', path, {
      rawBody: JSON.stringify(parameters(
        operation('delete', 'Location.position'),
        operation('add', 'Location', { name: 'name', valueString: 'position' }, { name: 'value', part: [{ name: 'longitude', valueDecimal: 0 }, { name: 'latitude', valueDecimal: 1 }] }),
      )).replace('"valueDecimal":0', '"valueDecimal":3.0500').replace('"valueDecimal":1', '"valueDecimal":50.60'),
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(rebuilt.status, 200, rebuilt.text);
    assert.match((await server().get(path)).text, /"position":\{"longitude":3\.0500,"latitude":50\.60\}/);
  });

  test('a patch cannot change the id', async () => {
    const { id } = await created(server());
    assertOutcome(await fhirPathPatch(server(), `Patient/${id}`, [operation('replace', 'Patient.id', { name: 'value', valueId: 'autre' })]), 422, 'patch.invalid');
    assert.equal(await versionCount(server(), 'Patient', id), 1);
  });

  test('If-Match is honoured: the current version applies, a stale one answers 412', async () => {
    const { id } = await created(server());
    const applied = await fhirPathPatch(server(), `Patient/${id}`, [operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1980-05-18' })], { 'if-match': 'W/"1"' });
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.headers.get('etag'), 'W/"2"');
    assertOutcome(await fhirPathPatch(server(), `Patient/${id}`, [operation('replace', 'Patient.birthDate', { name: 'value', valueDate: '1980-05-19' })], { 'if-match': 'W/"1"' }), 412);
    const stored = await read(server(), id);
    assert.equal(stored.birthDate, '1980-05-18');
    assert.equal(stored.meta.versionId, '2');
  });

  test('application/json carries a FHIRPath Patch too; a FHIR JSON body that is not a Parameters answers 415', async () => {
    const { id } = await created(server());
    const result = await server().request('PATCH', `Patient/${id}`, {
      body: parameters(operation('add', 'Patient', { name: 'name', valueString: 'active' }, { name: 'value', valueBoolean: true })),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(result.status, 200, result.text);
    assert.equal((await read(server(), id)).active, true);
    assertOutcome(await server().request('PATCH', `Patient/${id}`, { body: { resourceType: 'Patient', active: false } }), 415, 'patch.unsupported-type');
    assert.equal((await read(server(), id)).active, true);
  });

  test('conditional PATCH applies a FHIRPath Patch to the one match', async () => {
    const { id, system } = await created(server());
    const result = await fhirPathPatch(server(), `Patient?identifier=${encodeURIComponent(`${system}|value 2`)}`, [operation('delete', 'Patient.name')]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, id);
    assert.equal((await read(server(), id)).name, undefined);
  });

  test('a PATCH entry whose resource is a Parameters is a FHIRPath Patch, in a transaction and in a batch', async () => {
    const { id } = await created(server());
    const transaction = await postBundle(server(), 'transaction', [{
      resource: parameters(
        operation('replace', 'Patient.name[0].family', { name: 'value', valueString: 'Durand' }),
        operation('add', 'Patient', { name: 'name', valueString: 'gender' }, { name: 'value', valueCode: 'female' }),
      ),
      request: { method: 'PATCH', url: `Patient/${id}` },
    }]);
    assert.equal(transaction.status, 200, transaction.text);
    assert.match(transaction.body.entry[0].response.status, /^200/);
    let stored = await read(server(), id);
    assert.equal(stored.name[0].family, 'Durand');
    assert.equal(stored.gender, 'female');
    assert.equal(stored.meta.versionId, '2');

    const batch = await postBundle(server(), 'batch', [
      { resource: parameters(operation('delete', 'Patient.gender')), request: { method: 'PATCH', url: `Patient/${id}` } },
    ]);
    assert.equal(batch.status, 200, batch.text);
    assert.match(batch.body.entry[0].response.status, /^200/);
    stored = await read(server(), id);
    assert.equal(stored.gender, undefined);
    assert.equal(stored.meta.versionId, '3');
  });

  test('a conditional reference a FHIRPath Patch writes as a string is refused: 400 alone or in a batch, not stored in a transaction', async () => {
    const { id: target, system } = await created(server());
    const observation = await server().create({ ...OBSERVATION, subject: { reference: `Patient/${target}` } });
    const criteria = `Patient?identifier=${system}|value 1`;
    const intoReference = operation('replace', 'Observation.subject.reference', { name: 'value', valueString: criteria });
    const asPart = operation('add', 'Observation.subject', { name: 'name', valueString: 'display' }, { name: 'value', valueString: 'x' });
    assertOutcome(await fhirPathPatch(server(), `Observation/${observation.id}`, [intoReference]), 400, 'reference.conditional-outside-transaction');
    const batch = await postBundle(server(), 'batch', [{ resource: parameters(intoReference), request: { method: 'PATCH', url: `Observation/${observation.id}` } }]);
    assert.match(batch.body.entry[0].response.status, /^400/, batch.text);
    const transaction = await postBundle(server(), 'transaction', [{ resource: parameters(intoReference), request: { method: 'PATCH', url: `Observation/${observation.id}` } }]);
    assertOutcome(transaction, 400, 'bundle.unresolved-reference');
    const stored = (await server().get(`Observation/${observation.id}`)).body;
    assert.equal(stored.subject.reference, `Patient/${target}`);
    assert.equal(stored.meta.versionId, '1');
    // A patch that leaves references alone is unaffected.
    assert.equal((await fhirPathPatch(server(), `Observation/${observation.id}`, [asPart])).status, 200);
  });

  test('a failing FHIRPath Patch entry fails its transaction', async () => {
    const { id } = await created(server());
    const system = uniqueSystem('fhirpath-patch-tx');
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'created'), request: { method: 'POST', url: 'Patient' } },
      { resource: parameters(operation('delete', 'Patient.identifier')), request: { method: 'PATCH', url: `Patient/${id}` } },
    ]);
    assertOutcome(result, 422, 'patch.invalid');
    assert.equal(await versionCount(server(), 'Patient', id), 1);
    assert.equal((await server().get(`Patient?identifier=${encodeURIComponent(`${system}|created`)}`)).body.total ?? 0, 0);
  });

  test('placeholders in the values of a FHIRPath Patch entry are replaced by the ids the transaction assigned', async () => {
    const { id } = await created(server());
    const practitionerUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: practitionerUrl, resource: { resourceType: 'Practitioner', name: [{ family: 'Lefèvre' }] }, request: { method: 'POST', url: 'Practitioner' } },
      {
        resource: parameters(operation('add', 'Patient', { name: 'name', valueString: 'generalPractitioner' }, { name: 'value', valueReference: { reference: practitionerUrl } })),
        request: { method: 'PATCH', url: `Patient/${id}` },
      },
    ]);
    assert.equal(result.status, 200, result.text);
    const practitionerId = idOf(result.body.entry[0].response.location);
    assert.deepEqual((await read(server(), id)).generalPractitioner, [{ reference: `Practitioner/${practitionerId}` }]);
  });

  test('the CapabilityStatement lists both patch formats', async () => {
    const metadata = await server().get('metadata');
    assert.equal(metadata.status, 200, metadata.text);
    assert.deepEqual(metadata.body.patchFormat, ['application/json-patch+json', 'application/fhir+json']);
  });
});
