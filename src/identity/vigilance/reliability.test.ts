import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM, IDENTITY_STATUS_SYSTEM, METHOD_COLLECTION_SYSTEM } from '../fr-core.js';
import { readReliability, withReliability } from './reliability.js';
import { FR_CORE_VALIDATION_MODE_SYSTEM, documentKind } from './validation-modes.js';

const comment = (code: string) => ({ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code }] } });
const patient = {
  resourceType: 'Patient',
  extension: [
    { url: 'http://example.org/other', valueString: 'kept' },
    {
      url: IDENTITY_RELIABILITY,
      extension: [
        { url: 'identityStatus', valueCoding: { system: IDENTITY_STATUS_SYSTEM, code: 'VALI' } },
        { url: 'validationMode', valueCoding: { system: FR_CORE_VALIDATION_MODE_SYSTEM, code: 'CN' } },
        { url: 'validationDate', valueDate: '2026-01-02' },
        { url: 'methodCollection', valueCoding: { code: 'SM' } },
        comment('HOMA'),
      ],
    },
    { url: IDENTITY_RELIABILITY, extension: [comment('DOUT')] },
  ],
};

test('reads every sub-extension, across repeated identity-reliability extensions', () => {
  assert.deepEqual(readReliability(patient), {
    statuses: ['VALI'], comments: ['HOMA', 'DOUT'],
    validationMode: { system: FR_CORE_VALIDATION_MODE_SYSTEM, code: 'CN' }, validationDate: '2026-01-02', methodCollection: 'SM',
  });
  assert.deepEqual(readReliability({ resourceType: 'Patient' }), { statuses: [], comments: [] });
});

test('methodCollection is read in FR Core\'s system or without one; another system\'s AV is not the Appli carte Vitale', () => {
  const method = (coding: Record<string, string>) => ({ extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'methodCollection', valueCoding: coding }] }] });
  assert.equal(readReliability(method({ system: METHOD_COLLECTION_SYSTEM, code: 'AV' })).methodCollection, 'AV');
  assert.equal(readReliability(method({ code: 'AV' })).methodCollection, 'AV');
  assert.equal(readReliability(method({ system: 'urn:x', code: 'AV' })).methodCollection, undefined);
});

test('dropCollection removes methodCollection and keeps the rest', () => {
  const written = withReliability(patient, { status: 'VALI', dropCollection: true });
  assert.equal(readReliability(written).methodCollection, undefined);
  assert.equal(readReliability(written).validationMode?.code, 'CN');
});

const statusIn = (system: string, code: string) => ({ extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'identityStatus', valueCoding: { system, code } }] }] });

test('a status coded in another system is not an identity status: it is read with its system, which no status equals (a 422, not ignored)', () => {
  assert.deepEqual(readReliability(statusIn('urn:x', 'QUAL')).statuses, ['urn:x|QUAL']);
});

test('a status coded in the system of FR Core 1.x or 2.0–2.2 (HL7 v2 table 0445, French extension) is read as the same code', () => {
  assert.deepEqual(readReliability(statusIn('https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445', 'RECUP')).statuses, ['RECUP']);
  assert.deepEqual(readReliability(statusIn('https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-v2-0445', 'PROV')).statuses, ['PROV']);
  const homa = { extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'comment', valueCodeableConcept: { coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445', code: 'HOMA' }] } }] }] };
  assert.deepEqual(readReliability(homa).comments, ['HOMA']);
});

test('DOUT and FICT count whatever their coding system (FR Core invariant fr-core-identity-reliability-1 tests the code alone); HOMA needs FR Core\'s system', () => {
  const coded = (coding: Record<string, string>) => ({ extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'comment', valueCodeableConcept: { coding: [coding] } }] }] });
  assert.deepEqual(readReliability(coded({ code: 'DOUT' })).comments, ['DOUT']);
  assert.deepEqual(readReliability(coded({ system: 'urn:x', code: 'FICT' })).comments, ['FICT']);
  assert.deepEqual(readReliability(coded({ code: 'HOMA' })).comments, []);
  assert.deepEqual(readReliability(coded({ code: 'dout' })).comments, [], 'codes are case-sensitive');
});

test('writes the server status into the first extension, keeps everything else, and drops a stale check on request', () => {
  const written = withReliability(patient, { status: 'PROV', insiDate: '2026-03-04', dropDocument: true });
  const read = readReliability(written);
  assert.deepEqual(read.statuses, ['PROV']);
  assert.equal(read.insiDate, '2026-03-04');
  assert.equal(read.validationMode, undefined);
  assert.equal(read.validationDate, undefined);
  assert.deepEqual(read.comments, ['HOMA', 'DOUT']);
  assert.equal((written.extension as any[])[0].url, 'http://example.org/other');
  assert.equal(readReliability(withReliability(patient, { status: 'QUAL' })).validationMode?.code, 'CN');
});

test('adds the extension to a Patient that has none', () => {
  const written = withReliability({ resourceType: 'Patient' }, { status: 'PROV' });
  assert.deepEqual(readReliability(written).statuses, ['PROV']);
  assert.equal((written.extension as any[]).length, 1);
});

test('RNIV documents: six high-trust devices, five accepted equivalents, anything else refused', () => {
  for (const code of ['CN', 'PA', 'CS', 'eCN', 'IN', 'AV']) assert.equal(documentKind(code), 'high-trust', code);
  for (const code of ['LECV', 'ANCV', 'AN', 'LEP', 'CC']) assert.equal(documentKind(code), 'equivalent', code);
  for (const code of ['PC', 'CM', 'CE', 'LE', 'cn', 'ECN', 'toString', '']) assert.equal(documentKind(code), undefined, code);
});
