/**
 * The INS of RECUP identities, kept in the identity module's own collection
 * instead of on the Patient. The RNIV allows only a qualified identity to
 * reference or exchange data with the matricule INS (reference §1.3; FR Core
 * defines the INS slices in fr-core-patient-ins alone for that reason), so a
 * RECUP identity's verified INS waits here, out of reach of every FHIR read,
 * search, history and export, until a document check makes it QUAL and the
 * hook moves it onto the Patient.
 */
import type { Collection } from '../../storage/collection.js';
import type { FhirIdentifier } from '../ins/ins-identifier.js';

/** Collection name: module "identity", documents keyed by Patient id. */
export const PENDING_INS_COLLECTION = 'identity.pending-ins';

export interface PendingIns {
  /** The INS identifier as it will go onto the Patient once QUAL. */
  readonly identifier: FhirIdentifier;
  /** When INSi confirmed it (ms since the epoch). */
  readonly verifiedAt: number;
}

export type PendingInsCollection = Collection<PendingIns>;
