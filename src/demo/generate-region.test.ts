/**
 * The generator alone (no store): identifiers valid and consistent with the
 * people and places they describe, every case identity-vigilance must show,
 * the featured people exactly as featured.ts gives them, and determinism.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finessValid, idNatPsFromRpps, rppsValid, siretValid, SYSTEM } from '../directory/identifiers.js';
import { INS_SYSTEMS, traitsOf } from '../identity/fr-core.js';
import { parseInsNumber } from '../identity/ins/nir.js';
import { identityProblem } from '../identity/insi/reference-identity.js';
import { FEATURED_PATIENTS, FEATURED_PROFESSIONALS } from './featured.js';
import { FEATURED_PATIENT_IDS } from './generate-population.js';
import { generateRegion, UnknownRegionError, type DemoOptions } from './generate-region.js';
import { communeByCode, COUNTRIES } from './places.js';
import { PROFESSIONS } from './professions.js';

type Json = Record<string, any>;
const OPTIONS: DemoOptions = { seed: 42, region: '32', organisations: 40, professionals: 150, patients: 400 };
const region = generateRegion(OPTIONS);
const identifier = (resource: Json, system: string): string[] => (resource.identifier ?? []).filter((i: Json) => i.system === system).map((i: Json) => i.value);
const HDF_DEPARTMENTS = new Set(['02', '59', '60', '62', '80']);

test('the same seed gives the same region, ids and identifiers included; another seed another one', () => {
  const again = generateRegion(OPTIONS);
  assert.deepEqual(again.organizations, region.organizations);
  assert.deepEqual(again.practitioners, region.practitioners);
  assert.deepEqual(again.practitionerRoles, region.practitionerRoles);
  assert.deepEqual(again.patients, region.patients);
  assert.deepEqual(again.register, region.register);
  const other = generateRegion({ ...OPTIONS, seed: 43 });
  assert.notDeepEqual(other.patients.map((p) => p.id), region.patients.map((p) => p.id));
  // Featured patients keep their ids whatever the seed: accounts and documentation name them.
  const featuredIds = (r: typeof region) => r.records.filter((x) => x.featured).map((x) => x.id);
  assert.deepEqual(featuredIds(other), [...FEATURED_PATIENT_IDS]);
  assert.deepEqual(featuredIds(region), [...FEATURED_PATIENT_IDS]);
});

test('sizes are honoured: organisations at most as asked (plus the featured workplaces), professionals and patients besides the featured ones', () => {
  assert.ok(region.organizations.length >= OPTIONS.organisations && region.organizations.length <= OPTIONS.organisations + FEATURED_PROFESSIONALS.length);
  assert.equal(region.practitioners.length, OPTIONS.professionals + FEATURED_PROFESSIONALS.length);
  assert.equal(region.practitionerRoles.length, region.practitioners.length);
  assert.equal(region.patients.length, OPTIONS.patients + FEATURED_PATIENTS.length);
  const ids = (list: Json[]) => new Set(list.map((r) => r.id));
  for (const list of [region.organizations, region.practitioners, region.practitionerRoles, region.patients]) assert.equal(ids(list).size, list.length);
});

test('organisations: FINESS Luhn-valid with the department of their address, SIRET valid, sites part of a legal entity of the set', () => {
  const byId = new Map(region.organizations.map((o) => [o.id, o as Json]));
  const kinds = new Set<string>();
  for (const org of region.organizations as Json[]) {
    const finess = identifier(org, SYSTEM.finess);
    const siret = identifier(org, SYSTEM.sirene).filter((v) => v.length === 14);
    assert.ok(finess.length + siret.length > 0, `${org.name} has neither FINESS nor SIRET`);
    const insee = org.address[0].extension[0].valueCoding.code as string;
    assert.ok(communeByCode(insee), `${insee} is a real commune`);
    for (const value of finess) {
      assert.ok(finessValid(value), `FINESS ${value}`);
      assert.equal(value.slice(0, 2), insee.slice(0, 2), 'FINESS starts with the department');
    }
    for (const value of siret) assert.ok(siretValid(value), `SIRET ${value}`);
    const type = org.type[0].coding[0].code as string;
    kinds.add(type);
    if (org.partOf) {
      const parent = byId.get(org.partOf.reference.split('/')[1]);
      assert.ok(parent, `${org.name} is part of an organisation of the set`);
      assert.equal(parent.type[0].coding[0].code, 'LEGAL-ENTITY');
      assert.equal(type, 'GEOGRAPHICAL-ENTITY');
    }
  }
  assert.deepEqual([...kinds].sort(), ['GEOGRAPHICAL-ENTITY', 'LEGAL-ENTITY']);
  const names = region.organizations.map((o) => String(o.name)).join('\n');
  for (const kind of ['Centre hospitalier universitaire', 'Centre hospitalier de', 'Pharmacie', 'Cabinet', 'Laboratoire', 'linique']) assert.ok(names.includes(kind), kind);
});

test('professionals: RPPS Luhn-valid, idNat_PS = 8 + RPPS, every common profession, several specialties, roles pointing to the set', () => {
  const orgIds = new Set(region.organizations.map((o) => `Organization/${o.id}`));
  const professions = new Set<string>();
  const specialties = new Set<string>();
  let mailboxes = 0;
  for (const practitioner of region.practitioners as Json[]) {
    const [rpps] = identifier(practitioner, SYSTEM.rpps);
    assert.ok(rpps && rppsValid(rpps), `RPPS ${rpps}`);
    assert.deepEqual(identifier(practitioner, SYSTEM.idNatPs), [idNatPsFromRpps(rpps)]);
    for (const q of practitioner.qualification) {
      const code = q.code.coding[0];
      if (code.system.includes('TRE_G15')) professions.add(code.code);
      if (code.system.includes('TRE_R04')) specialties.add(q.code.coding[1].code);
    }
    if ((practitioner.telecom ?? []).some((t: Json) => t.system === 'email')) mailboxes += 1;
  }
  for (const spec of PROFESSIONS) assert.ok(professions.has(spec.code), `profession ${spec.code} ${spec.label}`);
  assert.ok(specialties.has('SM54') && specialties.size >= 5, `specialties ${[...specialties]}`);
  assert.ok(mailboxes > region.practitioners.length / 3, 'many have an MSSanté mailbox');
  for (const role of region.practitionerRoles as Json[]) assert.ok(orgIds.has(role.organization.reference), role.id);
});

test('patients: NIR with a valid key agreeing with sex, birth year, month and place; real INSEE birth places, some elsewhere and abroad', () => {
  let abroad = 0;
  let elsewhere = 0;
  for (const record of region.records) {
    const { person } = record;
    const parsed = parseInsNumber(person.ins);
    assert.ok(parsed.ok, `${record.id}: INS key`);
    assert.equal(parsed.parts.sex, person.gender === 'male' ? '1' : '2');
    assert.equal(parsed.parts.year, person.birthDate.slice(2, 4));
    assert.equal(parsed.parts.month, person.birthDate.slice(5, 7));
    assert.equal(parsed.parts.birthPlace, person.birthPlace.code);
    const code = person.birthPlace.code;
    if (code.startsWith('99')) {
      abroad += 1;
      assert.ok(COUNTRIES.some((c) => c.code === code), code);
    } else {
      assert.ok(communeByCode(code), `${code} is a real commune`);
      if (!HDF_DEPARTMENTS.has(code.slice(0, 2))) elsewhere += 1;
    }
  }
  assert.ok(abroad > 0 && elsewhere > 0, `abroad ${abroad}, elsewhere ${elsewhere}`);
});

test('every identity status is there in realistic shares, DOUT and FICT only PROV, homonyms and duplicates too', () => {
  const count = (predicate: (r: (typeof region.records)[number]) => boolean) => region.records.filter(predicate).length;
  for (const status of ['PROV', 'VALI', 'RECUP', 'QUAL'] as const) assert.ok(count((r) => r.status === status) > 0, status);
  assert.ok(count((r) => r.status === 'QUAL') > region.records.length / 3, 'most identities are qualified');
  for (const attribute of ['DOUT', 'FICT', 'HOMA'] as const) assert.ok(count((r) => r.attributes.includes(attribute)) > 0, attribute);
  assert.equal(count((r) => (r.attributes.includes('DOUT') || r.attributes.includes('FICT')) && r.status !== 'PROV'), 0);
  const duplicates = region.records.filter((r) => r.duplicateOf);
  assert.ok(duplicates.length >= 5, `${duplicates.length} duplicates`);
  for (const duplicate of duplicates) {
    const original = region.records.find((r) => r.id === duplicate.duplicateOf);
    assert.ok(original, 'the original is in the set');
    assert.equal(duplicate.person, original.person, 'same person');
    assert.notDeepEqual(duplicate.recorded, original.recorded, 'typed differently');
    assert.equal(duplicate.withIns, false);
  }
});

test('the register holds every real person once, with entries the register accepts, and no fictitious one', () => {
  const inses = region.register.map((e) => e.ins);
  assert.equal(new Set(inses).size, inses.length);
  for (const entry of region.register) assert.equal(identityProblem(entry), undefined, entry.ins);
  for (const record of region.records) {
    const registered = inses.includes(record.person.ins);
    assert.equal(registered, !record.attributes.includes('FICT') || region.records.some((r) => r.person === record.person && !r.attributes.includes('FICT')));
  }
});

test('patients carry the INS exactly when RECUP or QUAL, with the FR Core shape the register reads', () => {
  region.patients.forEach((patient: Json, i) => {
    const record = region.records[i]!;
    const ins = identifier(patient, INS_SYSTEMS.NIR);
    assert.deepEqual(ins, record.withIns ? [record.person.ins] : []);
    assert.equal(record.withIns, record.status === 'RECUP' || record.status === 'QUAL');
    const traits = traitsOf(patient);
    assert.ok(traits);
    assert.equal(traits.birthPlace, record.person.birthPlace.code);
    assert.deepEqual(traits.given, [...record.recorded.given]);
  });
});

test('featured people are there exactly: professionals with their RPPS and commune, patients QUAL with their INS', () => {
  for (const featured of FEATURED_PROFESSIONALS) {
    const practitioner = region.practitioners.find((p) => identifier(p, SYSTEM.rpps)[0] === featured.rpps) as Json;
    assert.ok(practitioner, featured.rpps);
    assert.deepEqual(identifier(practitioner, SYSTEM.idNatPs), [featured.idNatPs]);
    assert.equal(practitioner.name[0].family, featured.family);
    const role = region.practitionerRoles.find((r) => (r as Json).practitioner.reference === `Practitioner/${practitioner.id}`) as Json;
    const org = region.organizations.find((o) => `Organization/${o.id}` === role.organization.reference) as Json;
    assert.equal(org.address[0].extension[0].valueCoding.code, featured.communeCode, `${featured.family} works in ${featured.communeCode}`);
  }
  for (const featured of FEATURED_PATIENTS) {
    const record = region.records.find((r) => r.person.ins === featured.ins);
    assert.ok(record?.featured && record.status === 'QUAL' && record.validationMode === 'CN', featured.ins);
    assert.ok(region.register.some((e) => e.ins === featured.ins && e.traits.birthPlace === featured.birthPlace));
  }
});

test('an unknown region is refused', () => {
  assert.throws(() => generateRegion({ ...OPTIONS, region: '99' }), UnknownRegionError);
});

test('MSSanté addresses are unique: one per structure mailbox, one per professional', () => {
  const big = generateRegion({ ...OPTIONS, organisations: 300, professionals: 600, patients: 0 });
  for (const list of [big.organizations, big.practitioners]) {
    const addresses = list.flatMap((r: Json) => (r.telecom ?? []).filter((t: Json) => t.system === 'email').map((t: Json) => t.value as string));
    assert.ok(addresses.length > 0);
    assert.equal(new Set(addresses).size, addresses.length);
    for (const address of addresses) assert.match(address, /^[a-z0-9.-]+@[a-z0-9.-]+\.mssante\.fr$/);
  }
});
