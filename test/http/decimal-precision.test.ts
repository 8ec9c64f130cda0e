/**
 * Decimals keep their precision (http://hl7.org/fhir/R4/json.html#primitive:
 * the number of decimal places is significant, so 1.50 is not 1.5): what a
 * client writes is what every read, search, history, Bundle and pretty-printed
 * answer gives back. Responses are checked as text: a JSON parser would lose
 * the very digits under test. On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, type TestServer } from '../support/test-server.js';

function observationText(value: string, extra = ''): string {
  return `{"resourceType":"Observation","status":"final","code":{"text":"poids"}${extra},"valueQuantity":{"value":${value},"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}`;
}

async function createRaw(server: TestServer, text: string): Promise<{ id: string; text: string }> {
  const created = await server.request('POST', 'Observation', { rawBody: text, headers: { 'content-type': 'application/fhir+json' } });
  assert.equal(created.status, 201, created.text);
  return { id: created.body.id as string, text: created.text };
}

forEachBackend('decimal precision', (server) => {
  test('a created decimal reads back with its trailing zero', async () => {
    const created = await createRaw(server(), observationText('72.50'));
    assert.match(created.text, /"value":72\.50[,}]/);
    const read = await server().get(`Observation/${created.id}`);
    assert.equal(read.status, 200);
    assert.match(read.text, /"value":72\.50[,}]/);
    assert.match((await server().get(`Observation/${created.id}/_history/1`)).text, /"value":72\.50[,}]/);
  });

  test('exponents and digits beyond a double are kept as written', async () => {
    const created = await createRaw(server(), observationText('1.2345678901234567890'));
    assert.match((await server().get(`Observation/${created.id}`)).text, /"value":1\.2345678901234567890[,}]/);
    const exponent = await createRaw(server(), observationText('7.0e1'));
    assert.match((await server().get(`Observation/${exponent.id}`)).text, /"value":7\.0e1[,}]/);
  });

  test('search, history, _elements and _pretty answers keep the precision', async () => {
    const created = await createRaw(server(), observationText('0.250'));
    assert.match((await server().get(`Observation?_id=${created.id}`)).text, /"value":0\.250[,}]/);
    assert.match((await server().get(`Observation/${created.id}/_history`)).text, /"value":0\.250[,}]/);
    assert.match((await server().get(`Observation?_id=${created.id}&_elements=valueQuantity`)).text, /"value":0\.250[,}]/);
    assert.match((await server().get(`Observation/${created.id}?_summary=data`)).text, /"value":0\.250[,}]/);
    assert.match((await server().get(`Observation/${created.id}?_pretty=true`)).text, /"value": 0\.250[,\n]/);
  });

  test('a transaction keeps the precision of its entries', async () => {
    const bundle = `{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:5b1d6a5c-8a57-4a55-9d4e-3f6c0f7f1a01","resource":${observationText('3.10')},"request":{"method":"POST","url":"Observation"}}]}`;
    const result = await server().request('POST', '', { rawBody: bundle, headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(result.status, 200, result.text);
    const location = result.body.entry[0].response.location as string;
    const id = location.split('/')[1];
    assert.match((await server().get(`Observation/${id}`)).text, /"value":3\.10[,}]/);
  });

  test('an update that only changes the precision is a new version; the same text is not', async () => {
    const created = await createRaw(server(), observationText('5.0'));
    const same = await server().request('PUT', `Observation/${created.id}`, {
      rawBody: observationText('5.0', `,"id":"${created.id}"`), headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.headers.get('etag'), 'W/"1"');
    const finer = await server().request('PUT', `Observation/${created.id}`, {
      rawBody: observationText('5.00', `,"id":"${created.id}"`), headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(finer.status, 200, finer.text);
    assert.equal(finer.headers.get('etag'), 'W/"2"');
    assert.match((await server().get(`Observation/${created.id}`)).text, /"value":5\.00[,}]/);
  });

  test('a decimal a JSON Patch writes keeps its written form, alone or within a value', async () => {
    const created = await createRaw(server(), observationText('1'));
    const patched = await server().request('PATCH', `Observation/${created.id}`, {
      rawBody: '[{"op":"replace","path":"/valueQuantity/value","value":64.10},{"op":"add","path":"/referenceRange","value":[{"low":{"value":50.0,"unit":"kg"}}]}]',
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    const read = await server().get(`Observation/${created.id}`);
    assert.match(read.text, /"value":64\.10[,}]/);
    assert.match(read.text, /"low":\{"value":50\.0[,}]/);
  });

  test('a JSON Patch adding a complex value to a resource without decimals keeps the value’s', async () => {
    const created = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'taille' } });
    const patched = await server().request('PATCH', `Observation/${created.id}`, {
      rawBody: '[{"op":"add","path":"/valueQuantity","value":{"value":1.50,"unit":"m"}}]',
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.match((await server().get(`Observation/${created.id}`)).text, /"value":1\.50[,}]/);
  });

  test('a JSON Patch carried in a transaction’s Binary keeps the decimals it writes', async () => {
    const created = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, valueQuantity: { value: 1, unit: 'kg' } });
    const patch = Buffer.from('[{"op":"replace","path":"/valueQuantity/value","value":2.50}]').toString('base64');
    const result = await server().post('', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: patch }, request: { method: 'PATCH', url: `Observation/${created.id}` } }],
    });
    assert.equal(result.status, 200, result.text);
    assert.match((await server().get(`Observation/${created.id}`)).text, /"value":2\.50[,}]/);
  });

  test('$merge moves resources without losing their decimals', async () => {
    const source = await server().create({ resourceType: 'Patient', name: [{ family: 'Source' }] });
    const target = await server().create({ resourceType: 'Patient', name: [{ family: 'Cible' }] });
    const created = await createRaw(server(), observationText('1.50', `,"subject":{"reference":"Patient/${source.id}"}`));
    const merged = await server().post('Patient/$merge', {
      resourceType: 'Parameters',
      parameter: [{ name: 'source-patient', valueReference: { reference: `Patient/${source.id}` } }, { name: 'target-patient', valueReference: { reference: `Patient/${target.id}` } }],
    });
    assert.equal(merged.status, 200, merged.text);
    const moved = await server().get(`Observation/${created.id}`);
    assert.equal(moved.body.subject.reference, `Patient/${target.id}`);
    assert.match(moved.text, /"value":1\.50[,}]/);
  });

  test('a JSON Patch of another element leaves the decimal as written', async () => {
    const created = await createRaw(server(), observationText('98.60'));
    const patched = await server().request('PATCH', `Observation/${created.id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/status', value: 'amended' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    const read = await server().get(`Observation/${created.id}`);
    assert.equal(read.body.status, 'amended');
    assert.match(read.text, /"value":98\.60[,}]/);
  });
});
