/**
 * The identity service (issue #3): INS and identity-vigilance on Patient
 * writes (vigilance/), the INSi-like reference register and its operations
 * (insi/), matching, cross-references and merging (mpi/).
 */
import type { ModuleFactory } from '../platform/module.js';
import { PATIENT_INS_PROFILE, PATIENT_PROFILE } from './fr-core.js';
import { createInsi } from './insi/index.js';
import { described } from './operation-descriptions.js';
import { mpiOperations } from './mpi/index.js';
import { pdqDomainsHook } from './mpi/pdq-domains.js';
import { vigilanceHooks } from './vigilance/index.js';

/** FR Core, the guide of the French patient profiles (its ImplementationGuide's canonical). */
const FR_CORE_GUIDE = 'https://hl7.fr/ig/fhir/core/ImplementationGuide/hl7.fhir.fr.core';

export const identityModule: ModuleFactory = (context) => {
  const insi = createInsi(context);
  return {
    name: 'identity',
    operations: described([...insi.operations, ...mpiOperations(context)]),
    // Identity-vigilance on Patient writes; PDQm's identifier domains on Patient searches.
    writeHooks: [...vigilanceHooks(context, insi.lookup, insi.writeGate), pdqDomainsHook()],
    // The vigilance hook writes fr-core-patient on every Patient, and fr-core-patient-ins on a QUAL identity.
    conformance: { supportedProfiles: { Patient: [PATIENT_PROFILE, PATIENT_INS_PROFILE] }, implementationGuides: [FR_CORE_GUIDE] },
  };
};
