/**
 * The Annuaire Santé's public profiles (as-dp-practitioner, as-dp-practitionerrole,
 * as-dp-organization, guide ansforge/IG-fhir-annuaire) against Socle, on both
 * backends: what `socle directory import` writes from the sample extracts keeps
 * the rules those profiles fix, and resources shaped as the guide's DP examples
 * (written here with our own values) are accepted by an operator's PUT and found
 * by the Annuaire API's searches (reference §2.3) with the values they carry.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDirectoryModule } from '../../src/directory/index.js';
import { forEachBackend } from '../support/test-server.js';
import { FINESS, MSSANTE, PS_V1, SAVOIR_FAIRE } from './samples.js';

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';
const FR = 'https://hl7.fr/ig/fhir/core';
const ID_TYPE = `${FR}/CodeSystem/fr-core-cs-v2-0203`;
const nos = (tre: string, name: string): string => `https://mos.esante.gouv.fr/NOS/${tre}-${name}/FHIR/${tre.replace('_', '-')}-${name}`;
const ORGANIZATION_TYPE_SLICES = ['organizationType', 'statutJuridiqueINSEE', 'sphParticipation', 'typeEtablissement', 'secteurActiviteRASS'];

const identifier = (system: string, value: string, type: string) => ({ use: 'official', system, value, type: { coding: [{ system: ID_TYPE, code: type }] } });
const meta = (profile: string, frCore: string) => ({ source: 'https://annuaire.esante.gouv.fr', profile: [`${AS}/${profile}|1.2.0-snapshot-2`, `${FR}/StructureDefinition/${frCore}|2.2.0`] });
const orgType = (slice: string, system: string, code: string) => ({ extension: [{ url: `${AS}/as-ext-organization-types`, valueCode: slice }], coding: [{ system, code }] });
const code = (tre: string, name: string, value: string) => ({ coding: [{ system: nos(tre, name), code: value }] });

/** Our own resources in the DP examples' shape: a legal entity, a site partOf it, a professional, two situations. */
const DP_SHAPED = [
  {
    resourceType: 'Organization', id: 'dp-ej', meta: meta('as-dp-organization', 'fr-core-organization'), language: 'fr', active: true,
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/organization-period', valuePeriod: { start: '2020-01-01' } }],
    identifier: [identifier('urn:oid:1.2.250.1.71.4.2.2', '1590000012', 'IDNST'), identifier('https://finess.esante.gouv.fr', '590000012', 'FINEJ')],
    name: 'GROUPE HOSPITALIER DU BEFFROI', alias: ['GH BEFFROI'],
    type: [orgType('organizationType', `${FR}/CodeSystem/fr-core-cs-v2-3307`, 'LEGAL-ENTITY'), orgType('secteurActiviteRASS', nos('TRE_R02', 'SecteurActivite'), 'SA01')],
  },
  {
    resourceType: 'Organization', id: 'dp-eg', meta: meta('as-dp-organization', 'fr-core-organization'), language: 'fr', active: true,
    identifier: [identifier('urn:oid:1.2.250.1.71.4.2.2', '1590000020', 'IDNST'), identifier('https://finess.esante.gouv.fr', '590000020', 'FINEG'), identifier('https://rppsrang.esante.gouv.fr', 'F590000020', 'RPPSRG')],
    name: 'SITE DU BEFFROI',
    type: [orgType('organizationType', `${FR}/CodeSystem/fr-core-cs-v2-3307`, 'GEOGRAPHICAL-ENTITY'), orgType('secteurActiviteRASS', nos('TRE_R02', 'SecteurActivite'), 'SA01')],
    telecom: [{ system: 'phone', value: '0320000000', rank: 1 }, {
      system: 'email', value: 'accueil@beffroi.mssante.fr',
      extension: [
        { url: `${FR}/StructureDefinition/fr-core-contact-point-email-type`, valueCoding: { system: nos('TRE_R256', 'TypeMessagerie'), code: 'MSSANTE' } },
        { url: `${AS}/as-ext-mailbox-mss-metadata`, extension: [{ url: 'type', valueCodeableConcept: code('TRE_R257', 'TypeBAL', 'ORG') }, { url: 'listeRouge', valueBoolean: false }] },
      ],
    }],
    address: [{
      extension: [{ url: `${FR}/StructureDefinition/fr-core-address-insee-code`, valueCoding: { system: nos('TRE_R13', 'Commune'), code: '59350' } }],
      line: ['7 PL DU BEFFROI'],
      _line: [{ extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber', valueString: '7' },
        { url: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameType', valueString: 'PL' },
        { url: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameBase', valueString: 'DU BEFFROI' },
      ] }],
      city: 'LILLE', postalCode: '59000',
    }],
    partOf: { reference: 'Organization/dp-ej' },
  },
  {
    resourceType: 'Practitioner', id: 'dp-ps', meta: meta('as-dp-practitioner', 'fr-core-practitioner'), language: 'fr', active: true,
    identifier: [identifier('urn:oid:1.2.250.1.71.4.2.1', '810000555200', 'IDNPS'), identifier('https://rpps.esante.gouv.fr', '10000555200', 'RPPS')],
    name: [{ use: 'usual', family: 'VERHAEGHE', given: ['Maëlle'], prefix: ['MME'], suffix: ['DR'] }],
    telecom: [{ system: 'email', value: 'maelle.verhaeghe@beffroi.mssante.fr', rank: 1, extension: [{ url: `${FR}/StructureDefinition/fr-core-contact-point-email-type`, valueCoding: { system: nos('TRE_R256', 'TypeMessagerie'), code: 'MSSANTE' } }] }],
    qualification: [
      { code: { coding: [{ system: nos('TRE_R48', 'DiplomeEtatFrancais'), code: 'DE01' }, { system: nos('TRE_R14', 'TypeDiplome'), code: 'DE' }] } },
      { code: { coding: [{ system: nos('TRE_G15', 'ProfessionSante'), code: '10' }, { system: nos('TRE_R09', 'CategorieProfessionnelle'), code: 'C' }] } },
    ],
  },
  ...(['L', 'S'] as const).map((mode) => ({
    resourceType: 'PractitionerRole', id: `dp-role-${mode}`, meta: meta('as-dp-practitionerrole', 'fr-core-practitioner-role'), language: 'fr', active: true,
    identifier: [{ system: 'https://rpps.esante.gouv.fr', value: `SITU-${mode}-0001` }],
    practitioner: { reference: 'Practitioner/dp-ps' }, organization: { reference: `Organization/${mode === 'L' ? 'dp-ej' : 'dp-eg'}` },
    code: [code('TRE_R22', 'GenreActivite', 'GENR01'), code('TRE_R23', 'ModeExercice', mode), code('TRE_R21', 'Fonction', 'FON-AU')],
  })),
];

const ids = (bundle: any, type?: string): string[] =>
  (bundle.entry ?? []).filter((e: any) => !type || e.resource.resourceType === type).map((e: any) => e.resource.id).sort();

forEachBackend('Annuaire Santé public profiles', (server) => {
  before(async () => {
    const directory = findDirectoryModule(server().running.platform.modules);
    for (const file of [PS_V1, FINESS, SAVOIR_FAIRE, MSSANTE]) await directory.importExtract(file);
  });

  test('the import writes what the DP profiles fix: Organization type extensions from as-vs-organization-types, no country outside COG, no listeRouge on a Practitioner, the civility as prefix', async () => {
    const organizations = (await server().get('Organization?_count=100')).body.entry.map((e: any) => e.resource);
    for (const o of organizations) {
      for (const t of o.type ?? []) for (const e of t.extension ?? []) assert.ok(ORGANIZATION_TYPE_SLICES.includes(e.valueCode), `${o.id}: ${e.valueCode}`);
      for (const a of o.address ?? []) assert.ok(a.country === undefined || /^99\d{3}$/.test(a.country), `${o.id}: ${a.country}`);
    }
    assert.ok(organizations.some((o: any) => (o.type ?? []).some((t: any) => t.coding[0].code === '355')), 'a FINESS category is still written');
    // as-address-extended: a line's extensions are its slices (ADXP parts, as-ext-lieu-dit), the street type a JDV_J103 code.
    const lineParts = [...['careOf', 'additionalLocator', 'houseNumber', 'buildingNumberSuffix', 'streetNameType', 'postBox', 'streetNameBase']
      .map((p) => `http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-${p}`), `${AS}/as-ext-lieu-dit`];
    const parts = organizations.flatMap((o: any) => (o.address ?? []).flatMap((a: any) => (a._line ?? []).flatMap((l: any) => l?.extension ?? [])));
    assert.ok(parts.some((e: any) => e.url.endsWith('ADXP-streetNameBase')), 'address lines carry their parts');
    for (const e of parts) {
      assert.ok(lineParts.includes(e.url) && typeof e.valueString === 'string', JSON.stringify(e));
      if (e.url.endsWith('ADXP-streetNameType')) assert.match(e.valueString, /^[A-Z]{1,4}$/, 'a street type code, not its label');
    }
    // rs-as-core: meta.source fixed, the data trace in meta.extension with the extension's own sub-extensions.
    for (const r of [...organizations, ...(await server().get('Practitioner?_count=100')).body.entry.map((e: any) => e.resource)]) {
      assert.equal(r.meta.source, 'https://annuaire.esante.gouv.fr', r.id);
      const [trace, ...others] = r.meta.extension ?? [];
      assert.equal(others.length, 0, r.id);
      assert.equal(trace?.url, `${AS}/as-ext-data-trace`, r.id);
      for (const e of trace.extension) assert.ok(['autorite-enregistrement', 'systeme-information', 'date-maj-ae'].includes(e.url), `${r.id}: ${e.url}`);
      assert.ok(['RPPS', 'FINESS'].includes(trace.extension.find((e: any) => e.url === 'systeme-information').valueCode), r.id);
    }
    for (const o of organizations) for (const alias of o.alias ?? []) assert.ok(typeof alias === 'string' && alias !== o.name, o.id);
    const practitioners = (await server().get('Practitioner?_count=100')).body.entry.map((e: any) => e.resource);
    for (const p of practitioners) {
      for (const t of p.telecom ?? []) {
        const metadata = (t.extension ?? []).find((e: any) => e.url === `${AS}/as-ext-mailbox-mss-metadata`);
        assert.ok(!(metadata?.extension ?? []).some((e: any) => ['listeRouge', 'responsible'].includes(e.url)), p.id);
      }
    }
    const martineau = practitioners.find((p: any) => p.id === '810000555010');
    assert.deepEqual([martineau.name[0].prefix, martineau.name[0].suffix], [['MME'], ['DR']]);
  });

  test('resources shaped as the DP examples are accepted by PUT and found by the Annuaire searches with the values they carry', async () => {
    for (const resource of DP_SHAPED) {
      const result = await server().put(`${resource.resourceType}/${resource.id}`, resource);
      assert.equal(result.status, 201, `${resource.resourceType}/${resource.id}: ${result.text}`);
    }
    const found = async (query: string, expected: string[]): Promise<void> => {
      const result = await server().get(query);
      assert.equal(result.status, 200, `${query}: ${result.text}`);
      assert.deepEqual(ids(result.body).filter((id) => id.startsWith('dp-')), expected, query);
    };
    await found('Practitioner?family=verhaeghe', ['dp-ps']);
    await found('Practitioner?given=maelle', ['dp-ps']);
    await found('Practitioner?name=VERHAEGHE', ['dp-ps']);
    await found('Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|810000555200', ['dp-ps']);
    await found('Practitioner?identifier=https://rpps.esante.gouv.fr|10000555200', ['dp-ps']);
    await found(`Practitioner?identifier-type=${ID_TYPE}|RPPS&_count=100`, ['dp-ps']);
    await found(`Practitioner?qualification-code=${nos('TRE_G15', 'ProfessionSante')}|10&_count=100`, ['dp-ps']);
    await found('Practitioner?qualification-code=DE01', ['dp-ps']);
    await found('Practitioner?mailbox-mss=maelle.verhaeghe@beffroi.mssante.fr', ['dp-ps']);
    await found('Practitioner?mailbox-mss:contains=beffroi', ['dp-ps']);
    await found('Practitioner?active=true&family=verhaeghe', ['dp-ps']);
    await found(`Practitioner?_profile=${AS}/as-dp-practitioner|1.2.0-snapshot-2`, ['dp-ps']);
    const withRoles = (await server().get('Practitioner?_id=dp-ps&_revinclude=PractitionerRole:practitioner')).body;
    assert.deepEqual(ids(withRoles), ['dp-ps', 'dp-role-L', 'dp-role-S']);
    await found('PractitionerRole?identifier=https://rpps.esante.gouv.fr|SITU-S-0001', ['dp-role-S']);
    await found('PractitionerRole?practitioner=Practitioner/dp-ps', ['dp-role-L', 'dp-role-S']);
    await found('PractitionerRole?organization=Organization/dp-eg', ['dp-role-S']);
    await found(`PractitionerRole?role=${nos('TRE_R23', 'ModeExercice')}|L&_count=100`, ['dp-role-L']);
    await found('PractitionerRole?role=FON-AU', ['dp-role-L', 'dp-role-S']);
    await found('PractitionerRole?role=GENR01&active=true', ['dp-role-L', 'dp-role-S']);
    await found('Organization?name=site%20du%20beffroi', ['dp-eg']);
    await found('Organization?name=GH%20BEFFROI', ['dp-ej']);
    await found('Organization?identifier=1590000020', ['dp-eg']);
    await found('Organization?identifier=https://finess.esante.gouv.fr|590000012', ['dp-ej']);
    await found('Organization?identifier=https://rppsrang.esante.gouv.fr|F590000020', ['dp-eg']);
    await found('Organization?identifier-type=FINEJ&_count=100', ['dp-ej']);
    await found('Organization?address-city=lille', ['dp-eg']);
    await found('Organization?address-postalcode=59000', ['dp-eg']);
    await found('Organization?address-line=7%20PL', ['dp-eg']);
    await found('Organization?type=LEGAL-ENTITY&_count=100', ['dp-ej']);
    await found(`Organization?type=${nos('TRE_R02', 'SecteurActivite')}|SA01&_count=100`, ['dp-eg', 'dp-ej']);
    await found('Organization?partof=Organization/dp-ej', ['dp-eg']);
    await found('Organization?mailbox-mss=accueil@beffroi.mssante.fr', ['dp-eg']);
    await found('Organization?mailbox-mss-type=ORG&_count=100', ['dp-eg']);
    await found('Organization?active=true&_count=100', ['dp-eg', 'dp-ej']);
  });
});
