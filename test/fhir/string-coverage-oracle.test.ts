/**
 * Storing a string value once (fhir/indexing/string-coverage.ts) must not
 * change what any search finds. Random Patients drawn from a small vocabulary
 * (so that the same word is often a family name here, a given name or a city
 * there) are searched with every string parameter of Patient and every
 * modifier; each answer is compared with an oracle that reads the Patient as
 * the R4 definitions do, each parameter with all its own values
 * (search.html#string: prefix, :exact, :contains, :missing; family and given
 * names found by each of their words too).
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

/** A value a parameter holds; family and given names are searched word by word too (search.html#string). */
interface Value { readonly text: string; readonly byWord: boolean }

/** Each Patient string parameter's values, as its R4 expression selects them. */
function values(patient: Json, param: string): Value[] {
  const names = (patient.name ?? []) as Name[];
  const addresses = (patient.address ?? []) as Address[];
  const whole = (list: (string | undefined)[]): Value[] => list.filter((v): v is string => v !== undefined).map((text) => ({ text, byWord: false }));
  const byWord = (list: (string | undefined)[]): Value[] => whole(list).map((v) => ({ ...v, byWord: true }));
  const nameParts = (n: Name): Value[] => [...byWord([n.family, ...(n.given ?? [])]), ...whole([...(n.prefix ?? []), n.text])];
  const addressParts = (a: Address): Value[] => whole([...(a.line ?? []), a.city, a.state, a.postalCode, a.country]);
  switch (param) {
    case 'name': case 'phonetic': return names.flatMap(nameParts);
    case 'family': return byWord(names.map((n) => n.family));
    case 'given': return byWord(names.flatMap((n) => n.given ?? []));
    case 'address': return addresses.flatMap(addressParts);
    case 'address-city': return whole(addresses.map((a) => a.city));
    case 'address-state': return whole(addresses.map((a) => a.state));
    case 'address-postalcode': return whole(addresses.map((a) => a.postalCode));
    case 'address-country': return whole(addresses.map((a) => a.country));
    default: throw new Error(param);
  }
}

/**
 * What a prefix search compares a value with: the whole of it and, for a
 * name, the name from each later word on ("Saint-Omer" is found by "omer").
 * Words are runs of letters, digits and marks; case, accents, punctuation and
 * spaces are folded as the server does (normalizeString).
 */
function prefixTargets(value: Value): string[] {
  if (!value.byWord) return [normalizeString(value.text)];
  const words = value.text.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w !== '');
  return words.map((_, i) => normalizeString(words.slice(i).join(''))).concat(normalizeString(value.text));
}

function oracle(patient: Json, param: string, modifier: string, value: string): boolean {
  const own = values(patient, param);
  switch (modifier) {
    case '': return own.some((v) => prefixTargets(v).some((target) => target.startsWith(normalizeString(value))));
    case 'exact': return own.some((v) => v.text === value);
    case 'contains': return own.some((v) => normalizeString(v.text).includes(normalizeString(value)));
    case 'missing': return (own.length === 0) === (value === 'true');
    default: throw new Error(modifier);
  }
}

/** Searches on later words and across punctuation: a name's parts, and forms of "Saint-Omer". */
const WORD_QUERIES: readonly [string, string][] = [['', 'omer'], ['', 'saint omer'], ['', "SAINT'O"], ['', 'saintom'], ['contains', 'nt-om'], ['', 'marie durand']];

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
      queries.push(...WORD_QUERIES);
      for (const [modifier, value] of queries) {
        const name = modifier === '' ? param : `${param}:${modifier}`;
        const response = await engine.handle(engineRequest('GET', 'Patient', { query: [[name, value], ['_count', '1000']] }));
        const found = (((responseJson(response).entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id)).sort();
        const expected = [...patients].filter(([, p]) => oracle(p, param, modifier, value)).map(([id]) => id).sort();
        assert.deepEqual(found, expected, `${name}=${value}`);
        compared += 1;
      }
    }
    assert.equal(compared, PARAMS.length * (2 + 3 * WORDS.length + WORD_QUERIES.length));
  });
});
