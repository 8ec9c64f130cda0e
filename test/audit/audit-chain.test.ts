/**
 * The audit trail through HTTP, on both backends: every access, allowed or
 * refused, is an AuditEvent (IHE BALP); AuditEvents cannot be written through
 * the API; the hash chain detects a record altered or removed directly in
 * the database, and `socle audit verify` names it.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { chainHash } from '../../src/audit/chain-hash.js';
import { verifyChain } from '../../src/audit/verify-chain.js';
import { runSocle, storeEnv } from '../support/child-process.js';
import type { Json } from '../support/fixtures.js';
import { rawSql } from '../support/raw-database.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';

async function recordAt(server: TestServer, seq: number) {
  const [record] = await server.running.platform.engine.deps.store.auditQuery({ where: [{ field: 'seq', values: [seq] }], descending: false, limit: 1 });
  assert.ok(record, `record #${seq}`);
  return record;
}

function verify(server: TestServer) {
  return verifyChain(server.running.platform.engine.deps.store);
}

async function events(server: TestServer, query: string): Promise<Json[]> {
  const result = await server.get(`AuditEvent?${query}&_count=200`);
  assert.equal(result.status, 200, result.text);
  return (result.body.entry ?? []).map((e: Json) => e.resource);
}

forEachBackend('audit trail', (server) => {
  let patient: Json;
  before(async () => {
    patient = await server().create({ resourceType: 'Patient', name: [{ family: 'Trace' }] });
  });

  test('a read is recorded as a BALP AuditEvent: who, client, address, patient, resource, outcome', async () => {
    const reader = server().as({ kind: 'operator', subject: 'admin-1', name: 'Admin Un', clientId: 'console', scopes: ['system/*.cruds'] });
    assert.equal((await reader.get(`Patient/${patient.id}`, { 'x-request-id': 'trace-read-1' })).status, 200);
    const found = (await events(server(), `entity=Patient/${patient.id}`)).filter((e) => e.extension?.[0]?.valueString === 'trace-read-1');
    assert.equal(found.length, 1);
    const event = found[0] as Json;
    assert.deepEqual(event.type, { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' });
    assert.equal(event.subtype[0].code, 'read');
    assert.equal(event.action, 'R');
    assert.equal(event.outcome, '0');
    const user = event.agent.find((a: Json) => a.requestor);
    assert.equal(user.who.identifier.value, 'admin-1');
    assert.equal(user.who.display, 'Admin Un');
    const client = event.agent.find((a: Json) => a.type.coding[0].code === '110150');
    assert.equal(client.who.identifier.value, 'console');
    assert.equal(client.network.address.replace('::ffff:', ''), '127.0.0.1');
    assert.equal(event.source.observer.display, 'Socle');
    const patientEntity = event.entity.find((e: Json) => e.role.code === '1');
    assert.equal(patientEntity.what.reference, `Patient/${patient.id}`);
  });

  test('refused requests are recorded too: no token (401), a missing scope (403), a hidden resource (404)', async () => {
    assert.equal((await server().anonymous.get(`Patient/${patient.id}`, { 'x-request-id': 'trace-401' })).status, 401);
    assert.equal((await server().as({ kind: 'operator', scopes: ['system/Observation.rs'] }).get(`Patient/${patient.id}`, { 'x-request-id': 'trace-403' })).status, 403);
    const refused = await events(server(), 'outcome=4');
    const byRequest = (id: string) => refused.find((e) => e.extension?.[0]?.valueString === id);
    assert.equal(byRequest('trace-401')?.outcomeDesc, 'auth.token-missing');
    assert.equal(byRequest('trace-401')?.agent[0].who.display, 'anonymous');
    assert.equal(byRequest('trace-403')?.outcomeDesc, 'auth.scope-insufficient');
  });

  test('a search is recorded with its query (base64), per BALP', async () => {
    await server().get(`Observation?subject=Patient/${patient.id}`, { 'x-request-id': 'trace-search' });
    const event = (await events(server(), 'subtype=search-type')).find((e) => e.extension?.[0]?.valueString === 'trace-search') as Json;
    const query = event.entity.find((e: Json) => e.role.code === '24');
    assert.equal(Buffer.from(query.query, 'base64').toString(), `subject=${encodeURIComponent(`Patient/${patient.id}`)}`);
  });

  test('AuditEvents cannot be created, updated, patched or deleted through the API, even by an operator', async () => {
    const [event] = await events(server(), `entity=Patient/${patient.id}`);
    assert.ok(event);
    const refusals = [
      await server().put(`AuditEvent/${event.id}`, { ...event, outcome: '8' }),
      await server().delete(`AuditEvent/${event.id}`),
      await server().request('PATCH', `AuditEvent/${event.id}`, { body: [{ op: 'replace', path: '/outcome', value: '8' }], headers: { 'content-type': 'application/json-patch+json' } }),
      await server().post('AuditEvent', { ...event, id: undefined, meta: undefined }),
    ];
    for (const refusal of refusals) {
      assert.equal(refusal.status, 405, refusal.text);
      assert.equal(refusal.headers.get('allow'), 'GET, HEAD', 'a 405 names the methods still served (RFC 9110 §15.5.6)');
    }
    const transaction = await server().post('', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `AuditEvent/${event.id}` } }] });
    assert.equal(transaction.status, 405);
    assert.equal((await server().get(`AuditEvent/${event.id}`)).body.meta.versionId, '1');
  });

  test('the chain verifies, then names the record altered or removed directly in the database', async () => {
    const intact = await verify(server());
    assert.equal(intact.ok, true);
    assert.ok(intact.records >= 8, `records: ${intact.records}`);
    const prepared = server().backendSettings;
    const third = await recordAt(server(), 3);
    const forged = JSON.stringify({ ...JSON.parse(third.content), outcome: '0', outcomeDesc: 'nothing happened' });
    await rawSql(prepared, `UPDATE audit_log SET content = ? WHERE seq = 3`, [forged]);
    assert.deepEqual(await verify(server()), { ok: false, records: 2, sequence: 3, id: third.id, problem: 'altered' });
    const cli = await runSocle(['audit', 'verify'], storeEnv(prepared));
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, new RegExp(`Record #3 \\(AuditEvent/${third.id}\\) was altered`));

    await rawSql(prepared, `UPDATE audit_log SET content = ? WHERE seq = 3`, [third.content]);
    assert.equal((await verify(server())).ok, true);
    const fine = await runSocle(['audit', 'verify'], storeEnv(prepared));
    assert.equal(fine.code, 0, fine.stderr);
    assert.match(fine.stdout, /Audit trail intact/);

    // A hash rewritten to match a forged content still breaks the link to the next record.
    const fourth = await recordAt(server(), 4);
    const second = await recordAt(server(), 2);
    await rawSql(prepared, `UPDATE audit_log SET content = ?, hash = ? WHERE seq = 3`, [forged, chainHash(second.hash, forged)]);
    assert.deepEqual(await verify(server()), { ok: false, records: 3, sequence: 4, id: fourth.id, problem: 'altered' });
    await rawSql(prepared, `UPDATE audit_log SET content = ?, hash = ? WHERE seq = 3`, [third.content, third.hash]);

    // The last records removed: no gap is left, but the chain's head still counts them.
    const { records } = await verify(server()) as { records: number };
    await rawSql(prepared, `DELETE FROM audit_log WHERE seq >= ?`, [records - 1]);
    assert.deepEqual(await verify(server()), { ok: false, records: records - 2, sequence: records - 1, problem: 'truncated' });

    // A record removed from the middle.
    await rawSql(prepared, `DELETE FROM audit_log WHERE seq = 2`, []);
    assert.deepEqual(await verify(server()), { ok: false, records: 1, sequence: 2, problem: 'removed' });
  });

  test('AuditEvent searches the log cannot answer are refused with a 400 naming the parameter, never answered wrongly', async () => {
    const refused = await server().get('AuditEvent?address=127.0.0.1');
    assert.equal(refused.status, 400, refused.text);
    assert.match(JSON.stringify(refused.body), /address/);
    assert.equal((await server().get('AuditEvent?_sort=action')).status, 400);
  });

  test('traces include the patient they name (_include), and a Patient brings its traces (_revinclude)', async () => {
    const included = await server().get(`AuditEvent?patient=Patient/${patient.id}&_include=AuditEvent:patient&_count=5`);
    assert.equal(included.status, 200, included.text);
    const modes = (included.body.entry ?? []).map((e: Json) => `${e.search.mode}:${e.resource.resourceType}`);
    assert.ok(modes.includes('include:Patient'), modes.join());
    assert.ok(modes.filter((m: string) => m === 'match:AuditEvent').length >= 1);
    const revIncluded = await server().get(`Patient?_id=${patient.id}&_revinclude=AuditEvent:patient`);
    assert.equal(revIncluded.status, 200, revIncluded.text);
    const traces = (revIncluded.body.entry ?? []).filter((e: Json) => e.resource.resourceType === 'AuditEvent');
    assert.ok(traces.length >= 1);
    for (const trace of traces) assert.ok(JSON.stringify(trace.resource.entity).includes(`Patient/${patient.id}`));
  });

  test('AuditEvent paging: pages follow each other in writing order, newest first with _sort=-date, without repeats', async () => {
    const all = (await events(server(), '_sort=date')).map((e) => e.id);
    const seen: string[] = [];
    let next: string | undefined = 'AuditEvent?_count=3&_sort=-date';
    while (next && seen.length < 12) {
      const page: { status: number; text: string; body: Json } = await server().get(next.replace(/^.*\/fhir\//, ''));
      assert.equal(page.status, 200, page.text);
      seen.push(...(page.body.entry ?? []).map((e: Json) => e.resource.id));
      next = page.body.link.find((l: Json) => l.relation === 'next')?.url;
    }
    assert.equal(new Set(seen).size, seen.length);
    // The listing's own trace, written after it, may head the first page.
    const known = seen.filter((id) => all.includes(id));
    assert.ok(known.length >= seen.length - 1, `${known.length} of ${seen.length}`);
    assert.deepEqual(known, [...all].reverse().slice(0, known.length));
    const recent = await server().get(`AuditEvent?date=ge${new Date(Date.now() - 60_000).toISOString()}&_total=accurate&_count=1`);
    assert.equal(recent.status, 200, recent.text);
    assert.ok(recent.body.total >= all.length - 1, `${recent.body.total} of ${all.length}`);
    assert.equal((await server().get(`AuditEvent?date=lt2000-01-01&_total=accurate`)).body.total, 0);
    // Type history pages through the log too, newest first.
    const first = await server().get('AuditEvent/_history?_count=2');
    assert.equal(first.status, 200, first.text);
    const nextUrl = first.body.link.find((l: Json) => l.relation === 'next')?.url as string;
    assert.ok(nextUrl);
    const second = await server().get(nextUrl.replace(/^.*\/fhir\//, ''));
    assert.equal(second.status, 200, second.text);
    const firstIds = first.body.entry.map((e: Json) => e.resource.id);
    const secondIds = second.body.entry.map((e: Json) => e.resource.id);
    assert.equal(secondIds.length, 2);
    assert.ok(secondIds.every((id: string) => !firstIds.includes(id)));
    const written = (page: Json) => page.body.entry.map((e: Json) => Date.parse(e.resource.meta.lastUpdated));
    assert.ok(Math.max(...written(second)) <= Math.min(...written(first)), 'older records on the next page');
  });
}, { auditWait: 'on' }); // the tests read the traces right after the accesses
