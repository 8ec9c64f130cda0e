/**
 * history at instance, type and system level over HTTP
 * (http://hl7.org/fhir/R4/http.html#history, #paging): newest first, _since,
 * _count with next links that stay correct while resources keep changing.
 * On both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import { assertOutcome, frenchPatient, frenchPractitioner, jsonPatch, sleep, type Json } from '../support/fixtures.js';

/** "Patient/123/_history/2" of each entry: what identifies a version. */
function versionKeys(bundle: Json): string[] {
  return (bundle.entry ?? []).map((e: Json) => {
    const [type, id] = String(e.fullUrl).split('/').slice(-2);
    return `${type}/${id}/_history/${String(e.response.etag).replace(/^W\/"|"$/g, '')}`;
  });
}

function nextLink(bundle: Json): string | undefined {
  return (bundle.link as Json[] | undefined)?.find((l) => l.relation === 'next')?.url;
}

/** Follows next links from `first`, running `between` after each page; returns every page. */
async function walk(server: TestServer, first: string, between: (page: number) => Promise<void> = async () => undefined): Promise<Json[]> {
  const pages: Json[] = [];
  let url: string | undefined = first;
  while (url !== undefined) {
    const result: FhirResult = await server.get(url);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.type, 'history');
    pages.push(result.body);
    assert.ok(pages.length < 100, 'paging ends');
    url = nextLink(result.body);
    if (url !== undefined) await between(pages.length);
  }
  return pages;
}

/** Lower bound for _since that is surely before the writes that follow. */
async function instantBeforeWrites(): Promise<string> {
  const since = new Date(Date.now() - 1).toISOString();
  await sleep(5);
  return since;
}

/** A Patient with `versions` versions, each a distinct telecom. */
async function patientWithVersions(server: TestServer, versions: number): Promise<Json> {
  let current = await server.create(frenchPatient());
  for (let v = 2; v <= versions; v += 1) {
    const result = await server.put(`Patient/${current.id}`, { ...current, telecom: [{ system: 'phone', value: `04 72 00 00 ${String(v).padStart(2, '0')}` }] });
    assert.equal(result.status, 200, result.text);
    current = result.body;
  }
  return current;
}

forEachBackend('instance history', (server) => {
  test('instance history lists every version newest first, with total', async () => {
    const patient = await patientWithVersions(server(), 4);
    const result = await server().get(`Patient/${patient.id}/_history`);
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.equal(result.body.resourceType, 'Bundle');
    assert.equal(result.body.type, 'history');
    assert.equal(result.body.total, 4);
    assert.deepEqual(result.body.entry.map((e: Json) => e.resource.meta.versionId), ['4', '3', '2', '1']);
    for (const entry of result.body.entry) {
      assert.equal(entry.fullUrl, `${server().base}/Patient/${patient.id}`);
      assert.equal(entry.resource.id, patient.id);
    }
  });

  test('history entries carry request.method and url, response.status, etag and lastModified', async () => {
    const created = await server().create(frenchPatient());
    await server().put(`Patient/${created.id}`, { ...created, active: true });
    await server().delete(`Patient/${created.id}`);
    const [deletion, update, creation] = (await server().get(`Patient/${created.id}/_history`)).body.entry;
    assert.deepEqual(creation.request, { method: 'POST', url: 'Patient' });
    assert.match(creation.response.status, /^201/);
    assert.equal(creation.response.etag, 'W/"1"');
    assert.equal(creation.response.lastModified, creation.resource.meta.lastUpdated);
    assert.deepEqual(update.request, { method: 'PUT', url: `Patient/${created.id}` });
    assert.match(update.response.status, /^200/);
    assert.equal(update.response.etag, 'W/"2"');
    assert.equal(update.resource.active, true);
    assert.deepEqual(deletion.request, { method: 'DELETE', url: `Patient/${created.id}` });
    assert.match(deletion.response.status, /^20[04]/);
    assert.equal(deletion.response.etag, 'W/"3"');
    assert.ok(!Number.isNaN(Date.parse(deletion.response.lastModified)));
    assert.equal(deletion.resource, undefined);
  });

  test('an update-as-create appears as a PUT that created the resource', async () => {
    const id = randomUUID();
    await server().put(`Patient/${id}`, { ...frenchPatient(), id });
    const [entry] = (await server().get(`Patient/${id}/_history`)).body.entry;
    assert.deepEqual(entry.request, { method: 'PUT', url: `Patient/${id}` });
    assert.match(entry.response.status, /^201/);
  });

  test('a resource brought back after a delete shows all its versions', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    await server().put(`Patient/${created.id}`, created);
    const history = await server().get(`Patient/${created.id}/_history`);
    assert.deepEqual(history.body.entry.map((e: Json) => e.request.method), ['PUT', 'DELETE', 'POST']);
    assert.equal(history.body.entry[0].resource.meta.versionId, '3');
  });

  test('a PUT that brings a resource back after a delete shows 201 Created in instance, type and system history, on every page', async () => {
    const since = await instantBeforeWrites();
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    const recreated = await server().put(`Patient/${created.id}`, created);
    assert.equal(recreated.status, 201, recreated.text);
    const updated = await server().put(`Patient/${created.id}`, { ...recreated.body, active: true });
    assert.equal(updated.status, 200, updated.text);
    const statuses = (bundle: Json): Record<string, string> => Object.fromEntries((bundle.entry ?? [])
      .filter((e: Json) => String(e.fullUrl).endsWith(`/Patient/${created.id}`))
      .map((e: Json) => [String(e.response.etag), String(e.response.status)]));
    const expected = { 'W/"4"': '200 OK', 'W/"3"': '201 Created', 'W/"2"': '204 No Content', 'W/"1"': '201 Created' };
    const query = `_since=${encodeURIComponent(since)}`;
    for (const base of [`Patient/${created.id}/_history`, 'Patient/_history', '_history']) {
      assert.deepEqual(statuses((await server().get(`${base}?${query}`)).body), expected, base);
      // One version a page: the deleted version is never on the page of the version that follows it.
      const paged = Object.assign({}, ...(await walk(server(), `${base}?${query}&_count=1`)).map(statuses));
      assert.deepEqual(paged, expected, `${base}, one version a page`);
    }
  });

  test('history of a deleted resource still answers 200', async () => {
    const created = await server().create(frenchPatient());
    await server().delete(`Patient/${created.id}`);
    const history = await server().get(`Patient/${created.id}/_history`);
    assert.equal(history.status, 200);
    assert.equal(history.body.total, 2);
  });

  test('history of an unknown resource answers 404', async () => {
    assertOutcome(await server().get(`Patient/${randomUUID()}/_history`), 404, 'not-found');
  });

  test('_count pages instance history: every version exactly once, in order, across pages', async () => {
    const patient = await patientWithVersions(server(), 5);
    const pages = await walk(server(), `Patient/${patient.id}/_history?_count=2`);
    assert.deepEqual(pages.map((p) => (p.entry ?? []).length), [2, 2, 1]);
    assert.deepEqual(pages.flatMap((p) => p.entry.map((e: Json) => e.resource.meta.versionId)), ['5', '4', '3', '2', '1']);
    for (const page of pages) assert.equal(page.total, 5);
    assert.equal(nextLink(pages[2] as Json), undefined);
  });

  test('next links keep _count and start from the server base', async () => {
    const patient = await patientWithVersions(server(), 3);
    const first = await server().get(`Patient/${patient.id}/_history?_count=1`);
    const next = nextLink(first.body) ?? '';
    assert.ok(next.startsWith(`${server().base}/Patient/${patient.id}/_history?`), next);
    assert.match(next, /_count=1/);
    const self = (first.body.link as Json[]).find((l) => l.relation === 'self');
    assert.ok(self, 'a self link is present');
  });

  test('instance history pages stay correct while new versions are written between page fetches', async () => {
    let patient = await patientWithVersions(server(), 5);
    const pages = await walk(server(), `Patient/${patient.id}/_history?_count=2`, async () => {
      const result = await server().put(`Patient/${patient.id}`, { ...patient, active: !patient.active });
      assert.equal(result.status, 200);
      patient = result.body;
    });
    const versions = pages.flatMap((p) => p.entry.map((e: Json) => e.resource.meta.versionId));
    assert.deepEqual(versions, ['5', '4', '3', '2', '1']);
    assert.equal(patient.meta.versionId, '7', 'two versions were written while paging');
  });

  test('_since keeps only the versions written at or after the instant', async () => {
    const created = await server().create(frenchPatient());
    await sleep(15);
    const v2 = (await server().put(`Patient/${created.id}`, { ...created, active: true })).body;
    await sleep(15);
    await server().put(`Patient/${created.id}`, { ...created, active: false });
    const result = await server().get(`Patient/${created.id}/_history?_since=${encodeURIComponent(v2.meta.lastUpdated)}`);
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.entry.map((e: Json) => e.resource.meta.versionId), ['3', '2']);
  });

  test('_since accepts a time zone offset, encoded or not', async () => {
    const created = await server().create(frenchPatient());
    const lastUpdated = new Date(Date.parse(created.meta.lastUpdated) - 1000);
    // The same instant written in Paris summer time (+02:00).
    const paris = new Date(lastUpdated.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    for (const since of [encodeURIComponent(paris), paris]) {
      const result = await server().get(`Patient/${created.id}/_history?_since=${since}`);
      assert.equal(result.status, 200, result.text);
      assert.equal((result.body.entry ?? []).length, 1, since);
    }
    const afterwards = new Date(Date.parse(created.meta.lastUpdated) + 2 * 3_600_000 + 60_000).toISOString().replace('Z', '+02:00');
    assert.equal((await server().get(`Patient/${created.id}/_history?_since=${encodeURIComponent(afterwards)}`)).body.entry, undefined);
  });

  test('_since and _at written without a time zone are wall-clock times of the server zone (SOCLE_TIMEZONE, Europe/Paris)', async () => {
    const created = await server().create({ resourceType: 'Patient', name: [{ family: 'Horloge' }] });
    const written = Date.parse(created.meta.lastUpdated);
    const paris = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms)).replace(' ', 'T');
    const before = await server().get(`Patient/${created.id}/_history?_since=${encodeURIComponent(paris(written - 120_000))}`);
    assert.equal(before.body.entry?.length, 1, before.text);
    const after = await server().get(`Patient/${created.id}/_history?_since=${encodeURIComponent(paris(written + 120_000))}`);
    assert.equal(after.body.entry, undefined, after.text);
    const at = await server().get(`Patient/${created.id}/_history?_at=${encodeURIComponent(paris(written + 120_000))}`);
    assert.equal(at.body.entry?.length, 1, at.text);
  });

  test('_since in the future gives an empty history', async () => {
    const created = await server().create(frenchPatient());
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const result = await server().get(`Patient/${created.id}/_history?_since=${encodeURIComponent(future)}`);
    assert.equal(result.status, 200);
    assert.equal((result.body.entry ?? []).length, 0);
  });

  test('an invalid _since answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().get(`Patient/${created.id}/_history?_since=hier`), 400);
  });

  test('an invalid _count answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().get(`Patient/${created.id}/_history?_count=beaucoup`), 400);
  });

  test('a forged paging cursor answers 400', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().get(`Patient/${created.id}/_history?_cursor=not-a-cursor`), 400);
  });

  test('history is read-only: POST on _history answers 405', async () => {
    const created = await server().create(frenchPatient());
    assertOutcome(await server().post(`Patient/${created.id}/_history`, created), 405);
  });
});

/** The versionIds of a history Bundle's entries, newest first. */
function versionIds(bundle: Json): string[] {
  return (bundle.entry ?? []).map((e: Json) => String(e.response.etag).replace(/^W\/"|"$/g, ''));
}

/** An instant strictly between two lastUpdated values, at millisecond precision. */
function between(earlier: string, later: string): string {
  const low = Date.parse(earlier);
  const high = Date.parse(later);
  assert.ok(high - low >= 2, `${earlier} and ${later} are apart`);
  return new Date(low + Math.floor((high - low) / 2)).toISOString();
}

forEachBackend('history _at, strict handling and PATCH', (server) => {
  test('a version written by PATCH appears with request.method PATCH (R4 HTTPVerb)', async () => {
    const created = await server().create(frenchPatient());
    const patched = await jsonPatch(server(), `Patient/${created.id}`, [{ op: 'add', path: '/active', value: true }]);
    assert.equal(patched.status, 200, patched.text);
    const [patch, creation] = (await server().get(`Patient/${created.id}/_history`)).body.entry;
    assert.deepEqual(patch.request, { method: 'PATCH', url: `Patient/${created.id}` });
    assert.match(patch.response.status, /^200/);
    assert.equal(patch.resource.active, true);
    assert.deepEqual(creation.request, { method: 'POST', url: 'Patient' });
  });

  test('_at keeps the versions current at some point during the period its precision covers', async () => {
    const v1 = await server().create(frenchPatient());
    await sleep(20);
    const v2 = (await server().put(`Patient/${v1.id}`, { ...v1, active: true })).body;
    await sleep(20);
    const v3 = (await server().put(`Patient/${v1.id}`, { ...v1, active: false })).body;
    const at = async (value: string): Promise<string[]> => {
      const result = await server().get(`Patient/${v1.id}/_history?_at=${encodeURIComponent(value)}`);
      assert.equal(result.status, 200, result.text);
      return versionIds(result.body);
    };
    // An instant: the one version current then.
    assert.deepEqual(await at(between(v1.meta.lastUpdated, v2.meta.lastUpdated)), ['1']);
    assert.deepEqual(await at(between(v2.meta.lastUpdated, v3.meta.lastUpdated)), ['2']);
    // The very instant of a write: the new version is current from then on.
    assert.deepEqual(await at(v2.meta.lastUpdated), ['2']);
    // A period spanning the writes (the day, the year): every version.
    const today = new Date(Date.parse(v2.meta.lastUpdated));
    assert.deepEqual(await at(today.toISOString().slice(0, 10)), ['3', '2', '1']);
    assert.deepEqual(await at(String(today.getUTCFullYear())), ['3', '2', '1']);
    // Before the resource existed: nothing; long after its last write: the current version.
    assert.deepEqual(await at('2001-06-15'), []);
    assert.deepEqual(await at(String(today.getUTCFullYear() + 1)), ['3']);
    assert.deepEqual(await at(new Date(Date.parse(v3.meta.lastUpdated) + 60_000).toISOString()), ['3']);
  });

  test('_at at type level: each resource\'s version current then, none created later', async () => {
    const since = await instantBeforeWrites();
    const a = await server().create(frenchPatient());
    await sleep(20);
    const b = await server().create(frenchPatient());
    await sleep(20);
    const a2 = (await server().put(`Patient/${a.id}`, { ...a, active: true })).body;
    await sleep(20);
    const c = await server().create(frenchPatient());
    const instant = between(b.meta.lastUpdated, a2.meta.lastUpdated);
    const result = await server().get(`Patient/_history?_since=${encodeURIComponent(since)}&_at=${encodeURIComponent(instant)}`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(versionKeys(result.body), [`Patient/${b.id}/_history/1`, `Patient/${a.id}/_history/1`]);
    assert.ok(!versionKeys(result.body).some((k) => k.includes(c.id)));
    const later = between(a2.meta.lastUpdated, c.meta.lastUpdated);
    const second = await server().get(`Patient/_history?_since=${encodeURIComponent(since)}&_at=${encodeURIComponent(later)}`);
    assert.deepEqual(versionKeys(second.body), [`Patient/${a.id}/_history/2`, `Patient/${b.id}/_history/1`]);
  });

  test('_at pages with _count: every qualifying version once, and the next links keep _at', async () => {
    const patient = await patientWithVersions(server(), 5);
    const day = patient.meta.lastUpdated.slice(0, 10);
    const pages = await walk(server(), `Patient/${patient.id}/_history?_at=${day}&_count=2`);
    assert.deepEqual(pages.flatMap(versionIds), ['5', '4', '3', '2', '1']);
    for (const page of pages.slice(0, -1)) assert.match(nextLink(page) ?? '', new RegExp(`_at=${day}`));
  });

  test('an invalid _at answers 400', async () => {
    const created = await server().create(frenchPatient());
    for (const value of ['hier', '2024-13', 'ge2024']) {
      assertOutcome(await server().get(`Patient/${created.id}/_history?_at=${value}`), 400, 'value');
    }
  });

  test('unknown parameters are refused with Prefer: handling=strict, ignored otherwise', async () => {
    const created = await server().create(frenchPatient());
    for (const path of [`Patient/${created.id}/_history`, 'Patient/_history', '_history']) {
      const strict = await server().get(`${path}?_count=1&foo=bar`, { prefer: 'handling=strict' });
      assertOutcome(strict, 400, 'not-supported');
      assert.match(JSON.stringify(strict.body), /foo/);
      assertOutcome(await server().get(`${path}?_list=x`, { prefer: 'handling=strict' }), 400);
      assert.equal((await server().get(`${path}?_count=1&foo=bar`)).status, 200);
      assert.equal((await server().get(`${path}?_count=1&foo=bar`, { prefer: 'handling=lenient' })).status, 200);
      const known = await server().get(`${path}?_count=1&_since=2001-01-01&_at=2099&_format=json&_pretty=true`, { prefer: 'handling=strict' });
      assert.equal(known.status, 200, known.text);
    }
  });
});

forEachBackend('type and system history', (server) => {
  test('type history lists only that type, newest first, deletions included', async () => {
    const since = await instantBeforeWrites();
    const a = await server().create(frenchPatient());
    await sleep(3);
    const practitioner = await server().create(frenchPractitioner());
    await sleep(3);
    await server().put(`Patient/${a.id}`, { ...a, active: true });
    await sleep(3);
    await server().delete(`Patient/${a.id}`);
    const result = await server().get(`Patient/_history?_since=${encodeURIComponent(since)}`);
    assert.equal(result.status, 200);
    assert.equal(result.body.type, 'history');
    const keys = versionKeys(result.body);
    assert.deepEqual(keys, [`Patient/${a.id}/_history/3`, `Patient/${a.id}/_history/2`, `Patient/${a.id}/_history/1`]);
    assert.ok(!keys.some((k) => k.includes(practitioner.id)));
    assert.equal(result.body.entry[0].resource, undefined);
  });

  test('system history lists every type, newest first', async () => {
    const since = await instantBeforeWrites();
    const patient = await server().create(frenchPatient());
    await sleep(3);
    const practitioner = await server().create(frenchPractitioner());
    await sleep(3);
    await jsonPatch(server(), `Patient/${patient.id}`, [{ op: 'add', path: '/active', value: true }]);
    const result = await server().get(`_history?_since=${encodeURIComponent(since)}`);
    assert.equal(result.status, 200);
    // The access traces live in the audit log, served by type (AuditEvent/_history), not in the system history.
    assert.deepEqual(versionKeys(result.body), [
      `Patient/${patient.id}/_history/2`,
      `Practitioner/${practitioner.id}/_history/1`,
      `Patient/${patient.id}/_history/1`,
    ]);
    const modified = result.body.entry.map((e: Json) => Date.parse(e.response.lastModified));
    assert.deepEqual(modified, [...modified].sort((x, y) => y - x));
  });

  test('type history of an unknown type answers 404', async () => {
    assertOutcome(await server().get('Patiente/_history'), 404);
  });

  for (const level of ['type', 'system'] as const) {
    test(`${level} history pages stay correct while resources are created, updated and deleted between page fetches`, async () => {
      const since = await instantBeforeWrites();
      const patients: Json[] = [];
      for (let i = 0; i < 4; i += 1) patients.push(await server().create(frenchPatient()));
      for (const p of patients.slice(0, 2)) await server().put(`Patient/${p.id}`, { ...p, active: true });
      const practitioner = await server().create(frenchPractitioner());
      const base = level === 'type' ? 'Patient/_history' : '_history';
      const query = `${base}?_since=${encodeURIComponent(since)}`;
      // Access traces are in the audit log, not in the system history (ARCHITECTURE.md, audit trail).
      const notAudit = (key: string): boolean => {
        assert.ok(!key.startsWith('AuditEvent/'), key);
        return true;
      };
      const snapshot = versionKeys((await server().get(`${query}&_count=100`)).body).filter(notAudit);
      assert.equal(snapshot.length, level === 'type' ? 6 : 7);

      const written: string[] = [];
      const pages = await walk(server(), `${query}&_count=2`, async (page) => {
        // Rewrite the newest and oldest resources, delete one, create one: rows move between tables.
        const target = patients[page % patients.length] as Json;
        const updated = await server().put(`Patient/${target.id}`, { ...target, gender: target.gender === 'male' ? 'female' : 'male' });
        written.push(`Patient/${target.id}/_history/${String(updated.body.meta.versionId)}`);
        const fresh = await server().create(frenchPatient());
        written.push(`Patient/${fresh.id}/_history/1`);
        if (page === 1) {
          await server().delete(`Practitioner/${practitioner.id}`);
          written.push(`Practitioner/${practitioner.id}/_history/2`);
        }
        target.gender = updated.body.gender;
        target.meta = updated.body.meta;
      });
      const seen = pages.flatMap(versionKeys).filter(notAudit);
      assert.equal(new Set(seen).size, seen.length, `no duplicates: ${seen.join(', ')}`);
      assert.deepEqual(seen, snapshot, 'exactly the versions of the first page\'s instant, in the same order');
      assert.ok(written.length >= 4 && written.every((w) => !seen.includes(w)));
      for (const page of pages.slice(0, -1)) assert.equal(page.entry.length, 2);
    });
  }
});
