/**
 * Values longer than an index key may hold (storage/sql/index-key.ts: 1,024
 * bytes of UTF-8; PostgreSQL refuses a B-tree entry above 2,704 bytes): a
 * resource carrying them is stored on both backends, never a 5xx, and found
 * by its whole value. The searches go through POST _search, as a client
 * sending such values would: their URL would pass the server's header limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { ids, newScope } from '../support/search.js';

/** Deterministic text in a script of 3-byte characters (CJK), so that 1,000 characters are 3,000 bytes. */
const cjk = (length: number, seed: number): string =>
  Array.from({ length }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919 + seed * 104729) % 0x5000))).join('');

async function postSearch(server: TestServer, type: string, form: Record<string, string>): Promise<string[]> {
  const result = await server.request('POST', `${type}/_search`, {
    rawBody: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(result.status, 200, result.text.slice(0, 500));
  return ids(result.body);
}

forEachBackend('search: values longer than an index key', (server) => {
  test('a name, an identifier, a code, a reference and a canonical of 3,000 bytes and more are stored and found by their whole value', async () => {
    const s = newScope();
    const family = cjk(2000, 1);
    const identifier = cjk(1500, 2);
    const code = cjk(1200, 3);
    const url = `http://socle.example/ValueSet/${cjk(1000, 4)}`;
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family }], identifier: [{ system: `urn:socle-test:${cjk(400, 5)}`, value: identifier }] }));
    const observation = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'urn:socle-test:codes', code }] },
      subject: { identifier: { system: 'urn:socle-test:ids', value: identifier } },
    }));
    const valueSet = await server().create(s.mark({ resourceType: 'ValueSet', status: 'draft', url }));

    assert.deepEqual(await postSearch(server(), 'Patient', { family, _tag: `${s.tag.system}|${s.tag.code}` }), [patient.id]);
    assert.deepEqual(await postSearch(server(), 'Patient', { family: family.slice(0, 10), _tag: `${s.tag.system}|${s.tag.code}` }), [patient.id]);
    assert.deepEqual(await postSearch(server(), 'Patient', { identifier: `urn:socle-test:${cjk(400, 5)}|${identifier}`, _tag: `${s.tag.system}|${s.tag.code}` }), [patient.id]);
    assert.deepEqual(await postSearch(server(), 'Observation', { code: `urn:socle-test:codes|${code}`, _tag: `${s.tag.system}|${s.tag.code}` }), [observation.id]);
    assert.deepEqual(await postSearch(server(), 'Observation', { 'subject:identifier': `urn:socle-test:ids|${identifier}`, _tag: `${s.tag.system}|${s.tag.code}` }), [observation.id]);
    assert.deepEqual(await postSearch(server(), 'ValueSet', { url, _tag: `${s.tag.system}|${s.tag.code}` }), [valueSet.id]);
    // Another value: not found.
    assert.deepEqual(await postSearch(server(), 'Patient', { family: cjk(2000, 9), _tag: `${s.tag.system}|${s.tag.code}` }), []);
  });

  test(':contains finds a word past the part of a long string the index keeps (characters, and bytes)', async () => {
    const s = newScope();
    const tag = `${s.tag.system}|${s.tag.code}`;
    // 3,000 Latin characters, the word at the end; and 600 CJK characters (1,800 bytes) with a marker at the end.
    const latin = `${'lorem ipsum '.repeat(250)}Dupontel${s.u}`;
    const wide = `${cjk(600, 6)}Marqueur${s.u}`;
    const first = await server().create(s.mark({ resourceType: 'Patient', address: [{ text: latin }] }));
    const second = await server().create(s.mark({ resourceType: 'Patient', address: [{ text: wide }] }));
    await server().create(s.mark({ resourceType: 'Patient', address: [{ text: 'lorem ipsum' }] }));

    assert.deepEqual(await postSearch(server(), 'Patient', { 'address:contains': `dupontel${s.u}`, _tag: tag }), [first.id]);
    assert.deepEqual(await postSearch(server(), 'Patient', { 'address:contains': `MARQUEUR${s.u}`, _tag: tag }), [second.id]);
    // A needle longer than the part kept, itself spanning the cut.
    assert.deepEqual(await postSearch(server(), 'Patient', { 'address:contains': latin.slice(500), _tag: tag }), [first.id]);
    // :exact and the default prefix search still compare the part kept (index-key.ts), as documented.
    assert.deepEqual(await postSearch(server(), 'Patient', { address: 'lorem ipsum lorem', _tag: tag }), [first.id]);
    // An update writes the rows again, the whole value with them.
    await server().put(`Patient/${first.id}`, { ...first, address: [{ text: `${latin} fin` }] });
    assert.deepEqual(await postSearch(server(), 'Patient', { 'address:contains': `dupontel${s.u}fin`, _tag: tag }), [first.id]);
  });
});
