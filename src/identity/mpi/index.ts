/**
 * The MPI part of the identity service (issue #3): Patient/$match (FHIR R4),
 * Patient/$ihe-pix (IHE PIXm ITI-83), Patient/$merge and $unmerge, and the
 * identity-vigilance work list of suspected duplicates. PDQm (ITI-78) is the
 * engine's own Patient search. Recipe for a new operation: one file, opening
 * with its specification link, exporting a FhirOperation; list it here.
 */
import type { FhirOperation } from '../../fhir/rest/operations.js';
import type { ModuleContext } from '../../platform/module.js';
import { duplicatesOperations } from './duplicates-operation.js';
import { matchOperation } from './match-operation.js';
import { mergeOperation } from './merge-operation.js';
import { openMpiStore } from './merge-log.js';
import { pixOperation } from './pix-operation.js';
import { unmergeOperation } from './unmerge-operation.js';

export function mpiOperations(context: ModuleContext): FhirOperation[] {
  const store = openMpiStore(context);
  return [matchOperation, pixOperation, mergeOperation(context, store), unmergeOperation(context, store), ...duplicatesOperations(store)];
}
