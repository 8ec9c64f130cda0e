/**
 * A string value is stored once, under the most specific parameter that holds
 * it (fhir/indexing/string-coverage.ts): `family` and `given` rather than
 * `name` and `phonetic`, `address-city` rather than `address`. Every search
 * must find what it would find with each parameter's own rows: plain,
 * :exact, :contains and :missing, sorted either way, on both backends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { backendNames } from '../support/backends.js';
import { ENGINE_BASE as BASE, engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

const PATIENTS = [
  { resourceType: 'Patient', id: 'cov-durand', name: [{ family: 'Durand', given: ['Marie'] }], address: [{ line: ['1 rue de Lille'], city: 'Lille', country: 'FR' }] },
  { resourceType: 'Patient', id: 'cov-text', name: [{ text: 'Jean Martin' }] },
  { resourceType: 'Patient', id: 'cov-lille', name: [{ family: 'Lille' }] },
];
const ORGANIZATION = { resourceType: 'Organization', id: 'cov-parc', name: 'Clinique du Parc', alias: ['CDP'] };

for (const backend of backendNames()) {
  describe(`string values stored once, found by every parameter [${backend}]`, () => {
    let opened: EngineOnBackend;
    let engine: FhirEngine;

    before(async () => {
      opened = await engineOn(backend);
      engine = opened.engine;
      const outcomes = await engine.putUnits([...PATIENTS, ORGANIZATION].map((r) => [r]), BASE);
      assert.ok(outcomes.every((o) => o.ok));
    });

    after(() => opened.close());

    const ids = async (type: string, query: string): Promise<string[]> => {
      const pairs = [...new URLSearchParams(query)] as [string, string][];
      const response = await engine.handle(engineRequest('GET', type, { query: pairs }));
      assert.equal(response.status, 200, query);
      const body = responseJson(response);
      return ((body as { entry?: { resource: { id: string } }[] }).entry ?? []).map((e) => e.resource.id);
    };
    const sorted = async (type: string, query: string) => (await ids(type, query)).sort();

    test('name and phonetic find the parts family and given hold, and the parts only they hold', async () => {
      assert.deepEqual(await sorted('Patient', 'name=durand'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'name=marie'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'name=jean'), ['cov-text']);
      assert.deepEqual(await sorted('Patient', 'phonetic=durand'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'phonetic=jean'), ['cov-text']);
      assert.deepEqual(await sorted('Patient', 'family=jean'), []);
      assert.deepEqual(await sorted('Patient', 'given=durand'), []);
      assert.deepEqual(await sorted('Patient', 'name:exact=Durand'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'name:exact=durand'), []);
      assert.deepEqual(await sorted('Patient', 'name:contains=ura'), ['cov-durand']);
    });

    test('address finds its parts; address-city only cities', async () => {
      assert.deepEqual(await sorted('Patient', 'address=lille'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'address=1 rue'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'address=fr'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'address-city=lille'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'address-city=1 rue'), []);
      assert.deepEqual(await sorted('Patient', 'family=lille'), ['cov-lille']);
    });

    test(':missing counts the rows a parameter reads, not only its own', async () => {
      assert.deepEqual(await sorted('Patient', 'address:missing=false'), ['cov-durand']);
      assert.deepEqual(await sorted('Patient', 'address:missing=true'), ['cov-lille', 'cov-text']);
      assert.deepEqual(await sorted('Patient', 'name:missing=false'), ['cov-durand', 'cov-lille', 'cov-text']);
      assert.deepEqual(await sorted('Patient', 'phonetic:missing=true'), []);
      assert.deepEqual(await sorted('Patient', 'address-country:missing=false'), ['cov-durand']);
    });

    test('_sort by name takes the lowest (or highest) of all its parts', async () => {
      // Lowest: durand < jean martin < lille; highest: marie > lille > jean martin.
      assert.deepEqual(await ids('Patient', '_sort=name'), ['cov-durand', 'cov-text', 'cov-lille']);
      assert.deepEqual(await ids('Patient', '_sort=-name'), ['cov-durand', 'cov-lille', 'cov-text']);
    });

    test('on Organization, name (name and alias) reads phonetic (name) rows', async () => {
      assert.deepEqual(await sorted('Organization', 'name=clinique'), ['cov-parc']);
      assert.deepEqual(await sorted('Organization', 'name=cdp'), ['cov-parc']);
      assert.deepEqual(await sorted('Organization', 'phonetic=clinique'), ['cov-parc']);
      assert.deepEqual(await sorted('Organization', 'phonetic=cdp'), []);
    });

    test('chained searches read the covered rows too', async () => {
      await engine.putUnits([[{ resourceType: 'Observation', id: 'cov-obs', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/cov-durand' } }]], BASE);
      assert.deepEqual(await sorted('Observation', 'subject:Patient.name=marie'), ['cov-obs']);
      assert.deepEqual(await sorted('Observation', 'subject:Patient.address=lille'), ['cov-obs']);
    });
  });
}
