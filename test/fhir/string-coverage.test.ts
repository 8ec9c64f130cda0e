/**
 * A string value is stored once, under the most specific parameter that holds
 * it (fhir/indexing/string-coverage.ts): `family` and `given` rather than
 * `name` and `phonetic`, `address-city` rather than `address`. Every search
 * must find what it would find with each parameter's own rows: plain,
 * :exact, :contains and :missing, sorted either way, on both backends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { r4Schema } from '../../src/fhir/definitions/schema.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { createEngine } from '../../src/platform/create-engine.js';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';

const BASE = 'http://test/fhir';

const PATIENTS = [
  { resourceType: 'Patient', id: 'cov-durand', name: [{ family: 'Durand', given: ['Marie'] }], address: [{ line: ['1 rue de Lille'], city: 'Lille', country: 'FR' }] },
  { resourceType: 'Patient', id: 'cov-text', name: [{ text: 'Jean Martin' }] },
  { resourceType: 'Patient', id: 'cov-lille', name: [{ family: 'Lille' }] },
];
const ORGANIZATION = { resourceType: 'Organization', id: 'cov-parc', name: 'Clinique du Parc', alias: ['CDP'] };

for (const backend of backendNames()) {
  describe(`string values stored once, found by every parameter [${backend}]`, () => {
    let prepared: PreparedBackend;
    let store: Store;
    let engine: FhirEngine;

    before(async () => {
      prepared = await prepareBackend(backend);
      const config = loadConfig({}, { ...prepared.settings, logLevel: 'silent', demo: 'off' });
      store = await openStore(config);
      engine = createEngine({ config, store, schema: r4Schema(), clock: systemClock });
      const outcomes = await engine.putUnits([...PATIENTS, ORGANIZATION].map((r) => [r]), BASE);
      assert.ok(outcomes.every((o) => o.ok));
    });

    after(async () => {
      await store.close();
      await prepared.cleanup();
    });

    const ids = async (type: string, query: string): Promise<string[]> => {
      const pairs = [...new URLSearchParams(query)] as [string, string][];
      const response = await engine.handle({ method: 'GET', path: type, query: pairs, headers: {}, baseUrl: BASE, language: 'en' });
      assert.equal(response.status, 200, query);
      const body = response.body?.kind === 'text' ? JSON.parse(response.body.text) : response.body?.kind === 'json' ? response.body.value : {};
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
