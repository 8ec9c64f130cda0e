import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import { IDENTIFIER_TYPE_SYSTEM, IDENTITY_RELIABILITY, IDENTITY_STATUS_SYSTEM, INS_SYSTEMS, PATIENT_INS_PROFILE, PATIENT_PROFILE } from '../fr-core.js';
import { withPastInsWithheld } from './past-ins.js';

const NIR = { use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }] }, system: INS_SYSTEMS.NIR, value: '285057800610153' };
const OTHER_NIR = { ...NIR, value: '185057800610112' };
const BILLING = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] }, system: INS_SYSTEMS.NIR, value: '185057800610199' };
const IPP = { system: 'urn:oid:1.2.250.1.999.1', value: 'IPP-1' };

function patient(status: string, identifier: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceType: 'Patient', id: 'p', meta: { profile: [PATIENT_PROFILE, PATIENT_INS_PROFILE] },
    extension: [{ url: IDENTITY_RELIABILITY, extension: [{ url: 'identityStatus', valueCoding: { system: IDENTITY_STATUS_SYSTEM, code: status } }] }],
    identifier, ...extra,
  });
}

function version(versionId: number, content: string | null): StoredVersion {
  return { rid: 1, resourceType: 'Patient', id: 'p', versionId, lastUpdated: versionId, deleted: content === null, method: 'PUT', content };
}

/** A reader whose current Patient p is `current` (undefined: deleted or absent), counting its calls. */
function readerOf(current: string | undefined): StoreReader & { calls: number } {
  const reader = {
    calls: 0,
    async readMany() {
      reader.calls += 1;
      return current ? [version(9, current)] : [];
    },
  };
  return reader as unknown as StoreReader & { calls: number };
}

const parsed = (v: StoredVersion | undefined): any => JSON.parse(v?.content ?? 'null');

test('a past version of an identity no longer QUAL loses its INS, the INS profile, and says REDACTED; other identifiers stay', async () => {
  const [shown] = await withPastInsWithheld([version(1, patient('QUAL', [IPP, NIR, BILLING]))], readerOf(patient('PROV', [IPP])));
  const resource = parsed(shown);
  assert.deepEqual(resource.identifier, [IPP, BILLING], 'the billing number is no INS');
  assert.deepEqual(resource.meta.profile, [PATIENT_PROFILE]);
  assert.deepEqual(resource.meta.security.map((s: any) => s.code), ['REDACTED']);
  assert.deepEqual(Object.keys(resource), ['resourceType', 'id', 'meta', 'extension', 'identifier'], 'element order kept');
});

test('a deleted identity shows no INS in its past', async () => {
  const [shown] = await withPastInsWithheld([version(1, patient('QUAL', [NIR]))], readerOf(undefined));
  assert.equal(parsed(shown).identifier, undefined);
});

test('a QUAL identity keeps in its past the INS it holds now, not another one', async () => {
  const current = patient('QUAL', [NIR]);
  const versions = [version(1, patient('QUAL', [NIR])), version(2, patient('QUAL', [OTHER_NIR, NIR]))];
  const [same, other] = await withPastInsWithheld(versions, readerOf(current));
  assert.equal(same, versions[0], 'unchanged: the same object');
  assert.deepEqual(parsed(other).identifier, [NIR]);
  assert.ok(parsed(other).meta.profile.includes(PATIENT_INS_PROFILE), 'an INS remains: the profile stays');
});

test('versions without an INS are not parsed, and the current Patient is not read', async () => {
  const reader = readerOf(patient('PROV', []));
  const versions = [version(1, patient('PROV', [IPP])), version(2, null)];
  const shown = await withPastInsWithheld(versions, reader);
  assert.equal(shown, versions);
  assert.equal(reader.calls, 0);
});

test('decimals keep their written precision', async () => {
  const content = patient('QUAL', [NIR]).replace('"identifier"', '"multipleBirthInteger":2,"x":1.50,"identifier"');
  const [shown] = await withPastInsWithheld([version(1, content)], readerOf(undefined));
  assert.match(shown?.content ?? '', /"x":1\.50/);
});
