/** The parsers of the public extracts, on lines in the published layouts (test/data/directory). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectExtractKind, splitPipeLine, splitSemicolonLine } from './extract-format.js';
import { communeCode, parseFinessRow } from './finess-etalab.js';
import { parsePsActivite, PS_ACTIVITE_REQUIRED } from './ps-activite.js';
import { columnMap } from './ps-columns.js';
import { parsePsSavoirFaire, PS_SAVOIR_FAIRE_REQUIRED } from './ps-savoir-faire.js';
import { isFhirError } from '../core/errors.js';
import { idNatStruct, MSSANTE_REQUIRED, parseMssMailbox } from './mssante.js';
import { mapFinessEstablishment, mapPersonGroup } from './map-extracts.js';

const sample = (name: string): string[] => readFileSync(new URL(`../../test/data/directory/${name}`, import.meta.url), 'utf8').split('\n');
const ps = sample('PS_LibreAcces_Personne_activite_sample.txt');
const columns = columnMap(ps[0]!, PS_ACTIVITE_REQUIRED, 'ps');
const columnIndex = (name: string): number => splitPipeLine(ps[0]!).indexOf(name);

test('the extract kind is read from the first line, with or without a byte order mark', () => {
  assert.equal(detectExtractKind(ps[0]!), 'ps-activite');
  assert.equal(detectExtractKind(`\uFEFF${ps[0]!}`), 'ps-activite');
  assert.equal(detectExtractKind(sample('PS_LibreAcces_SavoirFaire_sample.txt')[0]!), 'ps-savoir-faire');
  assert.equal(detectExtractKind('finess;etalab;115;2026-11-01'), 'finess-etalab');
  assert.equal(detectExtractKind('{"resourceType":"Bundle"}'), undefined);
});

test('a PS_LibreAcces line ends with "|", which closes the last field', () => {
  assert.deepEqual(splitPipeLine('a|b||'), ['a', 'b', '']);
  assert.equal(splitPipeLine(ps[0]!).length, 52);
});

test('FINESS fields may be quoted and contain ";"', () => {
  assert.deepEqual(splitSemicolonLine('structureet;"A;B";"dit ""X""";'), ['structureet', 'A;B', 'dit "X"', '']);
});

test('a personne-activité line gives the professional, the exercise and the structure with its address', () => {
  const parsed = parsePsActivite(splitPipeLine(ps[2]!), columns);
  assert.ok(parsed.ok);
  const r = parsed.record;
  assert.equal(r.idNatPs, '810000555010');
  assert.equal(r.rpps, '10000555010');
  assert.equal(r.savoirFaireCode, 'SM54');
  assert.equal(r.modeCode, 'S');
  assert.deepEqual(r.structure && [r.structure.idNatStruct, r.structure.finessSite, r.structure.finessLegal, r.structure.city, r.structure.postalCode, r.structure.inseeCode],
    ['1690002001', '690002001', '690001003', 'Lyon', '69004', '69384']);
  // The street line's text as before (the type's label), its parts tagged with the type's code (JDV_J103).
  assert.deepEqual(r.structure?.lines, [{ text: '12 Rue DES CASCADES', parts: { houseNumber: '12', streetNameType: 'R', streetNameBase: 'DES CASCADES' } }]);
});

test('a personne-activité structure: every address column becomes its line\'s part, the enseigne its alias', () => {
  const parsed = parsePsActivite(splitPipeLine(ps[6]!), columns);
  assert.ok(parsed.ok);
  const s = parsed.record.structure!;
  assert.deepEqual([s.name, s.alias], ['CABINET KINE DES LILAS', 'KINE DES LILAS']);
  assert.deepEqual(s.lines, [
    { text: 'RESIDENCE LES LILAS', parts: { additionalLocator: 'RESIDENCE LES LILAS' } },
    { text: '18 B Avenue DES LILAS', parts: { houseNumber: '18', buildingNumberSuffix: 'B', streetNameType: 'AV', streetNameBase: 'DES LILAS' } },
    { text: 'BP 44', parts: { postBox: 'BP 44' } },
  ]);
  const fields = splitPipeLine(ps[6]!);
  fields[columnIndex('Complément destinataire (coord. structure)')] = 'SECRETARIAT';
  const withCareOf = parsePsActivite(fields, columns);
  assert.deepEqual(withCareOf.ok && withCareOf.record.structure!.lines[0], { text: 'SECRETARIAT', parts: { careOf: 'SECRETARIAT' } });
});

test('malformed personne-activité lines say why', () => {
  const reasons = [5, 7, 9, 11].map((i) => {
    const parsed = parsePsActivite(splitPipeLine(ps[i]!), columns);
    return parsed.ok ? 'ok' : `${parsed.problem.key} ${JSON.stringify(parsed.problem.params)}`;
  });
  assert.match(reasons[0]!, /invalid-identifier.*RPPS/);
  assert.match(reasons[1]!, /field-count.*"found":13,"expected":52/);
  assert.match(reasons[2]!, /missing-field.*Nom d'exercice/);
  assert.match(reasons[3]!, /invalid-code.*X1/);
});

test('idNat_PS must be the type prefix followed by the identifier', () => {
  const fields = splitPipeLine(ps[1]!);
  fields[2] = '010000555010';
  const parsed = parsePsActivite(fields, columns);
  assert.ok(!parsed.ok && parsed.problem.key === 'directory.line.invalid-identifier');
});

test('a header without a required column is a file error', () => {
  assert.throws(() => columnMap('Type d\'identifiant PP|Identifiant PP|Identification nationale PP|', PS_ACTIVITE_REQUIRED, 'f.txt'),
    (error: unknown) => isFhirError(error) && error.issues[0]?.message === 'directory.file.missing-column');
});

test('savoir-faire lines give type and code', () => {
  const lines = sample('PS_LibreAcces_SavoirFaire_sample.txt');
  const c = columnMap(lines[0]!, PS_SAVOIR_FAIRE_REQUIRED, 'sf');
  const parsed = parsePsSavoirFaire(splitPipeLine(lines[2]!), c);
  assert.deepEqual(parsed.ok && parsed.record, { idNatPs: '810000555010', type: 'CAPA', code: 'CAPA08', display: 'Capacité de gérontologie' });
});

test('FINESS rows: structureet parsed, geolocalisation ignored, other records and bad keys rejected', () => {
  const lines = sample('etalab-cs1100507-stock-sample.csv');
  const site = parseFinessRow(splitSemicolonLine(lines[1]!));
  assert.ok(site.ok && site.record.kind === 'establishment');
  if (site.ok && site.record.kind === 'establishment') {
    const e = site.record.value;
    // rs is the name (MOS denominationEG), rslongue the alias (denominationEGLongue), as as-organization maps them.
    assert.deepEqual([e.finessEt, e.finessEj, e.name, e.alias, e.postalCode, e.city, e.inseeCode, e.categoryCode, e.updatedOn],
      ['690002001', '690001003', 'CH CASCADES NORD', 'CH DES CASCADES SITE NORD', '69004', 'LYON', '69384', '355', '2026-09-15']);
  }
  const clinic = parseFinessRow(splitSemicolonLine(lines[3]!));
  assert.ok(clinic.ok && clinic.record.kind === 'establishment');
  if (clinic.ok && clinic.record.kind === 'establishment') {
    assert.deepEqual([clinic.record.value.name, clinic.record.value.alias], ['CLIN CALANQUES', 'CLINIQUE DES CALANQUES']);
    // Text as before; compvoie is the repetition index, lieuditbp a post box when it reads BP/CS/TSA (else a lieu-dit).
    assert.deepEqual(clinic.record.value.lines, [
      { text: '5 BD DU LITTORAL B', parts: { houseNumber: '5', buildingNumberSuffix: 'B', streetNameType: 'BD', streetNameBase: 'DU LITTORAL' } },
      { text: 'BP 208', parts: { postBox: 'BP 208' } },
      { text: 'BATIMENT A', parts: { additionalLocator: 'BATIMENT A' } },
    ]);
  }
  const ehpad = parseFinessRow(splitSemicolonLine(lines[4]!));
  assert.ok(ehpad.ok && ehpad.record.kind === 'establishment' && ehpad.record.value.alias === undefined, 'rslongue equal to rs is no alias');
  const fields = splitSemicolonLine(lines[3]!);
  fields[11] = 'LE HAMEAU';
  fields[4] = '';
  const lieuDit = parseFinessRow(fields);
  assert.ok(lieuDit.ok && lieuDit.record.kind === 'establishment');
  if (lieuDit.ok && lieuDit.record.kind === 'establishment') {
    assert.deepEqual(lieuDit.record.value.lines[1], { text: 'LE HAMEAU', parts: { lieuDit: 'LE HAMEAU' } });
    assert.equal(lieuDit.record.value.name, 'CLIN CALANQUES');
  }
  assert.deepEqual(parseFinessRow(splitSemicolonLine(lines[2]!)), { ok: true, record: { kind: 'ignored' } });
  const bad = parseFinessRow(splitSemicolonLine(lines[5]!));
  assert.ok(!bad.ok && bad.problem.key === 'directory.line.invalid-identifier');
  const unknown = parseFinessRow(splitSemicolonLine(lines[6]!));
  assert.ok(!unknown.ok && unknown.problem.key === 'directory.line.unknown-record');
});

test('the layout published since 2023 (56 columns: + Code rôle, Code genre activité) gives the role its genre and the pharmacist his section (TRE_G05)', () => {
  const header = `${ps[0]!}Code rôle|Libellé rôle|Code genre activité|Libellé genre activité|`;
  const c = columnMap(header, PS_ACTIVITE_REQUIRED, 'ps');
  assert.equal(c.count, 56);
  const pharmacist = ps.find((l) => l.includes('|Pharmacien titulaire d')) ?? '';
  const parsed = parsePsActivite(c.split(`${pharmacist}FON-AU|Autre|GENR01|Activité standard|`), c);
  assert.ok(parsed.ok);
  const role = mapPersonGroup([parsed.record]).find((r) => r.resourceType === 'PractitionerRole')!;
  assert.deepEqual((role.code as { coding: { system: string; code: string }[] }[]).map((cc) => `${cc.coding[0]!.system.split('/')[4]}#${cc.coding[0]!.code}`), [
    'TRE_G15-ProfessionSante#21', 'TRE_R22-GenreActivite#GENR01', 'TRE_R23-ModeExercice#L', 'TRE_R21-Fonction#FON-AU', 'TRE_G05-SousSectionTableauCNOP#A',
  ]);
});

test('an MSSanté structure identifier is prefixed by its type unless it already is, told by length (FINESS 13…, SIRET 3…)', () => {
  assert.equal(idNatStruct('1', '690002001'), '1690002001');
  assert.equal(idNatStruct('1', '130786049'), '1130786049');
  assert.equal(idNatStruct('1', '1130786049'), '1130786049');
  assert.equal(idNatStruct('3', '35600000000048'), '335600000000048');
  assert.equal(idNatStruct('3', '335600000000048'), '335600000000048');
  assert.equal(idNatStruct('', '1690002001'), '1690002001');
});

test('a FINESS site says how it takes part in the public hospital service (codesph, TRE_R73: as-organization type[sphParticipation])', () => {
  const lines = sample('etalab-cs1100507-stock-sample.csv');
  const parsed = parseFinessRow(splitSemicolonLine(lines[1]!));
  assert.ok(parsed.ok && parsed.record.kind === 'establishment');
  if (!parsed.ok || parsed.record.kind !== 'establishment') return;
  assert.deepEqual([parsed.record.value.sphCode, parsed.record.value.sphDisplay], ['1', 'Etablissement public de santé']);
  const site = mapFinessEstablishment(parsed.record.value).find((r) => r.id === '1690002001')!;
  const sph = (site.type as { extension?: { valueCode: string }[]; coding: { system: string; code: string }[] }[]).find((t) => t.extension?.[0]?.valueCode === 'sphParticipation');
  assert.deepEqual(sph?.coding, [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R73-ESPIC/FHIR/TRE-R73-ESPIC', code: '1', display: 'Etablissement public de santé' }]);
});

test('a malformed geolocalisation row is reported (field count, FINESS key), a well-formed one passed over', () => {
  const row = 'geolocalisation;690002001;842000.1;6521000.2;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2026-09-15';
  assert.deepEqual(parseFinessRow(splitSemicolonLine(row)), { ok: true, record: { kind: 'ignored' } });
  const short = parseFinessRow(splitSemicolonLine('geolocalisation;690002001;842000.1'));
  assert.ok(!short.ok && short.problem.key === 'directory.line.field-count');
  const badKey = parseFinessRow(splitSemicolonLine(row.replace('690002001', '690002002')));
  assert.ok(!badKey.ok && badKey.problem.key === 'directory.line.invalid-identifier');
});

test('a structure abroad keeps its COG country code (Code pays), a French one none', () => {
  const line = ps.find((l) => l.includes('CABINET KINE DES LILAS'))!;
  const fields = columns.split(line);
  const countryAt = columnIndex('Code pays (coord. structure)');
  const at = (code: string) => {
    const copy = [...fields];
    copy[countryAt] = code;
    const parsed = parsePsActivite(copy, columns);
    assert.ok(parsed.ok);
    const organization = mapPersonGroup([parsed.record]).find((r) => r.resourceType === 'Organization')!;
    return (organization.address as { country?: string }[])[0]!.country;
  };
  assert.equal(at('99138'), '99138');
  assert.equal(at('99100'), undefined);
  assert.equal(at('99000'), undefined);
  assert.equal(at(''), undefined);
});

test('FINESS commune codes: departement + commune, Corsica as 2A/2B, overseas departments 9A… as 97x', () => {
  assert.equal(communeCode('69', '384'), '69384');
  assert.equal(communeCode('2A', '004'), '2A004');
  // FINESS writes Guadeloupe's departement 9A and Les Abymes' commune 101: INSEE 97101, not "9A101".
  assert.equal(communeCode('9A', '101'), '97101');
  assert.equal(communeCode('9F', '611'), '97611');
  assert.equal(communeCode('', '101'), undefined);
  const row = 'structureet;970100012;970100103;POLYCLINIQUE DE LA GUADELOUPE;POLYCLINIQUE DE GUADELOUPE;;;;;MORNE JOLIVIERE;;;101;9A;GUADELOUPE;97139 LES ABYMES;0590821963;0590837034;365;Etablissement de Soins Pluridisciplinaire;1110;Etablissements de Soins de Courte Durée;;8610Z;07;ARS;0;Non concerné;1969-03-01;1969-03-01;2010-08-25;';
  const parsed = parseFinessRow(splitSemicolonLine(row));
  assert.ok(parsed.ok && parsed.record.kind === 'establishment' && parsed.record.value.inseeCode === '97101');
});

test('MSSanté lines: a PER or CAB mailbox belongs to the professional, ORG and APP to the structure (type + identifier)', () => {
  const lines = sample('Extraction_Correspondance_MSSante_sample.txt');
  assert.equal(detectExtractKind(lines[0]!), 'mssante');
  const c = columnMap(lines[0]!, MSSANTE_REQUIRED, 'mss');
  const parse = (i: number) => parseMssMailbox(c.split(lines[i]!), c);
  assert.deepEqual(parse(1), { ok: true, record: { holder: 'Practitioner/810000555010', address: 'claire.martineau@medecin.mssante.fr', type: 'PER' } });
  assert.deepEqual(parse(2), { ok: true, record: { holder: 'Organization/1690002001', address: 'urgences@ch-cascades.mssante.fr', type: 'ORG', service: 'Urgences adultes' } });
  assert.equal(parse(4).ok && parse(4).ok && (parse(4) as any).record.holder, 'Practitioner/810000555051');
  // Lines are not closed by a '|': the empty last field must still count.
  assert.equal(c.split(lines[1]!).length, 31);
  const badType = parse(6);
  assert.ok(!badType.ok && badType.problem.params.field === 'Type de BAL');
  const badAddress = parse(8);
  assert.ok(!badAddress.ok && badAddress.problem.params.field === 'Adresse BAL');
});

test('one field read from a line without splitting it agrees with the split line, in both layouts', () => {
  for (const [header, line] of [['A|B|C|', ' x | y |z|'], ['A|B|C', 'x| y |'], ['A|B|C|', 'x|']] as const) {
    const columns = columnMap(header, [], 'f');
    for (const name of ['A', 'B', 'C', 'D']) assert.equal(columns.field(line, name), columns.get(columns.split(line), name), `${header} ${line} ${name}`);
  }
});
