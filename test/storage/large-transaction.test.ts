/**
 * Transaction Bundles larger than what the PostgreSQL store holds before
 * sending its writes (500 resources, postgres/write-buffer.ts), through HTTP on
 * both backends: every resource row, history row and index row lands in the
 * one transaction, and a failing entry after the first sends leaves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend } from '../support/test-server.js';
import { countOf, postBundle, uniqueSystem, urn } from '../support/outcome.js';
import { frenchPatient } from '../support/fixtures.js';

/** More than one flush of held writes, and a partial last one. */
const SIZE = 1_100;

function patientEntries(system: string, city: string): { fullUrl: string; resource: Record<string, unknown>; request: { method: string; url: string } }[] {
  return Array.from({ length: SIZE }, (_, n) => ({
    fullUrl: urn(),
    resource: {
      ...frenchPatient(),
      identifier: [{ system, value: `p${n}` }],
      address: [{ city, country: 'FR' }],
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">Patient ${city} ${n}</div>` },
    },
    request: { method: 'POST', url: 'Patient' },
  }));
}

forEachBackend('large transactions', (server) => {
  const system = uniqueSystem('large-tx');

  test('a transaction of 1,100 creates and 1,100 Observations writes every resource with its index rows', async () => {
    const patients = patientEntries(system, 'Quimper');
    const observations = patients.map((p, n) => ({
      fullUrl: urn(),
      resource: {
        resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
        identifier: [{ system, value: `o${n}` }],
        subject: { reference: p.fullUrl }, effectiveDateTime: '2024-03-01',
        valueQuantity: { value: 50 + (n % 50), unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
      },
      request: { method: 'POST', url: 'Observation' },
    }));
    const result = await postBundle(server(), 'transaction', [...patients, ...observations], { prefer: 'return=minimal' });
    assert.equal(result.status, 200, result.text.slice(0, 2000));
    assert.equal(result.body.entry.length, 2 * SIZE);
    assert.ok(result.body.entry.every((e: any) => e.response.status === '201 Created'));
    // Token, string, date, quantity, reference and text rows, of the first, a middle and the last resources.
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}`), SIZE);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(system)}|p${SIZE - 1}&address-city=Quimper`), 1);
    assert.equal(await countOf(server(), `Patient?_text=Quimper`), SIZE);
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|`)}&value-quantity=gt98|http://unitsofmeasure.org|kg&date=2024-03-01`), 22);
    const last = await server().get(`Patient?identifier=${encodeURIComponent(system)}|p${SIZE - 1}`);
    const lastId = last.body.entry[0].resource.id;
    assert.equal(await countOf(server(), `Observation?subject=Patient/${lastId}`), 1);
    assert.equal(await countOf(server(), `Observation?subject=Patient/${lastId}&identifier=${encodeURIComponent(system)}|o${SIZE - 1}`), 1);
  });

  test('a transaction updating 1,100 resources moves each version to history and replaces its index rows', async () => {
    const found = await server().get(`Patient?identifier=${encodeURIComponent(`${system}|`)}&_count=${SIZE}`);
    const current: any[] = found.body.entry.map((e: any) => e.resource);
    const ids: string[] = current.map((p) => p.id);
    assert.equal(ids.length, SIZE);
    const entries = current.map((p) => ({
      fullUrl: `Patient/${p.id}`,
      resource: { ...p, meta: undefined, address: [{ city: 'Morlaix', country: 'FR' }], text: undefined },
      request: { method: 'PUT', url: `Patient/${p.id}` },
    }));
    const result = await postBundle(server(), 'transaction', entries, { prefer: 'return=minimal' });
    assert.equal(result.status, 200, result.text.slice(0, 2000));
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}&address-city=Morlaix`), SIZE);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${system}|`)}&address-city=Quimper`), 0, 'the old index rows are gone');
    assert.equal(await countOf(server(), `Patient?_text=Quimper`), 0, 'the old narrative rows are gone');
    for (const id of [ids[0], ids[SIZE >> 1], ids[SIZE - 1]]) {
      const history = await server().get(`Patient/${id}/_history`);
      assert.deepEqual(history.body.entry.map((e: any) => [e.resource.meta.versionId, e.resource.address[0].city]), [['2', 'Morlaix'], ['1', 'Quimper']]);
    }
  });

  test('a failing entry after more than 500 writes leaves nothing of the transaction', async () => {
    const other = uniqueSystem('large-tx-failed');
    const patients = patientEntries(other, 'Vannes');
    const failing = { resource: { resourceType: 'Patient', gender: 'neither' }, request: { method: 'POST', url: 'Patient' } };
    const result = await postBundle(server(), 'transaction', [...patients, failing]);
    assert.ok(result.status >= 400 && result.status < 500, `${result.status} ${result.text.slice(0, 500)}`);
    assert.equal(await countOf(server(), `Patient?identifier=${encodeURIComponent(`${other}|`)}`), 0);
    assert.equal(await countOf(server(), `Patient?_text=Vannes`), 0);
  });
}, { maxPageSize: 2 * SIZE });
