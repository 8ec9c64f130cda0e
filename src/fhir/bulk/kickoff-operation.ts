/**
 * The kick-off of a Bulk Data export (https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request):
 * `[base]/$export`, `[base]/Patient/$export`, `[base]/Group/[id]/$export`, by
 * GET (query) or POST (Parameters), with `Prefer: respond-async`. Everything
 * that can be checked is checked here, so that a mistake is a 4xx now rather
 * than a failed job later: the parameters, the caller's rights on every
 * exported type, the _typeFilter searches (run once through the engine,
 * strict about parameters), the patients and the Group. Then the job is
 * saved and started, and the answer is 202 with the status URL in
 * Content-Location.
 *
 * Who may: systems and operators with `system/` scopes, professionals with
 * `user/` scopes, each for the types their scopes let them read and search;
 * their reach (access policies) narrows every search the job makes. Patients
 * may not: an export is a service-to-service exchange.
 */
import { fail } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseJson } from '../../core/json/decimal-json.js';
import { NO_ENDPOINT_TYPES } from '../rest/interactions/capabilities.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import type { BulkExports } from './bulk-exports.js';
import type { ExportJob, ExportLevel } from './export-job.js';
import { prefersAsync, readExportParameters } from './export-parameters.js';
import { exportScope, type ExportScope } from './export-scope.js';
import { groupMembers } from './group-members.js';
import { statusUrl } from './status-operation.js';

const IG = 'http://hl7.org/fhir/uv/bulkdata';
/** Patients looked up per search when the patient parameter is checked (within SOCLE_MAX_COUNT). */
const PATIENT_CHUNK = 100;

function levelOf(context: OperationContext): ExportLevel {
  const { type } = context.target;
  return type === undefined ? 'system' : type === 'Patient' ? 'patient' : 'group';
}

function innerRequest(context: OperationContext, path: string, query: readonly (readonly [string, string])[]): FhirRequest {
  const { request } = context;
  return { method: 'GET', path, query, headers: { prefer: 'handling=strict' }, baseUrl: request.baseUrl, language: request.language };
}

/** Each _typeFilter search runs once, as the caller: an unknown parameter or a bad value is a 400 now. */
async function checkFilters(context: OperationContext, scope: ExportScope): Promise<void> {
  for (const [type, filters] of Object.entries(scope.typeFilters)) {
    for (const filter of filters) {
      await context.dispatch(innerRequest(context, type, [...filter, ['_count', '1'], ['_total', 'none'], ['_elements', 'id']]));
    }
  }
}

/** Each patient of the patient parameter exists and is within the caller's reach. */
async function checkPatients(context: OperationContext, patients: readonly string[]): Promise<void> {
  const size = Math.min(PATIENT_CHUNK, context.deps.maxPageSize);
  for (let start = 0; start < patients.length; start += size) {
    const chunk = patients.slice(start, start + size);
    const response = await context.dispatch(innerRequest(context, 'Patient', [['_id', chunk.join(',')], ['_count', String(size)], ['_total', 'none'], ['_elements', 'id']]));
    const bundle = (response.body?.kind === 'text' ? parseJson(response.body.text) : {}) as { entry?: { resource?: { id?: string } }[] };
    const found = new Set((bundle.entry ?? []).map((e) => e.resource?.id));
    const missing = chunk.find((id) => !found.has(id));
    if (missing !== undefined) throw fail('bulk.patient-unknown', { reference: `Patient/${missing}` });
  }
}

/** The Group is readable by the caller, and the patient parameter names active members of it. */
async function checkGroup(context: OperationContext, group: string, patients: readonly string[] | undefined): Promise<void> {
  const response = await context.dispatch(innerRequest(context, `Group/${group}`, []));
  const resource = response.body?.kind === 'text' ? parseJson(response.body.text) : {};
  const members = new Set(groupMembers(resource, context.request.baseUrl, context.deps.clock.now()).patients);
  const outside = patients?.find((id) => !members.has(id));
  if (outside !== undefined) throw fail('bulk.patient-not-in-group', { reference: `Patient/${outside}`, group: `Group/${group}` });
}

/** The manifest's `request`: the kick-off URL, without the parameters of a POST body. */
function requestUrl(request: FhirRequest): string {
  const query = request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${request.baseUrl}/${request.path}${query === '' ? '' : `?${query}`}`;
}

async function kickOff(exports: BulkExports, context: OperationContext): Promise<FhirResponse> {
  const { request, deps, target } = context;
  if (request.principal?.kind === 'patient') throw fail('operation.restricted', { operation: '$export' });
  // export.html: "Prefer: respond-async — Required"; Socle has no synchronous export.
  if (!prefersAsync(request.headers.prefer)) throw fail('bulk.respond-async-required');
  const level = levelOf(context);
  const parameters = readExportParameters(request);
  const scope = exportScope({
    level,
    parameters,
    exportable: deps.schema.resourceTypes.filter((t) => !NO_ENDPOINT_TYPES.has(t)),
    inCompartment: (type) => deps.compartment.holds(type),
    requireAccess: (type) => {
      deps.guard.require(request, 'r', type);
      deps.guard.require(request, 's', type);
    },
    baseUrl: request.baseUrl,
  });
  await checkFilters(context, scope);
  if (level === 'group') await checkGroup(context, target.id as string, scope.patients);
  else if (scope.patients) await checkPatients(context, scope.patients);
  const now = deps.clock.now();
  const job: ExportJob = {
    id: newId(), status: 'in-progress', request: requestUrl(request), baseUrl: request.baseUrl, language: request.language,
    level, ...(level === 'group' ? { group: target.id as string } : {}), ...scope,
    ...(parameters.since ? { since: parameters.since } : {}),
    ...(parameters.ignored.length > 0 ? { ignoredParameters: parameters.ignored } : {}),
    ...(request.principal ? { owner: request.principal } : {}),
    ...(request.clientAddress ? { clientAddress: request.clientAddress } : {}),
    ...(request.requestId ? { requestId: request.requestId } : {}),
    createdAt: now, transactionTime: now, heartbeat: now, progress: { done: 0, total: 0, resources: 0 }, output: [], errors: [],
  };
  await exports.begin(job);
  return { status: 202, headers: { 'content-location': statusUrl(request.baseUrl, job.id) }, interaction: 'operation:export' };
}

/** $export at its three levels; reads only (the guard asks for search scopes, and read on the Group). */
export function kickOffOperations(exports: BulkExports): FhirOperation[] {
  const invoke = (context: OperationContext): Promise<FhirResponse> => kickOff(exports, context);
  const common = { name: 'export', methods: ['GET', 'POST'], access: 'read', invoke } as const;
  return [
    { ...common, system: true, definition: `${IG}/OperationDefinition/export`, instantiates: `${IG}/CapabilityStatement/bulk-data` },
    { ...common, types: ['Patient'], definition: `${IG}/OperationDefinition/patient-export` },
    { ...common, types: ['Group'], instance: true, instanceOnly: true, definition: `${IG}/OperationDefinition/group-export` },
  ];
}
