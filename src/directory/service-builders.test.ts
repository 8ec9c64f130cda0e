import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../fhir/definitions/schema.js';
import { validateResource } from '../fhir/validation/validator.js';
import { buildHealthcareService, buildMailboxEndpoint } from './service-builders.js';

const schema = r4Schema();

test('an authorised care activity is a valid HealthcareService provided by its FINESS site, with a deterministic id', () => {
  const activity = { system: 'https://mos.esante.gouv.fr/NOS/TRE_R276-ActiviteSanitaireRegulee/FHIR/TRE-R276-ActiviteSanitaireRegulee', code: '04' };
  const service = buildHealthcareService({ providedByIdNatStruct: '1690002001', arhgos: '84-69-00123', activity });
  const result = validateResource(schema, service);
  assert.ok(result.valid, JSON.stringify(result.issues));
  assert.equal(service.id, 'arhgos-84-69-00123');
  assert.deepEqual(service.providedBy, { reference: 'Organization/1690002001' });
  assert.equal(buildHealthcareService({ providedByIdNatStruct: '1690002001', activity }).id, '1690002001-04');
});

test('a care activity claims the public profile only with its ARHGOS number, and has neither specialty nor name (as-dp-healthcareservice-healthcare-activity)', () => {
  const activity = { system: 'https://mos.esante.gouv.fr/NOS/TRE_R276-ActiviteSanitaireRegulee/FHIR/TRE-R276-ActiviteSanitaireRegulee', code: '04' };
  const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';
  const authorised = buildHealthcareService({ providedByIdNatStruct: '1690002001', arhgos: '84-69-00123', activity });
  assert.deepEqual(authorised.meta, { profile: [`${AS}/as-dp-healthcareservice-healthcare-activity`], source: 'https://annuaire.esante.gouv.fr' });
  assert.equal(authorised.specialty, undefined);
  assert.equal(authorised.name, undefined);
  assert.deepEqual(authorised.type, [{ coding: [activity] }]);
  const unnumbered = buildHealthcareService({ providedByIdNatStruct: '1690002001', activity });
  assert.equal(unnumbered.identifier, undefined);
  assert.deepEqual((unnumbered.meta as any).profile, [`${AS}/as-healthcareservice-healthcare-activity`]);
});

test('an MSSanté mailbox endpoint is a valid secure-email Endpoint whose id comes from the address', () => {
  const endpoint = buildMailboxEndpoint({ address: 'Urgences@CH.mssante.fr', managingIdNatStruct: '1690002001' });
  const result = validateResource(schema, endpoint);
  assert.ok(result.valid, JSON.stringify(result.issues));
  assert.equal(endpoint.id, 'mss-urgences-ch.mssante.fr');
  assert.equal(endpoint.address, 'mailto:Urgences@CH.mssante.fr');
});
