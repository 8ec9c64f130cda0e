/**
 * IHE PDQm [ITI-78] over HTTP on both backends: a Patient search naming
 * identifier domains (`identifier=urn:oid:X|`, several in the OR form) gets
 * its matches with the identifiers of those domains only, marked SUBSETTED
 * (Case 2); a domain the server does not know answers 200 with a warning
 * not-found outcome entry, "targetSystem not found" (Case 4's other answer);
 * a search by an identifier value is left whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { IPP_LILLE, IPP_ROUBAIX, operatorClient, patient } from './mpi-fixtures.js';

const SUBSETTED = 'SUBSETTED';
const OTHER = 'urn:oid:1.2.250.1.999.3.1';

forEachBackend('PDQm: identifier domains returned (ITI-78 Cases 2 and 4)', (testServer) => {
  const client = operatorClient(testServer);
  const q = (value: string) => encodeURIComponent(value);
  const systemsOf = (resource: any): string[] => (resource.identifier ?? []).map((i: any) => i.system);
  const tagged = (resource: any): boolean => (resource.meta.tag ?? []).some((t: any) => t.code === SUBSETTED);

  test('Case 2: the matches keep the identifiers of the domains asked for only, marked SUBSETTED', async () => {
    const stored = await client.create(patient({ family: 'DOMAINE', given: ['ALICE'], gender: 'female', birthDate: '1970-01-02', identifiers: [
      { system: IPP_LILLE, value: 'L-1' }, { system: IPP_ROUBAIX, value: 'R-1' }, { system: OTHER, value: 'O-1' },
    ] }));
    const lille = await client.get(`Patient?family=DOMAINE&identifier=${q(`${IPP_LILLE}|`)}`);
    assert.equal(lille.status, 200, lille.text);
    assert.equal(lille.body.total, 1);
    const [entry] = lille.body.entry;
    assert.equal(entry.resource.id, stored.id);
    assert.deepEqual(systemsOf(entry.resource), [IPP_LILLE]);
    assert.ok(tagged(entry.resource), 'not to be written back as the whole record');

    const two = await client.get(`Patient?family=DOMAINE&identifier=${q(`${IPP_LILLE}|,${IPP_ROUBAIX}|`)}`);
    assert.deepEqual(systemsOf(two.body.entry[0].resource), [IPP_LILLE, IPP_ROUBAIX]);

    const posted = await testServer().request('POST', 'Patient/_search', {
      rawBody: `family=DOMAINE&identifier=${q(`${IPP_ROUBAIX}|`)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(posted.status, 200, posted.text);
    assert.deepEqual(systemsOf(posted.body.entry[0].resource), [IPP_ROUBAIX], 'POST _search too');

    const subset = await client.get(`Patient?family=DOMAINE&identifier=${q(`${IPP_LILLE}|`)}&_elements=identifier`);
    const tags = subset.body.entry[0].resource.meta.tag.filter((t: any) => t.code === SUBSETTED);
    assert.equal(tags.length, 1, 'SUBSETTED once, though both the domains and _elements cut the record');

    const read = await client.get(`Patient/${stored.id}`);
    assert.equal(systemsOf(read.body).length, 3, 'the stored record is untouched');
    assert.ok(!tagged(read.body));
  });

  test('a search by an identifier value (not a domain) returns every identifier', async () => {
    await client.create(patient({ family: 'VALEUR', given: ['BRUNO'], gender: 'male', birthDate: '1971-02-03', identifiers: [
      { system: IPP_LILLE, value: 'L-2' }, { system: IPP_ROUBAIX, value: 'R-2' },
    ] }));
    const found = await client.get(`Patient?identifier=${q(`${IPP_LILLE}|L-2`)}`);
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(systemsOf(found.body.entry[0].resource), [IPP_LILLE, IPP_ROUBAIX]);
    assert.ok(!tagged(found.body.entry[0].resource));
  });

  test('a parameter naming a value beside a domain is a search by identifier: nothing is narrowed', async () => {
    await client.create(patient({ family: 'MELANGE', given: ['CLAIRE'], gender: 'female', birthDate: '1972-03-04', identifiers: [
      { system: IPP_LILLE, value: 'L-3' }, { system: IPP_ROUBAIX, value: 'R-3' },
    ] }));
    const mixed = await client.get(`Patient?family=MELANGE&identifier=${q(`${OTHER}|,${IPP_ROUBAIX}|R-3`)}`);
    assert.equal(mixed.status, 200, mixed.text);
    const [match] = mixed.body.entry.filter((e: any) => e.search.mode === 'match');
    assert.deepEqual(systemsOf(match.resource), [IPP_LILLE, IPP_ROUBAIX], 'the identifier it was found by stays');
    assert.ok(!tagged(match.resource));
  });

  test('Case 4: a domain the server does not know answers 200 with the results available and a warning not-found outcome, "targetSystem not found"', async () => {
    for (const value of ['urn:oid:9.9.9.9|', `${IPP_LILLE}|,urn:oid:9.9.9.9|`]) {
      const unknown = await client.get(`Patient?identifier=${q(value)}`);
      assert.equal(unknown.status, 200, unknown.text);
      assert.equal(unknown.body.resourceType, 'Bundle');
      const outcomes = unknown.body.entry.filter((e: any) => e.search.mode === 'outcome');
      assert.equal(outcomes.length, 1);
      const [issue] = outcomes[0].resource.issue;
      assert.equal(issue.severity, 'warning');
      assert.equal(issue.code, 'not-found');
      assert.match(issue.diagnostics, /^targetSystem not found/);
      assert.match(issue.details.text, /n’est pas connu de ce serveur/);
      const matches = unknown.body.entry.filter((e: any) => e.search.mode === 'match');
      assert.equal(matches.length, value.startsWith(IPP_LILLE) ? unknown.body.total : 0, 'the results available, no more');
    }
    // The INS domains are always known, even before any identity is qualified.
    const demo = await client.get(`Patient?identifier=${q('urn:oid:1.2.250.1.213.1.4.11|')}`);
    assert.equal(demo.status, 200, demo.text);
    assert.equal(demo.body.total, 0);
    // A known domain with no match for the other criteria is Case 3: 200, empty.
    const none = await client.get(`Patient?family=PERSONNE&identifier=${q(`${IPP_LILLE}|`)}`);
    assert.equal(none.status, 200, none.text);
    assert.equal(none.body.total, 0);
  });
});
