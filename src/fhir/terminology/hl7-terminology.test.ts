import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hl7Terminology } from './hl7-terminology.js';

test('HL7 terminology is read on first use, not before', () => {
  const hl7 = new Hl7Terminology();
  assert.equal(hl7.isLoaded, false);
  assert.equal(hl7.valueSet('http://hl7.org/fhir/ValueSet/administrative-gender')?.version, '4.0.1');
  assert.equal(hl7.isLoaded, true);
});

test('FHIR, v3 and v2 code systems and HL7 concept maps are there; later releases\' additions are not', () => {
  const hl7 = new Hl7Terminology();
  assert.equal(hl7.codeSystem('http://hl7.org/fhir/administrative-gender')?.concept?.length, 4);
  assert.ok(hl7.codeSystem('http://terminology.hl7.org/CodeSystem/v3-ActCode'));
  assert.ok(hl7.codeSystem('http://terminology.hl7.org/CodeSystem/v2-0203'));
  assert.ok(hl7.conceptMap('http://hl7.org/fhir/ConceptMap/cm-administrative-gender-v2'));
  // R5's DetectedIssue status (version 5.0.0) ships in the package, not in R4.
  assert.equal(hl7.codeSystem('http://hl7.org/fhir/detectedissue-status'), undefined);
  assert.equal(hl7.valueSet('http://hl7.org/fhir/ValueSet/detectedissue-status'), undefined);
  assert.equal(hl7.valueSet('http://hl7.org/fhir/ValueSet/administrative-gender', '9.9'), undefined);
});
