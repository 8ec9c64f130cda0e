/**
 * What the engine tells the audit trail about each interaction a principal
 * asks for, allowed or refused (IHE BALP, https://profiles.ihe.net/ITI/BALP/:
 * the RESTful interaction patterns). The audit module turns each AuditEntry
 * into a chained AuditEvent; here only the facts are gathered, cheaply.
 */
import type { AuditAction, AuditEntry } from '../../core/audit-entry.js';
import type { FhirError } from '../../core/errors.js';
import type { StoredVersion } from '../../storage/contract.js';
import { touchedBy } from './access-guard.js';
import type { EngineDeps } from './context.js';
import type { FhirRequest, FhirResponse } from './types.js';

/** BALP's action per interaction: reads R, searches and operations E (execute), writes C/U/D. */
function actionOf(interaction: string, method: string): AuditAction {
  if (interaction === 'read' || interaction === 'vread' || interaction.startsWith('history')) return 'R';
  if (interaction === 'create') return 'C';
  if (interaction === 'update' || interaction === 'patch') return 'U';
  if (interaction === 'delete') return 'D';
  if (interaction !== 'error') return 'E';
  switch (method) {
    case 'POST': return 'C';
    case 'PUT': case 'PATCH': return 'U';
    case 'DELETE': return 'D';
    default: return 'R';
  }
}

/** The interaction a request asked for, from its method and path (BALP subtype of a refusal, metrics of a failure). */
export function askedInteraction(request: Pick<FhirRequest, 'method' | 'path'> & { readonly body?: unknown }): string {
  const segments = request.path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1] ?? '';
  if (last.startsWith('$')) return `operation:${last.slice(1)}`;
  if (segments.includes('_history')) return segments.length >= 4 ? 'vread' : `history-${['system', 'type', 'instance'][Math.min(segments.length - 1, 2)]}`;
  switch (request.method) {
    case 'GET': case 'HEAD': return segments.length === 2 ? 'read' : segments.length === 0 ? 'search-system' : 'search-type';
    case 'POST': return segments.length === 0 ? bundleInteraction(request.body) : last === '_search' ? 'search-type' : 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    default: return 'delete';
  }
}

/** A Bundle posted to the base is a transaction when it says so, a batch otherwise (http.html#transaction). */
function bundleInteraction(body: unknown): string {
  return (body as { type?: unknown } | undefined)?.type === 'transaction' ? 'transaction' : 'batch';
}

/** "Type/id" of the resource a path names, if any. */
function pathEntity(request: FhirRequest): string[] {
  const [type, id] = request.path.split('/');
  return type && id && /^[A-Z]/.test(type) && !id.startsWith('$') && !id.startsWith('_') ? [`${type}/${id}`] : [];
}

/** The query of a search or a Bulk Data request, as received: BALP keeps it (base64) in entity.query. */
export function queryText(pairs: readonly (readonly [string, string])[]): string | undefined {
  if (pairs.length === 0) return undefined;
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export function describeAccess(
  deps: EngineDeps, request: FhirRequest, outcome: { readonly response?: FhirResponse; readonly error?: FhirError },
): AuditEntry {
  const { response, error } = outcome;
  const interaction = response && response.interaction !== 'error' ? response.interaction : askedInteraction(request);
  // A refused access to a hidden resource still concerns its patient, who can list it; but not when the
  // requester is a patient: they read the records naming them as agent, which would name the other patient.
  const touched: readonly StoredVersion[] = response?.touched ?? (request.principal?.kind === 'patient' ? [] : touchedBy(error));
  const patients = new Set<string>();
  for (const version of touched) for (const patient of deps.compartment.patientsOf(version)) patients.add(patient);
  const entities = touched.length > 0 ? touched.map((v) => `${v.resourceType}/${v.id}/_history/${v.versionId}`) : pathEntity(request);
  const status = response?.status ?? error?.status ?? 500;
  // A Bulk Data request is its query: which export (_type, _typeFilter…), which job and which file was fetched;
  // $everything gives its parameters, GET or POST alike: which part of the record was shown.
  const query = response?.auditQuery
    ?? (interaction.startsWith('search') || interaction.startsWith('operation:export') ? queryText(request.query) : undefined);
  return {
    action: actionOf(interaction, request.method),
    interaction,
    outcome: status < 400 ? '0' : status < 500 ? '4' : '8',
    ...(error ? { outcomeDescription: String(error.issues[0]?.message ?? 'error') } : {}),
    ...(request.principal ? { principal: request.principal } : {}),
    patients: [...patients],
    entities,
    ...(query !== undefined ? { query } : {}),
    recorded: deps.clock.now(),
    ...(request.clientAddress ? { sourceAddress: request.clientAddress } : {}),
    ...(request.requestId ? { requestId: request.requestId } : {}),
  };
}
