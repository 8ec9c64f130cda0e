import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fail, isFhirError } from '../../core/errors.js';
import type { ExportParameters } from './export-parameters.js';
import { exportScope, MAX_PATIENTS, parseTypeFilter, type ScopeInput } from './export-scope.js';

const TYPES = ['AuditEvent', 'Condition', 'Observation', 'Organization', 'Patient'];
const COMPARTMENT = new Set(['AuditEvent', 'Condition', 'Observation', 'Patient']);

function input(parameters: Partial<ExportParameters>, options: Partial<ScopeInput> = {}): ScopeInput {
  return {
    level: 'system', exportable: TYPES, inCompartment: (t) => COMPARTMENT.has(t), requireAccess: () => undefined, baseUrl: 'http://socle/fhir',
    parameters: { typeFilters: [], patients: [], lenient: false, ignored: [], ...parameters },
    ...options,
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isFhirError(error)) return String(error.issues[0]?.message);
    throw error;
  }
  assert.fail('expected a refusal');
}

const onlyObservations = (type: string): void => {
  if (type !== 'Observation') throw fail('auth.scope-insufficient', { interaction: 'search', type });
};

test('without _type: every type the caller may read, AuditEvent only when named; compartment types at patient level', () => {
  assert.deepEqual(exportScope(input({})).types, ['Condition', 'Observation', 'Organization', 'Patient']);
  assert.deepEqual(exportScope(input({}, { level: 'patient' })).types, ['Condition', 'Observation', 'Patient']);
  assert.deepEqual(exportScope(input({}, { requireAccess: onlyObservations })).types, ['Observation']);
  assert.deepEqual(exportScope(input({ types: ['AuditEvent'] })).types, ['AuditEvent']);
  assert.equal(refusal(() => exportScope(input({}, { requireAccess: () => { throw fail('auth.scope-insufficient', {}); } }))), 'auth.scope-insufficient');
});

test('_type: unknown types and types outside the compartment are refused, or left out when lenient; a type out of scope is 403', () => {
  assert.equal(refusal(() => exportScope(input({ types: ['Patient', 'Nope'] }))), 'bulk.type-invalid');
  assert.equal(refusal(() => exportScope(input({ types: ['Organization'] }, { level: 'group' }))), 'bulk.type-outside-compartment');
  const lenient = exportScope(input({ types: ['Patient', 'Nope', 'Organization'], lenient: true }, { level: 'patient' }));
  assert.deepEqual(lenient.types, ['Patient']);
  assert.deepEqual(lenient.ignoredTypes, ['Nope', 'Organization']);
  assert.equal(refusal(() => exportScope(input({ types: ['Patient'] }, { requireAccess: onlyObservations }))), 'auth.scope-insufficient');
});

test('_typeFilter: about an exported type, several for one type kept apart (OR), result parameters refused', () => {
  const scope = exportScope(input({ types: ['Observation'], typeFilters: ['Observation?status=final&code=http://loinc.org|1234-5', 'Observation?status=amended'] }));
  assert.deepEqual(scope.typeFilters, { Observation: [[['status', 'final'], ['code', 'http://loinc.org|1234-5']], [['status', 'amended']]] });
  assert.equal(refusal(() => exportScope(input({ types: ['Patient'], typeFilters: ['Observation?status=final'] }))), 'bulk.type-filter-type');
  assert.equal(refusal(() => parseTypeFilter('status=final')), 'bulk.type-filter-malformed');
  assert.equal(refusal(() => parseTypeFilter('Observation?')), 'bulk.type-filter-malformed');
  for (const control of ['_count=5', '_include=Observation:subject', '_sort=date', '_elements=id', '_type=Patient']) {
    assert.equal(refusal(() => parseTypeFilter(`Observation?status=final&${control}`)), 'bulk.type-filter-control', control);
  }
});

test('patient: Patient references, relative or on this base, not at system level, at most MAX_PATIENTS', () => {
  const scope = exportScope(input({ patients: ['Patient/a', 'http://socle/fhir/Patient/b', 'Patient/a'] }, { level: 'patient' }));
  assert.deepEqual(scope.patients, ['a', 'b']);
  assert.equal(exportScope(input({}, { level: 'patient' })).patients, undefined);
  assert.equal(refusal(() => exportScope(input({ patients: ['Patient/a'] }))), 'bulk.patient-system-level');
  for (const bad of ['Group/a', 'http://elsewhere/fhir/Patient/a', 'Patient/a/_history/1', 'Patient/bad id']) {
    assert.equal(refusal(() => exportScope(input({ patients: [bad] }, { level: 'group' }))), 'bulk.patient-reference-invalid', bad);
  }
  const many = Array.from({ length: MAX_PATIENTS + 1 }, (_, i) => `Patient/p${i}`);
  assert.equal(refusal(() => exportScope(input({ patients: many }, { level: 'patient' }))), 'bulk.too-many-patients');
});
