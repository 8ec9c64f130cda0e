/**
 * The index format: the version of the rules that turn a resource into its
 * search index rows. Rows written under other rules are not found by the
 * searches of this code (a query value normalised without punctuation does
 * not meet a row that kept it), so a change of these rules bumps the version,
 * and a store whose recorded format is older is reindexed at start
 * (storage/reindex.ts; `socle reindex` does it on request).
 *
 * Bump it for any change to what a resource's rows are made of: normalisation
 * (values.ts), the rows a datatype gives (extract-values.ts), which rows are
 * dropped (string-coverage.ts), composites, text content. Not for a change
 * the search side alone can absorb.
 *
 * 1. Before the format was recorded: string values lower case, accents folded, punctuation
 *    kept, whitespace collapsed; tokens as written.
 * 2. String values, and the texts token :text reads, keep only letters and
 *    digits ("O'Brien-Zyx" → "obrienzyx"); each later word of a family or
 *    given name has a row of its own ("Carreno Quinones" → also "quinones");
 *    tokens of string and ContactPoint values lower-cased
 *    (http://hl7.org/fhir/R4/search.html#string, #token). _text and _content
 *    unchanged.
 * 3. A relative canonical ("Library/x") is also a local reference: its row
 *    carries the target type and id beside the url, so Type/id finds it.
 * 4. Every text column a search index holds keeps at most 1,024 bytes of UTF-8
 *    (storage/sql/index-key.ts): PostgreSQL refused longer keys, and a SQLite
 *    store wrote them whole, where searches now compare the cut value. Rows of
 *    the Annuaire's Organization parameters address-insee and period (new).
 * 5. A UCUM quantity in a unit with a canonical form other than itself (kg,
 *    mg/dL, mm[Hg]) also has a row in that canonical unit, under the
 *    parameter's canonical rows (indexing/ucum.ts).
 * 6. A UCUM quantity already in its canonical unit (g, s-1) has that row too,
 *    so that _sort reads every UCUM value of a parameter in canonical units.
 * 7. A string value the index cuts (past 1,024 characters, or a norm past
 *    1,024 bytes) keeps its whole normalised value beside, for :contains
 *    (idx_string.whole, schema migration 6).
 */
export const INDEX_FORMAT = 7;
