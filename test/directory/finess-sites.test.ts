/**
 * FINESS sites named by personne-activité, on both backends, in both orders
 * of the imports. With the RPPS files alone, a role at a FINESS site leads to
 * an Organization (the minimal form the extract's structure columns give), so
 * `_include` and chains find it; once FINESS lists the site, its record is
 * FINESS's with what only personne-activité says of it (RPPSRG technical id,
 * SIREN, activity sector) added. Loading personne-activité then FINESS, or
 * FINESS then personne-activité, gives the same records.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDirectoryModule } from '../../src/directory/index.js';
import { backendNames } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { FINESS, PS_V1, PS_V2 } from './samples.js';

const SHARED = ['Organization/1690002001', 'Organization/1690001003', 'Organization/1130004005', 'Organization/1130003007'];
const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';
const SECTOR = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';

const importer = (server: TestServer) => findDirectoryModule(server.running.platform.modules);
const content = ({ meta: { versionId: _v, lastUpdated: _l, ...meta }, ...rest }: any): unknown => ({ ...rest, meta });
const identifiers = (resource: any): string[] => resource.identifier.map((i: any) => `${i.type.coding[0].code}|${i.value}`);

async function records(server: TestServer): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const key of SHARED) {
    const read = await server.get(key);
    assert.equal(read.status, 200, key);
    out.set(key, content(read.body));
  }
  return out;
}

for (const backend of backendNames()) {
  describe(`FINESS sites named by personne-activité [${backend}]`, () => {
    let rppsFirst: TestServer;
    let finessFirst: TestServer;
    before(async () => {
      [rppsFirst, finessFirst] = await Promise.all([startTestServer(backend), startTestServer(backend)]);
    });
    after(async () => {
      await Promise.all([rppsFirst?.close(), finessFirst?.close()]);
    });

    test('with the RPPS files alone, a role at a FINESS site leads to its Organization: _include and chains find it', async () => {
      await importer(rppsFirst).importExtract(PS_V1);
      const bundle = (await rppsFirst.get('PractitionerRole?practitioner=Practitioner/810000555010&_include=PractitionerRole:organization')).body;
      const organizations = bundle.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort();
      assert.deepEqual(organizations, ['1690002001', '381234567800013']);
      const chained = (await rppsFirst.get(`PractitionerRole?organization.identifier=${FINESS_SYSTEM}|690002001`)).body;
      assert.deepEqual(chained.entry.map((e: any) => e.resource.id).sort(), ['810000555010-1690002001-10-S', '810000555044-1690002001-50-S']);
      const site = (await rppsFirst.get('Organization/1690002001')).body;
      assert.equal(site.name, 'CH DES CASCADES SITE NORD');
      assert.equal(site.partOf.reference, 'Organization/1690001003');
      assert.deepEqual(identifiers(site), ['IDNST|1690002001', 'FINEG|690002001', 'SIRET|26900010000017', 'SIREN|269000100', 'RPPSRG|F690002001']);
      assert.equal(site.meta.extension[0].extension[0].valueCode, 'RPPS');
      const legal = (await rppsFirst.get('Organization/1690001003')).body;
      assert.deepEqual(identifiers(legal), ['IDNST|1690001003', 'FINEJ|690001003']);
      assert.equal((await rppsFirst.get('Organization?partof=Organization/1690001003')).body.entry[0].resource.id, '1690002001');
    });

    test('FINESS then makes them its records, keeping what only the RPPS says', async () => {
      const report = await importer(rppsFirst).importExtract(FINESS);
      assert.deepEqual([report.counts.created, report.counts.updated], [2, 4]);
      const site = (await rppsFirst.get('Organization/1690002001')).body;
      assert.equal(site.name, 'CH CASCADES NORD', 'FINESS names the site');
      assert.deepEqual(identifiers(site), ['IDNST|1690002001', 'FINEG|690002001', 'SIRET|26900010000017', 'SIREN|269000100', 'RPPSRG|F690002001']);
      assert.deepEqual(site.type.filter((t: any) => t.coding[0].system === SECTOR).map((t: any) => t.coding[0].code), ['SA01']);
      assert.equal(site.meta.extension[0].extension[0].valueCode, 'FINESS');
      // Found by the FINESS searches and by the RPPS technical id alike.
      assert.deepEqual((await rppsFirst.get('Organization?identifier=https://rppsrang.esante.gouv.fr|F690002001')).body.entry.map((e: any) => e.resource.id), ['1690002001']);
    });

    test('FINESS first, then personne-activité: the same records', async () => {
      await importer(finessFirst).importExtract(FINESS);
      const report = await importer(finessFirst).importExtract(PS_V1);
      // 6 practitioners, 7 roles, 3 practices; the two FINESS sites get their RPPS elements (the legal entities have none).
      assert.deepEqual([report.counts.created, report.counts.updated, report.counts.unchanged], [16, 2, 2]);
      assert.deepEqual(await records(finessFirst), await records(rppsFirst));
      // Nothing more to do for either, in either order.
      for (const [server, file] of [[finessFirst, FINESS], [finessFirst, PS_V1], [rppsFirst, PS_V1], [rppsFirst, FINESS]] as const) {
        const again = await importer(server).importExtract(file);
        assert.equal(again.counts.created + again.counts.updated + again.counts.deactivated, 0, file);
      }
      assert.deepEqual(await records(finessFirst), await records(rppsFirst));
    });

    test('a newer personne-activité extract no longer naming a site takes back only what it had added; FINESS keeps the site', async () => {
      // PS_V2 still names both sites: strip the CH site's lines from it to make one vanish.
      const { readFile, writeFile, mkdtemp, rm } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const folder = await mkdtemp(join(tmpdir(), 'directory-sites-'));
      try {
        const lines = (await readFile(PS_V2, 'utf8')).split('\n').filter((line) => !line.includes('|1690002001|'));
        const file = join(folder, 'PS_LibreAcces_Personne_activite_nosite.txt');
        await writeFile(file, lines.join('\n'));
        for (const server of [rppsFirst, finessFirst]) {
          await importer(server).importExtract(file);
          const site = (await server.get('Organization/1690002001')).body;
          assert.equal(site.active, true, 'FINESS still lists it');
          assert.deepEqual(identifiers(site), ['IDNST|1690002001', 'FINEG|690002001', 'SIRET|26900010000017']);
          assert.equal(site.type.some((t: any) => t.coding[0].system === SECTOR), false);
        }
        assert.deepEqual(await records(finessFirst), await records(rppsFirst));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });
}
