/** The parsers of the public extracts, on lines in the published layouts (test/data/directory). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectExtractKind, splitPipeLine, splitSemicolonLine } from './extract-format.js';
import { parseFinessRow } from './finess-etalab.js';
import { parsePsActivite, PS_ACTIVITE_REQUIRED } from './ps-activite.js';
import { columnMap } from './ps-columns.js';
import { parsePsSavoirFaire, PS_SAVOIR_FAIRE_REQUIRED } from './ps-savoir-faire.js';
import { isFhirError } from '../core/errors.js';
import { MSSANTE_REQUIRED, parseMssMailbox } from './mssante.js';

const sample = (name: string): string[] => readFileSync(new URL(`../../test/data/directory/${name}`, import.meta.url), 'utf8').split('\n');
const ps = sample('PS_LibreAcces_Personne_activite_sample.txt');
const columns = columnMap(ps[0]!, PS_ACTIVITE_REQUIRED, 'ps');

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
  assert.deepEqual(r.structure?.lines, ['12 Rue DES CASCADES']);
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
    assert.deepEqual([e.finessEt, e.finessEj, e.name, e.postalCode, e.city, e.inseeCode, e.categoryCode], ['690002001', '690001003', 'CH DES CASCADES SITE NORD', '69004', 'LYON', '69384', '355']);
  }
  assert.deepEqual(parseFinessRow(splitSemicolonLine(lines[2]!)), { ok: true, record: { kind: 'ignored' } });
  const bad = parseFinessRow(splitSemicolonLine(lines[5]!));
  assert.ok(!bad.ok && bad.problem.key === 'directory.line.invalid-identifier');
  const unknown = parseFinessRow(splitSemicolonLine(lines[6]!));
  assert.ok(!unknown.ok && unknown.problem.key === 'directory.line.unknown-record');
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
