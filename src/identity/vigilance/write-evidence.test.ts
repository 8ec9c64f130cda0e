import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FhirError } from '../../core/errors.js';
import { BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, IDENTIFIER_TYPE_SYSTEM, IDENTITY_RELIABILITY, IDENTITY_STATUS_COMMENT_SYSTEM, INS_SYSTEMS, INSEE_CODE } from '../fr-core.js';
import { withInsKey } from '../ins/nir.js';
import { changedTraits } from './trait-changes.js';
import { gatherEvidence } from './write-evidence.js';
import { FR_CORE_VALIDATION_MODE_SYSTEM } from './validation-modes.js';

const INS = withInsKey('2850578006123');
interface Options { status?: string; mode?: string; date?: string; comments?: string[]; ins?: string; family?: string; birthPlace?: string; statusCount?: number }
function patient(o: Options = {}): Record<string, unknown> {
  const reliability = [
    ...Array.from({ length: o.statusCount ?? (o.status ? 1 : 0) }, () => ({ url: 'identityStatus', valueCoding: { code: o.status ?? 'PROV' } })),
    ...(o.mode ? [{ url: 'validationMode', valueCoding: { system: FR_CORE_VALIDATION_MODE_SYSTEM, code: o.mode } }] : []),
    ...(o.date ? [{ url: 'validationDate', valueDate: o.date }] : []),
    ...(o.comments ?? []).map((code) => ({ url: 'comment', valueCodeableConcept: { coding: [{ system: IDENTITY_STATUS_COMMENT_SYSTEM, code }] } })),
  ];
  return {
    resourceType: 'Patient',
    extension: [
      { url: IDENTITY_RELIABILITY, extension: reliability },
      { url: BIRTH_PLACE, valueAddress: { extension: [{ url: INSEE_CODE, valueCoding: { code: o.birthPlace ?? '78006' } }] } },
    ],
    ...(o.ins ? { identifier: [{ use: 'official', system: INS_SYSTEMS.NIR, value: o.ins, type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'INS-NIR' }] } }] } : {}),
    name: [{ use: 'official', family: o.family ?? 'Martin', given: ['Jeanne'], extension: [{ url: BIRTH_LIST_GIVEN_NAME, valueString: 'Jeanne Marie' }] }],
    gender: 'female',
    birthDate: '1985-05-12',
  };
}
function refusal(fn: () => unknown): string[] {
  try { fn(); } catch (error) { if (error instanceof FhirError) return error.issues.map((i) => i.message); throw error; }
  return [];
}

test('a creation: no previous status, the claim, the attributes and a fresh check', () => {
  const { input } = gatherEvidence(patient({ status: 'VALI', mode: 'CN', comments: ['HOMA'] }), undefined, undefined);
  assert.deepEqual(input, { claimed: 'VALI', doubtful: false, fictitious: false, document: 'fresh', documentMode: 'CN', changedTraits: [], ins: { kind: 'none' } });
});

test('the same check again is kept; another date is a new check', () => {
  const stored = patient({ status: 'VALI', mode: 'CN', date: '2026-01-01' });
  assert.equal(gatherEvidence(patient({ mode: 'CN', date: '2026-01-01' }), stored, undefined).input.document, 'kept');
  assert.equal(gatherEvidence(patient({ mode: 'CN', date: '2026-02-01' }), stored, undefined).input.document, 'fresh');
  assert.equal(gatherEvidence(patient({ mode: 'PA', date: '2026-01-01' }), stored, undefined).input.document, 'fresh');
});

test('INS evidence: new, kept (re-sent on QUAL, or aside for RECUP), removed', () => {
  const qual = patient({ status: 'QUAL', ins: INS });
  assert.deepEqual(gatherEvidence(patient({ ins: INS }), undefined, undefined).input.ins, { kind: 'new' });
  assert.deepEqual(gatherEvidence(patient({ ins: INS.toLowerCase() }), qual, undefined).input.ins, { kind: 'kept' });
  assert.deepEqual(gatherEvidence(patient(), qual, undefined).input.ins, { kind: 'removed' });
  const aside = { system: INS_SYSTEMS.NIR, use: 'official', value: INS };
  const recup = gatherEvidence(patient(), patient({ status: 'RECUP' }), aside);
  assert.deepEqual(recup.input.ins, { kind: 'kept' });
  assert.equal(recup.ins, aside);
});

test('a held INS the edited traits contradict stops being evidence; a new one is refused', () => {
  const qual = patient({ status: 'QUAL', ins: INS });
  const edited = gatherEvidence(patient({ ins: INS, birthPlace: '78007' }), qual, undefined);
  assert.deepEqual(edited.input.ins, { kind: 'kept', verified: false });
  assert.deepEqual(edited.input.changedTraits, ['birthplace']);
  assert.deepEqual(refusal(() => gatherEvidence(patient({ ins: INS, birthPlace: '78007' }), undefined, undefined)), ['ins.birthplace-mismatch']);
});

test('refusals: several statuses, an unknown status or mode, a broken INS', () => {
  assert.deepEqual(refusal(() => gatherEvidence(patient({ status: 'PROV', statusCount: 2 }), undefined, undefined)), ['vigilance.reliability-several']);
  assert.deepEqual(refusal(() => gatherEvidence(patient({ status: 'GOOD' }), undefined, undefined)), ['vigilance.status-unknown']);
  assert.deepEqual(refusal(() => gatherEvidence(patient({ mode: 'PC' }), undefined, undefined)), ['vigilance.validation-mode-unknown']);
  assert.deepEqual(refusal(() => gatherEvidence(patient({ ins: `${INS.slice(0, 13)}00` }), undefined, undefined)), ['ins.number-key']);
});

test('trait changes ignore case and accents the INS does not carry, and name each changed trait', () => {
  const before = { family: 'Martin', given: ['Jeanne', 'Marie'], gender: 'female' as const, birthDate: '1985-05-12', birthPlace: '78006' };
  assert.deepEqual(changedTraits(before, { ...before, family: 'MARTIN', given: ['JEANNE MARIE'] }), []);
  assert.deepEqual(changedTraits(before, { ...before, family: 'Martine', birthDate: '1985-05-13' }), ['family', 'birthdate']);
  assert.deepEqual(changedTraits(before, { ...before, given: ['Jeanne'] }), ['given']);
  assert.deepEqual(changedTraits(before, undefined), ['family', 'given', 'gender', 'birthdate', 'birthplace']);
});
