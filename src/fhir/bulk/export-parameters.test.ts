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
  const lenient = readExportParameters(request([['_elements', 'id'], ['includeAssociatedData', 'LatestProvenanceResources']], { prefer: 'respond-async, handling=lenient' }));
  assert.equal(lenient.lenient, true);
  assert.deepEqual(lenient.ignored, ['_elements', 'includeAssociatedData']);
  assert.doesNotThrow(() => readExportParameters(request([['_format', 'json'], ['_pretty', 'true']])));
});

test('POST: an entry without a name or a readable value is a 400, never a parameter dropped (an export of everyone instead of the patients asked for)', () => {
  const post = (parameter: unknown[]) => () => readExportParameters(request([], { body: { resourceType: 'Parameters', parameter } }));
  assert.equal(refusal(post([null])), 'bulk.parameter-invalid');
  assert.equal(refusal(post(['x'])), 'bulk.parameter-invalid');
  assert.equal(refusal(post([{ valueString: 'Patient' }])), 'bulk.parameter-invalid');
  assert.equal(refusal(post([{ name: '_type', part: [{ name: 'x', valueString: 'y' }] }])), 'bulk.parameter-invalid');
  assert.equal(refusal(post([{ name: 'patient', valueReference: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '285075935012324' } } }])), 'bulk.patient-reference-invalid');
  assert.equal(refusal(post([{ name: 'patient', valueReference: { reference: '' } }])), 'bulk.patient-reference-invalid');
  assert.equal(refusal(post([{ name: 'patient', valueString: 'Patient/a' }])), 'bulk.patient-reference-invalid');
});

test('_since outside the years of a FHIR instant once in UTC is a 400', () => {
  assert.equal(refusal(() => readExportParameters(request([['_since', '0000-01-01T00:00:00Z']]))), 'bulk.since-invalid');
  assert.equal(refusal(() => readExportParameters(request([['_since', '9999-12-31T23:59:59-14:00']]))), 'bulk.since-invalid');
  assert.equal(readExportParameters(request([['_since', '9999-12-31T09:59:59-14:00']])).since, '9999-12-31T23:59:59.000Z');
});
