/**
 * Batch Bundles (http://hl7.org/fhir/R4/http.html#transaction, batch processing
 * rules): entries are independent; each failing entry gets its own status and
 * OperationOutcome in response.outcome while the others succeed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend } from '../support/test-server.js';
import { base64Json, countOf, postBundle, uniqueSystem, urn, type OutcomeIssue } from '../support/outcome.js';

interface ResponseEntry {
  resource?: { resourceType: string; id?: string };
  response: { status: string; location?: string; etag?: string; lastModified?: string; outcome?: { resourceType: string; issue: OutcomeIssue[] } };
}

function assertEntryFailed(entry: ResponseEntry, status: number, message?: string): OutcomeIssue[] {
  assert.equal(entry.response.status.slice(0, 3), String(status), JSON.stringify(entry));
  assert.equal(entry.response.outcome?.resourceType, 'OperationOutcome', 'a failed entry carries its OperationOutcome');
  const issues = entry.response.outcome.issue;
  assert.ok(issues.length > 0);
  if (message) assert.ok(issues.some((i) => i.details?.coding?.some((c) => c.code === message)), `${message} in ${JSON.stringify(issues)}`);
  return issues;
}

forEachBackend('batch', (server) => {
  test('entries are independent: failures get their own outcome and status, the others succeed', async () => {
    const system = uniqueSystem('batch');
    const existing = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'existing' }] });
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'ok-1' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'robot' }], gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: 'Patient/nobody-has-this-id' } },
      { resource: { resourceType: 'Patient', id: existing.id, identifier: [{ system, value: 'existing' }], active: true }, request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"5"' } },
      { request: { method: 'GET', url: `Patient/${existing.id}` } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'ok-2' }] }, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: 'Unicorn/1' } },
    ]);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'batch-response');
    const entries = result.body.entry as ResponseEntry[];
    assert.equal(entries.length, 7);
    assert.match(entries[0]!.response.status, /^201/);
    assert.match(entries[0]!.response.location ?? '', /\/Patient\/[^/]+\/_history\/1$/);
    assert.equal(entries[0]!.response.etag, 'W/"1"');
    const robot = assertEntryFailed(entries[1]!, 422, 'validation.binding');
    assert.ok(robot.some((i) => (i.expression ?? []).some((e) => /gender/.test(e))));
    assertEntryFailed(entries[2]!, 404, 'resource.not-found');
    assertEntryFailed(entries[3]!, 412, 'version.mismatch');
    assert.match(entries[4]!.response.status, /^200/);
    assert.equal(entries[4]!.resource?.id, existing.id);
    assert.match(entries[5]!.response.status, /^201/);
    assertEntryFailed(entries[6]!, 404, 'type.unknown');

    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 3, 'existing, ok-1 and ok-2');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|robot`)}`), 0);
    assert.equal((await server().get(`Patient/${existing.id}`)).body.meta.versionId, '1');
  });

  test('a batch or transaction without entries answers a response Bundle without an entry element (json.html: no empty arrays)', async () => {
    for (const type of ['batch', 'transaction']) {
      const result = await server().post('', { resourceType: 'Bundle', type });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.type, `${type}-response`);
      assert.ok(!('entry' in result.body), result.text);
      const verdict = await server().post('Bundle/$validate', result.body);
      assert.ok(!verdict.body.issue.some((i: { severity: string }) => i.severity === 'error'), verdict.text);
    }
  });

  test('a malformed entry fails alone with 400', async () => {
    const system = uniqueSystem('batch-malformed');
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'before' }] } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'fly' }] }, request: { method: 'FLY', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'ok' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'nourl' }] }, request: { method: 'POST' } },
      { request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'elsewhere' }] }, request: { method: 'POST', url: 'http://elsewhere.example.org/fhir/Patient' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assert.equal(entries.length, 7);
    assertEntryFailed(entries[0]!, 400);
    assertEntryFailed(entries[1]!, 400);
    assert.match(entries[2]!.response.status, /^201/);
    assertEntryFailed(entries[3]!, 400);
    assertEntryFailed(entries[4]!, 400, 'body.missing');
    assertEntryFailed(entries[5]!, 400, 'type.mismatch');
    assertEntryFailed(entries[6]!, 400);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 1);
  });

  test('an entry that fails does not hide the outcome of the others, already committed', async () => {
    const system = uniqueSystem('batch-unexpected');
    const target = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'target' }] });
    const patch = Buffer.from(JSON.stringify([{ op: 'replace', path: '', value: null }])).toString('base64');
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'created' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: patch }, request: { method: 'PATCH', url: `Patient/${target.id}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assert.match(entries[0]!.response.status, /^201/);
    assert.match(entries[1]!.response.status, /^422/);
    assert.equal(entries[1]!.response.outcome?.resourceType, 'OperationOutcome');
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|created`)}`), 1);
    assert.equal((await server().get(`Patient/${target.id}`)).body.meta.versionId, '1');
  });

  test('the entries answer in request order, with search results inline', async () => {
    const system = uniqueSystem('batch-order');
    await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'a' }] });
    const result = await postBundle(server(), 'batch', [
      { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(`${system}|a`)}` } },
      { request: { method: 'GET', url: 'metadata' } },
      { request: { method: 'DELETE', url: `Patient?identifier=${encodeURIComponent(`${system}|nobody`)}` } },
      // An absolute URL on this server is the same as a relative one.
      { request: { method: 'GET', url: `${server().base}/Patient?identifier=${encodeURIComponent(`${system}|a`)}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assert.equal(entries[0]!.resource?.resourceType, 'Bundle');
    assert.equal((entries[0]!.resource as unknown as { entry: unknown[] }).entry.length, 1);
    assert.equal(entries[1]!.resource?.resourceType, 'CapabilityStatement');
    assert.match(entries[2]!.response.status, /^2/);
    assert.equal((entries[3]!.resource as unknown as { entry: unknown[] }).entry.length, 1);
  });

  test('a Bundle of another type, or not a Bundle, posted to the base is refused with 400', async () => {
    for (const body of [
      { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }] },
      { resourceType: 'Bundle', type: 'searchset' },
      { resourceType: 'Patient' },
    ]) {
      const result = await server().post('', body);
      assert.equal(result.status, 400, result.text);
      assert.equal(result.body.resourceType, 'OperationOutcome');
    }
  });

  test('entries that are not objects, or that carry a response, fail alone', async () => {
    const system = uniqueSystem('batch-junk');
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'ok' }] }, request: { method: 'POST', url: 'Patient' } },
      42,
      'entry',
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'answered' }] }, request: { method: 'POST', url: 'Patient' }, response: { status: '201' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assert.equal(entries.length, 4);
    assert.match(entries[0]!.response.status, /^201/);
    assertEntryFailed(entries[1]!, 400);
    assertEntryFailed(entries[2]!, 400);
    // bdl-4: entry.response is for batch-response Bundles only.
    assertEntryFailed(entries[3]!, 400);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), 1);
  });

  test('a conditional reference in a batch entry is refused (400) and nothing of it is stored: they are resolved in transactions only', async () => {
    const system = uniqueSystem('batch-cref');
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'poids' }, identifier: [{ system, value: 'o' }], subject: { reference: `Patient?identifier=${system}|x` } }, request: { method: 'POST', url: 'Observation' } },
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'poids' }, identifier: [{ system, value: 'p' }] }, request: { method: 'POST', url: 'Observation' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const [refused, created] = result.body.entry as ResponseEntry[];
    assert.match(refused?.response.status ?? '', /^400/);
    assert.ok(JSON.stringify(refused?.response.outcome).includes('bundle.batch-conditional-reference'));
    assert.match(created?.response.status ?? '', /^201/);
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|o`)}`), 0);
  });

  test('entries run in the order DELETE, POST, PUT/PATCH, GET, whatever their order in the Bundle', async () => {
    const system = uniqueSystem('batch-order-steps');
    const updated = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'updated' }] });
    const deleted = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'deleted' }] });
    const result = await postBundle(server(), 'batch', [
      { request: { method: 'GET', url: `Patient/${updated.id}` } },
      { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(`${system}|`)}&_total=accurate` } },
      { request: { method: 'GET', url: `Patient/${deleted.id}` } },
      { resource: { resourceType: 'Patient', id: updated.id, identifier: [{ system, value: 'updated' }], active: true }, request: { method: 'PUT', url: `Patient/${updated.id}` } },
      { resource: { resourceType: 'Patient', identifier: [{ system, value: 'created' }] }, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'DELETE', url: `Patient/${deleted.id}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assert.deepEqual(entries.map((e) => e.response.status.slice(0, 3)), ['200', '200', '410', '200', '201', '200']);
    assert.equal((entries[0]!.resource as unknown as { meta: { versionId: string } }).meta.versionId, '2', 'the read follows the update');
    assert.equal((entries[1]!.resource as unknown as { total: number }).total, 2, 'the search follows the create and the delete');
  });

  test('an entry linking to a resource another entry creates fails alone, never stored with a link to nothing', async () => {
    const system = uniqueSystem('batch-dependent');
    const existing = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'existing' }] });
    const patientUrl = urn();
    const source = 'http://source.example.org/fhir';
    const observation = (subject: string): Record<string, unknown> => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, identifier: [{ system, value: subject }], subject: { reference: subject } });
    const result = await postBundle(server(), 'batch', [
      { resource: observation(patientUrl), request: { method: 'POST', url: 'Observation' } },
      { fullUrl: patientUrl, resource: { resourceType: 'Patient', identifier: [{ system, value: 'new' }] }, request: { method: 'POST', url: 'Patient' } },
      { fullUrl: `${source}/Patient/p2`, resource: { resourceType: 'Patient', identifier: [{ system, value: 'restful' }] }, request: { method: 'POST', url: 'Patient' } },
      { fullUrl: `${source}/Observation/o2`, resource: observation('Patient/p2'), request: { method: 'POST', url: 'Observation' } },
      { resource: observation(`Patient/${existing.id}`), request: { method: 'POST', url: 'Observation' } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    const issues = assertEntryFailed(entries[0]!, 400, 'bundle.batch-interdependent');
    assert.ok(issues.some((i) => (i.expression ?? []).includes('Bundle.entry[0]')));
    assert.match(entries[1]!.response.status, /^201/);
    assert.match(entries[2]!.response.status, /^201/);
    assertEntryFailed(entries[3]!, 400, 'bundle.batch-interdependent');
    assert.match(entries[4]!.response.status, /^201/);
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|`)}`), 1, 'only the independent Observation');
  });

  test('entries changing one resource do not race: the first in processing order goes ahead, the others fail alone', async () => {
    const system = uniqueSystem('batch-same');
    const target = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'target' }] });
    const result = await postBundle(server(), 'batch', [
      { resource: { resourceType: 'Patient', id: target.id, identifier: [{ system, value: 'target' }], active: true }, request: { method: 'PUT', url: `Patient/${target.id}` } },
      { request: { method: 'DELETE', url: `Patient/${target.id}` } },
      { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: base64Json([{ op: 'add', path: '/active', value: false }]) }, request: { method: 'PATCH', url: `Patient/${target.id}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry as ResponseEntry[];
    assertEntryFailed(entries[0]!, 400, 'bundle.batch-interdependent');
    assert.match(entries[1]!.response.status, /^200/);
    assertEntryFailed(entries[2]!, 400, 'bundle.batch-interdependent');
    const read = await server().get(`Patient/${target.id}`);
    assert.equal(read.status, 410);
    assert.equal(read.headers.get('etag'), 'W/"2"', 'one change only');
  });

  test('a HEAD entry answers as GET without the resource: status, ETag and lastModified only (R4 http-verb HEAD), in a batch and a transaction', async () => {
    const system = uniqueSystem('batch-head');
    const patient = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'head' }] });
    for (const type of ['batch', 'transaction'] as const) {
      const result = await postBundle(server(), type, [
        { request: { method: 'HEAD', url: `Patient/${patient.id}` } },
        { request: { method: 'GET', url: `Patient/${patient.id}` } },
        { request: { method: 'HEAD', url: `Patient?identifier=${system}|head` } },
      ]);
      assert.equal(result.status, 200, result.text);
      const [head, get, search] = result.body.entry as ResponseEntry[];
      assert.match(head!.response.status, /^200/);
      assert.equal(head!.resource, undefined, `${type}: no representation for HEAD`);
      assert.equal(head!.response.etag, 'W/"1"');
      assert.equal(head!.response.lastModified, patient.meta.lastUpdated);
      assert.equal(get!.resource?.id, patient.id);
      assert.match(search!.response.status, /^200/);
      assert.equal(search!.resource, undefined);
    }
    const missing = await postBundle(server(), 'batch', [{ request: { method: 'HEAD', url: 'Patient/nobody-has-this-id' } }]);
    assertEntryFailed((missing.body.entry as ResponseEntry[])[0]!, 404);
  });

  test('response.lastModified is the exact meta.lastUpdated of the version', async () => {
    const system = uniqueSystem('batch-last-modified');
    const result = await postBundle(server(), 'batch', [{ resource: { resourceType: 'Patient', identifier: [{ system, value: 'a' }] }, request: { method: 'POST', url: 'Patient' } }]);
    const [entry] = result.body.entry as ResponseEntry[];
    const stored = await server().get(`Patient/${entry!.resource?.id}`);
    assert.equal(entry!.response.lastModified, stored.body.meta.lastUpdated);
  });
});
