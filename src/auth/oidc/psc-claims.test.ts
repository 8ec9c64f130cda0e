/**
 * Pro Santé Connect's claims from directory resources as the directory's own
 * builders write them: a professional with two professions (one exercicePro
 * on the Practitioner, FR Core 0..1; the other only on its roles) gets one
 * exercise per profession; the structure's identifiers, address parts and
 * sector land in PSC's activity keys and VIHF claims; nothing about an
 * organisation is claimed when the directory knows no practice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pscProfessionalClaims } from './psc-claims.js';
import { buildOrganization, buildPractitioner, buildPractitionerRole } from '../../directory/fhir-builders.js';
import { addressLine } from '../../directory/address.js';

const ID_NAT = '810000555010';

test('two professions, two exercises; the first activity names SubjectOrganization, its ID and Secteur_Activite', () => {
  const practitioner = buildPractitioner({ idNatPs: ID_NAT, family: 'MARTIN', given: 'Anne', civility: 'MME', practiceCivility: 'DR', professionCode: '21' });
  const pharmacy = buildOrganization({
    idNatStruct: '4000000001234', kind: 'GEOGRAPHICAL-ENTITY', name: 'PHARMACIE DU CENTRE', technicalId: 'R10000001', siret: '73282932000074', sectorCode: 'SA33',
    address: { lines: [addressLine('2 R DE LA GARE', { houseNumber: '2', streetNameType: 'R', streetNameBase: 'DE LA GARE' })!], postalCode: '59000', city: 'LILLE', inseeCode: '59350' },
  });
  const hospital = buildOrganization({ idNatStruct: '1590000001', kind: 'GEOGRAPHICAL-ENTITY', name: 'CH TEST', finess: '590000001', sectorCode: 'SA01' });
  const roles = [
    buildPractitionerRole({ idNatPs: ID_NAT, organizationIdNatStruct: '4000000001234', professionCode: '21', modeCode: 'L', activityGenreCode: 'GENR01' }),
    buildPractitionerRole({ idNatPs: ID_NAT, organizationIdNatStruct: '1590000001', professionCode: '10', modeCode: 'S' }),
  ];
  const organizations = new Map([pharmacy, hospital].map((o) => [`Organization/${o.id as string}`, o] as const));
  const claims = pscProfessionalClaims(ID_NAT, practitioner, roles, organizations) as any;
  assert.deepEqual(claims.SubjectRefPro.exercices.map((e: any) => e.codeProfession), ['21', '10']);
  assert.deepEqual(claims.SubjectRole, ['21^1.2.250.1.213.1.1.5.5', '10^1.2.250.1.213.1.1.5.5']);
  const [exercise] = claims.SubjectRefPro.exercices;
  assert.equal(exercise.codeCategorieProfessionnelle, 'C');
  assert.equal(exercise.codeCiviliteDexercice, 'DR');
  assert.equal(claims.codeCivilite, 'MME');
  const activity = exercise.activities[0];
  assert.equal(activity.identifiantTechniqueDeLaStructure, 'R10000001');
  assert.equal(activity.ancienIdentifiantDeLaStructure, '4000000001234');
  assert.equal(activity.numeroSiretSite, '73282932000074');
  assert.equal(activity.numeroVoie, '2');
  assert.equal(activity.codeTypeDeVoie, 'R');
  assert.equal(activity.libelleVoie, 'DE LA GARE');
  assert.equal(activity.bureauCedex, '59000 LILLE');
  assert.equal(activity.codeCommune, '59350');
  assert.equal(activity.codeGenreActivite, 'GENR01');
  assert.equal(activity.numeroFinessSite, '', 'every key, empty when unknown');
  assert.equal(claims.SubjectOrganization, 'PHARMACIE DU CENTRE');
  assert.equal(claims.SubjectOrganizationID, 'R10000001');
  assert.equal(claims.Secteur_Activite, 'SA33^1.2.250.1.71.4.2.4');
  assert.equal(claims.SubjectRefPro.exercices[1].activities[0].numeroFinessSite, '590000001');
});

test('no practice in the directory: no organisation, sector or genre claimed', () => {
  const practitioner = buildPractitioner({ idNatPs: ID_NAT, family: 'X', professionCode: '60' });
  const claims = pscProfessionalClaims(ID_NAT, practitioner, [], new Map()) as any;
  assert.deepEqual(claims.SubjectRole, ['60^1.2.250.1.213.1.1.5.5']);
  for (const key of ['SubjectOrganization', 'SubjectOrganizationID', 'Secteur_Activite', 'codeGenreActivite', 'codeCivilite']) assert.equal(key in claims, false, key);
  assert.equal(claims.Palier_Authentification, 'APPPRIP3^1.2.250.1.213.1.5.1.1.1');
});
