/**
 * Searches with many values: each comma-separated value and parameter is a
 * term of the SQL query (an _id list is one IN predicate, up to MAX_SEARCH_IDS). A long OR list, many AND parameters or an OR inside
 * a chain or _has made the query deeper than SQLite accepts (1,000 levels) or
 * longer than a UNION may be (500 branches), and a very long one overflowed
 * PostgreSQL's stack: each a 500. Up to MAX_SEARCH_VALUES they run on both
 * backends; beyond, a 400 search.too-many-values names the limit.
 * The searches go through POST _search: such a URL would pass the header limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SEARCH_IDS, MAX_SEARCH_VALUES } from '../../src/fhir/search/parse-search.js';
import { forEachBackend, type FhirResult, type TestServer } from '../support/test-server.js';
import { ids, newScope } from '../support/search.js';

function postSearch(server: TestServer, type: string, form: [string, string][]): Promise<FhirResult> {
  return server.request('POST', `${type}/_search`, {
    rawBody: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const list = (count: number, value: (i: number) => string): string => Array.from({ length: count }, (_, i) => value(i)).join(',');

forEachBackend('search: many values in one search', (server) => {
  test('an OR list of as many values as allowed finds its match, in a chain and in _has too', async () => {
    const s = newScope();
    const tag: [string, string] = ['_tag', `${s.tag.system}|${s.tag.code}`];
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Manyvalues' }] }));
    const observation = await server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'urn:socle-test', code: 'mv-1' }] }, subject: { reference: `Patient/${patient.id}` } }));
    // The _tag is one value too.
    const names = list(MAX_SEARCH_VALUES - 2, (i) => `zz${i}`) + ',Manyvalues';
    const codes = list(MAX_SEARCH_VALUES - 2, (i) => `urn:socle-test|zz${i}`) + ',urn:socle-test|mv-1';

    const byName = await postSearch(server(), 'Patient', [['name', names], tag]);
    assert.equal(byName.status, 200, byName.text.slice(0, 300));
    assert.deepEqual(ids(byName.body), [patient.id]);
    const byChain = await postSearch(server(), 'Observation', [['subject:Patient.name', names], tag]);
    assert.equal(byChain.status, 200, byChain.text.slice(0, 300));
    assert.deepEqual(ids(byChain.body), [observation.id]);
    const byHas = await postSearch(server(), 'Patient', [['_has:Observation:subject:code', codes], tag]);
    assert.equal(byHas.status, 200, byHas.text.slice(0, 300));
    assert.deepEqual(ids(byHas.body), [patient.id]);
  });

  test('many AND parameters and an OR nested two chains deep are answered, not a 500', async () => {
    const and = Array.from({ length: MAX_SEARCH_VALUES - 1 }, (_, i): [string, string] => ['name:contains', String(i % 10)]);
    const many = await postSearch(server(), 'Patient', and);
    assert.equal(many.status, 200, many.text.slice(0, 300));
    const nested = await postSearch(server(), 'Observation', [['subject:Patient.general-practitioner:Practitioner.name', list(MAX_SEARCH_VALUES, (i) => `zz${i}`)]]);
    assert.equal(nested.status, 200, nested.text.slice(0, 300));
    const reverse = await postSearch(server(), 'Patient', [['_has:Observation:subject:_has:Provenance:target:agent:Practitioner.name', list(MAX_SEARCH_VALUES, (i) => `zz${i}`)]]);
    assert.equal(reverse.status, 200, reverse.text.slice(0, 300));
  });

  test('an _id list is one IN predicate: thousands of ids are served, beside as many other values as allowed', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Manyids' }] }));
    const idList = list(5000, (i) => `absent-${i}`) + `,${patient.id}`;
    const result = await postSearch(server(), 'Patient', [['_id', idList], ['name', list(MAX_SEARCH_VALUES - 3, (i) => `zz${i}`) + ',Manyids'], ['_tag', `${s.tag.system}|${s.tag.code}`]]);
    assert.equal(result.status, 200, result.text.slice(0, 300));
    assert.deepEqual(ids(result.body), [patient.id]);
  });

  test('a search with more values than allowed is a 400 search.too-many-values, whatever their form', async () => {
    const over = MAX_SEARCH_VALUES + 1;
    const searches: [string, [string, string][]][] = [
      ['Patient', [['name', list(over, (i) => `n${i}`)]]],
      ['Patient', [['_id', list(MAX_SEARCH_IDS + 1, (i) => `id${i}`)]]],
      ['Patient', [['birthdate', list(over, (i) => `19${String(i % 100).padStart(2, '0')}`)]]],
      ['Patient', Array.from({ length: over }, (_, i): [string, string] => ['name', `n${i}`])],
      ['Observation', [['subject:Patient.name', list(over, (i) => `n${i}`)]]],
      ['Patient', [['_has:Observation:subject:code', list(40000, (i) => `c${i}`)]]],
    ];
    for (const [type, form] of searches) {
      const result = await postSearch(server(), type, form);
      assert.equal(result.status, 400, `${type} ${form[0]?.[0]}: ${result.text.slice(0, 300)}`);
      assert.equal(result.body.issue[0].details.coding[0].code, 'search.too-many-values');
      assert.equal(result.body.issue[0].code, 'too-costly');
    }
  });

  test('a sort key named again is dropped: _sort repeating one key hundreds of times sorts and pages as once', async () => {
    const s = newScope();
    const [b, a] = [await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Sortb' }] })), await server().create(s.mark({ resourceType: 'Patient', name: [{ family: 'Sorta' }] }))];
    const result = await postSearch(server(), 'Patient', [['_sort', list(600, (i) => (i % 2 ? '-family' : 'family'))], ['_tag', `${s.tag.system}|${s.tag.code}`], ['_count', '1']]);
    assert.equal(result.status, 200, result.text.slice(0, 300));
    assert.deepEqual(ids(result.body), [a.id]);
    const next = result.body.link.find((l: { relation: string }) => l.relation === 'next');
    const second = await server().get(next.url);
    assert.equal(second.status, 200, second.text.slice(0, 300));
    assert.deepEqual(ids(second.body), [b.id]);
  });
});
