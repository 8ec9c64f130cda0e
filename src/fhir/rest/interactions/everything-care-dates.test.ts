import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../../definitions/schema.js';
import { careDateParameter, OTHER_CARE_DATES } from './everything-care-dates.js';

const schema = r4Schema();

test('the types sharing R4’s clinical-date take it as their care date', () => {
  for (const type of ['Observation', 'Encounter', 'Procedure', 'AllergyIntolerance', 'DiagnosticReport', 'Immunization', 'CarePlan']) {
    assert.equal(careDateParameter(schema, type), 'date', type);
    assert.equal(schema.searchParameter(type, 'date')?.url, 'http://hl7.org/fhir/SearchParameter/clinical-date', type);
  }
});

test('each care date of the table is an R4 date parameter of a Patient-compartment type clinical-date leaves out', () => {
  for (const [type, code] of Object.entries(OTHER_CARE_DATES)) {
    assert.ok(schema.patientCompartmentParams(type).length > 0, `${type} is in the Patient compartment`);
    const definition = schema.searchParameter(type, code);
    assert.equal(definition?.type, 'date', `${type}.${code} is a date parameter`);
    assert.notEqual(schema.searchParameter(type, 'date')?.url, 'http://hl7.org/fhir/SearchParameter/clinical-date', `${type} has no clinical-date`);
  }
});

test('the patient and the types dated only by their record, billing or administration have no care date', () => {
  for (const type of ['Patient', 'Coverage', 'Claim', 'Provenance', 'AuditEvent', 'Basic', 'Schedule', 'Account']) {
    assert.equal(careDateParameter(schema, type), undefined, type);
  }
});
