/**
 * The searches of the national directory API (Annuaire Santé FHIR API v2,
 * reference §2.3) over HTTP, on both backends, against the imported sample
 * extracts: R4's own parameters and the Annuaire's (identifier-type,
 * qualification-code, mailbox-mss, mailbox-mss-type), and
 * _revinclude=PractitionerRole:practitioner.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMailboxMss, buildOrganization, buildPractitioner, buildPractitionerRole } from '../../src/directory/fhir-builders.js';
import { findDirectoryModule } from '../../src/directory/index.js';
import { forEachBackend } from '../support/test-server.js';
import { FINESS, MSSANTE, PS_V1, SAVOIR_FAIRE } from './samples.js';

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';
const CARD_TYPES = 'https://mos.esante.gouv.fr/NOS/TRE_R87-TypeCarte/FHIR/TRE-R87-TypeCarte';
const AUTHORITIES = 'https://mos.esante.gouv.fr/NOS/TRE_R60-AutoriteEnregistrement/FHIR/TRE-R60-AutoriteEnregistrement';
/** An as-ext-data-trace extension: information system (as-cs-type-systeme-information) and registration authority (TRE_R60). */
const dataTrace = (system: string, authority: string): Record<string, unknown> => ({
  url: `${AS}/as-ext-data-trace`,
  extension: [
    { url: 'autorite-enregistrement', valueCodeableConcept: { coding: [{ system: AUTHORITIES, code: authority }] } },
    { url: 'systeme-information', valueCode: system },
  ],
});

const ids = (bundle: any, type?: string): string[] =>
  (bundle.entry ?? []).filter((e: any) => !type || e.resource.resourceType === type).map((e: any) => e.resource.id).sort();

forEachBackend('directory searches', (server) => {
  before(async () => {
    const directory = findDirectoryModule(server().running.platform.modules);
    for (const file of [PS_V1, FINESS, SAVOIR_FAIRE, MSSANTE]) await directory.importExtract(file);
    // Besides the MSSanté extract's: mailboxes made by the builders, one of them in liste rouge.
    const withMailbox = buildPractitioner({
      idNatPs: '810000555093', family: 'MESSAGER', given: 'Inès', professionCode: '10', specialtyCode: 'SM54',
      mailboxes: [{ address: 'ines.messager@medecin.mssante.fr', type: 'PER' }],
    });
    assert.equal((await server().put(`Practitioner/${String(withMailbox.id)}`, withMailbox)).status, 201);
    const organization = buildOrganization({
      idNatStruct: '3' + '84567890100016', kind: 'GEOGRAPHICAL-ENTITY', name: 'CABINET ORTHOPHONIE RIVE GAUCHE',
      mailboxes: [
        { address: 'secretariat@rive-gauche.mssante.fr', type: 'ORG', service: 'Secrétariat', responsible: 'Mme Dupont' },
        { address: 'cache@rive-gauche.mssante.fr', type: 'ORG', listeRouge: true },
      ],
    });
    assert.equal((await server().put(`Organization/${String(organization.id)}`, organization)).status, 201);
    // What the public extracts do not carry but the Annuaire publishes and searches: a pharmacy licence,
    // CPx cards, the data trace (in meta as the DP profiles put it, and on the resource as the SearchParameters read it).
    const pharmacy = buildOrganization({ idNatStruct: '3' + '85678901200011', kind: 'GEOGRAPHICAL-ENTITY', name: 'PHARMACIE DU CANAL' });
    pharmacy.extension = [{ url: `${AS}/as-ext-organization-pharmacy-licence`, valueString: '69#000412' }];
    pharmacy.meta = { ...(pharmacy.meta as object), extension: [dataTrace('FINESS', 'ARS-84')] };
    assert.equal((await server().put(`Organization/${String(pharmacy.id)}`, pharmacy)).status, 201);
    const carded = buildPractitioner({ idNatPs: '810000555101', family: 'CARTIER', given: 'Paul', professionCode: '10' });
    carded.extension = [
      { url: `${AS}/as-ext-smartcard`, extension: [{ url: 'type', valueCodeableConcept: { coding: [{ system: CARD_TYPES, code: 'CPS' }] } }, { url: 'number', valueString: '2800123456' }] },
      dataTrace('RPPS', 'CNOM'),
    ];
    assert.equal((await server().put(`Practitioner/${String(carded.id)}`, carded)).status, 201);
    const role = buildPractitionerRole({ idNatPs: '810000555101', professionCode: '10', modeCode: 'S' });
    role.extension = [{ url: `${AS}/as-ext-practitionerrole-smartcard`, extension: [{ url: 'type', valueCodeableConcept: { coding: [{ system: CARD_TYPES, code: 'CPF' }] } }, { url: 'number', valueString: '2800999888' }] }];
    assert.equal((await server().put(`PractitionerRole/${String(role.id)}`, role)).status, 201);
  });

  test('Practitioner by family, given and name (accent- and case-insensitive)', async () => {
    assert.deepEqual(ids((await server().get('Practitioner?family=martineau')).body), ['810000555010']);
    assert.deepEqual(ids((await server().get('Practitioner?given=etienne')).body), ['810000555051']);
    assert.deepEqual(ids((await server().get('Practitioner?name=NGUY')).body), ['810000555044']);
  });

  test('Practitioner by identifier: idNat_PS, RPPS, and identifier-type', async () => {
    assert.deepEqual(ids((await server().get('Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|810000555051')).body), ['810000555051']);
    assert.deepEqual(ids((await server().get('Practitioner?identifier=https://rpps.esante.gouv.fr|10000555051')).body), ['810000555051']);
    // The ADELI nurse has no RPPS identifier.
    const rpps = ids((await server().get('Practitioner?identifier-type=https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203|RPPS&_count=50')).body);
    assert.ok(rpps.includes('810000555010') && !rpps.includes('0696001239'), rpps.join(','));
    const idnps = ids((await server().get('Practitioner?identifier-type=IDNPS&_count=50')).body);
    assert.ok(idnps.includes('0696001239'));
  });

  test('Practitioner by qualification-code: profession (TRE_G15) and savoir-faire', async () => {
    const g15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
    assert.deepEqual(ids((await server().get(`Practitioner?qualification-code=${g15}|21`)).body), ['810000555028']);
    assert.deepEqual(ids((await server().get('Practitioner?qualification-code=SM04')).body), ['810000555051']);
    // From the savoir-faire extract.
    assert.deepEqual(ids((await server().get('Practitioner?qualification-code=CAPA08')).body), ['810000555010']);
  });

  test('mailbox-mss and mailbox-mss-type on Practitioner and Organization; liste rouge mailboxes are not published', async () => {
    assert.deepEqual(ids((await server().get('Practitioner?mailbox-mss=ines.messager@medecin.mssante.fr')).body), ['810000555093']);
    assert.deepEqual(ids((await server().get('Practitioner?mailbox-mss:contains=messager')).body), ['810000555093']);
    assert.deepEqual(ids((await server().get('Organization?mailbox-mss=secretariat@rive-gauche.mssante.fr')).body), ['384567890100016']);
    assert.deepEqual(ids((await server().get('Organization?mailbox-mss=cache@rive-gauche.mssante.fr')).body), []);
    assert.deepEqual(ids((await server().get('Organization?mailbox-mss-type=ORG')).body), ['1690002001', '382345678900010', '384567890100016']);
    assert.deepEqual(ids((await server().get('Organization?mailbox-mss-type=APP')).body), ['1690002001']);
    assert.deepEqual(ids((await server().get('Practitioner?mailbox-mss-type=PER')).body), ['810000555010', '810000555093']);
    assert.deepEqual(ids((await server().get('Practitioner?mailbox-mss-type=CAB')).body), ['810000555051']);
    assert.deepEqual(ids((await server().get('Practitioner?mailbox-mss=claire.martineau@medecin.mssante.fr')).body), ['810000555010']);
    const stored = (await server().get('Organization/384567890100016')).body;
    assert.deepEqual(stored.telecom, [buildMailboxMss({ address: 'secretariat@rive-gauche.mssante.fr', type: 'ORG', service: 'Secrétariat', responsible: 'Mme Dupont' })]);
    // The responsible person is restricted data: as-dp-organization has …extension[responsible] 0..0.
    assert.ok(!JSON.stringify(stored).includes('responsible') && !JSON.stringify(stored).includes('Mme Dupont'));
  });

  test('PractitionerRole by identifier: the practice situation (idSituationExercice, system https://rpps.esante.gouv.fr)', async () => {
    const { body } = await server().get('PractitionerRole?identifier=https://rpps.esante.gouv.fr|810000555010-1690002001-10-S');
    assert.deepEqual(ids(body), ['810000555010-1690002001-10-S']);
    assert.deepEqual(body.entry[0].resource.identifier, [{ system: 'https://rpps.esante.gouv.fr', value: '810000555010-1690002001-10-S' }]);
    assert.deepEqual(body.entry[0].resource.meta.profile, [
      `${AS}/as-dp-practitionerrole`, 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner-role|2.2.0',
    ]);
    assert.deepEqual(ids((await server().get('PractitionerRole?identifier=810000555028-382345678900010-21-L')).body), ['810000555028-382345678900010-21-L']);
  });

  test('Organization by address-line (AsAddressLineSearchParameter)', async () => {
    assert.deepEqual(ids((await server().get('Organization?address-line=3%20place%20des')).body), ['381234567800013']);
    assert.deepEqual(ids((await server().get('Organization?address-line:contains=lilas')).body), ['383456789000019']);
    assert.deepEqual(ids((await server().get('Organization?address-line=lyon')).body), [], 'the city is not an address line');
  });

  test('Organization by pharmacy-licence (AsPharmacyLicenceSearchParameter)', async () => {
    assert.deepEqual(ids((await server().get('Organization?pharmacy-licence=69%23000412')).body), ['385678901200011']);
    assert.deepEqual(ids((await server().get('Organization?pharmacy-licence:exact=69%23000413')).body), []);
  });

  test('data-information-system and data-registration-authority, in meta.extension or on the resource', async () => {
    // The imported resources name their source too: the FINESS sites and legal entities, the RPPS professionals.
    assert.deepEqual(ids((await server().get('Organization?data-information-system=FINESS&_count=100')).body),
      ['1130003007', '1130004005', '1690001003', '1690002001', '1750005001', '1750006009', '385678901200011']);
    const rpps = ids((await server().get('Practitioner?data-information-system=RPPS&_count=100')).body);
    assert.ok(rpps.includes('810000555101') && rpps.includes('810000555010') && !rpps.includes('810000555093'), rpps.join(','));
    assert.deepEqual(ids((await server().get('Practitioner?data-information-system=FINESS')).body), []);
    assert.deepEqual(ids((await server().get(`Organization?data-registration-authority=${AUTHORITIES}|ARS-84`)).body), ['385678901200011']);
    assert.deepEqual(ids((await server().get('Practitioner?data-registration-authority=CNOM')).body), ['810000555101']);
    assert.deepEqual(ids((await server().get('PractitionerRole?data-registration-authority=CNOM')).body), []);
  });

  test('number-smartcard and type-smartcard: the card on Practitioner (as-ext-smartcard) and on PractitionerRole', async () => {
    assert.deepEqual(ids((await server().get('Practitioner?number-smartcard=2800123456')).body), ['810000555101']);
    assert.deepEqual(ids((await server().get('Practitioner?number-smartcard=2800999888')).body), []);
    assert.deepEqual(ids((await server().get('PractitionerRole?number-smartcard=2800999888')).body), ['810000555101-none-10-S']);
    assert.deepEqual(ids((await server().get(`Practitioner?type-smartcard=${CARD_TYPES}|CPS`)).body), ['810000555101']);
    assert.deepEqual(ids((await server().get('PractitionerRole?type-smartcard=CPF')).body), ['810000555101-none-10-S']);
  });

  test('PractitionerRole by organization, role and practitioner', async () => {
    assert.deepEqual(ids((await server().get('PractitionerRole?organization=Organization/1690002001')).body), [
      '810000555010-1690002001-10-S', '810000555044-1690002001-50-S',
    ]);
    const liberal = ids((await server().get('PractitionerRole?role=https://mos.esante.gouv.fr/NOS/TRE_R23-ModeExercice/FHIR/TRE-R23-ModeExercice|L&_count=50')).body);
    assert.deepEqual(liberal, ['810000555010-381234567800013-10-L', '810000555028-382345678900010-21-L', '810000555036-383456789000019-70-L']);
    assert.deepEqual(ids((await server().get('PractitionerRole?role=50')).body), ['810000555044-1690002001-50-S']);
    // Chained to the organization's city.
    assert.deepEqual(ids((await server().get('PractitionerRole?organization.address-city=marseille&_count=50')).body), [
      '810000555028-382345678900010-21-L', '810000555051-1130004005-10-S',
    ]);
  });

  test('Organization by address-city, address-postalcode, type, partof, identifier, identifier-type and name', async () => {
    assert.deepEqual(ids((await server().get('Organization?address-city=LYON&_count=50')).body), ['1690002001', '381234567800013']);
    assert.deepEqual(ids((await server().get('Organization?address-postalcode=13008')).body), ['1130004005']);
    assert.deepEqual(ids((await server().get('Organization?type=LEGAL-ENTITY&_count=50')).body), ['1130003007', '1690001003', '1750005001']);
    assert.deepEqual(ids((await server().get('Organization?partof=Organization/1690001003')).body), ['1690002001']);
    assert.deepEqual(ids((await server().get('Organization?identifier=https://finess.esante.gouv.fr|750006009')).body), ['1750006009']);
    assert.deepEqual(ids((await server().get('Organization?identifier-type=FINEJ&_count=50')).body), ['1130003007', '1690001003', '1750005001']);
    assert.deepEqual(ids((await server().get('Organization?name=ehpad%20les')).body), ['1750006009']);
    // The RPPS "Identifiant technique de la structure", as the Annuaire publishes it (rppsrang, typed RPPSRG).
    assert.deepEqual(ids((await server().get('Organization?identifier=https://rppsrang.esante.gouv.fr|C81234567800013')).body), ['381234567800013']);
    assert.ok(ids((await server().get('Organization?identifier-type=RPPSRG&_count=50')).body).includes('381234567800013'));
    // period (the Annuaire's as-sp-organization-period): the activity period, from FINESS dateouv.
    assert.ok(ids((await server().get('Organization?period=ge1975-03-01&_count=50')).body).includes('1690002001'));
    assert.ok(!ids((await server().get('Organization?period=lt1975-01-01&_count=50')).body).includes('1690002001'));
  });

  test('Organization by address-insee (the Annuaire\'s as-sp-insee-code): the commune\'s INSEE code, as a string (a prefix finds a department)', async () => {
    assert.deepEqual(ids((await server().get('Organization?address-insee=69384')).body), ['1690002001']);
    assert.deepEqual(ids((await server().get('Organization?address-insee=13208')).body), ['1130004005']);
    assert.deepEqual(ids((await server().get('Organization?address-insee=99999')).body), []);
    assert.ok(ids((await server().get('Organization?address-insee=69&_count=50')).body).includes('1690002001'));
    const strict = await server().get('Organization?address-insee=69384', { prefer: 'handling=strict' });
    assert.equal(strict.status, 200, 'a known parameter, even under strict handling');
  });

  test('active finds active and deactivated records', async () => {
    assert.ok(ids((await server().get('Practitioner?active=true&_count=50')).body).length >= 6);
    await server().put('Practitioner/0696001239', { resourceType: 'Practitioner', id: '0696001239', active: false, identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '0696001239' }] });
    assert.deepEqual(ids((await server().get('Practitioner?active=false')).body), ['0696001239']);
  });

  test('_revinclude=PractitionerRole:practitioner returns each practitioner with its practice situations', async () => {
    const { status, body } = await server().get('Practitioner?identifier=810000555010&_revinclude=PractitionerRole:practitioner');
    assert.equal(status, 200);
    assert.deepEqual(ids(body, 'Practitioner'), ['810000555010']);
    assert.deepEqual(ids(body, 'PractitionerRole'), ['810000555010-1690002001-10-S', '810000555010-381234567800013-10-L']);
    const modes = body.entry.map((e: any) => e.search.mode).sort();
    assert.deepEqual(modes, ['include', 'include', 'match']);
  });

  test('CapabilityStatement declares the Annuaire search parameters with their canonical URLs', async () => {
    const { body } = await server().get('metadata');
    const practitioner = body.rest[0].resource.find((r: any) => r.type === 'Practitioner');
    const declared = Object.fromEntries(practitioner.searchParam.map((p: any) => [p.name, p.definition]));
    assert.equal(declared['qualification-code'], 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-qualification-code');
    assert.equal(declared['mailbox-mss'], 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-mailbox-mss');
    assert.ok('identifier-type' in declared);
    const annuaire = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/';
    const declaredOn = (type: string): Record<string, string> =>
      Object.fromEntries(body.rest[0].resource.find((r: any) => r.type === type).searchParam.map((p: any) => [p.name, p.definition]));
    // AsServerDPCapabilityStatement's parameters, by type.
    const expected: Record<string, string[]> = {
      Organization: ['address-line', 'data-information-system', 'data-registration-authority', 'pharmacy-licence', 'mailbox-mss'],
      Practitioner: ['data-information-system', 'data-registration-authority', 'number-smartcard', 'type-smartcard'],
      PractitionerRole: ['data-information-system', 'data-registration-authority', 'mailbox-mss'],
      HealthcareService: ['data-information-system', 'data-registration-authority'],
      Device: ['data-information-system', 'data-registration-authority'],
    };
    for (const [type, names] of Object.entries(expected)) {
      const onType = declaredOn(type);
      for (const name of names) assert.equal(onType[name], `${annuaire}as-sp-${name}`, `${type} ${name}`);
    }
  });
});
