/**
 * $meta, $meta-add and $meta-delete (http://hl7.org/fhir/R4/resource-operation-meta.html
 * and its -add and -delete pages): meta changes without a new version, seen by
 * read, by _tag/_profile/_security search and on a past version; the labels in
 * use at type and system level; errors. On both backends.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const metaOf = (parameters: Json): Json => parameters.parameter.find((p: Json) => p.name === 'return').valueMeta;
const parameters = (meta: Json): Json => ({ resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: meta }] });

forEachBackend('meta operations', (server) => {
  test('$meta-add adds profiles, tags and security labels as sets, without a new version, and search finds them', async () => {
    const system = `urn:socle-test:tags:${randomUUID()}`;
    const created = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, meta: { tag: [{ system, code: 'a' }] } });
    const result = await server().post(`Observation/${created.id}/$meta-add`, parameters({
      profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'],
      tag: [{ system, code: 'a', display: 'même étiquette, autre affichage' }, { system, code: 'b' }],
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
    }));
    assert.equal(result.status, 200, result.text);
    const meta = metaOf(result.body);
    assert.deepEqual(meta.tag.map((t: Json) => t.code), ['a', 'b'], 'a tag is identified by system and code');
    assert.deepEqual(meta.profile, ['http://hl7.org/fhir/StructureDefinition/vitalsigns']);
    assert.equal(meta.security[0].code, 'R');

    const read = await server().get(`Observation/${created.id}`);
    assert.equal(read.body.meta.versionId, '1', 'no new version');
    assert.equal(read.body.meta.lastUpdated, created.meta.lastUpdated);
    assert.deepEqual(read.body.meta.tag.map((t: Json) => t.code), ['a', 'b']);
    assert.equal(read.headers.get('etag'), 'W/"1"');
    const history = await server().get(`Observation/${created.id}/_history`);
    assert.equal(history.body.entry.length, 1);

    const byTag = await server().get(`Observation?_tag=${encodeURIComponent(`${system}|b`)}`);
    assert.deepEqual(byTag.body.entry.map((e: Json) => e.resource.id), [created.id]);
    const byProfile = await server().get(`Observation?_profile=${encodeURIComponent('http://hl7.org/fhir/StructureDefinition/vitalsigns')}&_id=${created.id}`);
    assert.equal(byProfile.body.entry.length, 1);
    const bySecurity = await server().get(`Observation?_security=R&_id=${created.id}`);
    assert.equal(bySecurity.body.entry.length, 1);
  });

  test('concurrent $meta-add calls and updates lose nothing: every tag answered 200 is on the resource', async () => {
    const system = `urn:socle-test:race:${randomUUID()}`;
    const created = await server().create({ resourceType: 'Patient', name: [{ family: 'Course' }] });
    const calls = Array.from({ length: 12 }, (_, i) => server().post(`Patient/${created.id}/$meta-add`, parameters({ tag: [{ system, code: `t${i}` }] })));
    const update = server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id, name: [{ family: 'Course' }], active: true });
    const results = await Promise.all(calls);
    assert.equal((await update).status, 200);
    for (const result of results) assert.ok(result.status === 200 || result.status === 409, result.text);
    const answered = results.flatMap((result, i) => (result.status === 200 ? [`t${i}`] : []));
    assert.ok(answered.length > 0);
    // Each tag is on the version it was added to: the current one, or the one the update then replaced.
    const current = (await server().get(`Patient/${created.id}`)).body;
    const versions = [current, ...(current.meta.versionId === '2' ? [(await server().get(`Patient/${created.id}/_history/1`)).body] : [])];
    const onVersions = new Set(versions.flatMap((v: Json) => (v.meta.tag ?? []).filter((t: Json) => t.system === system).map((t: Json) => t.code as string)));
    for (const tag of answered) assert.ok(onVersions.has(tag), `tag ${tag} was answered 200 but is on no version`);
  });

  test('$meta-delete removes what it names, and search no longer finds it', async () => {
    const system = `urn:socle-test:tags:${randomUUID()}`;
    const created = await server().create({ resourceType: 'Observation', status: 'final', code: { text: 'poids' }, meta: { tag: [{ system, code: 'a' }, { system, code: 'b' }], profile: ['http://example.org/p'] } });
    const result = await server().post(`Observation/${created.id}/$meta-delete`, parameters({ tag: [{ system, code: 'a' }], profile: ['http://example.org/p'] }));
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(metaOf(result.body).tag.map((t: Json) => t.code), ['b']);
    assert.equal(metaOf(result.body).profile, undefined);
    const read = await server().get(`Observation/${created.id}`);
    assert.equal(read.body.meta.versionId, '1');
    assert.equal(read.body.meta.profile, undefined);
    assert.equal((await server().get(`Observation?_tag=${encodeURIComponent(`${system}|a`)}`)).body.entry, undefined);
    assert.equal((await server().get(`Observation?_tag=${encodeURIComponent(`${system}|b`)}`)).body.entry.length, 1);
  });

  test('$meta reads a resource’s labels, and a past version’s; $meta-add on a past version leaves the current one alone', async () => {
    const system = `urn:socle-test:tags:${randomUUID()}`;
    const created = await server().create({ resourceType: 'Patient', name: [{ family: 'Meta' }], meta: { tag: [{ system, code: 'v1' }] } });
    const updated = await server().put(`Patient/${created.id}`, { resourceType: 'Patient', id: created.id, name: [{ family: 'Meta' }], meta: { tag: [{ system, code: 'v2' }] } });
    assert.equal(updated.status, 200, updated.text);
    const current = await server().get(`Patient/${created.id}/$meta`);
    assert.equal(current.status, 200, current.text);
    assert.deepEqual(metaOf(current.body).tag.map((t: Json) => t.code), ['v2', 'v1'], 'the update carried v1 forward');
    const first = await server().get(`Patient/${created.id}/_history/1/$meta`);
    assert.deepEqual(metaOf(first.body).tag.map((t: Json) => t.code), ['v1']);

    const onPast = await server().post(`Patient/${created.id}/_history/1/$meta-add`, parameters({ tag: [{ system, code: 'archive' }] }));
    assert.equal(onPast.status, 200, onPast.text);
    assert.deepEqual((await server().get(`Patient/${created.id}/_history/1`)).body.meta.tag.map((t: Json) => t.code), ['v1', 'archive']);
    assert.deepEqual((await server().get(`Patient/${created.id}`)).body.meta.tag.map((t: Json) => t.code), ['v2', 'v1']);
    assert.equal((await server().get(`Patient?_tag=${encodeURIComponent(`${system}|archive`)}`)).body.entry, undefined, 'a past version is not searched');
  });

  test('an update keeps the tags and security labels it leaves out; only $meta-delete removes them; profiles are as sent', async () => {
    const system = `urn:socle-test:tags:${randomUUID()}`;
    const restricted = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
    const created = await server().create({
      resourceType: 'Observation', status: 'final', code: { text: 'poids' },
      meta: { tag: [{ system, code: 'a' }], security: [restricted], profile: ['http://example.org/p1'] },
    });
    const body = { resourceType: 'Observation', id: created.id, status: 'amended', code: { text: 'poids' } };
    const put = await server().put(`Observation/${created.id}`, body);
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.meta.tag, [{ system, code: 'a' }]);
    assert.deepEqual(put.body.meta.security, [restricted]);
    assert.equal(put.body.meta.profile, undefined, 'a profile is part of what the client claims: replaced as sent');
    assert.equal((await server().get(`Observation?_security=${encodeURIComponent(`${restricted.system}|R`)}&_id=${created.id}`)).body.entry.length, 1, 'the carried label is indexed');

    // The same PUT again changes nothing: no new version.
    const again = await server().put(`Observation/${created.id}`, body);
    assert.equal(again.body.meta.versionId, '2');

    // Labels the client sends are added to those carried; one sent with another display is the same label.
    const more = await server().put(`Observation/${created.id}`, { ...body, meta: { tag: [{ system, code: 'b' }, { system, code: 'a', display: 'A' }] } });
    assert.deepEqual(more.body.meta.tag.map((t: Json) => t.code), ['b', 'a']);
    assert.deepEqual(more.body.meta.security, [restricted]);

    // Nor does a JSON Patch removing them drop them.
    const patched = await server().request('PATCH', `Observation/${created.id}`, {
      body: [{ op: 'remove', path: '/meta/security' }, { op: 'replace', path: '/status', value: 'final' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body.meta.security, [restricted]);
    assert.equal(patched.body.status, 'final');

    // A conditional update carries them too.
    const conditional = await server().put(`Observation?_id=${created.id}`, { ...body, status: 'cancelled' });
    assert.equal(conditional.status, 200, conditional.text);
    assert.deepEqual(conditional.body.meta.security, [restricted]);

    const deleted = await server().post(`Observation/${created.id}/$meta-delete`, parameters({ security: [restricted], tag: [{ system, code: 'a' }] }));
    assert.equal(deleted.status, 200, deleted.text);
    const after = await server().put(`Observation/${created.id}`, { ...body, status: 'final' });
    assert.equal(after.body.meta.security, undefined, 'removed by $meta-delete, not brought back');
    assert.deepEqual(after.body.meta.tag.map((t: Json) => t.code), ['b']);
  });

  test('$meta at type and system level lists the labels in use', async () => {
    const system = `urn:socle-test:tags:${randomUUID()}`;
    await server().create({ resourceType: 'Condition', subject: { reference: 'Patient/x' }, code: { text: 'asthme' }, meta: { tag: [{ system, code: 'condition' }] } });
    await server().create({ resourceType: 'Organization', name: 'Org', meta: { tag: [{ system, code: 'organisation' }] } });
    const ofType = await server().get('Condition/$meta');
    assert.equal(ofType.status, 200, ofType.text);
    const typeTags = metaOf(ofType.body).tag.filter((t: Json) => t.system === system).map((t: Json) => t.code);
    assert.deepEqual(typeTags, ['condition']);
    const all = await server().get('$meta');
    assert.equal(all.status, 200, all.text);
    const allTags = metaOf(all.body).tag.filter((t: Json) => t.system === system).map((t: Json) => t.code).sort();
    assert.deepEqual(allTags, ['condition', 'organisation']);
  });

  test('errors: no Parameters 400, no meta 400, unknown 404, deleted 410, unknown version 404, no type-level $meta-add', async () => {
    const created = await server().create({ resourceType: 'Basic', code: { text: 'x' } });
    const noParameters = await server().post(`Basic/${created.id}/$meta-add`, { resourceType: 'Basic', code: { text: 'x' } });
    assert.equal(noParameters.status, 400, noParameters.text);
    const noMeta = await server().post(`Basic/${created.id}/$meta-add`, { resourceType: 'Parameters', parameter: [{ name: 'other', valueString: 'x' }] });
    assert.equal(noMeta.status, 400, noMeta.text);
    assert.equal((await server().post('Basic/00000000-0000-4000-8000-000000000000/$meta-add', parameters({ tag: [{ code: 'x' }] }))).status, 404);
    assert.equal((await server().get(`Basic/${created.id}/_history/9/$meta`)).status, 404);
    assert.equal((await server().post('Basic/$meta-add', parameters({ tag: [{ code: 'x' }] }))).status, 404);
    await server().delete(`Basic/${created.id}`);
    assert.equal((await server().post(`Basic/${created.id}/$meta-add`, parameters({ tag: [{ code: 'x' }] }))).status, 410);
  });

  test('a patient reads their own labels, not another’s, and not the labels in use at type level', async () => {
    const alice = await server().create({ resourceType: 'Patient', name: [{ family: 'Alice' }], meta: { tag: [{ code: 'a' }] } });
    const bob = await server().create({ resourceType: 'Patient', name: [{ family: 'Bob' }] });
    const asAlice = server().as({ kind: 'patient', patient: alice.id, fhirUser: `Patient/${alice.id}`, scopes: ['patient/*.rs'] });
    assert.equal((await asAlice.get(`Patient/${alice.id}/$meta`)).status, 200);
    assert.equal((await asAlice.get(`Patient/${bob.id}/$meta`)).status, 404);
    assert.equal((await asAlice.get('Patient/$meta')).status, 403);
    assert.equal((await asAlice.post(`Patient/${alice.id}/$meta-add`, parameters({ tag: [{ code: 'b' }] }))).status, 403);
  });
});
