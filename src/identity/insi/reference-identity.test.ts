import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isFhirError } from '../../core/errors.js';
import { INS_SYSTEMS } from '../fr-core.js';
import { withInsKey } from '../ins/nir.js';
import { identityFromPatient, identityProblem, isFhirDate, isInseeCode } from './reference-identity.js';

const sample = readFileSync(new URL('../../../test/data/insi/reference.ndjson', import.meta.url), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);

function keyOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(isFhirError(error), String(error));
    return error.issues[0]?.message;
  }
}

test('every identity of the reference sample reads back with its INS, system and traits', () => {
  const identities = sample.map(identityFromPatient);
  assert.equal(identities.length, 10);
  const dupont = identities[0]!;
  assert.equal(dupont.system, INS_SYSTEMS.NIR);
  assert.equal(dupont.ins, withInsKey('2850335238123'));
  assert.deepEqual(dupont.traits.given, ['Marie', 'Louise', 'Jeanne']);
  assert.equal(dupont.traits.birthPlace, '35238');
  assert.equal(identities.find((i) => i.traits.birthPlace === '2A004')?.ins.slice(5, 7), '2A');
});

test('an identity is refused with the catalogued reason', () => {
  const patient = sample[0]!;
  const withIns = (value: string, system: string = INS_SYSTEMS.NIR) => ({ ...patient, identifier: [{ ...patient.identifier[0], value, system }] });
  assert.equal(keyOf(() => identityFromPatient({ resourceType: 'Observation' })), 'insi.reference-not-patient');
  assert.equal(keyOf(() => identityFromPatient({ ...patient, identifier: [] })), 'insi.reference-no-ins');
  assert.equal(keyOf(() => identityFromPatient(withIns('285033523812389'))), 'insi.ins-invalid');
  assert.equal(keyOf(() => identityFromPatient(withIns(withInsKey('7850335238123')))), 'insi.ins-invalid');
  assert.equal(keyOf(() => identityFromPatient(withIns(withInsKey('2851535238123')))), 'ins.number-month', 'month 15: neither a month nor a pseudo-month');
  assert.equal(identityFromPatient(withIns(withInsKey('2853235238123'))).ins.slice(3, 5), '32', 'an INSEE pseudo-month is accepted');
  assert.equal(keyOf(() => identityFromPatient(withIns(withInsKey('1850335238123')))), 'insi.reference-inconsistent', 'sex digit 1 for a woman');
  assert.equal(keyOf(() => identityFromPatient(withIns(withInsKey('2860335238123')))), 'insi.reference-inconsistent', 'born in 85, not 86');
  const { gender: _gender, ...noGender } = patient;
  assert.equal(keyOf(() => identityFromPatient(noGender)), 'insi.reference-trait-missing');
  assert.equal(keyOf(() => identityFromPatient({ ...patient, extension: [] })), 'insi.reference-trait-missing', 'no birth place');
  assert.equal(identityProblem({ ins: withInsKey('2850335238123'), system: 'urn:oid:1.2.3', traits: identityFromPatient(patient).traits })?.issues[0]?.message, 'insi.ins-system-unknown');
});

test('an INS kept with use=old after a merge is not the current INS', () => {
  const patient = sample[0]!;
  assert.equal(keyOf(() => identityFromPatient({ ...patient, identifier: [{ ...patient.identifier[0], use: 'old' }] })), 'insi.reference-no-ins');
});

test('dates and INSEE codes are checked for what they are', () => {
  assert.equal(isFhirDate('1948-02-29'), true);
  assert.equal(isFhirDate('1949-02-29'), false);
  assert.equal(isFhirDate('1985-03'), true);
  assert.equal(isFhirDate('1985-13-01'), false);
  assert.equal(isInseeCode('2A004'), true);
  assert.equal(isInseeCode('99134'), true);
  assert.equal(isInseeCode('3523'), false);
  assert.equal(isInseeCode('2C004'), false);
});
