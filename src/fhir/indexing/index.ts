/**
 * Search index extraction: the rows a resource contributes to each search
 * parameter of its type (http://hl7.org/fhir/R4/search.html), and the value
 * normalisers the search-query side applies to search values.
 */
export { ResourceIndexer, componentParamName } from './resource-indexer.js';
export type { IndexingOptions, ParameterPlan, ComponentPlan } from './resource-indexer.js';
export { INDEX_FORMAT } from './index-format.js';
export { normalizeString, normalizeText, laterNameParts, dateRange, parseReference, parseCanonical, referenceTargetType } from './values.js';
export type { DatePrecision, DateRange, ParsedReference } from './values.js';
export { compilePath } from './compile-path.js';
export type { CompiledPath } from './compile-path.js';
export { TypeModel } from './type-model.js';
export { MAX_INDEXED_STRING } from './extract-values.js';
export * from './index-set.js';
