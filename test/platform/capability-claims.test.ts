/**
 * The CapabilityStatement's supportedProfile and implementationGuide
 * (capabilitystatement.html) come from the service modules: every profile it
 * declares for a type must find, as a `_profile` value, the resources the
 * modules wrote with it; a client can rely on them.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDirectoryModule } from '../../src/directory/index.js';
import { forEachBackend } from '../support/test-server.js';
import { FINESS, PS_V1 } from '../directory/samples.js';

forEachBackend('CapabilityStatement profile claims', (server) => {
  let statement: any;
  before(async () => {
    const directory = findDirectoryModule(server().running.platform.modules);
    for (const file of [PS_V1, FINESS]) await directory.importExtract(file);
    const patient = { resourceType: 'Patient', name: [{ family: 'CLAIMS', given: ['Anne'] }], gender: 'female', birthDate: '1980-02-03' };
    assert.equal((await server().post('Patient', patient)).status, 201);
    statement = (await server().get('metadata')).body;
  });

  const declared = (type: string): string[] => statement.rest[0].resource.find((r: any) => r.type === type).supportedProfile ?? [];

  test('names the FR Core and Annuaire guides', () => {
    assert.ok(statement.implementationGuide.includes('https://hl7.fr/ig/fhir/core/ImplementationGuide/hl7.fhir.fr.core'));
    assert.ok(statement.implementationGuide.includes('https://interop.esante.gouv.fr/ig/fhir/annuaire/ImplementationGuide/ans.fhir.fr.annuaire'));
  });

  test('declares the FR Core patient profiles on Patient, and no profile on types no module shapes', () => {
    assert.deepEqual(declared('Patient'), [
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient',
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins',
    ]);
    assert.deepEqual(declared('Observation'), []);
  });

  test('a created Patient is found by the first profile declared for it', async () => {
    const { body } = await server().get(`Patient?family=CLAIMS&_profile=${encodeURIComponent(declared('Patient')[0] as string)}`);
    assert.equal(body.entry?.length, 1);
  });

  for (const type of ['Practitioner', 'PractitionerRole', 'Organization']) {
    test(`every profile declared on ${type} finds the imported ${type} resources`, async () => {
      const profiles = declared(type);
      assert.ok(profiles.length >= 2, `${type}: ${profiles.join(', ')}`);
      const all = (await server().get(`${type}?_summary=count`)).body.total;
      assert.ok(all > 0);
      for (const profile of profiles) {
        const { body } = await server().get(`${type}?_summary=count&_profile=${encodeURIComponent(profile)}`);
        assert.equal(body.total, all, profile);
      }
    });
  }
});
