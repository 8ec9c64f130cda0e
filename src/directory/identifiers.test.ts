import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adeliValid, finessValid, idNatPsFromAdeli, idNatPsFromRpps, idNatStructFromFiness, idNatStructFromSiret, luhnValid,
  practitionerRoleId, rppsOfIdNatPs, rppsValid, siretValid,
} from './identifiers.js';

test('RPPS numbers published by practitioners pass the Luhn key; the IG example numbers do not (open-points §3)', () => {
  for (const rpps of ['10005682603', '10100394740', '10111377833', '10009798850']) assert.ok(rppsValid(rpps), rpps);
  assert.equal(rppsValid('10003461033'), false);
  assert.equal(rppsValid('1000568260'), false);
});

test('FINESS, ADELI, SIRET keys; La Poste SIRETs follow the sum-of-digits rule; Corsican FINESS accepted', () => {
  assert.ok(finessValid('750712184') && finessValid('130786049'));
  assert.equal(finessValid('750712185'), false);
  assert.ok(finessValid('2A0000123'));
  assert.ok(adeliValid('696001239'));
  assert.equal(adeliValid('696001238'), false);
  assert.ok(siretValid('26900010000017'));
  assert.ok(siretValid('35600000000001'));
  assert.equal(siretValid('35600000000002'), false);
  assert.equal(siretValid('26900010000018'), false);
  assert.equal(luhnValid('12a'), false);
});

test('idNat_PS and idNat_Struct carry the TRE_G08 prefixes', () => {
  assert.equal(idNatPsFromRpps('10000555010'), '810000555010');
  assert.equal(idNatPsFromAdeli('696001239'), '0696001239');
  assert.equal(idNatStructFromFiness('690002001'), '1690002001');
  assert.equal(idNatStructFromSiret('26900010000017'), '326900010000017');
  assert.equal(rppsOfIdNatPs('810000555010'), '10000555010');
  assert.equal(rppsOfIdNatPs('0696001239'), undefined);
});

test('a practice situation id is deterministic, a valid FHIR id, and bounded to 64 characters', () => {
  assert.equal(practitionerRoleId('810000555010', '1690002001', '10', 'S'), '810000555010-1690002001-10-S');
  assert.equal(practitionerRoleId('0696001239', undefined, '60'), '0696001239-none-60');
  const long = practitionerRoleId('810000555010', 'X'.repeat(80), '10', 'L');
  assert.ok(/^[A-Za-z0-9.-]{1,64}$/.test(long), long);
  assert.equal(long, practitionerRoleId('810000555010', 'X'.repeat(80), '10', 'L'));
  assert.notEqual(long, practitionerRoleId('810000555010', `${'X'.repeat(79)}Y`, '10', 'L'));
});
