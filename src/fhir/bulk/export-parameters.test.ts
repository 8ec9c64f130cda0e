import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFhirError } from '../../core/errors.js';
import type { FhirRequest } from '../rest/types.js';
import { prefersAsync, readExportParameters, splitTypeFilters } from './export-parameters.js';

function request(query: [string, string][], options: { body?: unknown; prefer?: string } = {}): FhirRequest {
  return {
    method: options.body === undefined ? 'GET' : 'POST', path: '$export', query, headers: { prefer: options.prefer ?? 'respond-async' },
    ...(options.body !== undefined ? { body: options.body } : {}), baseUrl: 'http://socle/fhir', language: 'en',
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

test('Prefer: respond-async is found among other preferences, in any case', () => {
  assert.equal(prefersAsync('respond-async'), true);
  assert.equal(prefersAsync('handling=lenient, Respond-Async'), true);
  assert.equal(prefersAsync('return=minimal'), false);
  assert.equal(prefersAsync(undefined), false);
});

test('_outputFormat: the three NDJSON spellings the IG requires, "+" decoded as a space included; anything else 400', () => {
  for (const format of ['application/fhir+ndjson', 'application/fhir ndjson', 'application/ndjson', 'ndjson', 'NDJSON']) {
    assert.doesNotThrow(() => readExportParameters(request([['_outputFormat', format]])), format);
  }
  assert.equal(refusal(() => readExportParameters(request([['_outputFormat', 'application/fhir+json']]))), 'bulk.output-format-unsupported');
  assert.equal(refusal(() => readExportParameters(request([['_outputFormat', 'ndjson'], ['_outputFormat', 'ndjson']]))), 'operation.parameter-repeated');
});

test('_since: a FHIR instant with its zone, normalised to UTC; a "+" zone decoded as a space is read back', () => {
  assert.equal(readExportParameters(request([['_since', '2024-01-31T08:00:00Z']])).since, '2024-01-31T08:00:00.000Z');
  assert.equal(readExportParameters(request([['_since', '2024-01-31T09:00:00.250 01:00']])).since, '2024-01-31T08:00:00.250Z');
  for (const bad of ['2024-01-31', '2024-01-31T08:00:00', 'yesterday', '2024-13-45T08:00:00Z']) {
    assert.equal(refusal(() => readExportParameters(request([['_since', bad]]))), 'bulk.since-invalid', bad);
  }
});

test('_type is split on commas and repeats add up; _typeFilter values are kept whole', () => {
  const read = readExportParameters(request([['_type', 'Patient, Observation'], ['_type', 'Condition'], ['_typeFilter', 'Observation?status=final,amended']]));
  assert.deepEqual(read.types, ['Patient', 'Observation', 'Condition']);
  assert.deepEqual(read.typeFilters, ['Observation?status=final,amended']);
  assert.equal(readExportParameters(request([])).types, undefined);
});

test('a comma separates filters only before "[Type]?": a comma inside a value stays', () => {
  assert.deepEqual(splitTypeFilters('Observation?status=final,amended,Condition?category=problem-list-item'), [
    'Observation?status=final,amended', 'Condition?category=problem-list-item',
  ]);
  assert.deepEqual(splitTypeFilters('MedicationRequest?status=active'), ['MedicationRequest?status=active']);
});

test('POST: the Parameters resource, references of the patient parameter included; another body is refused', () => {
  const read = readExportParameters(request([], {
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: '_type', valueString: 'Patient' }, { name: '_since', valueInstant: '2024-01-01T00:00:00Z' },
        { name: 'patient', valueReference: { reference: 'Patient/a' } }, { name: 'patient', valueReference: { reference: 'Patient/b' } },
      ],
    },
  }));
  assert.deepEqual(read.types, ['Patient']);
  assert.deepEqual(read.patients, ['Patient/a', 'Patient/b']);
  assert.equal(read.since, '2024-01-01T00:00:00.000Z');
  assert.equal(refusal(() => readExportParameters(request([], { body: { resourceType: 'Patient' } }))), 'operation.parameters-required');
});

test('an unknown parameter is refused, or left out under Prefer: handling=lenient; _format and _pretty are the HTTP layer\'s', () => {
  assert.equal(refusal(() => readExportParameters(request([['_elements', 'id']]))), 'operation.parameter-unsupported');
  assert.equal(readExportParameters(request([['_elements', 'id']], { prefer: 'respond-async, handling=lenient' })).lenient, true);
  assert.doesNotThrow(() => readExportParameters(request([['_format', 'json'], ['_pretty', 'true']])));
});
