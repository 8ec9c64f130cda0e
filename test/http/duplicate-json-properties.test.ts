/**
 * A request body whose JSON object names a property twice is refused (400),
 * the issue's expression naming the property: RFC 8259 §4, on which R4's JSON
 * format is built (http://hl7.org/fhir/R4/json.html), leaves what such an
 * object means to each reader, and JSON.parse would silently keep the last
 * value, hiding the client's mistake. On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import { assertOutcome, type Json } from '../support/fixtures.js';

/** A Patient's JSON text with `extra` written in just before its closing brace: raw, so that keys can repeat. */
function patientText(marker: string, extra = ''): string {
  return `{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.7.1.999","value":"${marker}"}],"gender":"male","birthDate":"1970-01-01"${extra}}`;
}

function send(server: TestServer, method: string, path: string, text: string): Promise<FhirResult> {
  return server.request(method, path, { rawBody: text, headers: { 'content-type': 'application/fhir+json' } });
}

function assertDuplicate(result: FhirResult, expression: string): void {
  assertOutcome(result, 400, 'structure');
  const issue = (result.body.issue as Json[])[0] as Json;
  assert.deepEqual(issue.expression, [expression], result.text);
  assert.equal(issue.details.coding[0].code, 'body.duplicate-property');
}

async function countByMarker(server: TestServer, marker: string): Promise<number> {
  const result = await server.get(`Patient?identifier=${encodeURIComponent(`urn:oid:1.2.250.1.71.4.2.7.1.999|${marker}`)}&_total=accurate&_count=0`);
  return result.body.total as number;
}

forEachBackend('duplicate JSON property names in a request body', (server) => {
  test('a Patient naming gender twice answers 400 with expression Patient.gender, and is not created', async () => {
    const marker = randomUUID();
    assertDuplicate(await send(server(), 'POST', 'Patient', patientText(marker, ',"gender":"female"')), 'Patient.gender');
    assert.equal(await countByMarker(server(), marker), 0);
  });

  test('a duplicate deep in the resource is located by its path, array indexes included', async () => {
    const marker = randomUUID();
    const names = ',"name":[{"family":"Martin"},{"family":"Durand","given":["Léa"],"family":"Dupont"}]';
    assertDuplicate(await send(server(), 'POST', 'Patient', patientText(marker, names)), 'Patient.name[1].family');
    assert.equal(await countByMarker(server(), marker), 0);
  });

  test('a key written with an escape is the same name: "gend\\u0065r" repeats "gender"', async () => {
    assertDuplicate(await send(server(), 'POST', 'Patient', patientText(randomUUID(), ',"gend\\u0065r":"female"')), 'Patient.gender');
  });

  test('an update naming a property twice is refused too, and leaves the resource as it was', async () => {
    const marker = randomUUID();
    const created = await send(server(), 'POST', 'Patient', patientText(marker));
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const text = `{"resourceType":"Patient","id":"${id}","gender":"female","birthDate":"1970-01-01","birthDate":"1980-01-01"}`;
    assertDuplicate(await send(server(), 'PUT', `Patient/${id}`, text), 'Patient.birthDate');
    const current = await server().get(`Patient/${id}`);
    assert.equal(current.body.meta.versionId, '1');
    assert.equal(current.body.gender, 'male');
  });

  test('a transaction Bundle with a duplicate in its second entry answers 400 naming Bundle.entry[1].resource…, and writes nothing', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const entry = (text: string): string => `{"resource":${text},"request":{"method":"POST","url":"Patient"}}`;
    const bundle = `{"resourceType":"Bundle","type":"transaction","entry":[${entry(patientText(first))},${entry(patientText(second, ',"active":true,"active":false'))}]}`;
    assertDuplicate(await send(server(), 'POST', '', bundle), 'Bundle.entry[1].resource.active');
    assert.equal(await countByMarker(server(), first), 0);
    assert.equal(await countByMarker(server(), second), 0);
  });

  test('a Binary resource sent as JSON to /Binary with a duplicate is refused too; other JSON content is stored as it is', async () => {
    const data = Buffer.from('bonjour').toString('base64');
    const binary = `{"resourceType":"Binary","contentType":"text/plain","contentType":"text/html","data":"${data}"}`;
    assertDuplicate(await send(server(), 'POST', 'Binary', binary), 'Binary.contentType');
    // JSON that is not a Binary resource is the Binary's content: its keys are the client's business.
    const raw = await server().request('POST', 'Binary', { rawBody: '{"a":1,"a":2}', headers: { 'content-type': 'application/json' } });
    assert.equal(raw.status, 201, raw.text);
  });

  test('the same name in sibling objects, or inside a string, is no duplicate', async () => {
    const marker = randomUUID();
    const extra = ',"name":[{"family":"Martin"},{"family":"Durand"}],"telecom":[{"system":"email","value":"a\\"gender\\":\\"b\\"gender\\"@example.org"}]';
    const result = await send(server(), 'POST', 'Patient', patientText(marker, extra));
    assert.equal(result.status, 201, result.text);
    assert.equal(await countByMarker(server(), marker), 1);
  });
});
