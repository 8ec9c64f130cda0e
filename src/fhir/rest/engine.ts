/**
 * The FHIR REST engine without transport: a FhirRequest in, a FhirResponse
 * out. The table below maps each route and method to its interaction
 * (http://hl7.org/fhir/R4/http.html, summary table); everything a client can
 * get wrong becomes an OperationOutcome here.
 */
import { fail, FhirError, isFhirError } from '../../core/errors.js';
import { operationOutcome } from '../../core/operation-outcome.js';
import type { AuditEntry } from '../../core/audit-entry.js';
import { askedInteraction, describeAccess } from './audit-trail.js';
import { storeAccess, type DataAccess, type EngineDeps } from './context.js';
import { batch, splitBundleIssues, transaction, type Dispatch } from './interactions/bundle.js';
import { conditionalReferenceIn } from './interactions/bundle-references.js';
import { putUnits, type UnitOutcome } from './interactions/bulk-put.js';
import { capabilities, NO_ENDPOINT_TYPES } from './interactions/capabilities.js';
import { history } from './interactions/history.js';
import { read, vread } from './interactions/read.js';
import { search } from './interactions/search.js';
import { validateOperation } from './interactions/validate-operation.js';
import { conditionalDelete, conditionalUpdate, create, patch, remove, update, type WriteOptions } from './interactions/write.js';
import { checkOperation, callerOf } from './operation-access.js';
import { parseRoute } from './route.js';
import type { JsonResource } from './resource-version.js';
import type { FhirRequest, FhirResponse } from './types.js';

function criteriaOf(request: FhirRequest): string {
  return request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export class FhirEngine {
  constructor(readonly deps: EngineDeps) {}

  /**
   * Serves one request; errors become OperationOutcome responses. With
   * SOCLE_AUDIT_WAIT=on, a principal's request is answered only once its
   * audit records are durable (the wait is one group commit, shared by all
   * requests of the batch); by default the records follow within milliseconds.
   */
  async handle(request: FhirRequest): Promise<FhirResponse> {
    let response: FhirResponse;
    try {
      response = await this.dispatch(request, storeAccess(this.deps.store));
    } catch (error) {
      if (!isFhirError(error)) throw error;
      response = this.errorResponse(error, request);
    }
    if (request.principal && this.deps.auditBeforeResponse) {
      try {
        await this.deps.audit.flush();
      } catch {
        // No access without its trace: what was read is not handed out.
        return this.errorResponse(fail('audit.unavailable'), request);
      }
    }
    return response;
  }

  /**
   * Socle's own bulk loads (the directory import): each unit of resources is
   * PUT whole or not at all, many units in one store transaction (bulk-put.ts).
   * In-process only: no principal, so nothing to check or audit per resource.
   */
  putUnits(units: readonly (readonly JsonResource[])[], baseUrl: string): Promise<UnitOutcome[]> {
    return putUnits(this.deps, storeAccess(this.deps.store), baseUrl, units);
  }

  /** Records a refused request that never reached an interaction (401 at the HTTP layer). */
  recordRefusal(request: FhirRequest, error: FhirError): Promise<void> {
    this.deps.audit.record(describeAccess(this.deps, request, { error }));
    return this.deps.auditBeforeResponse ? this.deps.audit.flush() : Promise.resolve();
  }

  errorResponse(error: FhirError, request: Pick<FhirRequest, 'language'> & Partial<Pick<FhirRequest, 'method' | 'path' | 'body'>>): FhirResponse {
    return {
      status: error.status,
      headers: { ...error.headers },
      // Failures are counted under the interaction asked for (with their status), not apart as "error".
      interaction: request.method !== undefined && request.path !== undefined ? askedInteraction({ method: request.method, path: request.path, body: request.body }) : 'error',
      body: { kind: 'json', value: operationOutcome(error.issues, request.language) },
    };
  }

  /**
   * Routes a request; throws FhirError. Transaction and batch entries and the
   * inner requests of operations come through here too, so each is checked by
   * the access guard and recorded in the audit trail on its own.
   */
  readonly dispatch: Dispatch = async (request: FhirRequest, access: DataAccess, options: WriteOptions = {}): Promise<FhirResponse> => {
    // In-process work of Socle itself (no principal) is accounted for by the request that caused it.
    if (!request.principal) return this.route(request, access, options);
    // Inside a transaction, what an entry did counts once committed: its record waits for the commit, so
    // that a rolled-back attempt (the transaction failing, or run again after a conflict) leaves none.
    // A refusal is recorded at once: the attempt was made, whatever becomes of the transaction.
    const onCommit = (entry: AuditEntry): void => access.afterCommit(() => this.deps.audit.record(entry));
    try {
      const response = await this.route(request, access, options);
      onCommit(describeAccess(this.deps, request, { response }));
      return response;
    } catch (error) {
      if (isFhirError(error)) this.deps.audit.record(describeAccess(this.deps, request, { error }));
      else onCommit(describeAccess(this.deps, request, {}));
      throw error;
    }
  };

  private readonly route: Dispatch = async (request: FhirRequest, access: DataAccess, options: WriteOptions = {}): Promise<FhirResponse> => {
    const { deps } = this;
    const route = parseRoute(request.path, deps.schema);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    // RFC 9110 §15.5.6: a 405 names the methods the target does support (HEAD wherever GET is).
    const notAllowed = (allowed: readonly string[]): never => {
      const allow = allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      throw fail('method.not-allowed', { method: request.method, path: `/${request.path}` }, { headers: { allow } });
    };
    const READ_ONLY = ['GET'];
    const INSTANCE = ['GET', 'PUT', 'PATCH', 'DELETE'];

    if (route.action === 'metadata') {
      if (method !== 'GET') notAllowed(READ_ONLY);
      return capabilities(deps.schema, deps.operations, request, deps.clock.now(), {
        ...(deps.capabilitySecurity ? { security: deps.capabilitySecurity } : {}),
        ...(deps.typeCapabilities ? { narrowed: deps.typeCapabilities } : {}),
        ...(deps.terminologyCapabilities ? { terminology: deps.terminologyCapabilities } : {}),
        ...(deps.conformanceClaims ? { claims: deps.conformanceClaims } : {}),
      });
    }

    if (route.operation !== undefined) {
      if (route.operation === 'validate' && route.versionId === undefined && (method === 'POST' || method === 'GET')) {
        deps.guard.require(request, 'r', route.type);
        return validateOperation(deps, request, route.type, route.id);
      }
      const target = {
        ...(route.type !== undefined ? { type: route.type } : {}), ...(route.id !== undefined ? { id: route.id } : {}),
        ...(route.versionId !== undefined ? { versionId: route.versionId } : {}),
      };
      const operation = deps.operations.find(route.operation, target);
      if (!operation) throw fail('operation.unknown', { operation: `$${route.operation}` });
      if (!(operation.methods as readonly string[]).includes(method)) return notAllowed(operation.methods);
      await checkOperation(deps, access, request, operation, target);
      // What the operation does through the engine is checked and audited as the caller's own request.
      const inherit = (inner: FhirRequest): FhirRequest => (inner.principal || !request.principal ? inner : { ...inner, principal: request.principal, ...callerOf(request) });
      return operation.invoke({ deps, access, request, target, dispatch: (inner) => this.dispatch(inherit(inner), access) });
    }

    if (route.type === undefined) {
      if (route.action === '_history') return method === 'GET' ? history(deps, access.reader, request) : notAllowed(READ_ONLY);
      if (route.action === '_search') return method === 'POST' ? search(deps, access.reader, request, undefined) : notAllowed(['POST']);
      if (method === 'GET') return search(deps, access.reader, request, undefined);
      if (method === 'POST') return this.bundle(request, access);
      return notAllowed(['GET', 'POST']);
    }

    const { type, id } = route;
    if (NO_ENDPOINT_TYPES.has(type)) return notAllowed([]);
    // "In a transaction (and only in a transaction)" may a reference be a search URI (http.html#trules).
    // A PATCH too: the values a JSON Patch writes, or a FHIRPath Patch's Parameters (as for a batch entry).
    const written = (method === 'POST' || method === 'PUT' || method === 'PATCH') && route.action === undefined && typeof request.body === 'object' && request.body !== null;
    if (written && !access.inTransaction) {
      const jsonPatch = method === 'PATCH' && request.headers.contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json-patch+json';
      const conditional = conditionalReferenceIn(deps.schema, request.body, request.baseUrl, jsonPatch ? type : undefined);
      if (conditional !== undefined) throw fail('reference.conditional-outside-transaction', { reference: conditional });
    }
    if (id === undefined) {
      if (route.action === '_history') return method === 'GET' ? history(deps, access.reader, request, type) : notAllowed(READ_ONLY);
      if (route.action === '_search') return method === 'POST' ? search(deps, access.reader, request, type) : notAllowed(['POST']);
      switch (method) {
        case 'GET': return search(deps, access.reader, request, type);
        case 'POST': return create(deps, access, request, type, options);
        case 'PUT':
          if (request.query.length === 0) throw fail('conditional.no-criteria');
          return conditionalUpdate(deps, access, request, type, criteriaOf(request), options);
        case 'PATCH':
          if (request.query.length === 0) throw fail('conditional.no-criteria');
          return patch(deps, access, request, type, undefined, criteriaOf(request));
        case 'DELETE':
          if (request.query.length === 0) throw fail('conditional.no-criteria');
          return conditionalDelete(deps, access, request, type, criteriaOf(request));
      }
    }

    if (id === undefined) return notAllowed(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    if (route.compartmentType !== undefined) {
      return method === 'GET' ? search(deps, access.reader, request, undefined, { type, id, target: route.compartmentType }) : notAllowed(READ_ONLY);
    }
    if (route.versionId !== undefined) return method === 'GET' ? vread(deps, access.reader, request, type, id, route.versionId) : notAllowed(READ_ONLY);
    if (route.action === '_history') return method === 'GET' ? history(deps, access.reader, request, type, id) : notAllowed(READ_ONLY);
    // Socle's own OperationDefinitions are part of the code, named by the CapabilityStatement: read-only.
    if (method !== 'GET' && type === 'OperationDefinition' && deps.operations.describedBy(id)) return notAllowed(READ_ONLY);
    switch (method) {
      case 'GET': return read(deps, access.reader, request, type, id);
      case 'PUT': return update(deps, access, request, type, id);
      case 'PATCH': return patch(deps, access, request, type, id);
      case 'DELETE': return remove(deps, access, request, type, id);
      default: return notAllowed(INSTANCE);
    }
  };

  private bundle(request: FhirRequest, access: DataAccess): Promise<FhirResponse> {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || body.resourceType !== 'Bundle') throw fail('body.not-a-resource');
    if (access.inTransaction) throw fail('bundle.invalid-type', { type: 'nested Bundle' });
    // Entries are validated one by one when they run; here only the Bundle's own shape matters.
    // In a batch, a malformed entry fails alone (http.html#transaction, batch processing rules).
    const envelope = this.deps.validate(body, 'Bundle', { skipEntryResources: true });
    const { own, byEntry } = splitBundleIssues(envelope.issues, body.type === 'batch');
    if (own.length > 0) throw new FhirError(400, own);
    if (body.type === 'transaction') return transaction(this.deps, this.dispatch, request, body);
    if (body.type === 'batch') return batch(this.deps, this.dispatch, request, body, byEntry);
    throw fail('bundle.invalid-type', { type: String(body.type) });
  }
}
