/**
 * patch with JSON Patch (RFC 6902) over HTTP (http://hl7.org/fhir/R4/http.html#patch):
 * the patched document is then processed as an update, with its version and
 * error handling, If-Match and Prefer. On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, frenchPatient, insCriteria, jsonPatch, versionCount } from '../support/fixtures.js';

forEachBackend('JSON Patch', (server) => {
  test('a replace operation answers 200, the patched resource and version 2', async () => {
    const created = await server().create(frenchPatient({ family: 'Dubois', birthDate: '1972-11-05' }));
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/birthDate', value: '1972-11-15' }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
    assert.equal(result.body.birthDate, '1972-11-15');
    assert.equal(result.body.meta.versionId, '2');
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.birthDate, '1972-11-15');
    assert.deepEqual(read.body.name, created.name);
    assert.deepEqual(read.body.identifier, created.identifier);
  });

  test('add operations append to arrays and create missing elements', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient/${created.id}`, [
      { op: 'add', path: '/telecom', value: [{ system: 'phone', value: '06 12 34 56 78', use: 'mobile' }] },
      { op: 'add', path: '/telecom/-', value: { system: 'email', value: 'patient@example.fr' } },
      { op: 'add', path: '/name/0/given/-', value: 'Marie' },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(result.body.telecom.map((t: any) => t.system), ['phone', 'email']);
    assert.equal(result.body.name[0].given.at(-1), 'Marie');
  });

  test('a remove operation deletes the element', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'remove', path: '/address' }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.address, undefined);
    assert.equal((await server().get(`Patient/${created.id}`)).body.address, undefined);
  });

  test('removing the last item of an array removes the element, as in FHIR an array is never empty (json.html)', async () => {
    const patient = frenchPatient();
    const created = await server().create({ ...patient, telecom: [{ system: 'phone', value: '06 12 34 56 78' }] });
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'remove', path: '/telecom/0' }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.telecom, undefined);
    assert.equal((await server().get(`Patient/${created.id}`)).body.telecom, undefined);
    const moved = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'move', from: '/name/0/given/0', path: '/name/0/text' }]);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.name[0].given, undefined);
    assert.equal(moved.body.name[0].text, patient.name[0]!.given![0]);
  });

  test('a patch of the data drops a narrative generated from them, refuses one with additional content, and keeps one it rewrites (http.html#patch: narrative not clinically unsafe)', async () => {
    const narrative = (status: string) => ({ status, div: '<div xmlns="http://www.w3.org/1999/xhtml">Poids : 70 kg</div>' });
    const weight = (status: string) => ({ resourceType: 'Observation', text: narrative(status), status: 'final', code: { text: 'poids' }, valueQuantity: { value: 70, unit: 'kg' } });
    const change = [{ op: 'replace', path: '/valueQuantity/value', value: 80 }];
    const generated = await server().create(weight('generated'));
    const dropped = await jsonPatch(server(), `Observation/${generated.id}`, change);
    assert.equal(dropped.status, 200, dropped.text);
    assert.equal(dropped.body.text, undefined, 'a generated narrative saying 70 kg no longer stands beside 80 kg');
    const additional = await server().create(weight('additional'));
    assertOutcome(await jsonPatch(server(), `Observation/${additional.id}`, change), 422, 'business-rule');
    assert.equal(await versionCount(server(), 'Observation', additional.id), 1);
    const rewritten = await jsonPatch(server(), `Observation/${additional.id}`, [
      ...change, { op: 'replace', path: '/text/div', value: '<div xmlns="http://www.w3.org/1999/xhtml">Poids : 80 kg</div>' },
    ]);
    assert.equal(rewritten.status, 200, rewritten.text);
    assert.match(rewritten.body.text.div, /80 kg/);
    const statusOnly = await jsonPatch(server(), `Observation/${generated.id}`, [{ op: 'add', path: '/text', value: narrative('generated') }]);
    assert.equal(statusOnly.status, 200, statusOnly.text);
    assert.deepEqual(statusOnly.body.text, narrative('generated'), 'a patch of the narrative alone is the client\'s to make');
  });

  test('a patch writing a narrative that is no Narrative (null, a string) is a 400, not a server error', async () => {
    const created = await server().create({ resourceType: 'Observation', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Poids</div>' }, status: 'final', code: { text: 'poids' } });
    for (const value of [null, 'Poids']) {
      assertOutcome(await jsonPatch(server(), `Observation/${created.id}`, [{ op: 'replace', path: '/text', value }]), 400);
    }
    assert.equal(await versionCount(server(), 'Observation', created.id), 1);
  });

  test('a passing test operation lets the following operations apply', async () => {
    const created = await server().create(frenchPatient({ gender: 'female' }));
    const result = await jsonPatch(server(), `Patient/${created.id}`, [
      { op: 'test', path: '/gender', value: 'female' },
      { op: 'add', path: '/active', value: true },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.active, true);
  });

  test('a failing test operation answers 422 and writes nothing, even the operations before it', async () => {
    const created = await server().create(frenchPatient({ gender: 'female' }));
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [
      { op: 'add', path: '/active', value: true },
      { op: 'test', path: '/gender', value: 'male' },
    ]), 422);
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.meta.versionId, '1');
    assert.equal(read.body.active, undefined);
  });

  test('an operation on a path that does not exist answers 422 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'remove', path: '/telecom/0' }]), 422);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('a patch changing the id is refused with 422 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/id', value: randomUUID() }]), 422);
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('a patch removing the id is refused with 422', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'remove', path: '/id' }]), 422);
  });

  test('a patch changing the resource type is refused with 422', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/resourceType', value: 'Practitioner' }]), 422);
    assert.equal((await server().get(`Patient/${created.id}`)).body.resourceType, 'Patient');
  });

  test('a patch whose result breaks FHIR rules answers 400 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/birthDate', value: '05/11/1972' }]), 400);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('a patch replacing or removing the whole document answers 422 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    for (const operations of [
      [{ op: 'remove', path: '' }],
      [{ op: 'replace', path: '', value: null }],
      [{ op: 'replace', path: '', value: ['Patient'] }],
      [{ op: 'move', path: '', from: '/gender' }],
    ]) {
      assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, operations), 422);
    }
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('a move of a value into one of its own children answers 422 (RFC 6902 §4.4)', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'move', from: '/name/0', path: '/name/0/given/0' }]), 422);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('a patch body that is not an array of operations answers 422', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, { op: 'replace', path: '/active', value: true }), 422);
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'renommer', path: '/active' }]), 422);
  });

  test('a patch body that is not JSON answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { rawBody: '[{"op":', headers: { 'content-type': 'application/json-patch+json' } }), 400);
  });

  test('PATCH with application/json answers 415', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, {
      body: [{ op: 'replace', path: '/active', value: true }], headers: { 'content-type': 'application/json' },
    }), 415);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('PATCH with application/fhir+json and a JSON Patch body answers 415 (FHIR JSON is for FHIRPath Patch, fhirpath-patch.test.ts)', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { body: [{ op: 'add', path: '/active', value: true }] }), 415);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('PATCH with an XML Patch or plain text answers 415', async () => {
    const created = await server().create(frenchPatient());
    const xml = '<diff><replace sel="Patient/active/@value">true</replace></diff>';
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { rawBody: xml, headers: { 'content-type': 'application/xml-patch+xml' } }), 415);
    assertOutcome(await server().request('PATCH', `Patient/${created.id}`, { rawBody: 'active=true', headers: { 'content-type': 'text/plain' } }), 415);
  });

  test('PATCH with If-Match of the current version applies', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }], { 'if-match': 'W/"1"' });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('PATCH with a stale If-Match answers 412 and writes nothing', async () => {
    const created = await server().create(frenchPatient());
    await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }]);
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/active', value: false }], { 'if-match': 'W/"1"' }), 412);
    const read = await server().get(`Patient/${created.id}`);
    assert.equal(read.body.active, true);
    assert.equal(read.body.meta.versionId, '2');
  });

  test('PATCH with a malformed If-Match answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }], { 'if-match': 'hier' }), 400);
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('PATCH of a deleted resource answers 410', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    assertOutcome(await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }]), 410, 'deleted');
    assert.equal(await versionCount(server(), 'Patient', created.id), 2);
  });

  test('PATCH of an unknown resource answers 404', async () => {
    assertOutcome(await jsonPatch(server(), `Patient/${randomUUID()}`, [{ op: 'add', path: '/active', value: true }]), 404, 'not-found');
  });

  test('concurrent patches appending to a list are all applied: no update is lost', async () => {
    const created = await server().create(frenchPatient());
    const numbers = ['04 72 11 11 11', '04 72 22 22 22', '04 72 33 33 33', '04 72 44 44 44', '04 72 55 55 55', '04 72 66 66 66', '04 72 77 77 77'];
    const seeded = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/telecom', value: [{ system: 'phone', value: '04 72 00 00 00' }] }]);
    assert.equal(seeded.status, 200, seeded.text);
    const results = await Promise.all(numbers.map((value) =>
      jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/telecom/-', value: { system: 'phone', value } }])));
    for (const result of results) assert.equal(result.status, 200, result.text);
    const read = await server().get(`Patient/${created.id}`);
    assert.deepEqual(read.body.telecom.map((t: any) => t.value).sort(), ['04 72 00 00 00', ...numbers].sort());
    assert.equal(read.body.meta.versionId, String(2 + numbers.length));
  });

  test('a patch that changes nothing keeps the version', async () => {
    const created = await server().create(frenchPatient({ gender: 'male' }));
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'replace', path: '/gender', value: 'male' }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('etag'), 'W/"1"');
    assert.equal(await versionCount(server(), 'Patient', created.id), 1);
  });

  test('a patch cannot forge meta.versionId: the server sets it', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient/${created.id}`, [
      { op: 'replace', path: '/meta/versionId', value: '41' },
      { op: 'add', path: '/active', value: true },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.meta.versionId, '2');
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('PATCH with Prefer: return=minimal answers 200 with no body', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }], { prefer: 'return=minimal' });
    assert.equal(result.status, 200);
    assert.equal(result.text, '');
    assert.equal(result.headers.get('etag'), 'W/"2"');
  });

  test('the history records a patch as an update of the resource', async () => {
    const created = await server().create(frenchPatient());
    await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }]);
    const [latest] = (await server().get(`Patient/${created.id}/_history`)).body.entry;
    assert.equal(latest.resource.active, true);
    assert.ok(['PUT', 'PATCH'].includes(latest.request.method), latest.request.method);
    assert.equal(latest.request.url, `Patient/${created.id}`);
    assert.match(latest.response.status, /^200/);
  });

  test('a patch whose value is nested deeper than the server copies is a 422 that names no engine internals', async () => {
    const created = await server().create(frenchPatient());
    // Written out by hand: JSON.stringify itself cannot go this deep.
    const depth = 5000;
    const deep = `${'{"url":"http://example.org/deep","extension":['.repeat(depth)}{"url":"http://example.org/deep","valueString":"x"}${']}'.repeat(depth)}`;
    const result = await server().request('PATCH', `Patient/${created.id}`, {
      rawBody: `[{"op":"add","path":"/extension","value":[${deep}]}]`,
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.ok(result.status === 400 || result.status === 422, result.text.slice(0, 300));
    assert.ok(!/RangeError|call stack/i.test(result.text), result.text.slice(0, 300));
    assert.equal((await server().get(`Patient/${created.id}`)).body.meta.versionId, '1');
  });

  test('conditional PATCH with one match patches it', async () => {
    const created = await server().create(frenchPatient());
    const result = await jsonPatch(server(), `Patient?${insCriteria(created)}`, [{ op: 'add', path: '/active', value: true }]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.id, created.id);
    assert.equal(result.body.active, true);
  });

  test('conditional PATCH with no match answers 404', async () => {
    const patient = frenchPatient();
    assertOutcome(await jsonPatch(server(), `Patient?${insCriteria(patient)}`, [{ op: 'add', path: '/active', value: true }]), 404);
  });

  test('conditional PATCH with several matches answers 412 and writes nothing', async () => {
    const first = await server().create(frenchPatient());
    const second = await server().create(frenchPatient({ nir: first.identifier[0].value }));
    assertOutcome(await jsonPatch(server(), `Patient?${insCriteria(first)}`, [{ op: 'add', path: '/active', value: true }]), 412, 'multiple-matches');
    assert.equal(await versionCount(server(), 'Patient', first.id), 1);
    assert.equal(await versionCount(server(), 'Patient', second.id), 1);
  });
});
