/**
 * How a search treats parameters that select nothing or cannot be honoured
 * (http://hl7.org/fhir/R4/search.html): empty parameters are ignored,
 * _count=0 answers the total as _summary=count does, _elements leaves
 * included resources whole, an unknown named query (_query) is refused,
 * contained-resource searches and _revinclude=* are not silently claimed,
 * _include cannot be mixed with _summary=text, and POST _search takes a form,
 * never a JSON body.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { entries, expectOutcome, ids, link, messageKeys, newScope, search } from '../support/search.js';

forEachBackend('search: parameters without effect and parameters refused', (server) => {
  test('empty parameters are ignored, not an error, and not in the self link', async () => {
    const s = newScope();
    const a = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Vide${s.u}` }], gender: 'female' }));
    const b = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Vide${s.u}` }] }));
    for (const empty of ['family=', 'gender=', 'gender:not=', 'birthdate=', 'identifier=', '_id=', '_lastUpdated=', '_count=', '_summary=', '_include=', '_sort=']) {
      const result = await search(server(), `Patient?${empty}&family=vide${s.u}&${s.q}`);
      assert.deepEqual(ids(result.body), [a.id, b.id].sort(), empty);
      const applied = [...new URL(link(result.body, 'self') ?? '').searchParams];
      assert.ok(applied.every(([, value]) => value !== ''), `${empty} left out of ${link(result.body, 'self')}`);
    }
    const strict = await search(server(), `Patient?gender=&${s.q}`, { prefer: 'handling=strict' });
    assert.deepEqual(ids(strict.body), [a.id, b.id].sort(), 'ignored in strict mode too: an empty parameter is not unknown');
  });

  test('_count=0 answers the total, as _summary=count does, even when counting is not cheap', async () => {
    const s = newScope();
    for (let i = 0; i < 3; i += 1) await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Compte${s.u}` }] }));
    // _content reads every resource's text: never counted unless asked.
    const counted = await search(server(), `Patient?_content=compte${s.u}&_count=0`);
    assert.equal(counted.body.total, 3);
    assert.deepEqual(entries(counted.body), []);
    const summary = await search(server(), `Patient?_content=compte${s.u}&_summary=count`);
    assert.equal(summary.body.total, 3);
  });

  test('_elements shapes the matches only: included resources come whole', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Inclus${s.u}` }], gender: 'male', birthDate: '1970-01-01' }));
    const observation = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { text: 'poids' }, subject: { reference: `Patient/${patient.id}` }, valueQuantity: { value: 70, unit: 'kg' },
    }));
    const result = await search(server(), `Observation?_id=${observation.id}&_elements=status&_include=Observation:subject`);
    const [match] = entries(result.body).filter((e) => e.search?.mode === 'match');
    const [included] = entries(result.body).filter((e) => e.search?.mode === 'include');
    assert.equal(match?.resource.valueQuantity, undefined, 'the match is subsetted');
    assert.ok(match?.resource.meta.tag.some((t: { code: string }) => t.code === 'SUBSETTED'));
    assert.equal(included?.resource.gender, 'male', 'the included Patient is whole');
    assert.equal(included?.resource.birthDate, '1970-01-01');
    assert.ok(!(included?.resource.meta.tag ?? []).some((t: { code: string }) => t.code === 'SUBSETTED'));
  });

  test('an unknown named query (_query) is refused, in lenient mode too', async () => {
    await expectOutcome(server(), 'Patient?name=x&_query=mystere', 400);
    await expectOutcome(server(), 'Patient?_query=mystere', 400, { prefer: 'handling=lenient' });
  });

  test('a _sort key naming no sortable parameter: refused when strict, left out and reported when lenient', async () => {
    const s = newScope();
    const older = await server().create(s.mark({ resourceType: 'Patient', birthDate: '1950-01-01' }));
    const younger = await server().create(s.mark({ resourceType: 'Patient', birthDate: '1990-01-01' }));
    const refused = await expectOutcome(server(), `Patient?_sort=couleur,-birthdate&${s.q}`, 400, { prefer: 'handling=strict' });
    assert.deepEqual(messageKeys(refused), ['search.invalid-sort']);
    // The known key still sorts; the unknown one is reported and left out of the links, as an unknown parameter is.
    const lenient = await search(server(), `Patient?_sort=couleur,-birthdate,-taille&${s.q}&_count=1`);
    assert.deepEqual(ids(lenient.body), [younger.id]);
    const outcome = entries(lenient.body).find((e) => e.search?.mode === 'outcome')?.resource;
    assert.deepEqual(messageKeys(outcome), ['search.sort-ignored', 'search.sort-ignored']);
    const self = decodeURIComponent(link(lenient.body, 'self') ?? '');
    assert.ok(self.includes('_sort=-birthdate') && !self.includes('couleur'), self);
    const next = await server().get(link(lenient.body, 'next') as string);
    assert.deepEqual(ids(next.body), [older.id]);
    // Nothing left to sort by: no _sort in the links, the default order.
    const none = await search(server(), `Patient?_sort=couleur&${s.q}`, { prefer: 'handling=lenient' });
    assert.deepEqual(ids(none.body), [older.id, younger.id].sort());
    assert.ok(!(link(none.body, 'self') ?? '').includes('_sort'));
  });

  test('contained-resource searches and _revinclude=* are not claimed: refused when strict, reported when lenient', async () => {
    const s = newScope();
    const patient = await server().create(s.mark({ resourceType: 'Patient', gender: 'other' }));
    for (const query of ['_contained=true', '_contained=both', '_containedType=contained', '_revinclude=*']) {
      const refused = await expectOutcome(server(), `Patient?_id=${patient.id}&${query}`, 400, { prefer: 'handling=strict' });
      assert.deepEqual(messageKeys(refused), ['search.unknown-parameter'], query);
      const lenient = await search(server(), `Patient?_id=${patient.id}&${query}`);
      assert.deepEqual(ids(lenient.body), [patient.id]);
      assert.equal(entries(lenient.body).filter((e) => e.search?.mode === 'outcome').length, 1, `${query} reported`);
      assert.ok(!(link(lenient.body, 'self') ?? '').includes(query.split('=')[0] as string), `${query} not in the self link`);
    }
    // The defaults are what the server does: accepted quietly.
    const defaults = await search(server(), `Patient?_id=${patient.id}&_contained=false&_containedType=container`, { prefer: 'handling=strict' });
    assert.deepEqual(ids(defaults.body), [patient.id]);
  });

  test('a modifier on _list, and :missing on _text or _content, are refused rather than ignored or answered wrong', async () => {
    for (const query of ['Patient?_list:foo=l1', 'Patient?_list:missing=true', 'Condition?_text:missing=true', 'Condition?_content:missing=false']) {
      const refused = await expectOutcome(server(), query, 400);
      assert.deepEqual(messageKeys(refused), ['search.unsupported-modifier'], query);
    }
  });

  test(':missing applies to every parameter type: a composite, _id and _lastUpdated (search.html#modifiers)', async () => {
    const s = newScope();
    const observation = (extra: Record<string, unknown>) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, ...extra,
    }));
    const withValue = await observation({ valueQuantity: { value: 70, system: 'http://unitsofmeasure.org', code: 'kg' } });
    const withoutValue = await observation({});
    const withString = await observation({ valueString: 'n/a' });
    // code-value-quantity needs both a code and a quantity: the string value is not one.
    assert.deepEqual(ids((await search(server(), `Observation?code-value-quantity:missing=true&${s.q}`)).body), [withoutValue.id, withString.id].sort());
    assert.deepEqual(ids((await search(server(), `Observation?code-value-quantity:missing=false&${s.q}`)).body), [withValue.id]);
    const all = [withValue.id, withoutValue.id, withString.id].sort();
    for (const code of ['_id', '_lastUpdated']) {
      assert.deepEqual(ids((await search(server(), `Observation?${code}:missing=false&${s.q}`)).body), all, code);
      assert.deepEqual(ids((await search(server(), `Observation?${code}:missing=true&${s.q}`)).body), [], code);
      await expectOutcome(server(), `Observation?${code}:missing=maybe&${s.q}`, 400);
    }
  });

  test('Location near (a special parameter without an index here) is an unknown parameter: reported when lenient, refused when strict', async () => {
    const s = newScope();
    const location = await server().create(s.mark({ resourceType: 'Location', name: `Salle ${s.u}`, position: { latitude: 50.61, longitude: 3.03 } }));
    const lenient = await search(server(), `Location?_id=${location.id}&near=${encodeURIComponent('50.61|3.03|10|km')}`);
    assert.deepEqual(ids(lenient.body), [location.id]);
    assert.equal(entries(lenient.body).filter((e) => e.search?.mode === 'outcome').length, 1);
    const refused = await expectOutcome(server(), `Location?near=${encodeURIComponent('50.61|3.03|10|km')}`, 400, { prefer: 'handling=strict' });
    assert.deepEqual(messageKeys(refused), ['search.unknown-parameter']);
  });

  test('a backslash that escapes nothing is a 400 (search.html#escaping: "xx\\xx is illegal"); escaped separators are fine', async () => {
    await expectOutcome(server(), `Patient?family=${encodeURIComponent('xx\\xx')}`, 400);
    await expectOutcome(server(), `Patient?family=${encodeURIComponent('xx\\')}`, 400);
    for (const legal of ['a\\,b', 'a\\|b', 'a\\$b', 'a\\\\b']) {
      assert.equal((await search(server(), `Patient?family=${encodeURIComponent(legal)}`)).status, 200, legal);
    }
  });

  test('_include cannot be mixed with _summary=text', async () => {
    await expectOutcome(server(), 'Observation?_include=Observation:subject&_summary=text', 400);
    await expectOutcome(server(), 'Patient?_revinclude=Observation:subject&_summary=text', 400);
  });

  test('POST _search with a JSON body is a 415, never an unfiltered search', async () => {
    const result = await server().request('POST', 'Patient/_search', { body: { family: 'x' } });
    assert.equal(result.status, 415, result.text.slice(0, 300));
    assert.equal(result.body.resourceType, 'OperationOutcome');
  });
});
