/**
 * Order of the personne-activité lines, on both backends. A professional
 * whose lines are not next to each other (a hand-made or re-sorted file) is
 * written once, whole: before, each run of his lines rewrote his Practitioner
 * from that run alone. Whatever the order of the lines, the records are the
 * same (a re-import of the same lines in another order changes nothing). A
 * professional with two professions has one exercicePro on his Practitioner
 * (FR Core fr-core-practitioner: qualification[exercicePro] 0..1), and each
 * profession on the roles of its situations.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDirectoryModule } from '../../src/directory/index.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { PS_V1 } from './samples.js';

const G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
const TWO = '810000555119';
const OTHER = '810000555085';

let folder: string;
let header: string;
/** MARTINEAU's two lines (liberal at a practice, salaried at a FINESS site) made into another professional's, the second as a pharmacist. */
let lines: { physician: string; pharmacist: string; other: string };

async function extract(name: string, body: readonly string[]): Promise<string> {
  const file = join(folder, `PS_LibreAcces_Personne_activite_${name}.txt`);
  await writeFile(file, `${header}\n${body.join('\n')}\n`);
  return file;
}

const ids = (bundle: any): string[] => (bundle.entry ?? []).map((e: any) => e.resource.id).sort();
const withoutVersion = ({ meta: { versionId: _v, lastUpdated: _l, ...meta }, ...rest }: any): unknown => ({ ...rest, meta });

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'directory-line-order-'));
  const sample = (await readFile(PS_V1, 'utf8')).split('\n');
  header = sample[0]!;
  const as = (line: string, rpps: string): string => line.replaceAll('10000555010', rpps);
  lines = {
    physician: as(sample[1]!, TWO.slice(1)),
    pharmacist: as(sample[2]!, TWO.slice(1)).replace('|10|Médecin|', '|21|Pharmacien|').replace('|S|Spécialité ordinale|SM54|Médecine générale|', '|||||'),
    other: as(sample[1]!, OTHER.slice(1)).replace('MARTINEAU', 'AUTRE'),
  };
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

forEachBackend('order of the personne-activité lines', (server: () => TestServer) => {
  const directory = () => findDirectoryModule(server().running.platform.modules);

  test('lines of one professional apart from each other: one Practitioner, written once, with every situation', async () => {
    const file = await extract('scattered', [lines.pharmacist, lines.other, lines.physician]);
    const report = await directory().importExtract(file, { deactivate: false });
    assert.deepEqual(report.rejections, []);
    // TWO: Practitioner + 2 roles; OTHER: Practitioner + role; the practice once; the FINESS site and its legal entity.
    assert.equal(report.counts.created, 8);
    assert.equal(report.counts.updated, 0, 'nobody written twice');
    const practitioner = (await server().get(`Practitioner/${TWO}`)).body;
    assert.equal(practitioner.meta.versionId, '1');
    const roles = ids((await server().get(`PractitionerRole?practitioner=Practitioner/${TWO}`)).body);
    assert.deepEqual(roles, [`${TWO}-1690002001-21-S`, `${TWO}-381234567800013-10-L`]);
  });

  test('two professions: one exercicePro on the Practitioner (the lowest code), each profession on its roles', async () => {
    const practitioner = (await server().get(`Practitioner/${TWO}`)).body;
    const professions = practitioner.qualification.filter((q: any) => q.code.coding.some((c: any) => c.system === G15));
    assert.deepEqual(professions.map((q: any) => q.code.coding[0].code), ['10']);
    // The savoir-faire of the physician's line stays.
    assert.ok(JSON.stringify(practitioner.qualification).includes('SM54'));
    assert.deepEqual(ids((await server().get(`PractitionerRole?role=${G15}|21&practitioner=Practitioner/${TWO}`)).body), [`${TWO}-1690002001-21-S`]);
    assert.deepEqual(ids((await server().get(`Practitioner?qualification-code=${G15}|10&_id=${TWO}`)).body), [TWO]);
  });

  test('the same lines in other orders give the same records: nothing to write', async () => {
    const before = (await server().get(`Practitioner/${TWO}`)).body;
    for (const [name, order] of [['together', [lines.physician, lines.pharmacist, lines.other]], ['reversed', [lines.other, lines.pharmacist, lines.physician]]] as const) {
      const report = await directory().importExtract(await extract(name, order), { deactivate: false });
      assert.deepEqual([report.counts.created, report.counts.updated, report.counts.unchanged], [0, 0, 8], name);
    }
    const now = (await server().get(`Practitioner/${TWO}`)).body;
    assert.deepEqual(withoutVersion(now), withoutVersion(before));
    assert.equal(now.meta.versionId, before.meta.versionId);
  });

  test('a file whose scattered lines would pass the bound held aside is refused whole, before anything is written', async () => {
    const file = await extract('unsorted', [lines.pharmacist, lines.other.replaceAll(OTHER.slice(1), '10000555994'), lines.physician]);
    await assert.rejects(directory().importExtract(file, { deactivate: false, maxHeldLines: 1 }), (error: any) => {
      assert.equal(error.status, 400);
      assert.equal(error.issues[0].message, 'directory.file.unsorted');
      assert.deepEqual(error.issues[0].params.lines, 2, 'both lines of the scattered professional');
      return true;
    });
    assert.equal((await server().get('Practitioner/810000555994')).status, 404, 'nothing written');
    // The same lines within the bound go through.
    const report = await directory().importExtract(file, { deactivate: false, maxHeldLines: 2 });
    assert.deepEqual(report.rejections, []);
    assert.equal((await server().get('Practitioner/810000555994')).status, 200);
  });
});
