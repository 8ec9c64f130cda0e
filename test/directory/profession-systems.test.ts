/**
 * Professions outside TRE_G15, on both backends: a personne-activité line of a
 * psychologist (Code profession 93) is imported with the code system
 * JDV_J106-EnsembleProfession-RASS gives 93 (TRE_R95-UsagerTitre), found by the
 * Annuaire's searches with that system, and the professional's Pro Santé
 * Connect claims carry the profession (codeProfession is the bare code).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SECRETS } from '../../src/auth/accounts/demo-accounts.js';
import { findDirectoryModule } from '../../src/directory/index.js';
import { authOf, DEMO_OVERRIDES, loginAndExchange } from '../auth/oidc-support.js';
import { forEachBackend } from '../support/test-server.js';
import { PS_V1 } from './samples.js';

const NOS = 'https://mos.esante.gouv.fr/NOS';
const G15 = `${NOS}/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante`;
const R95 = `${NOS}/TRE_R95-UsagerTitre/FHIR/TRE-R95-UsagerTitre`;
const PSYCHOLOGIST = '810000555200';

/** A psychologist in a liberal practice, in the personne-activité layout (52 fields, each closed by '|'). */
const PSYCHOLOGIST_LINE = [
  '8', '10000555200', PSYCHOLOGIST, '', '', 'MME', 'Madame', 'ROUSSEL', 'Agathe', '93', 'Psychologue', 'C', 'Civil',
  '', '', '', '', 'L', 'Libéral', '81234567800013', '812345678', '', '', 'C81234567800013', 'CABINET DE PSYCHOLOGIE DU PARC', '',
  '', '', '5', '', 'R', 'Rue', 'DU PARC', '', '69006 LYON', '69006', '69386', 'Lyon', '', '', '0478000099', '', '', '',
  '69', '', '381234567800013', 'ARS/ARS/ARS', 'SA08', 'Cabinet de groupe', '', '',
].join('|') + '|';

const ids = (bundle: any): string[] => (bundle.entry ?? []).map((e: any) => e.resource.id).sort();

forEachBackend('professions outside TRE_G15 (JDV_J106)', (server) => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'directory-professions-'));
    const header = (await readFile(PS_V1, 'utf8')).split('\n')[0]!;
    const file = join(folder, 'PS_LibreAcces_Personne_activite_psychologue.txt');
    await writeFile(file, `${header}\n${PSYCHOLOGIST_LINE}\n`);
    const report = await findDirectoryModule(server().running.platform.modules).importExtract(file, { deactivate: false });
    assert.deepEqual(report.rejections, []);
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('a psychologist (93) is imported under TRE_R95-UsagerTitre, on the Practitioner and the PractitionerRole', async () => {
    const practitioner = (await server().get(`Practitioner/${PSYCHOLOGIST}`)).body;
    const profession = practitioner.qualification[0].code.coding[0];
    assert.deepEqual({ system: profession.system, code: profession.code }, { system: R95, code: '93' });
    const roles = (await server().get(`PractitionerRole?practitioner=Practitioner/${PSYCHOLOGIST}`)).body;
    assert.equal(roles.entry.length, 1);
    assert.deepEqual(roles.entry[0].resource.code[0].coding[0].system, R95);
    assert.ok(!JSON.stringify([practitioner, roles]).includes('TRE_G15'), 'no TRE_G15 coding left for 93');
  });

  test('the Annuaire searches find the psychologist by profession with its system, not under TRE_G15', async () => {
    assert.deepEqual(ids((await server().get(`Practitioner?qualification-code=${R95}|93`)).body), [PSYCHOLOGIST]);
    assert.deepEqual(ids((await server().get(`Practitioner?qualification-code=${G15}|93`)).body), []);
    const roles = ids((await server().get(`PractitionerRole?role=${R95}|93`)).body);
    assert.equal(roles.length, 1);
    assert.ok(roles[0]!.startsWith(PSYCHOLOGIST), roles[0]);
  });

  test('the psychologist’s Pro Santé Connect claims carry the profession and its activity', async () => {
    await authOf(server()).createAccount({ login: PSYCHOLOGIST, password: DEMO_SECRETS.userPassword, totpSecret: DEMO_SECRETS.totpSecret });
    const tokens = await loginAndExchange(server(), PSYCHOLOGIST, 'openid scope_all');
    const response = await fetch(`${server().url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(response.status, 200);
    const claims = (await response.json()) as any;
    assert.equal(claims.SubjectNameID, PSYCHOLOGIST);
    assert.equal(claims.SubjectRefPro.exercices.length, 1);
    const [exercise] = claims.SubjectRefPro.exercices;
    assert.equal(exercise.codeProfession, '93');
    assert.equal(exercise.codeCategorieProfessionnelle, 'C');
    assert.equal(exercise.activities.length, 1, 'the PractitionerRole of profession 93 is its activity');
    assert.equal(exercise.activities[0].codeModeExercice, 'L');
    assert.equal(exercise.activities[0].raisonSocialeSite, 'CABINET DE PSYCHOLOGIE DU PARC');
  });
}, DEMO_OVERRIDES);
