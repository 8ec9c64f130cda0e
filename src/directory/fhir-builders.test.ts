/** The directory's resources are valid R4 and shaped after the Annuaire Santé profiles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../fhir/definitions/schema.js';
import { validateResource } from '../fhir/validation/validator.js';
import { buildMailboxMss, buildOrganization, buildPractitioner, buildPractitionerRole } from './fhir-builders.js';
import { applyEnrichment, withoutVersion } from './enrichment.js';
import { mapFinessEstablishment, mapPersonGroup } from './map-extracts.js';

const schema = r4Schema();
const assertValid = (resource: unknown): void => {
  const result = validateResource(schema, resource);
  assert.ok(result.valid, JSON.stringify(result.issues));
};

test('a practitioner: idNatPs and rpps identifiers, exercise profession and savoir-faire qualifications, MSS mailbox', () => {
  const p = buildPractitioner({
    idNatPs: '810000555010', family: 'MARTINEAU', given: 'Claire', practiceCivility: 'DR', professionCode: '10', specialtyCode: 'SM54',
    mailboxes: [{ address: 'claire.martineau@medecin.mssante.fr', type: 'PER', responsible: 'ignored for PER' }],
  });
  assertValid(p);
  assert.equal(p.id, '810000555010');
  // as-dp-practitioner requires its own canonical and FR Core's, pinned as FR Core fixes it (fr-canonical 1..1).
  assert.deepEqual((p.meta as any).profile, [
    'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner',
    'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner|2.2.0',
  ]);
  assert.deepEqual((p.identifier as any[]).map((i) => i.type.coding[0].code), ['IDNPS', 'RPPS']);
  const qualification = p.qualification as any[];
  assert.equal(qualification[0].code.coding[0].system, 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante');
  assert.equal(qualification[1].code.coding[1].system, 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale');
  const mailbox = (p.telecom as any[])[0];
  assert.equal(mailbox.extension[0].valueCoding.code, 'MSSANTE');
  // No "responsible" for a personal mailbox (as-ext-mailbox-mss-metadata).
  assert.deepEqual(mailbox.extension[1].extension.map((e: any) => e.url), ['type']);
});

test('an ADELI professional has no RPPS identifier', () => {
  const p = buildPractitioner({ idNatPs: '0696001239', family: 'LEROUX', professionCode: '60' });
  assertValid(p);
  assert.deepEqual((p.identifier as any[]).map((i) => i.value), ['0696001239']);
});

test('mailboxes in liste rouge are not published; others carry type and service, never the non-public responsible', () => {
  const o = buildOrganization({
    idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', name: 'CH', finess: '690002001', partOfIdNatStruct: '1690001003',
    mailboxes: [{ address: 'a@ch.mssante.fr', type: 'ORG', service: 'Urgences', responsible: 'Cadre' }, { address: 'b@ch.mssante.fr', type: 'APP', listeRouge: true }],
  });
  assertValid(o);
  assert.deepEqual((o.telecom as any[]).map((t) => t.value), ['a@ch.mssante.fr']);
  // as-dp-organization: telecom[mailbox-mss]…extension[responsible] 0..0.
  assert.deepEqual((o.telecom as any[])[0].extension[1].extension, [
    { url: 'type', valueCodeableConcept: { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R257-TypeBAL/FHIR/TRE-R257-TypeBAL', code: 'ORG' }] } },
    { url: 'service', valueString: 'Urgences' },
  ]);
  assert.deepEqual((o.meta as any).profile, [
    'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-organization',
    'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-organization|2.2.0',
  ]);
  assert.deepEqual((o.partOf as any).reference, 'Organization/1690001003');
  assert.deepEqual(buildMailboxMss({ address: 'x@y.mssante.fr', type: 'CAB', rank: 1 }).rank, 1);
});

test('a practice situation links practitioner and organization and codes profession, mode and function', () => {
  const role = buildPractitionerRole({ idNatPs: '810000555010', organizationIdNatStruct: '1690002001', professionCode: '10', modeCode: 'S', functionCode: 'FON-AU' });
  assertValid(role);
  assert.equal(role.id, '810000555010-1690002001-10-S');
  assert.deepEqual((role.code as any[]).map((c) => c.coding[0].code), ['10', 'S', 'FON-AU']);
  // as-dp-practitionerrole: identifier[idSituationExercice] 1..1, system https://rpps.esante.gouv.fr.
  assert.deepEqual(role.identifier, [{ system: 'https://rpps.esante.gouv.fr', value: '810000555010-1690002001-10-S' }]);
  assert.deepEqual((role.meta as any).profile, [
    'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitionerrole',
    'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner-role|2.2.0',
  ]);
});

test('the situation identifier is the same for the same extract line, and differs from one situation to another', () => {
  const input = { idNatPs: '810000555010', organizationIdNatStruct: '1690002001', professionCode: '10', modeCode: 'S', functionCode: 'FON-AU' };
  assert.deepEqual(buildPractitionerRole(input).identifier, buildPractitionerRole({ ...input }).identifier);
  const values = [
    buildPractitionerRole(input), buildPractitionerRole({ ...input, modeCode: 'L' }), buildPractitionerRole({ ...input, organizationIdNatStruct: undefined }),
    buildPractitionerRole({ ...input, professionCode: '21' }), buildPractitionerRole({ ...input, idNatPs: '810000555028' }),
  ].map((r) => (r.identifier as any[])[0].value);
  assert.equal(new Set(values).size, values.length, values.join(','));
});

const line = { idNatPs: '810000555010', rpps: '10000555010', family: 'MARTINEAU', professionCode: '10', savoirFaireType: 'S', savoirFaireCode: 'SM54' };

test('one professional with two situations: one Practitioner, two roles, each structure as Organization (a FINESS site in its minimal form)', () => {
  const resources = mapPersonGroup([
    { ...line, modeCode: 'L', structure: { idNatStruct: '381234567800013', siret: '81234567800013', name: 'CABINET', lines: ['3 Place DES TILLEULS'], city: 'Lyon', postalCode: '69003' } },
    { ...line, modeCode: 'S', structure: { idNatStruct: '1690002001', finessSite: '690002001', lines: [] } },
  ]);
  for (const r of resources) assertValid(r);
  assert.deepEqual(resources.map((r) => `${String(r.resourceType)}/${String(r.id)}`), [
    'Practitioner/810000555010', 'Organization/381234567800013', 'PractitionerRole/810000555010-381234567800013-10-L',
    'Organization/1690002001', 'PractitionerRole/810000555010-1690002001-10-S',
  ]);
  // The same savoir-faire on both lines is one qualification.
  assert.equal((resources[0]!.qualification as unknown[]).length, 2);
});

test('a situation keeps its activity sector and the structure\'s phone on the Organization, not on the role (as-dp-practitionerrole: specialty 0..0, telecom closed to mailboxes)', () => {
  const resources = mapPersonGroup([{
    ...line, modeCode: 'L', sectorCode: 'SA07',
    structure: { idNatStruct: '381234567800013', siret: '81234567800013', name: 'CABINET', lines: [], phone: '0472000001', email: 'cabinet@example.fr' },
  }]);
  const role = resources.find((r) => r.resourceType === 'PractitionerRole')!;
  const organization = resources.find((r) => r.resourceType === 'Organization')!;
  assert.equal(role.specialty, undefined);
  assert.equal(role.telecom, undefined);
  assert.ok((organization.type as any[]).some((t) => t.coding[0].code === 'SA07'));
  assert.deepEqual((organization.telecom as any[]).map((t) => t.system), ['phone', 'email']);
  const withMailbox = buildPractitionerRole({ idNatPs: '810000555010', professionCode: '10', mailboxes: [{ address: 'c.martineau@ch.mssante.fr', type: 'PER' }] });
  assert.deepEqual((withMailbox.telecom as any[]).map((t) => t.value), ['c.martineau@ch.mssante.fr']);
});

test('a FINESS site comes with its legal entity, which it is partOf', () => {
  const [legal, site] = mapFinessEstablishment({ finessEt: '690002001', finessEj: '690001003', name: 'CH', lines: [] });
  assertValid(legal);
  assertValid(site);
  assert.equal((legal!.type as any[])[0].coding[0].code, 'LEGAL-ENTITY');
  assert.equal((site!.partOf as any).reference, `Organization/${String(legal!.id)}`);
});

test('the savoir-faire extract replaces savoir-faire qualifications and keeps the profession', () => {
  const built = buildPractitioner({ idNatPs: '810000555010', family: 'M', professionCode: '10', specialtyCode: 'SM54' });
  const stored = { ...built, meta: { ...(built.meta as object), versionId: '3', lastUpdated: '2026-01-01T00:00:00Z' } };
  const updated = applyEnrichment(withoutVersion(stored), { savoirFaire: [{ type: 'CAPA', code: 'CAPA08' }] });
  assertValid(updated);
  const codes = (updated.qualification as any[]).map((q) => q.code.coding.at(-1).code);
  assert.deepEqual(codes, ['C', 'CAPA08']);
  assert.deepEqual(updated.meta, built.meta);
});

test('MSSanté mailboxes replace the previous ones and leave other contacts alone', () => {
  const o = buildOrganization({ idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', name: 'CH', phone: '0472000001', mailboxes: [{ address: 'old@ch.mssante.fr', type: 'ORG' }] });
  const updated = applyEnrichment(o, { mailboxes: [{ address: 'new@ch.mssante.fr', type: 'APP' }] });
  assertValid(updated);
  assert.deepEqual((updated.telecom as any[]).map((t) => t.value), ['0472000001', 'new@ch.mssante.fr']);
  assert.equal(applyEnrichment(buildPractitioner({ idNatPs: '810000555010', family: 'M', professionCode: '10', mailboxes: [{ address: 'a@b.mssante.fr', type: 'PER' }] }), { mailboxes: [] }).telecom, undefined);
});

// What the Annuaire's public profiles (as-dp-*, ansforge/IG-fhir-annuaire) fix and our builders departed from.
const ORGANIZATION_TYPE_SLICES = ['organizationType', 'statutJuridiqueINSEE', 'sphParticipation', 'typeEtablissement', 'secteurActiviteRASS'];

test('a FINESS category is an Organization type without as-ext-organization-types, whose value set names only the slices that carry it', () => {
  const [, site] = mapFinessEstablishment({ finessEt: '690002001', finessEj: '690001003', name: 'CH', lines: [], categoryCode: '355', categoryDisplay: 'Centre Hospitalier (C.H.)' });
  assertValid(site);
  const types = site!.type as any[];
  const category = types.find((t) => t.coding[0].code === '355');
  assert.equal(category.coding[0].system, 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement');
  assert.equal(category.extension, undefined);
  for (const t of types) for (const e of t.extension ?? []) assert.ok(ORGANIZATION_TYPE_SLICES.includes(e.valueCode), e.valueCode);
});

test('a Practitioner\'s mailbox carries no listeRouge (as-dp-practitioner 0..0); an Organization\'s and a role\'s keep it', () => {
  const mailboxes = [{ address: 'a@b.mssante.fr', type: 'PER' as const, listeRouge: false, description: 'Cabinet' }];
  const metadata = (r: Record<string, unknown>): string[] => (r.telecom as any[])[0].extension[1].extension.map((e: any) => e.url);
  const practitioner = buildPractitioner({ idNatPs: '810000555010', family: 'M', professionCode: '10', mailboxes });
  assertValid(practitioner);
  assert.deepEqual(metadata(practitioner), ['type', 'description']);
  assert.deepEqual(metadata(buildOrganization({ idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', mailboxes: [{ ...mailboxes[0]!, type: 'ORG' }] })), ['type', 'description', 'listeRouge']);
  assert.deepEqual(metadata(buildPractitionerRole({ idNatPs: '810000555010', professionCode: '10', mailboxes })), ['type', 'description', 'listeRouge']);
  // The MSSanté extract's mailboxes follow the same rule when they are added to a Practitioner.
  const enriched = applyEnrichment(buildPractitioner({ idNatPs: '810000555010', family: 'M', professionCode: '10' }), { mailboxes });
  assert.deepEqual(metadata(enriched), ['type', 'description']);
});

test('an address has no country unless a COG code is given (as-address-extended binds country to JDV_J256-Pays; FRA is not one of its codes)', () => {
  const resources = mapPersonGroup([{ ...line, modeCode: 'L', structure: { idNatStruct: '381234567800013', siret: '81234567800013', name: 'CABINET', lines: ['3 Place DES TILLEULS'], city: 'Lyon', postalCode: '69003' } }]);
  const address = (resources.find((r) => r.resourceType === 'Organization')!.address as any[])[0];
  assert.equal(address.country, undefined);
  const [, site] = mapFinessEstablishment({ finessEt: '690002001', finessEj: '690001003', name: 'CH', lines: ['12 R DES CASCADES'], city: 'LYON', postalCode: '69004' });
  assert.equal((site!.address as any[])[0].country, undefined);
  assert.equal((buildOrganization({ idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', address: { city: 'X', country: '99100' } }).address as any[])[0].country, '99100');
});

test('the civility (Code civilité: M, MME) is the name\'s prefix and the practice civility (DR) its suffix, as the DP examples write them', () => {
  const [practitioner] = mapPersonGroup([{ ...line, civility: 'MME', practiceCivility: 'DR', given: 'Claire' }]);
  assertValid(practitioner);
  assert.deepEqual((practitioner!.name as any[])[0], { use: 'usual', family: 'MARTINEAU', given: ['Claire'], prefix: ['MME'], suffix: ['DR'] });
});

const ADXP = 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-';
const AS_SD = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';

test('an address line keeps its text and carries the extract\'s columns as the ADXP parts as-address-extended slices (the _line of the guide\'s examples)', () => {
  const [, organization] = mapPersonGroup([{
    ...line, modeCode: 'L',
    structure: {
      idNatStruct: '381234567800013', name: 'CABINET', city: 'Nantes', postalCode: '44000',
      lines: [
        { text: 'RESIDENCE LES LILAS', parts: { additionalLocator: 'RESIDENCE LES LILAS' } },
        { text: '18 B Avenue DES LILAS', parts: { houseNumber: '18', buildingNumberSuffix: 'B', streetNameType: 'AV', streetNameBase: 'DES LILAS' } },
        'UNE LIGNE SANS PARTIES',
        { text: 'BP 44', parts: { postBox: 'BP 44' } },
      ],
    },
  }]);
  assertValid(organization);
  const address = (organization!.address as any[])[0];
  assert.deepEqual(address.line, ['RESIDENCE LES LILAS', '18 B Avenue DES LILAS', 'UNE LIGNE SANS PARTIES', 'BP 44']);
  assert.deepEqual(address._line, [
    { extension: [{ url: `${ADXP}additionalLocator`, valueString: 'RESIDENCE LES LILAS' }] },
    { extension: [
      { url: `${ADXP}houseNumber`, valueString: '18' }, { url: `${ADXP}buildingNumberSuffix`, valueString: 'B' },
      { url: `${ADXP}streetNameType`, valueString: 'AV' }, { url: `${ADXP}streetNameBase`, valueString: 'DES LILAS' },
    ] },
    null,
    { extension: [{ url: `${ADXP}postBox`, valueString: 'BP 44' }] },
  ]);
  // Lines without parts write no _line at all; a lieu-dit is the Annuaire's own extension.
  const plain = (buildOrganization({ idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', address: { lines: ['12 R DES CASCADES'] } }).address as any[])[0];
  assert.deepEqual([plain.line, plain._line], [['12 R DES CASCADES'], undefined]);
  const lieuDit = (buildOrganization({ idNatStruct: '1690002001', kind: 'GEOGRAPHICAL-ENTITY', address: { lines: [{ text: 'LE HAMEAU', parts: { lieuDit: 'LE HAMEAU' } }] } }).address as any[])[0];
  assert.deepEqual(lieuDit._line, [{ extension: [{ url: `${AS_SD}/as-ext-lieu-dit`, valueString: 'LE HAMEAU' }] }]);
});

test('an Organization\'s alias: the RPPS "Enseigne commerciale site", the FINESS long name (rslongue), never the name again', () => {
  const cabinet = (enseigne: string) => mapPersonGroup([{ ...line, structure: { idNatStruct: '381234567800013', name: 'CABINET MEDICAL DES TILLEULS', alias: enseigne, lines: [] } }])[1]!;
  assertValid(cabinet('CABINET DE GROUPE'));
  assert.deepEqual([cabinet('CABINET DE GROUPE').name, cabinet('CABINET DE GROUPE').alias], ['CABINET MEDICAL DES TILLEULS', ['CABINET DE GROUPE']]);
  assert.equal(cabinet('CABINET MEDICAL DES TILLEULS').alias, undefined);
  const [legal, site] = mapFinessEstablishment({ finessEt: '690002001', finessEj: '690001003', name: 'CH CASCADES NORD', alias: 'CH DES CASCADES SITE NORD', lines: [] });
  assertValid(site);
  assert.deepEqual([site!.name, site!.alias], ['CH CASCADES NORD', ['CH DES CASCADES SITE NORD']]);
  assert.equal(legal!.alias, undefined);
});

test('what the import builds names its source in meta\'s as-ext-data-trace (rs-as-core): RPPS for personne-activité, FINESS with its update date (datemaj) on a site', () => {
  const trace = (resource: Record<string, unknown>): unknown => (resource.meta as any).extension;
  const rpps = [{ url: `${AS_SD}/as-ext-data-trace`, extension: [{ url: 'systeme-information', valueCode: 'RPPS' }] }];
  const resources = mapPersonGroup([{ ...line, modeCode: 'L', structure: { idNatStruct: '381234567800013', name: 'CABINET', lines: [] } }]);
  assert.deepEqual(resources.map((r) => r.resourceType), ['Practitioner', 'Organization', 'PractitionerRole']);
  for (const r of resources) {
    assertValid(r);
    assert.deepEqual(trace(r), rpps, String(r.resourceType));
    assert.equal((r.meta as any).source, 'https://annuaire.esante.gouv.fr', 'rs-as-core fixes meta.source');
  }
  const [legal, site] = mapFinessEstablishment({ finessEt: '690002001', finessEj: '690001003', name: 'CH', lines: [], updatedOn: '2026-09-15' });
  assertValid(site);
  assert.deepEqual(trace(site!), [{ url: `${AS_SD}/as-ext-data-trace`, extension: [{ url: 'systeme-information', valueCode: 'FINESS' }, { url: 'date-maj-ae', valueDate: '2026-09-15' }] }]);
  // The row's update date is the site's: its legal entity only names its source.
  assert.deepEqual(trace(legal!), [{ url: `${AS_SD}/as-ext-data-trace`, extension: [{ url: 'systeme-information', valueCode: 'FINESS' }] }]);
  // Resources built for other uses (demo data, an operator's) claim no source.
  assert.equal(trace(buildPractitioner({ idNatPs: '810000555010', family: 'M', professionCode: '10' })), undefined);
});

test('every savoir-faire type of TRE_R04 that JDV_J107 groups codes its savoir-faire in its own system (DNQ, OP, SST…), so qualification-code finds it by system|code', () => {
  const practitioner = buildPractitioner({
    idNatPs: '810000555010', family: 'MARTINEAU', professionCode: '10',
    savoirFaire: [{ type: 'DNQ', code: 'DSM213' }, { type: 'OP', code: '81' }, { type: 'SST', code: 'SST21' }],
  });
  const systems = (practitioner.qualification as { code: { coding: { system?: string; code: string }[] } }[]).slice(1).map((q) => `${q.code.coding[1]!.system ?? ''}#${q.code.coding[1]!.code}`);
  assert.deepEqual(systems, [
    'https://mos.esante.gouv.fr/NOS/TRE_R42-DESCnonQualifiant/FHIR/TRE-R42-DESCnonQualifiant#DSM213',
    'https://mos.esante.gouv.fr/NOS/TRE_G13-OrientationParticuliere/FHIR/TRE-G13-OrientationParticuliere#81',
    'https://mos.esante.gouv.fr/NOS/TRE_R359-SurspecialiteTransversale/FHIR/TRE-R359-SurspecialiteTransversale#SST21',
  ]);
});
