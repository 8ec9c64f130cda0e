/**
 * IHE PDQm [ITI-78] "Populating Which Domains are Returned"
 * (https://profiles.ihe.net/ITI/PDQm/ITI-78.html §2:3.78.4.1.2.3 and the
 * cases of §2:3.78.4.1.3): a Patient search naming identifier domains only,
 * `identifier=urn:oid:1.2.3|` (several in the OR form
 * `identifier=urn:oid:1.2.3|,urn:oid:4.5.6|`), asks for the identifiers of
 * those domains alone.
 * - Case 2: every domain is known: the matches (found as any token search
 *   finds them) are returned with the identifiers of the other domains
 *   removed, and marked SUBSETTED (R4 search.html#elements) so that nobody
 *   writes them back as the whole record — a PUT of such a copy would drop
 *   the INS.
 * - Case 4: a domain the server is no authority for: of the two answers
 *   ITI-78 accepts, the 200 with the results available (often none), with an
 *   OperationOutcome entry (search mode outcome) whose issue has severity
 *   warning, code not-found and diagnostics "targetSystem not found". The
 *   preferred 404 is not taken: nothing tells a PDQm query from a plain FHIR
 *   search, and R4 answers a token search no resource matches with an empty
 *   searchset, so a 404 would break every FHIR client searching
 *   `identifier=system|` on a system nobody holds yet. A domain is known when
 *   a Patient the caller may see carries an identifier of it — the rule
 *   $ihe-pix applies (pix-operation.ts), read with the caller's reach so that
 *   the answer says nothing of records they may not see. The INS domains
 *   (NIR, NIA, test, demo) are always known: a French MPI serves them by
 *   design, whether or not any identity is qualified yet.
 * Registered with the FHIR layer as a search-result hook (WriteHook.shownMatches).
 */
import type { Issue } from '../../core/errors.js';
import { parseJson, stringifyJson } from '../../core/json/decimal-json.js';
import type { SearchHookContext, WriteHook } from '../../fhir/rest/write-hooks.js';
import { splitUnescaped, unescapeValue } from '../../fhir/search/search-values.js';
import { markSubsetted } from '../../fhir/search/summary.js';
import type { StoredVersion } from '../../storage/contract.js';
import { INS_SYSTEMS } from '../fr-core.js';
import { identifiersOf } from './patient-links.js';
import type { Json } from './parameters.js';

const INS_DOMAINS: ReadonlySet<string> = new Set(Object.values(INS_SYSTEMS));

/** The system of a token written `system|` (a domain, no value), else undefined. */
function domainOf(token: string): string | undefined {
  const [system, code, ...rest] = splitUnescaped(token, '|');
  return rest.length === 0 && code === '' && system !== undefined && system !== '' ? unescapeValue(system) : undefined;
}

/**
 * The domains a query asks identifiers from: the systems of its `identifier`
 * parameters whose every value is written `system|` (ITI-78's OR form). A
 * parameter that also names an identifier value (`urn:oid:X|,<NIR>|<value>`)
 * is a search by identifier, not a choice of domains: narrowing by it would
 * strip the very identifier a match was found by.
 */
export function requestedDomains(parameters: readonly (readonly [string, string])[]): string[] {
  const domains = new Set<string>();
  for (const [name, value] of parameters) {
    if (name !== 'identifier') continue;
    const systems = splitUnescaped(value, ',').map(domainOf);
    if (systems.every((system) => system !== undefined)) for (const system of systems) domains.add(system as string);
  }
  return [...domains];
}

const unknownDomain = (system: string): Issue =>
  ({ severity: 'warning', type: 'not-found', message: 'mpi.pdq.domain-unknown', params: { system }, expression: ['identifier'] });

/** Whether a Patient the caller may see carries an identifier of `system`. */
async function knownDomain(context: SearchHookContext, system: string): Promise<boolean> {
  const reach = await context.deps.guard.searchConditions(context.request, ['Patient']);
  const page = await context.reader.search({
    resourceTypes: ['Patient'],
    where: [...(reach ?? []), { kind: 'token', param: 'Patient.identifier', system }],
    sort: [], count: 1, total: 'none',
  });
  return page.rows.length > 0;
}

/** A match with the identifiers of the other domains removed, marked SUBSETTED when any was. */
function narrowed(row: StoredVersion, domains: ReadonlySet<string>): StoredVersion {
  if (row.content === null) return row;
  const patient = parseJson(row.content) as Json;
  const all = identifiersOf(patient);
  const kept = all.filter((i) => typeof i.system === 'string' && domains.has(i.system));
  if (kept.length === all.length) return row;
  const { identifier: _all, ...rest } = patient;
  const shown: Json = { ...rest, ...(kept.length > 0 ? { identifier: kept } : {}) };
  markSubsetted(shown);
  return { ...row, content: stringifyJson(shown) };
}

async function shownMatches(rows: readonly StoredVersion[], context: SearchHookContext): Promise<readonly StoredVersion[]> {
  const domains = requestedDomains(context.parameters);
  if (domains.length === 0) return rows;
  // A domain some match carries an identifier of is known without asking the store.
  const carried = new Set(rows.flatMap((row) => (row.content === null ? [] : identifiersOf(parseJson(row.content) as Json).map((i) => i.system))));
  const unknown: Issue[] = [];
  for (const system of domains) {
    if (!carried.has(system) && !INS_DOMAINS.has(system) && !(await knownDomain(context, system))) unknown.push(unknownDomain(system));
  }
  if (unknown.length > 0) context.warn(unknown);
  const asked = new Set(domains);
  return rows.map((row) => narrowed(row, asked));
}

/** The PDQm domain rules on Patient searches. */
export function pdqDomainsHook(): WriteHook {
  return { types: ['Patient'], shownMatches };
}
