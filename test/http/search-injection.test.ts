/**
 * Search values are data, never query text (http://hl7.org/fhir/R4/safety.html,
 * search.html): SQL syntax, LIKE wildcards, quotes, backslashes, very long
 * strings, any Unicode and NUL either match real data or nothing, and never
 * cause a server error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope } from '../support/search.js';

const q = encodeURIComponent;

const HOSTILE = [
  "' OR 1=1 --",
  "'; DROP TABLE resources; --",
  '" OR ""="',
  "') OR ('1'='1",
  '%',
  '_',
  '%_%',
  '\\',
  '\\\\',
  '*',
  '?',
  '$1',
  '?1',
  'Robert\'); DELETE FROM idx_string; --',
  '\u0000',
  'a\u0000b',
  '\uD83D\uDE00',
  '\u202Eevil',
  'ǅ̈ﬁ',
  '\uFFFF',
  '\t\n\r',
  ' ',
  `${'x'.repeat(10_240)}`,
  `${'é'.repeat(5_000)}`,
];

forEachBackend('search: hostile values are data', (server) => {
  /** GET, or POST _search for values too long for a URL (Node refuses request heads beyond 16 KB). */
  function run(query: string) {
    if (query.length < 8_000) return server().get(query);
    const [path, form] = query.split('?') as [string, string];
    return server().request('POST', `${path}/_search`, { rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  test('hostile values in string, token, reference, uri, date and number parameters never fail the server', async () => {
    const s = newScope();
    const innocent = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Innocent' }], identifier: [{ system: 'urn:x', value: 'innocent' }] }));
    const queries = (value: string) => [
      `Patient?family=${q(value)}`,
      `Patient?family:exact=${q(value)}`,
      `Patient?family:contains=${q(value)}`,
      `Patient?name=${q(value)}`,
      `Patient?identifier=${q(value)}`,
      `Patient?identifier=${q(`urn:x|${value}`)}`,
      `Patient?identifier:text=${q(value)}`,
      `Patient?_id=${q(value)}`,
      `Patient?_tag=${q(value)}`,
      `Patient?general-practitioner=${q(value)}`,
      `Patient?general-practitioner:identifier=${q(value)}`,
      `Patient?organization.name=${q(value)}`,
      `Patient?_has:Observation:patient:code=${q(value)}`,
      `ValueSet?url=${q(value)}`,
      `ValueSet?url:below=${q(value)}`,
      `ValueSet?url:above=${q(value)}`,
      `Patient?_content=${q(value)}`,
      `Patient?_text=${q(value)}`,
    ];
    for (const value of HOSTILE) {
      for (const query of queries(value)) {
        const result = await run(`${query}&${s.q}`);
        assert.ok(result.status === 200 || result.status === 400, `${query.slice(0, 120)} → ${result.status} ${result.text.slice(0, 300)}`);
        // _content holds every string, and punctuation is ignored (search.html#string): '" OR ""="' searches "or", which the
        // innocent's content holds ("fr-core-…", added by identity-vigilance). Any other match would be the value read as SQL.
        if (result.status === 200 && !query.startsWith('Patient?_content=')) {
          assert.deepEqual(result.body.entry?.filter((e: any) => e.search?.mode === 'match') ?? [], [], query.slice(0, 120));
        }
      }
      // :not keeps what does not have the value: everything.
      const not = await run(`Patient?gender:not=${q(value)}&${s.q}`);
      assert.ok(not.status === 200 || not.status === 400, `gender:not → ${not.status}`);
      if (not.status === 200) assert.deepEqual(not.body.entry.map((e: any) => e.resource.id), [innocent.id]);
      for (const query of [`Patient?birthdate=${q(value)}`, `RiskAssessment?probability=${q(value)}`, `Observation?value-quantity=${q(value)}`]) {
        const result = await run(query);
        assert.ok(result.status === 400 || result.status === 200, `${query.slice(0, 120)} → ${result.status}`);
      }
    }
    // The data is still there.
    await expectIds(server(), `Patient?family=innocent&${s.q}`, [innocent]);
  });

  // Punctuation is ignored by the default and :contains matches (search.html#string), wildcards included: they never act as
  // wildcards. :exact compares them as written.
  test('LIKE wildcards and escapes are never wildcards: ignored as punctuation, literal for :exact', async () => {
    const s = newScope();
    const create = (family: string) => server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }));
    const percent = await create('100%');
    const underscore = await create('a_b');
    const plain = await create('axb');
    const backslash = await create('c\\d');
    const quote = await create("O'Brien");
    const sqlish = await create("' OR 1=1 --");

    await expectIds(server(), `Patient?family=${q('100%')}&${s.q}`, [percent]);
    await expectIds(server(), `Patient?family:contains=${q('0%')}&${s.q}`, [percent]);
    await expectIds(server(), `Patient?family=${q('a_b')}&${s.q}`, [underscore]);
    await expectIds(server(), `Patient?family:contains=${q('a_b')}&${s.q}`, [underscore]);
    await expectIds(server(), `Patient?family:exact=axb&${s.q}`, [plain]);
    await expectIds(server(), `Patient?family:exact=a_b&${s.q}`, [underscore]);
    await expectIds(server(), `Patient?family:exact=${q('100%')}&${s.q}`, [percent]);
    await expectIds(server(), `Patient?family:exact=${q('c\\\\d')}&${s.q}`, [backslash]);
    await expectIds(server(), `Patient?family=${q('c\\\\d')}&${s.q}`, [backslash]);
    await expectIds(server(), `Patient?family=${q("o'b")}&${s.q}`, [quote]);
    await expectIds(server(), `Patient?family:exact=${q("O'Brien")}&${s.q}`, [quote]);
    await expectIds(server(), `Patient?family=${q("' OR 1=1 --")}&${s.q}`, [sqlish]);
    await expectIds(server(), `Patient?family:contains=${q("1=1")}&${s.q}`, [sqlish]);
    // Nothing but wildcards is nothing to search for.
    for (const value of ['%', '_', '\\']) assert.equal((await server().get(`Patient?family:contains=${q(value)}&${s.q}`)).status, 400, value);
  });

  test('Unicode values match themselves; a 10 KB value is just a long value', async () => {
    const s = newScope();
    const create = (family: string) => server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }));
    const emoji = await create('Smile \uD83D\uDE00 Face');
    const greek = await create('Παπαδόπουλος');
    const cjk = await create('山田');
    const long = await create(`Long${'y'.repeat(2_000)}`);

    await expectIds(server(), `Patient?family=${q('smile \uD83D\uDE00')}&${s.q}`, [emoji]);
    await expectIds(server(), `Patient?family:exact=${q('Smile \uD83D\uDE00 Face')}&${s.q}`, [emoji]);
    // A symbol is ignored like punctuation: found by the words around it.
    await expectIds(server(), `Patient?family:contains=${q('e \uD83D\uDE00 f')}&${s.q}`, [emoji]);
    await expectIds(server(), `Patient?family=${q('παπαδοπ')}&${s.q}`, [greek]);
    await expectIds(server(), `Patient?family=${q('山')}&${s.q}`, [cjk]);
    await expectIds(server(), `Patient?family=${q(`long${'y'.repeat(500)}`)}&${s.q}`, [long]);
    const huge = await server().get(`Patient?family=${q('y'.repeat(10_240))}&${s.q}`);
    assert.equal(huge.status, 200, huge.text.slice(0, 300));
    assert.equal(huge.body.entry?.filter((e: any) => e.search?.mode === 'match').length ?? 0, 0);
  });
});
