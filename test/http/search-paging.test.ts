/**
 * Paging (http://hl7.org/fhir/R4/search.html#count, http.html#paging):
 * _count pages, next/previous/first links that walk every match exactly once,
 * also when resources are created or deleted between two page fetches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { entries, link, newScope, orderedIds, search, type Scope } from '../support/search.js';

interface Page {
  readonly ids: string[];
  readonly body: any;
}

async function page(server: TestServer, url: string): Promise<Page> {
  const body = (await search(server, url)).body;
  return { ids: orderedIds(body), body };
}

/** Follows `relation` links from `start` to the end; returns every page. */
async function walk(server: TestServer, start: Page, relation: 'next' | 'previous', between?: (index: number) => Promise<void>): Promise<Page[]> {
  const pages = [start];
  let current = start;
  for (let guard = 0; guard < 100; guard += 1) {
    const url = link(current.body, relation);
    if (!url) return pages;
    await between?.(pages.length);
    current = await page(server, url);
    pages.push(current);
  }
  throw new Error('too many pages');
}

forEachBackend('search: paging', (server) => {
  async function patients(s: Scope, count: number, shape: (i: number) => Record<string, unknown> = () => ({})) {
    const created = [];
    for (let i = 0; i < count; i += 1) {
      created.push(await server().create(s.mark({ resourceType: 'Patient', ...shape(i) })));
    }
    return created;
  }

  test('_count pages: next links walk all matches once, previous links walk back, first goes to the start', async () => {
    const s = newScope();
    const all = await patients(s, 7);
    const first = await page(server(), `Patient?_count=3&_total=accurate&${s.q}`);
    assert.equal(first.ids.length, 3);
    assert.equal(first.body.total, 7);
    assert.equal(link(first.body, 'previous'), undefined);
    const forward = await walk(server(), first, 'next');
    assert.deepEqual(forward.map((p) => p.ids.length), [3, 3, 1]);
    const seen = forward.flatMap((p) => p.ids);
    assert.deepEqual([...seen].sort(), all.map((p) => p.id).sort());
    assert.equal(new Set(seen).size, seen.length);

    const last = forward[forward.length - 1] as Page;
    assert.equal(link(last.body, 'next'), undefined);
    const backward = await walk(server(), last, 'previous');
    assert.deepEqual(backward.map((p) => p.ids), [...forward].reverse().map((p) => p.ids));

    const firstLink = link(last.body, 'first');
    assert.ok(firstLink, 'a later page links to the first');
    assert.deepEqual((await page(server(), firstLink)).ids, first.ids);
    // The self link of a later page reproduces it.
    const self = link(last.body, 'self');
    assert.ok(self);
    assert.deepEqual((await page(server(), self)).ids, last.ids);
  });

  test('paging a sort with ties and missing values: every match once, in order', async () => {
    const s = newScope();
    const families = ['Roche', 'Blanc', 'Roche', 'Aubry', 'Roche', 'Blanc', 'Vidal', 'Aubry'];
    const births = ['1990-01-01', undefined, '1975-05-05', '1990-01-01', undefined, '1962-12-12', '1990-01-01', '1980-08-08'];
    await patients(s, families.length, (i) => ({ name: [{ family: families[i] }], ...(births[i] ? { birthDate: births[i] } : {}) }));
    for (const sort of ['family', '-family', '-birthdate,family', 'birthdate,-_id', '_lastUpdated']) {
      const full = (await page(server(), `Patient?_sort=${sort}&_count=100&${s.q}`)).ids;
      assert.equal(full.length, families.length);
      for (const size of [1, 2, 3]) {
        const forward = await walk(server(), await page(server(), `Patient?_sort=${sort}&_count=${size}&${s.q}`), 'next');
        assert.deepEqual(forward.flatMap((p) => p.ids), full, `_sort=${sort}&_count=${size} forward`);
        const backward = await walk(server(), forward[forward.length - 1] as Page, 'previous');
        assert.deepEqual(backward.reverse().flatMap((p) => p.ids), full, `_sort=${sort}&_count=${size} backward`);
      }
    }
  });

  test('resources created during the walk are not shown; no duplicates, no skips', async () => {
    const s = newScope();
    const initial = await patients(s, 6, (i) => ({ name: [{ family: `Famille${i}` }] }));
    const created: string[] = [];
    const pages = await walk(server(), await page(server(), `Patient?_count=2&_sort=family&${s.q}`), 'next', async () => {
      // One that would sort first, one last, one in the middle of what remains.
      for (const family of ['Aaa', 'Zzz', 'Famille4b']) {
        created.push((await server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }))).id);
      }
    });
    const seen = pages.flatMap((p) => p.ids);
    assert.deepEqual(seen, initial.map((p) => p.id));
    // A new search sees them all.
    const fresh = (await page(server(), `Patient?_count=100&${s.q}`)).ids;
    assert.equal(fresh.length, initial.length + created.length);
  });

  test('resources deleted during the walk: the deleted ones are not shown, the others once', async () => {
    const s = newScope();
    const initial = await patients(s, 9, (i) => ({ birthDate: `19${50 + i}-01-01` }));
    const deleted = new Set<string>();
    const pages = await walk(server(), await page(server(), `Patient?_count=3&_sort=-birthdate&${s.q}`), 'next', async (index) => {
      if (index !== 1) return;
      // Delete one already shown (the first) and one not yet shown (the 8th by this order).
      const shownId = initial[8]?.id as string;
      const pendingId = initial[1]?.id as string;
      for (const id of [shownId, pendingId]) {
        assert.equal((await server().delete(`Patient/${id}`)).status < 300, true);
        deleted.add(id);
      }
    });
    const seen = pages.flatMap((p) => p.ids);
    const expected = [...initial].reverse().map((p) => p.id).filter((id) => id === initial[8]?.id || !deleted.has(id));
    assert.deepEqual(seen, expected);
    assert.equal(new Set(seen).size, seen.length);
  });

  test('the links keep the search parameters; _count above the maximum is capped', async () => {
    const s = newScope();
    await patients(s, 3, () => ({ gender: 'female' }));
    const first = await page(server(), `Patient?gender=female&_count=1&${s.q}`);
    const next = link(first.body, 'next');
    assert.ok(next);
    const params = new URL(next).searchParams;
    assert.equal(params.get('gender'), 'female');
    assert.equal(params.get('_count'), '1');
    assert.equal(params.get('_tag'), `urn:socle:test-scope|${s.u}`);

    const huge = (await search(server(), `Patient?_count=100000&${s.q}`)).body;
    assert.equal(entries(huge).length, 3);
  });

  test('a forged or broken cursor is a 400, not a crash', async () => {
    const broken = await server().get('Patient?_cursor=not-a-cursor');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.resourceType, 'OperationOutcome');
    const cursor = (values: unknown[]) => Buffer.from(JSON.stringify({ v: values, r: 0, d: 'n', m: 1e9 })).toString('base64url');
    const forged: [string, unknown[]][] = [
      ['family', ["' OR 1=1 --"]],
      ['family', [12]],
      ['family', ['a\u0000b']],
      ['birthdate', ['abc']],
      ['birthdate', [1.5]],
      ['birthdate', [1e300]],
      ['-_lastUpdated', ['1970']],
      ['probability', ['x']],
      ['_id', [1e300]],
      ['family,birthdate', ['a']],
      ['family', ['a', 'b']],
    ];
    for (const [sort, values] of forged) {
      const type = sort === 'probability' ? 'RiskAssessment' : 'Patient';
      const result = await server().get(`${type}?_sort=${sort}&_cursor=${cursor(values)}`);
      assert.ok(result.status === 200 || result.status === 400, `${sort} ${JSON.stringify(values)} → ${result.status} ${result.text.slice(0, 300)}`);
      assert.equal(result.body.resourceType, result.status === 200 ? 'Bundle' : 'OperationOutcome');
    }
  });
});
