/**
 * A SMART scope narrowed by a token without a system (`code=|local-1`: "no
 * system", R4 search.html#token) grants the same resources to reads and to
 * searches, on both backends: index rows keep "no system" as NULL in storage
 * and as null in the values a read is checked against
 * (auth/policy/scope-constraints.ts), a bound `code` element carries its
 * value set's system on both paths, and an Identifier without a system counts
 * as having none. Codes longer than an index key compare as storage compares
 * them, on their first MAX_KEY_BYTES.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';
import { MAX_KEY_BYTES } from '../../src/storage/sql/index-key.js';

const ids = (bundle: Json): string[] => (bundle.entry ?? []).filter((e: Json) => e.resource?.resourceType !== 'OperationOutcome').map((e: Json) => e.resource.id).sort();

forEachBackend('query-narrowed SMART scopes: a token without a system', (server) => {
  let patient: Json; let local: Json; let loinc: Json; let bare: Json; let withSystem: Json;

  before(async () => {
    const s = server();
    patient = await s.create({ resourceType: 'Patient', name: [{ family: 'Sanssysteme' }] });
    const observation = (coding: Json) => ({ resourceType: 'Observation', status: 'final', code: { coding: [coding] }, subject: { reference: `Patient/${patient.id}` } });
    local = await s.create(observation({ code: 'local-1' }));
    loinc = await s.create(observation({ system: 'http://loinc.org', code: 'local-1' }));
    bare = await s.create({ resourceType: 'Patient', identifier: [{ value: 'DOSS-42' }], name: [{ family: 'Bare' }] });
    withSystem = await s.create({ resourceType: 'Patient', identifier: [{ system: 'urn:oid:1.2.3', value: 'DOSS-42' }], name: [{ family: 'Systeme' }] });
  });

  // A system client: no care-relationship policy, so that the scope's query alone decides.
  const client = (scopes: string[]) => server().as({ kind: 'system', subject: 'scope-client', clientId: 'scope-client', scopes });

  test('code=|local-1: the coding without a system is read and found; the same code in LOINC is neither', async () => {
    const narrowed = client(['system/Observation.rs?code=|local-1']);
    assert.equal((await narrowed.get(`Observation/${local.id}`)).status, 200);
    assert.equal((await narrowed.get(`Observation/${loinc.id}`)).status, 404);
    const found = await narrowed.get(`Observation?subject=Patient/${patient.id}&_total=accurate`);
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(ids(found.body), [local.id]);
    assert.equal(found.body.total, 1);
  });

  test('status=|final: a bound code has its value set’s system, so neither path grants it', async () => {
    const narrowed = client(['system/Observation.rs?status=|final']);
    assert.equal((await narrowed.get(`Observation/${local.id}`)).status, 404);
    assert.deepEqual(ids((await narrowed.get(`Observation?subject=Patient/${patient.id}`)).body), []);
    const withItsSystem = client(['system/Observation.rs?status=http://hl7.org/fhir/observation-status|final']);
    assert.equal((await withItsSystem.get(`Observation/${local.id}`)).status, 200);
    assert.deepEqual(ids((await withItsSystem.get(`Observation?subject=Patient/${patient.id}`)).body), [local.id, loinc.id].sort());
  });

  test('identifier=|DOSS-42: the Identifier without a system only, on reads and searches alike', async () => {
    const narrowed = client(['system/Patient.rs?identifier=|DOSS-42']);
    assert.equal((await narrowed.get(`Patient/${bare.id}`)).status, 200);
    assert.equal((await narrowed.get(`Patient/${withSystem.id}`)).status, 404);
    assert.deepEqual(ids((await narrowed.get('Patient?identifier=DOSS-42')).body), [bare.id]);
  });

  test('a code longer than an index key: reads compare it as searches do, on its first MAX_KEY_BYTES', async () => {
    const stem = 'A'.repeat(MAX_KEY_BYTES);
    const long = await server().create({ resourceType: 'Observation', status: 'final', code: { coding: [{ code: `${stem}X` }] }, subject: { reference: `Patient/${patient.id}` } });
    const narrowed = client([`system/Observation.rs?code=|${stem}Y`]);
    const found = ids((await narrowed.get(`Observation?subject=Patient/${patient.id}`)).body);
    const read = (await narrowed.get(`Observation/${long.id}`)).status;
    assert.deepEqual(found, [long.id], 'storage keeps the first MAX_KEY_BYTES of a code');
    assert.equal(read, 200, 'the read agrees with the search');
  });
});
