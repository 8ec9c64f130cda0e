/**
 * Patient/[id]/$everything (http://hl7.org/fhir/R4/patient-operation-everything.html):
 * the patient, every resource of its compartment, and what those reference,
 * as a searchset Bundle paged like a search, whose links lead back to the
 * operation with its parameters.
 *
 * It is the compartment search `Patient/[id]/*` with `_include=*`, run with
 * the caller's access by the very steps of a search (search.ts, guardedSearch): `_since`
 * becomes `_lastUpdated=ge…` (inclusive: "clients should be able to handle
 * getting the same response more than once" at a time boundary), `_type` the
 * searched types, `_count` the page size, and `start`/`end` a condition on
 * each type's care date (everything-care-dates.ts).
 *
 * One call is one access in the audit trail: the engine records the operation
 * (BALP's RESTful operation, subtype everything), naming the patient and what
 * the page showed. The patient's lookup and the search are not dispatched as
 * requests of their own, which would record the same access three times
 * (a read, a search, the operation), and a patient reading their traces
 * would see three accesses where one was made.
 */
import { fail } from '../../../core/errors.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';
import { operationOutcome } from '../../../core/operation-outcome.js';
import type { StoredVersion, StoreReader } from '../../../storage/contract.js';
import type { Condition } from '../../../storage/query.js';
import { parseSearch } from '../../search/parse-search.js';
import { hiddenResource, mayKnow } from '../access-guard.js';
import { parameterContext, type EngineDeps } from '../context.js';
import { parsePrefer } from '../headers.js';
import type { FhirOperation, OperationContext } from '../operations.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { careWindowCondition } from './everything-care-dates.js';
import { guardedSearch } from './search.js';
import { queryText } from '../audit-trail.js';
import { everythingInput, linkParameters, OPERATION, type EverythingInput } from './everything-input.js';

/** The patient as a read would find it: absent is 404, hidden 404 too (or as its policy says), deleted 410. */
async function currentPatient(deps: EngineDeps, reader: StoreReader, request: FhirRequest, id: string): Promise<StoredVersion> {
  const version = await reader.readCurrent('Patient', id);
  if (!version) throw fail('resource.not-found', { type: 'Patient', id });
  if (!(await mayKnow(deps.guard, reader, request, version))) throw hiddenResource('Patient', id, version);
  if (version.deleted) throw fail('resource.deleted', { type: 'Patient', id });
  return version;
}

/** Adds an OperationOutcome entry saying which parameters were ignored. */
function withIgnoredNotice(text: string, ignored: readonly string[], request: FhirRequest): string {
  if (ignored.length === 0) return text;
  const bundle = parseJson(text) as { entry?: unknown[] };
  const issues = ignored.map((name) => ({
    severity: 'warning' as const, type: 'not-supported' as const, message: 'operation.parameter-ignored' as const, params: { operation: OPERATION, name },
  }));
  bundle.entry = [...(bundle.entry ?? []), { resource: operationOutcome(issues, request.language), search: { mode: 'outcome' } }];
  return stringifyJson(bundle);
}

/** The search behind one page: the inner query, its types and the conditions the operation adds. */
function searchOf(deps: EngineDeps, request: FhirRequest, patientId: string, input: EverythingInput) {
  const types = input.types.length > 0 ? input.types : deps.compartment.types;
  const query: [string, string][] = [['_include', '*']];
  if (input.since !== undefined) query.push(['_lastUpdated', `ge${input.since}`]);
  if (input.count !== undefined) query.push(['_count', input.count]);
  if (input.cursor !== undefined) query.push(['_cursor', input.cursor]);
  const context = parameterContext(deps, request.baseUrl);
  const parsed = parseSearch(types, query, {
    ...context, strict: true, defaultCount: deps.defaultPageSize, maxCount: deps.maxPageSize,
  });
  const where: Condition[] = [deps.compartment.condition([patientId], types)];
  if (input.start !== undefined || input.end !== undefined) where.push(careWindowCondition(types, input, context));
  // The links repeat the operation's parameters, not the inner search's.
  return { types, parsed: { ...parsed, applied: linkParameters(input) }, where };
}

async function invoke(context: OperationContext): Promise<FhirResponse> {
  const { deps, access: { reader }, request, target } = context;
  const input = everythingInput(request, deps.schema);
  if (input.unknown.length > 0 && parsePrefer(request.headers.prefer).handling === 'strict') {
    throw fail('operation.parameter-unsupported', { operation: OPERATION, name: input.unknown.join(', ') });
  }
  const patientId = target.id as string;
  const patient = await currentPatient(deps, reader, request, patientId);
  const { types, parsed, where } = searchOf(deps, request, patientId, input);
  // As a search of these types, with the caller's access (search.ts).
  const { text, touched } = await guardedSearch(deps, reader, request, { ...parsed, resourceTypes: types }, {
    selfBase: `${request.baseUrl}/Patient/${patientId}/$everything`, extraWhere: where,
    // "_type: … resource types to include in the return resources": every resource returned, the referenced ones and
    // the patient too (HAPI FHIR reads it so since 8.10); without _type, the patient and everything it leads to.
    ...(input.types.length > 0 ? { includedTypes: input.types } : {}),
  });
  const auditQuery = queryText([...linkParameters(input), ...(input.cursor !== undefined ? [['_cursor', input.cursor] as const] : [])]);
  // The patient is named by the record even when the page shows nothing of theirs (_type, _since, a window).
  const withPatient = touched.some((v) => v.rid === patient.rid) ? touched : [patient, ...touched];
  return {
    status: 200, headers: {}, interaction: 'operation:everything',
    body: { kind: 'text', text: withIgnoredNotice(text, input.unknown, request) }, touched: withPatient,
    // Which part of the record was shown, whether the parameters came in the URL or in a posted Parameters.
    ...(auditQuery !== undefined ? { auditQuery } : {}),
  };
}

export const everythingOperation: FhirOperation = {
  name: 'everything',
  definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
  types: ['Patient'],
  instance: true,
  instanceOnly: true,
  methods: ['GET', 'POST'],
  access: 'read',
  invoke,
};
