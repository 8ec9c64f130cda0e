/**
 * The profession systems are one list (core/profession-systems.ts) that the directory writes with and the
 * Pro Santé Connect claims read with: every profession code, whatever system JDV_J106 gives it, written by the
 * directory's builder, comes back as PSC's codeProfession. A system added to one side and not the other fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pscProfessionalClaims } from '../auth/oidc/psc-claims.js';
import { buildPractitioner } from '../directory/fhir-builders.js';
import { PROFESSION_SYSTEM, PROFESSION_TRE_NAMES, professionSystem } from './profession-systems.js';

test('each code 10–99, written by the directory in its JDV_J106 system, is a profession for the PSC claims', () => {
  for (let n = 10; n <= 99; n++) {
    const code = String(n);
    const practitioner = buildPractitioner({ idNatPs: '810000555010', family: 'X', professionCode: code });
    const claims = pscProfessionalClaims('810000555010', practitioner, [], new Map()) as { SubjectRefPro: { exercices: { codeProfession: string }[] } };
    assert.deepEqual(claims.SubjectRefPro.exercices.map((e) => e.codeProfession), [code], code);
  }
});

test('JDV_J106: 71, 72, 73, 93 and 97 under TRE_R95-UsagerTitre, 41 under TRE_R94, 99 under TRE_R291, the rest under TRE_G15', () => {
  const bySystem = new Map<string, string[]>();
  for (let n = 10; n <= 99; n++) bySystem.set(professionSystem(String(n)), [...(bySystem.get(professionSystem(String(n))) ?? []), String(n)]);
  assert.deepEqual(bySystem.get(PROFESSION_SYSTEM.title), ['71', '72', '73', '93', '97']);
  assert.deepEqual(bySystem.get(PROFESSION_SYSTEM.social), ['41']);
  assert.deepEqual(bySystem.get(PROFESSION_SYSTEM.other), ['99']);
  assert.deepEqual(PROFESSION_TRE_NAMES, ['TRE_G15-ProfessionSante', 'TRE_R95-UsagerTitre', 'TRE_R94-ProfessionSocial', 'TRE_R291-AutreProfession']);
});
