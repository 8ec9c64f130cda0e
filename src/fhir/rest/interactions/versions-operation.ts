/**
 * $versions (http://hl7.org/fhir/R4/capabilitystatement-operation-versions.html):
 * the FHIR versions this end-point serves and the one it uses when a request
 * names none (http.html#version-parameter). Socle serves R4 only: 4.0.
 */
import type { FhirOperation } from '../operations.js';

/** The major.minor form the fhirVersion mime-type parameter uses for R4. */
const R4 = '4.0';

export const versionsOperation: FhirOperation = {
  name: 'versions',
  definition: 'http://hl7.org/fhir/OperationDefinition/CapabilityStatement-versions',
  system: true,
  methods: ['GET', 'POST'],
  access: 'read',
  async invoke() {
    return {
      status: 200, headers: {}, interaction: 'operation:versions',
      body: { kind: 'json', value: { resourceType: 'Parameters', parameter: [{ name: 'version', valueCode: R4 }, { name: 'default', valueCode: R4 }] } },
    };
  },
};
