/**
 * Search parameters the French guides add to R4 (FR Core, Annuaire Santé…),
 * in the shape of the official ones: the schema merges them, so indexing,
 * search and the CapabilityStatement treat them exactly like R4's own.
 * Each entry cites the SearchParameter resource it reproduces.
 */
import type { SearchParameterDefinition } from './model.js';

export const NATIONAL_SEARCH_PARAMETERS: readonly SearchParameterDefinition[] = [
];
