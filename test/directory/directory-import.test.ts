/**
 * The directory import on the sample extracts (test/data/directory, written by
 * us in the published layouts), run in-process on a real server's platform on
 * both backends; the resources are then read back over HTTP. A re-import of a
 * newer extract updates what changed, leaves the rest alone and deactivates
 * the professionals it no longer lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDirectoryModule } from '../../src/directory/index.js';
import { withoutVersion } from '../../src/directory/enrichment.js';
import type { ExtractKind } from '../../src/directory/extract-format.js';
import { contentHash, loadImportState, saveImportState, type StateChunk } from '../../src/directory/import-state.js';
import { Collection } from '../../src/storage/collection.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { FINESS, MSSANTE, PS_V1, PS_V2, SAVOIR_FAIRE } from './samples.js';

const directory = (server: TestServer) => findDirectoryModule(server.running.platform.modules);
const DATA_TRACE = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-data-trace';
const ADXP = 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-';

/**
 * Puts back what an import of `kind` wrote as the import before the Annuaire's data trace, aliases and address
 * parts would have written it (stored resources and the import state's hashes), as a store loaded by that
 * version is.
 */
async function rewindToOldShape(server: TestServer, kind: ExtractKind): Promise<number> {
  const { store, clock } = server.running.platform.engine.deps;
  const state = new Collection<StateChunk>(store, 'directory.import-state', clock);
  const previous = await loadImportState(state, kind);
  const old = new Map<string, number>();
  for (const key of previous.keys()) {
    const current = (await server.get(key)).body;
    const { extension: _trace, ...meta } = withoutVersion(current).meta as Record<string, unknown>;
    const resource: Record<string, any> = { ...withoutVersion(current), meta };
    delete resource.alias;
    if (resource.address) resource.address = resource.address.map(({ _line, ...address }: any) => address);
    const written = await server.put(key, resource);
    assert.equal(written.status, 200, written.text);
    old.set(key, contentHash(JSON.stringify(resource)));
  }
  await saveImportState(state, kind, old);
  return old.size;
}

forEachBackend('directory import of the sample extracts', (server) => {
  test('personne-activité: valid lines load, malformed ones are reported by line number and skipped', async () => {
    const report = await directory(server()).importExtract(PS_V1);
    assert.equal(report.kind, 'ps-activite');
    assert.equal(report.counts.lines, 11);
    assert.deepEqual(report.rejections.map((r) => [r.line, r.problem.key]), [
      [6, 'directory.line.invalid-identifier'],
      [8, 'directory.line.field-count'],
      [10, 'directory.line.missing-field'],
      [12, 'directory.line.invalid-code'],
    ]);
    assert.equal(report.counts.rejected, 4);
    // 6 practitioners, 7 roles, 3 non-FINESS structures (cabinet, pharmacy, physiotherapy practice), and the two
    // FINESS sites with their legal entities, in the minimal form the extract's columns give until FINESS lists them.
    assert.equal(report.counts.created, 20);
    assert.equal(report.counts.updated + report.counts.unchanged + report.counts.deactivated, 0);
    // One audit record for the file, by Socle itself, with its counts and no personal data.
    await server().running.platform.engine.deps.audit.flush();
    const traces = await server().get('AuditEvent?subtype=directory-import&_sort=-date&_count=1');
    assert.equal(traces.status, 200, traces.text);
    const trace = traces.body.entry?.[0]?.resource;
    assert.ok(trace, 'the import is in the audit trail');
    assert.equal(trace.outcome, '4', 'rejected lines make it a minor failure');
    const query = Buffer.from(trace.entity[0].query, 'base64').toString('utf8');
    assert.match(query, /kind=ps-activite&file=.+&lines=11&created=20&updated=0&unchanged=0&deactivated=0&rejected=4/);
  });

  test('a rejected line leaves nothing behind', async () => {
    const result = await server().get('Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|810000555011');
    assert.equal(result.body.total ?? result.body.entry?.length ?? 0, 0);
    const none = await server().get('Practitioner?family=TRONQUE');
    assert.equal(none.body.entry?.length ?? 0, 0);
  });

  test('a practitioner carries idNat_PS, RPPS, profession and savoir-faire as the Annuaire profile says', async () => {
    const { status, body } = await server().get('Practitioner/810000555010');
    assert.equal(status, 200);
    assert.deepEqual(body.identifier.map((i: any) => [i.system, i.value, i.type.coding[0].code]), [
      ['urn:oid:1.2.250.1.71.4.2.1', '810000555010', 'IDNPS'],
      ['https://rpps.esante.gouv.fr', '10000555010', 'RPPS'],
    ]);
    assert.equal(body.name[0].family, 'MARTINEAU');
    assert.deepEqual(body.name[0].suffix, ['DR'], 'the practice civility is a suffix (FR Core, Annuaire Santé)');
    assert.deepEqual(body.name[0].prefix, ['MME'], 'the civility is the prefix, as the DP examples write it');
    const codes = body.qualification.flatMap((q: any) => q.code.coding.map((c: any) => c.code));
    assert.ok(codes.includes('10') && codes.includes('SM54'), codes.join(','));
    const roles = await server().get('PractitionerRole?practitioner=Practitioner/810000555010');
    assert.equal(roles.body.entry.length, 2);
  });

  test('FINESS: each site is partOf its legal entity; geolocation rows are skipped, bad rows rejected', async () => {
    const report = await directory(server()).importExtract(FINESS);
    assert.equal(report.kind, 'finess-etalab');
    assert.deepEqual(report.rejections.map((r) => [r.line, r.problem.key]), [
      [6, 'directory.line.invalid-identifier'],
      [7, 'directory.line.unknown-record'],
    ]);
    // Two new; the two sites and legal entities personne-activité named become FINESS's records.
    assert.deepEqual([report.counts.created, report.counts.updated], [2, 4]);
    const site = await server().get('Organization/1690002001');
    assert.equal(site.status, 200);
    assert.equal(site.body.partOf.reference, 'Organization/1690001003');
    assert.equal(site.body.address[0].city, 'LYON');
    assert.equal(site.body.address[0].postalCode, '69004');
    // dateouv, as the Annuaire's public examples date an opening: R4's organization-period extension.
    assert.deepEqual(site.body.extension, [{ url: 'http://hl7.org/fhir/StructureDefinition/organization-period', valuePeriod: { start: '1975-03-01' } }]);
    const legal = await server().get('Organization/1690001003');
    assert.equal(legal.body.type[0].coding[0].code, 'LEGAL-ENTITY');
    // rs is the name, rslongue the alias (as-organization: name → denominationEG, alias → denominationEGLongue).
    assert.deepEqual([site.body.name, site.body.alias], ['CH CASCADES NORD', ['CH DES CASCADES SITE NORD']]);
    assert.deepEqual(site.body.meta.extension, [{ url: DATA_TRACE, extension: [{ url: 'systeme-information', valueCode: 'FINESS' }, { url: 'date-maj-ae', valueDate: '2026-09-15' }] }]);
    assert.deepEqual(legal.body.meta.extension, [{ url: DATA_TRACE, extension: [{ url: 'systeme-information', valueCode: 'FINESS' }] }]);
    const clinic = (await server().get('Organization/1130004005')).body;
    assert.deepEqual(clinic.address[0].line, ['5 BD DU LITTORAL B', 'BP 208', 'BATIMENT A']);
    assert.deepEqual(clinic.address[0]._line.map((l: any) => l.extension.map((e: any) => `${e.url.replace(ADXP, '')}=${e.valueString}`)), [
      ['houseNumber=5', 'buildingNumberSuffix=B', 'streetNameType=BD', 'streetNameBase=DU LITTORAL'], ['postBox=BP 208'], ['additionalLocator=BATIMENT A'],
    ]);
  });

  test('personne-activité: a structure\'s enseigne is its alias, its address columns its line parts, and every resource names RPPS as its source', async () => {
    const practice = (await server().get('Organization/383456789000019')).body;
    assert.deepEqual([practice.name, practice.alias], ['CABINET KINE DES LILAS', ['KINE DES LILAS']]);
    assert.deepEqual(practice.address[0].line, ['RESIDENCE LES LILAS', '18 B Avenue DES LILAS', 'BP 44']);
    assert.deepEqual(practice.address[0]._line.map((l: any) => l.extension.map((e: any) => `${e.url.replace(ADXP, '')}=${e.valueString}`)), [
      ['additionalLocator=RESIDENCE LES LILAS'], ['houseNumber=18', 'buildingNumberSuffix=B', 'streetNameType=AV', 'streetNameBase=DES LILAS'], ['postBox=BP 44'],
    ]);
    // An enseigne equal to the raison sociale is no alias.
    assert.equal((await server().get('Organization/381234567800013')).body.alias, undefined);
    const rpps = [{ url: DATA_TRACE, extension: [{ url: 'systeme-information', valueCode: 'RPPS' }] }];
    for (const path of ['Practitioner/810000555010', 'PractitionerRole/810000555010-381234567800013-10-L', 'Organization/381234567800013']) {
      assert.deepEqual((await server().get(path)).body.meta.extension, rpps, path);
    }
    // Found by the Annuaire's data-information-system search, each source its own.
    const ids = async (query: string): Promise<string[]> => ((await server().get(query)).body.entry ?? []).map((e: any) => e.resource.id).sort();
    assert.ok((await ids('Practitioner?data-information-system=RPPS&_count=100')).includes('810000555010'));
    assert.deepEqual(await ids('Organization?data-information-system=RPPS&_count=100'), ['381234567800013', '382345678900010', '383456789000019']);
  });

  test('FINESS resources are found by data-information-system=FINESS, not by RPPS', async () => {
    const ids = async (query: string): Promise<string[]> => ((await server().get(query)).body.entry ?? []).map((e: any) => e.resource.id).sort();
    const finess = await ids('Organization?data-information-system=FINESS&_count=100');
    assert.deepEqual(finess, ['1130003007', '1130004005', '1690001003', '1690002001', '1750005001', '1750006009']);
    assert.ok(!(await ids('Organization?data-information-system=RPPS&_count=100')).some((id) => finess.includes(id)));
  });

  test('savoir-faire: enriches known practitioners, rejects unknown ones and malformed lines', async () => {
    const report = await directory(server()).importExtract(SAVOIR_FAIRE);
    assert.equal(report.kind, 'ps-savoir-faire');
    assert.deepEqual(report.rejections.map((r) => [r.line, r.problem.key]), [
      [5, 'directory.line.unknown-practitioner'],
      [6, 'directory.line.field-count'],
    ]);
    const { body } = await server().get('Practitioner/810000555010');
    const codes = body.qualification.flatMap((q: any) => q.code.coding.map((c: any) => c.code));
    assert.ok(codes.includes('CAPA08') && codes.includes('SM54') && codes.includes('10'), codes.join(','));
  });

  test('MSSanté: mailboxes go to their holder (PER, CAB: practitioner; ORG, APP: structure); unknown holders and bad lines rejected', async () => {
    const report = await directory(server()).importExtract(MSSANTE);
    assert.equal(report.kind, 'mssante');
    assert.deepEqual(report.rejections.map((r) => [r.line, r.problem.key]), [
      [7, 'directory.line.invalid-code'],
      [8, 'directory.line.unknown-practitioner'],
      [9, 'directory.line.invalid-code'],
    ]);
    assert.equal(report.counts.updated, 4);
    const site = (await server().get('Organization/1690002001')).body;
    const mailboxes = site.telecom.filter((t: any) => t.system === 'email');
    assert.deepEqual(mailboxes.map((t: any) => [t.value, t.extension[1].extension[0].valueCodeableConcept.coding[0].code]), [
      ['urgences@ch-cascades.mssante.fr', 'ORG'], ['dpi@ch-cascades.mssante.fr', 'APP'],
    ]);
    assert.equal(site.telecom[0].value, '0472000001');
    const again = await directory(server()).importExtract(MSSANTE);
    assert.equal(again.counts.unchanged, 4);
    assert.equal(again.counts.updated, 0);
  });

  test('re-import of the same extract changes nothing', async () => {
    const report = await directory(server()).importExtract(FINESS);
    assert.equal(report.counts.created + report.counts.updated + report.counts.deactivated, 0);
    assert.equal(report.counts.unchanged, 6);
  });

  test('re-import of a newer extract: updates, creations, unchanged and deactivation of vanished records', async () => {
    const before = await server().get('Practitioner/810000555051');
    const report = await directory(server()).importExtract(PS_V2);
    // Changed: the pharmacist's name (Practitioner) and the pharmacy's phone (Organization).
    assert.equal(report.counts.updated, 2);
    // New: one practitioner and her role (the cabinet already exists).
    assert.equal(report.counts.created, 2);
    // Gone: the physiotherapist, his role and his practice.
    assert.equal(report.counts.deactivated, 3);
    // The FINESS sites and entities count as unchanged: what personne-activité adds to them did not change.
    assert.equal(report.counts.unchanged, 16 - 2 - 3 + 4);
    const gone = await server().get('Practitioner/810000555036');
    assert.equal(gone.body.active, false);
    assert.equal(gone.body.identifier[0].value, '810000555036');
    assert.equal(gone.body.name, undefined);
    // Its inactive form still says where it came from.
    assert.equal(gone.body.meta.extension[0].url, DATA_TRACE);
    const after = await server().get('Practitioner/810000555051');
    assert.equal(after.body.meta.versionId, before.body.meta.versionId);
    const renamed = await server().get('Practitioner/810000555028');
    assert.equal(renamed.body.name[0].family, 'BERTRAND-NOVAK');
    // The pharmacy changed (phone) and was rewritten: its MSSanté mailbox, from the other extract, stays.
    const pharmacy = (await server().get('Organization/382345678900010')).body;
    assert.deepEqual(pharmacy.telecom.map((t: any) => t.value), ['0491000044', 'contact@pharmacie-vieux-port.example', 'officine@pharmacie-vieux-port.mssante.fr']);
    const kept = (await server().get('Practitioner/810000555010')).body;
    assert.ok(JSON.stringify(kept).includes('CAPA08') && JSON.stringify(kept).includes('claire.martineau@medecin.mssante.fr'));
    const again = await directory(server()).importExtract(PS_V2);
    assert.equal(again.counts.deactivated + again.counts.created + again.counts.updated, 0);
  });

  test('a professional the engine refuses is rejected whole: all his lines reported, none of his resources written', async () => {
    const lines = (await readFile(PS_V1, 'utf8')).split('\n');
    // Two lines of a new professional; the second's mode of exercise is not a valid FHIR code (two spaces).
    const first = lines[1]!.replaceAll('10000555010', '10000555077').replace('MARTINEAU', 'REFUSEE');
    const second = lines[2]!.replaceAll('10000555010', '10000555077').replace('MARTINEAU', 'REFUSEE').replace('|S|Salarié|', '|S  X|Salarié|');
    const folder = await mkdtemp(join(tmpdir(), 'directory-refused-'));
    const file = join(folder, 'PS_LibreAcces_Personne_activite_refused.txt');
    await writeFile(file, `${lines[0]!}\n${first}\n${second}\n`);
    try {
      // A partial file: the professionals it does not list stay active.
      const report = await directory(server()).importExtract(file, { deactivate: false });
      assert.equal(report.counts.deactivated, 0);
      assert.equal((await server().get('Practitioner/810000555010')).body.active, true);
      assert.deepEqual(report.rejections.map((r) => [r.line, r.problem.key]), [
        [2, 'directory.line.rejected-by-engine'], [3, 'directory.line.rejected-by-engine'],
      ]);
      // The reason is the engine's, in English, with where in the resource it lies.
      const reason = String(report.rejections[0]?.problem.params?.reason ?? '');
      assert.match(reason, /PractitionerRole\./);
      assert.equal((await server().get('Practitioner/810000555077')).status, 404);
      const roles = await server().get('PractitionerRole?practitioner=Practitioner/810000555077');
      assert.equal(roles.body.entry?.length ?? 0, 0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
  test('records written before the data trace, aliases and address parts are rewritten once by a re-import of the same extract, then found unchanged', async () => {
    for (const [kind, file] of [['finess-etalab', FINESS], ['ps-activite', PS_V2]] as const) {
      const rewound = await rewindToOldShape(server(), kind);
      assert.ok(rewound > 0, kind);
      // personne-activité also names the four FINESS records (FINESS's): what it adds to them is unchanged.
      const shared = kind === 'ps-activite' ? 4 : 0;
      const first = await directory(server()).importExtract(file);
      assert.deepEqual([first.counts.updated, first.counts.created, first.counts.deactivated, first.counts.unchanged], [rewound, 0, 0, shared], kind);
      const second = await directory(server()).importExtract(file);
      assert.deepEqual([second.counts.updated, second.counts.created, second.counts.deactivated, second.counts.unchanged], [0, 0, 0, rewound + shared], kind);
    }
    const site = (await server().get('Organization/1690002001')).body;
    assert.deepEqual(site.alias, ['CH DES CASCADES SITE NORD']);
    assert.equal(site.meta.extension[0].url, DATA_TRACE);
    assert.ok((await server().get('Organization/382345678900010')).body.address[0]._line);
  });
  test('a savoir-faire of a professional gone from personne-activité is kept aside, not written into his inactive form', async () => {
    assert.equal((await server().get('Practitioner/810000555036')).body.active, false);
    const lines = (await readFile(SAVOIR_FAIRE, 'utf8')).split('\n');
    const gone = lines[1]!.replaceAll('10000555010', '10000555036').replace('MARTINEAU|Claire|10|Médecin', 'GARNIER|Louis|70|Masseur-Kinésithérapeute');
    const folder = await mkdtemp(join(tmpdir(), 'directory-sf-inactive-'));
    const file = join(folder, 'PS_LibreAcces_SavoirFaire_inactive.txt');
    await writeFile(file, `${lines[0]!}\n${lines[1]!}\n${gone}\n`);
    try {
      const report = await directory(server()).importExtract(file);
      assert.deepEqual(report.rejections, []);
      const inactive = (await server().get('Practitioner/810000555036')).body;
      assert.equal(inactive.active, false);
      assert.equal(inactive.qualification, undefined);
      // Back in personne-activité, he gets it.
      await directory(server()).importExtract(PS_V1);
      const back = (await server().get('Practitioner/810000555036')).body;
      assert.equal(back.active, true);
      assert.ok(JSON.stringify(back.qualification).includes('SM54'));
    } finally {
      await rm(folder, { recursive: true, force: true });
      await directory(server()).importExtract(SAVOIR_FAIRE);
    }
  });
});
