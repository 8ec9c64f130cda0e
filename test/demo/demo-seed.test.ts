/**
 * The demo region as the first start seeds it (SOCLE_DEMO=on), through a real
 * server on both backends: the engine accepted every generated resource, the
 * server's own identity-vigilance gave each patient the status the generator
 * meant (QUAL and RECUP only thanks to the INSi register loaded first), the
 * featured people exist, sites resolve to their legal entity, and a second
 * run changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { FEATURED_PATIENTS, FEATURED_PROFESSIONALS } from '../../src/demo/featured.js';
import { generateRegion, type DemoOptions } from '../../src/demo/generate-region.js';
import { findDemoModule } from '../../src/demo/index.js';
import { loadDemoRegion } from '../../src/demo/load-region.js';
import { IDENTITY_RELIABILITY, INS_SYSTEMS } from '../../src/identity/fr-core.js';
import type { InsiIdentity } from '../../src/identity/insi/contract.js';
import { InsiRegister } from '../../src/identity/insi/index.js';
import { SYSTEM } from '../../src/directory/identifiers.js';
import { Collection } from '../../src/storage/collection.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';

type Json = Record<string, any>;
const OPTIONS: DemoOptions = { seed: 7, region: '32', organisations: 20, professionals: 40, patients: 150 };
const expected = generateRegion(OPTIONS);

async function all(server: TestServer, type: string): Promise<Json[]> {
  const result = await server.get(`${type}?_count=1000`);
  assert.equal(result.status, 200, result.text);
  return (result.body.entry ?? []).map((e: Json) => e.resource);
}

function statusOf(patient: Json): string | undefined {
  const reliability = (patient.extension ?? []).find((e: Json) => e.url === IDENTITY_RELIABILITY);
  return reliability?.extension?.find((e: Json) => e.url === 'identityStatus')?.valueCoding?.code;
}

forEachBackend('demo data on first start', (server) => {
  test('every generated resource is stored: the engine rejected none', async () => {
    const pairs: [string, Json[]][] = [
      ['Organization', expected.organizations], ['Practitioner', expected.practitioners],
      ['PractitionerRole', expected.practitionerRoles], ['Patient', expected.patients],
    ];
    for (const [type, resources] of pairs) {
      const stored = await all(server(), type);
      assert.deepEqual(stored.map((r) => r.id).sort(), resources.map((r) => r.id).sort(), type);
    }
  });

  test("the server's identity-vigilance gives each patient the status the generator meant, INS only on QUAL", async () => {
    const stored = new Map((await all(server(), 'Patient')).map((p) => [p.id as string, p]));
    const seen = new Set<string>();
    for (const record of expected.records) {
      const patient = stored.get(record.id);
      assert.ok(patient, record.id);
      assert.equal(statusOf(patient), record.status, `${record.id} (${record.attributes.join(',') || 'no attribute'})`);
      const ins = (patient.identifier ?? []).filter((i: Json) => i.system === INS_SYSTEMS.NIR);
      // A RECUP identity's INS waits in the identity module, out of the Patient (RNIV: only QUAL exchanges the INS).
      assert.equal(ins.length, record.status === 'QUAL' ? 1 : 0, record.id);
      seen.add(record.status);
    }
    assert.deepEqual([...seen].sort(), ['PROV', 'QUAL', 'RECUP', 'VALI']);
  });

  test('featured patients are QUAL with their INS, found by it', async () => {
    for (const featured of FEATURED_PATIENTS) {
      const found = await server().get(`Patient?identifier=${encodeURIComponent(`${INS_SYSTEMS.NIR}|${featured.ins}`)}`);
      assert.equal(found.status, 200);
      assert.equal(found.body.entry?.length, 1, featured.family);
      const patient = found.body.entry[0].resource;
      assert.equal(statusOf(patient), 'QUAL');
      assert.equal(patient.birthDate, featured.birthDate);
      assert.equal(patient.name[0].family, featured.family);
    }
  });

  test('featured professionals are found by idNat_PS, with a role in an organisation of their commune', async () => {
    for (const featured of FEATURED_PROFESSIONALS) {
      const found = await server().get(`Practitioner?identifier=${encodeURIComponent(`${SYSTEM.idNatPs}|${featured.idNatPs}`)}`);
      assert.equal(found.body.entry?.length, 1, featured.idNatPs);
      const practitioner = found.body.entry[0].resource;
      const roles = await server().get(`PractitionerRole?practitioner=Practitioner/${practitioner.id}&_include=PractitionerRole:organization`);
      const org = roles.body.entry.find((e: Json) => e.resource.resourceType === 'Organization')?.resource;
      assert.ok(org, `${featured.family} has an organisation`);
      assert.equal(org.address[0].extension[0].valueCoding.code, featured.communeCode);
      const role = roles.body.entry.find((e: Json) => e.resource.resourceType === 'PractitionerRole').resource;
      assert.equal(role.code[0].coding[0].code, featured.professionCode);
    }
  });

  test('every site (EG) is part of a stored legal entity (EJ)', async () => {
    const sites = (await all(server(), 'Organization')).filter((o) => o.partOf);
    assert.ok(sites.length >= 5);
    for (const site of sites) {
      const parent = await server().get(site.partOf.reference);
      assert.equal(parent.status, 200, site.partOf.reference);
      assert.equal(parent.body.type[0].coding[0].code, 'LEGAL-ENTITY');
    }
  });

  test('duplicates, homonyms, doubtful and fictitious identities are stored for the vigilance screens', async () => {
    const stored = new Map((await all(server(), 'Patient')).map((p) => [p.id as string, p]));
    const duplicates = expected.records.filter((r) => r.duplicateOf);
    assert.ok(duplicates.length > 0);
    for (const duplicate of duplicates) {
      assert.ok(stored.has(duplicate.id) && stored.has(duplicate.duplicateOf!));
      assert.equal(statusOf(stored.get(duplicate.id)!), 'PROV');
    }
    for (const attribute of ['DOUT', 'FICT', 'HOMA']) {
      const withIt = [...stored.values()].filter((p) => JSON.stringify(p.extension).includes(`"code":"${attribute}"`));
      assert.ok(withIt.length > 0, attribute);
    }
  });

  test('the INSi register knows every real person and no fictitious one', async () => {
    const register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(server().running.store, name, systemClock, options));
    for (const entry of expected.register) {
      const verdict = await register.verify(entry.ins, entry.traits);
      assert.ok(verdict.valid, entry.ins);
    }
    const fictitious = expected.records.filter((r) => r.attributes.includes('FICT'));
    assert.ok(fictitious.length > 0);
    for (const record of fictitious) assert.deepEqual((await register.verify(record.person.ins, { ...record.person, birthPlace: record.person.birthPlace.code })).mismatches, ['ins']);
  });

  test('a second run with the same seed rejects nothing and adds nothing', async () => {
    const report = await findDemoModule(server().running.platform.modules).seed(OPTIONS);
    assert.deepEqual(report.rejections, []);
    assert.equal(report.loaded, expected.organizations.length + expected.practitioners.length + expected.practitionerRoles.length + expected.patients.length);
    for (const type of ['Organization', 'Practitioner', 'PractitionerRole', 'Patient']) {
      const count = await server().get(`${type}?_summary=count`);
      const generated = { Organization: expected.organizations, Practitioner: expected.practitioners, PractitionerRole: expected.practitionerRoles, Patient: expected.patients }[type]!;
      assert.equal(count.body.total, generated.length, type);
    }
  });
}, { demo: 'on', demoSeed: OPTIONS.seed, demoOrganisations: OPTIONS.organisations, demoProfessionals: OPTIONS.professionals, demoPatients: OPTIONS.patients });

forEachBackend('demo loader', (server) => {
  test('a resource the engine refuses and a register entry the register refuses are reported by place; the rest loads', async () => {
    const platform = server().running.platform;
    const register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(server().running.store, name, systemClock, options));
    const [good] = expected.organizations;
    const bad = { ...good, id: 'demo-refused', active: 'yes' };
    const badEntry = { ...expected.register[0]!, ins: '185127512345699' };
    for (const bundle of ['batch', 'transaction'] as const) {
      const report = await loadDemoRegion(platform.engine, register, {
        ...expected, organizations: [good!, bad], practitioners: [], practitionerRoles: [], patients: [], register: [expected.register[0]!, badEntry],
      }, { baseUrl: server().base, bundle });
      assert.equal(report.loaded, 1, bundle);
      assert.equal(report.registered, 1, bundle);
      assert.deepEqual(report.rejections.map((r) => r.where).sort(), ['Organization/demo-refused', 'register entry 1'], bundle);
      assert.ok(report.rejections.every((r) => r.reason.length > 0));
    }
    assert.equal((await server().get('Organization/demo-refused')).status, 404);
  });
});
