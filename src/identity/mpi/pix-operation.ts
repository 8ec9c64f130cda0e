/**
 * IHE PIXm "Mobile Patient Identifier Cross-reference Query" [ITI-83]
 * (https://profiles.ihe.net/ITI/PIXm/ITI-83.html): given one identifier of a
 * patient in one assigning authority's domain (sourceIdentifier=system|value,
 * or this server's base|Patient/id for a record's logical id),
 * the identifiers of the same person in the other domains (targetIdentifier)
 * and the Patient resources that carry them (targetId; this server's base as
 * targetSystem asks for those alone, and a record named by its logical id is
 * not returned as its own target). Records linked by
 * Patient.link (a merge's replaced-by/replaces, seealso, refer) are the same
 * person; a link on another server's base names a record there and is not
 * followed (patient-links.ts). The billing number (NSS) and the obsolete
 * computed INS (INS-C) are never cross-referenced, as source or target. Errors as ITI-83 §2:3.83.4.2.3 sets them: unknown source domain 400,
 * unknown patient in a known domain 404, unknown target domain 403.
 */
import { fail } from '../../core/errors.js';
import { isValidId } from '../../core/ids.js';
import type { FhirOperation, OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import { recordMpiAccess } from './audit.js';
import { innerRequest, readPatient, searchAll } from './engine-requests.js';
import { escapeToken, named, parseToken, postedParameters, queryValues, responseJson, type Json } from './parameters.js';
import { identifiersOf, linkedIds } from './patient-links.js';
import { linksRecords, type FhirIdentifier } from '../ins/ins-identifier.js';

/** At most this many records make up one person: links are followed no further. */
const MAX_LINKED = 50;

function readInput(context: OperationContext): { source: string | undefined; targets: string[] } {
  if (context.request.method === 'GET') return { source: queryValues(context, 'sourceIdentifier')[0], targets: queryValues(context, 'targetSystem') };
  const list = postedParameters(context);
  const sourcePart = named(list, 'sourceIdentifier')[0]?.part;
  const identifier = sourcePart?.valueIdentifier as Json | undefined;
  // An Identifier without its system or value names no one: read as absent (400), not as the domain "undefined".
  const complete = identifier && typeof identifier.system === 'string' && typeof identifier.value === 'string';
  const source = identifier ? (complete ? `${String(identifier.system)}|${String(identifier.value)}` : undefined) : (sourcePart?.valueString as string | undefined);
  const targets = named(list, 'targetSystem').map((p) => (p.part.valueUri ?? p.part.valueString) as string).filter((t) => typeof t === 'string');
  return { source, targets };
}

/**
 * True when some Patient carries an identifier of `system`: the domain is one
 * this manager knows. Asked as PDQm asks it (identifier=system|), whose
 * answer for a domain no Patient carries also holds an OperationOutcome entry
 * (pdq-domains.ts): only matches count.
 */
async function knownDomain(context: OperationContext, system: string): Promise<boolean> {
  const response = await context.dispatch(innerRequest(context.request, 'GET', 'Patient', [['identifier', `${escapeToken(system)}|`], ['_count', '1'], ['_elements', 'id']]));
  const entries = responseJson(response).entry;
  return Array.isArray(entries) && entries.some((entry: Json) => (entry.search as Json | undefined)?.mode === 'match');
}

/** The found records and every record linked to them, transitively. */
async function person(context: OperationContext, found: Json[]): Promise<Json[]> {
  const records = new Map<string, Json>();
  const pending: (string | Json)[] = [...found];
  while (pending.length > 0 && records.size < MAX_LINKED) {
    const next = pending.pop() as string | Json;
    const id = typeof next === 'string' ? next : (next.id as string);
    if (records.has(id)) continue;
    const patient = typeof next === 'string' ? await readPatient(context.dispatch, context.request, next) : next;
    if (!patient) continue;
    records.set(id, patient);
    // Links point one way: follow those it makes, and find those made to it.
    // Only links to this server's records: one on another server's base names a patient there, not the local one of that id.
    pending.push(...linkedIds(patient, context.request.baseUrl));
    pending.push(...(await searchAll(context.dispatch, context.request, 'Patient', [['link', `Patient/${id}`]], MAX_LINKED)));
  }
  // Survivors (active) first, then merged-away records.
  return [...records.values()].sort((a, b) => Number(b.active !== false) - Number(a.active !== false));
}

/** True for this server's base URL: the domain of the records' logical ids (ITI-83 §2:3.83.4.1.2). */
function isServerBase(context: OperationContext, system: string): boolean {
  return system.replace(/\/+$/, '') === context.request.baseUrl.replace(/\/+$/, '');
}

/**
 * The Patient a sourceIdentifier names by its logical id (ITI-83
 * §2:3.83.4.1.2.1: "http://fhir.mydomain.com|Patient/123", the system being
 * this server's base), or undefined when it is an identifier of a domain.
 */
function logicalId(context: OperationContext, token: { system: string; value: string }): string | undefined {
  if (!isServerBase(context, token.system)) return undefined;
  const id = token.value.startsWith('Patient/') ? token.value.slice('Patient/'.length) : undefined;
  return id !== undefined && isValidId(id) ? id : undefined;
}

/**
 * Whether an identifier takes part in cross-references. The billing number
 * (NSS: the NIR system typed NH, ins/ins-identifier.ts) does not: it is often
 * another person's NIR (the insured parent of an ayant droit), and a NIR
 * travels between systems only as a qualified identity's INS (reference
 * §1.3), which a record carries only once QUAL. Nor does the obsolete
 * computed INS (INS-C): never an INS, and computed from a card's data.
 */
function crossReferenced(identifier: Json): boolean {
  return linksRecords(identifier as FhirIdentifier);
}

async function sourceRecords(context: OperationContext, token: { system: string; value: string }): Promise<Json[]> {
  const id = logicalId(context, token);
  if (id !== undefined) {
    const patient = await readPatient(context.dispatch, context.request, id);
    return patient ? [patient] : [];
  }
  if (!(await knownDomain(context, token.system))) throw fail('mpi.pix.domain-unknown');
  const found = await searchAll(context.dispatch, context.request, 'Patient', [['identifier', `${escapeToken(token.system)}|${escapeToken(token.value)}`]], MAX_LINKED);
  return found.filter((patient) => identifiersOf(patient).some((i) => i.system === token.system && i.value === token.value && crossReferenced(i)));
}

async function invoke(context: OperationContext): Promise<FhirResponse> {
  const { source, targets } = readInput(context);
  const token = source !== undefined ? parseToken(source) : undefined;
  if (!token) throw fail('mpi.pix.source-required');
  const found = await sourceRecords(context, token);
  if (found.length === 0) throw fail('mpi.pix.patient-unknown');
  // This server's base as targetSystem asks for the records' logical ids (targetId): a domain it always knows.
  const identifierTargets = targets.filter((target) => !isServerBase(context, target));
  const recordsAsked = targets.length === 0 || identifierTargets.length < targets.length;
  for (const target of identifierTargets) {
    if (!(await knownDomain(context, target))) throw fail('mpi.pix.target-unknown');
  }
  const records = await person(context, found);
  const parameter: Json[] = [];
  const seen = new Set<string>([`${token.system}|${token.value}`]);
  // "The identifier value given in the sourceIdentifier parameter shall not be included" (§2:3.83.4.2.2.1): a record named by its logical id is not returned as a targetId.
  const sourceId = logicalId(context, token);
  for (const patient of records) {
    const wanted = identifiersOf(patient).filter((i) => typeof i.system === 'string' && typeof i.value === 'string' && crossReferenced(i) && (targets.length === 0 || identifierTargets.includes(i.system)));
    for (const identifier of wanted) {
      const key = `${String(identifier.system)}|${String(identifier.value)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      parameter.push({ name: 'targetIdentifier', valueIdentifier: { ...(identifier.use ? { use: identifier.use } : {}), system: identifier.system, value: identifier.value } });
    }
    if ((recordsAsked || wanted.length > 0) && String(patient.id) !== sourceId) {
      parameter.push({ name: 'targetId', valueReference: { reference: `Patient/${String(patient.id)}` } });
    }
  }
  recordMpiAccess(context, 'E', 'operation:ihe-pix', records.map((p) => String(p.id)));
  return { status: 200, headers: {}, body: { kind: 'json', value: { resourceType: 'Parameters', parameter } }, interaction: 'operation:ihe-pix' };
}

export const pixOperation: FhirOperation = {
  name: 'ihe-pix',
  definition: 'https://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix',
  types: ['Patient'],
  methods: ['GET', 'POST'],
  access: 'read',
  invoke,
};
