/**
 * A conformance resource stored here, found by its canonical url (and
 * version): a search of the storage through the search plan, as conditional
 * matching does (common.ts findMatches), on the reader it is given (the
 * request's transaction, if any). Of several matches, the one updated last.
 * Used by profile validation (StructureDefinition) and the code sets of its
 * bindings (ValueSet, CodeSystem).
 */
import { parseJson } from '../../core/json/decimal-json.js';
import type { StoredVersion, StoreReader } from '../../storage/contract.js';
import { parseSearch } from '../search/parse-search.js';
import { escapeValue } from '../search/search-values.js';
import { parameterContext, type EngineDeps } from './context.js';

const MATCHES = 20;

export async function storedByUrl(
  deps: EngineDeps, reader: StoreReader, baseUrl: string, type: string, url: string, version?: string,
): Promise<Record<string, unknown> | undefined> {
  if (url === '') return undefined;
  const pairs: [string, string][] = [['url', escapeValue(url)]];
  if (version !== undefined) pairs.push(['version', escapeValue(version)]);
  const search = parseSearch([type], pairs, { ...parameterContext(deps, baseUrl), strict: true, defaultCount: MATCHES, maxCount: MATCHES });
  const page = await reader.search({ resourceTypes: [type], where: search.where, sort: [], count: MATCHES, total: 'none' });
  let latest: StoredVersion | undefined;
  for (const row of page.rows) {
    if (row.deleted || row.content === null) continue;
    if (!latest || row.lastUpdated > latest.lastUpdated) latest = row;
  }
  return latest ? (parseJson(latest.content as string) as Record<string, unknown>) : undefined;
}
