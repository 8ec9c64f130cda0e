/**
 * Storing a string value once (fhir/indexing/string-coverage.ts) must not
 * change what any search finds. Random Patients drawn from a small vocabulary
 * (so that the same word is often a family name here, a given name or a city
 * there) are searched with every string parameter of Patient and every
 * modifier; each answer is compared with an oracle that reads the Patient as
 * the R4 definitions do, each parameter with all its own values
 * (search.html#string: prefix, :exact, :contains, :missing).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mulberry32 } from '../../src/core/random.js';
import { normalizeString } from '../../src/fhir/indexing/values.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { backendNames } from '../support/backends.js';
import { ENGINE_BASE, engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

type Json = Record<string, unknown>;
interface Name { family?: string; given?: string[]; prefix?: string[]; text?: string }
interface Address { line?: string[]; city?: string; state?: string; postalCode?: string; country?: string }

const WORDS = ['Lille', 'Marie', 'Durand', 'Élise', 'Elise', 'Nord', 'Saint-Omer', 'Paris', 'Louis', '59000', 'FR', 'Mme'];
const PATIENTS = 60;

function draw(next: () => number): Json {
  const word = (): string => WORDS[Math.floor(next() * WORDS.length)] as string;
  const maybe = <T>(make: () => T): T | undefined => (next() < 0.5 ? make() : undefined);
  const names: Name[] = Array.from({ length: Math.floor(next() * 3) }, () => {
    const name: Name = {};
    const family = maybe(word);
    if (family) name.family = family;
    if (next() < 0.6) name.given = [word(), ...(next() < 0.3 ? [word()] : [])];
    if (next() < 0.2) name.prefix = [word()];
    if (next() < 0.2) name.text = `${word()} ${word()}`;
    return name;
  }).filter((n) => Object.keys(n).length > 0);
  const addresses: Address[] = Array.from({ length: Math.floor(next() * 2.5) }, () => {
    const address: Address = {};
    if (next() < 0.5) address.line = [`${Math.floor(next() * 90)} rue ${word()}`];
    for (const part of ['city', 'state', 'postalCode', 'country'] as const) {
      const value = maybe(word);
      if (value) address[part] = value;
    }
    return address;
  }).filter((a) => Object.keys(a).length > 0);
  return { resourceType: 'Patient', ...(names.length > 0 ? { name: names } : {}), ...(addresses.length > 0 ? { address: addresses } : {}) };
}

/** Each Patient string parameter's values, as its R4 expression selects them. */
function values(patient: Json, param: string): string[] {
  const names = (patient.name ?? []) as Name[];
  const addresses = (patient.address ?? []) as Address[];
  const nameParts = (n: Name): string[] => [n.family, ...(n.given ?? []), ...(n.prefix ?? []), n.text].filter((v): v is string => v !== undefined);
  const addressParts = (a: Address): string[] => [...(a.line ?? []), a.city, a.state, a.postalCode, a.country].filter((v): v is string => v !== undefined);
  switch (param) {
    case 'name': case 'phonetic': return names.flatMap(nameParts);
    case 'family': return names.flatMap((n) => (n.family ? [n.family] : []));
    case 'given': return names.flatMap((n) => n.given ?? []);
    case 'address': return addresses.flatMap(addressParts);
    case 'address-city': return addresses.flatMap((a) => (a.city ? [a.city] : []));
    case 'address-state': return addresses.flatMap((a) => (a.state ? [a.state] : []));
    case 'address-postalcode': return addresses.flatMap((a) => (a.postalCode ? [a.postalCode] : []));
    case 'address-country': return addresses.flatMap((a) => (a.country ? [a.country] : []));
    default: throw new Error(param);
  }
}

function oracle(patient: Json, param: string, modifier: string, value: string): boolean {
  const own = values(patient, param);
  switch (modifier) {
    case '': return own.some((v) => normalizeString(v).startsWith(normalizeString(value)));
    case 'exact': return own.includes(value);
    case 'contains': return own.some((v) => normalizeString(v).includes(normalizeString(value)));
    case 'missing': return (own.length === 0) === (value === 'true');
    default: throw new Error(modifier);
  }
}

const PARAMS = ['name', 'phonetic', 'family', 'given', 'address', 'address-city', 'address-state', 'address-postalcode', 'address-country'];

for (const backend of backendNames()) describe(`string values stored once: every search finds what each parameter's own values give [${backend}]`, () => {
  let opened: EngineOnBackend;
  let engine: FhirEngine;
  const patients = new Map<string, Json>();

  before(async () => {
    opened = await engineOn(backend);
    engine = opened.engine;
    const next = mulberry32(2026);
    for (let i = 0; i < PATIENTS; i++) patients.set(`oracle-${i}`, { ...draw(next), id: `oracle-${i}` });
    const outcomes = await engine.putUnits([...patients.values()].map((p) => [p as Json & { resourceType: string }]), ENGINE_BASE);
    assert.ok(outcomes.every((o) => o.ok));
  });

  after(() => opened.close());

  test('every parameter, modifier and word', async () => {
    let compared = 0;
    for (const param of PARAMS) {
      const queries: [string, string][] = [['missing', 'true'], ['missing', 'false']];
      for (const word of WORDS) queries.push(['', word.slice(0, 3)], ['exact', word], ['contains', word.slice(1, 4)]);
      for (const [modifier, value] of queries) {
        const name = modifier === '' ? param : `${param}:${modifier}`;
        const response = await engine.handle(engineRequest('GET', 'Patient', { query: [[name, value], ['_count', '1000']] }));
        const found = (((responseJson(response).entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id)).sort();
        const expected = [...patients].filter(([, p]) => oracle(p, param, modifier, value)).map(([id]) => id).sort();
        assert.deepEqual(found, expected, `${name}=${value}`);
        compared += 1;
      }
    }
    assert.equal(compared, PARAMS.length * (2 + 3 * WORDS.length));
  });
});
