import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM } from '../fr-core.js';
import { generateIdentities } from '../matching/synthetic-identities.js';
import { suspectedDuplicates } from './duplicate-pairs.js';
import { pairKey } from './merge-log.js';

const BASE = 'http://x.test/fhir';
const set = generateIdentities({ persons: 1500, seed: 77 });
// The base holds the records and their erroneous duplicates side by side, as a hospital's base does before review.
const base = [...set.records, ...set.queries.filter((q) => q.truth !== undefined).map((q) => q.patient)];
const truePairs = new Set(set.queries.filter((q) => q.truth !== undefined).map((q) => pairKey(String(q.patient.id), q.truth as string)));

test('the work list finds the duplicates of a base, the certain ones with precision 0.99', () => {
  const pairs = suspectedDuplicates(base, new Set(), BASE);
  const certain = pairs.filter((p) => p.grade === 'certain');
  const right = certain.filter((p) => truePairs.has(pairKey(String(p.first.id), String(p.second.id))));
  assert.ok(right.length / certain.length >= 0.99, `precision ${right.length}/${certain.length}`);
  const found = pairs.filter((p) => truePairs.has(pairKey(String(p.first.id), String(p.second.id))));
  assert.ok(found.length / truePairs.size >= 0.95, `recall ${found.length}/${truePairs.size}`);
});

test('pairs declared distinct, linked records and merged-away records are left out', () => {
  const [first, second] = suspectedDuplicates(base, new Set(), BASE)
    .filter((p) => truePairs.has(pairKey(String(p.first.id), String(p.second.id))))
    .map((p) => [String(p.first.id), String(p.second.id)] as const);
  assert.ok(first && second);
  const marked = suspectedDuplicates(base, new Set([pairKey(...first)]), BASE);
  assert.ok(!marked.some((p) => pairKey(String(p.first.id), String(p.second.id)) === pairKey(...first)));
  const [a, b] = second;
  const linked = base.map((p) => (p.id === a ? { ...p, link: [{ other: { reference: `Patient/${b}` }, type: 'seealso' }] } : p));
  assert.ok(!suspectedDuplicates(linked, new Set(), BASE).some((p) => pairKey(String(p.first.id), String(p.second.id)) === pairKey(a, b)));
  const merged = base.map((p) => (p.id === a ? { ...p, active: false, link: [{ other: { reference: 'Patient/elsewhere' }, type: 'replaced-by' }] } : p));
  assert.ok(!suspectedDuplicates(merged, new Set(), BASE).some((p) => p.first.id === a || p.second.id === a));
});

test('a link on another server\'s base does not leave a local pair out', () => {
  const [a, b] = suspectedDuplicates(base, new Set(), BASE)
    .filter((p) => truePairs.has(pairKey(String(p.first.id), String(p.second.id))))
    .map((p) => [String(p.first.id), String(p.second.id)] as const)[0] ?? [];
  assert.ok(a && b);
  const foreign = `https://other.example/fhir/Patient/${b}`;
  const linked = base.map((p) => (p.id === a ? { ...p, link: [{ other: { reference: foreign }, type: 'seealso' }] } : p));
  assert.ok(suspectedDuplicates(linked, new Set(), BASE).some((p) => pairKey(String(p.first.id), String(p.second.id)) === pairKey(a, b)));
  const ownBase = base.map((p) => (p.id === a ? { ...p, link: [{ other: { reference: `${BASE}/Patient/${b}` }, type: 'seealso' }] } : p));
  assert.ok(!suspectedDuplicates(ownBase, new Set(), BASE).some((p) => pairKey(String(p.first.id), String(p.second.id)) === pairKey(a, b)));
});

test('confirmed homonyms: a pair both marked HOMA is left out, a pair with one is never certain', () => {
  const homa = (p: Record<string, unknown>) => ({
    ...p,
    extension: [...((p.extension as unknown[] | undefined) ?? []), { url: IDENTITY_RELIABILITY, extension: [{ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code: 'HOMA' }] } }] }],
  });
  const person = set.records[0] as Record<string, unknown>;
  const same = { ...person, id: 'homonym' };
  const pairOf = (list: Record<string, unknown>[]) => suspectedDuplicates(list, new Set(), BASE).find((p) => pairKey(String(p.first.id), String(p.second.id)) === pairKey(String(person.id), 'homonym'));
  assert.equal(pairOf([person, same])?.grade, 'certain');
  assert.equal(pairOf([homa(person), homa(same)]), undefined);
  const one = pairOf([homa(person), same]);
  assert.equal(one?.grade, 'probable');
  assert.ok(one?.explanation.some((e) => e.reason === 'confirmed-homonym'));
});
