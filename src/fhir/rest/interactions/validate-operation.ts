/**
 * $validate (http://hl7.org/fhir/R4/resource-operation-validate.html): the
 * verdict a write would get, without writing. The resource comes as the body
 * or as the `resource` parameter of a Parameters. The answer is 200 with an
 * OperationOutcome listing the issues (or saying the resource is valid); a
 * request that carries no resource at all is a 400. With `profile`, the
 * resource is also validated against that profile; without it, against the
 * profiles it declares in meta.profile that the server knows (profile-check.ts).
 *
 * The same verdict as a write means the modules' write rules too (the
 * identity-vigilance rules on Patient): a structurally valid resource of a
 * type with write hooks is put through them in a store transaction that is
 * always rolled back, so nothing they would write stays and no effect of
 * theirs (audit record of a status change) runs.
 */
import { fail, isFhirError, type Issue } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { informationOutcome, operationOutcome } from '../../../core/operation-outcome.js';
import type { WriteTransaction } from '../../../storage/contract.js';
import type { EngineDeps } from '../context.js';
import type { JsonResource } from '../resource-version.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { hooksFor, parsedCurrent } from './write.js';

type Mode = 'create' | 'update' | 'delete';
const MODES: readonly string[] = ['create', 'update', 'delete'];

interface ValidateInput {
  readonly resource: unknown;
  readonly mode?: string;
  readonly profile?: string;
}

function parameters(body: unknown): { name?: unknown; resource?: unknown; valueCode?: unknown; valueUri?: unknown; valueCanonical?: unknown; valueString?: unknown }[] | undefined {
  const candidate = body as { resourceType?: unknown; parameter?: unknown } | undefined;
  return candidate?.resourceType === 'Parameters' && Array.isArray(candidate.parameter) ? candidate.parameter : undefined;
}

function inputOf(request: FhirRequest): ValidateInput {
  const fromQuery = (name: string): string | undefined => request.query.find(([key]) => key === name)?.[1];
  const list = parameters(request.body);
  const named = (name: string) => list?.find((p) => p.name === name);
  const mode = fromQuery('mode') ?? (named('mode')?.valueCode as string | undefined);
  const profile = fromQuery('profile') ?? ((named('profile')?.valueUri ?? named('profile')?.valueCanonical ?? named('profile')?.valueString) as string | undefined);
  const resource = named('resource')?.resource ?? request.body;
  return { resource, ...(mode !== undefined ? { mode } : {}), ...(profile !== undefined ? { profile } : {}) };
}

/** A rollback that is the transaction's normal end: the verdict is carried out of it. */
class Verdict extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super('validate: rolled back');
  }
}

/** The issues the write rules of `type` raise for `resource`, run in a transaction that is rolled back. */
async function hookIssues(deps: EngineDeps, request: FhirRequest, resource: JsonResource, mode: Mode, id: string): Promise<readonly Issue[]> {
  const hooks = hooksFor(deps, resource.resourceType);
  if (hooks.length === 0) return [];
  try {
    await deps.store.transaction(async (tx: WriteTransaction) => {
      const current = mode === 'update' ? parsedCurrent(await tx.readCurrent(resource.resourceType, id)) : undefined;
      const warnings: Issue[] = [];
      const warn = (issues: readonly Issue[]): void => void warnings.push(...issues);
      const context = { deps, tx, request, interaction: mode === 'update' ? 'update' as const : 'create' as const, type: resource.resourceType, id, current, warn };
      let written = resource;
      try {
        for (const hook of hooks) written = await hook.beforeWrite!(written, context);
      } catch (error) {
        if (isFhirError(error)) throw new Verdict(error.issues);
        throw error;
      }
      throw new Verdict(warnings);
    });
  } catch (error) {
    if (error instanceof Verdict) return error.issues;
    throw error;
  }
  return [];
}

/**
 * The profile the request nominates, else those the resource declares
 * (meta.profile) that the server knows; an unknown declared one is an
 * information issue. "If the server cannot validate against the nominated
 * profile, it SHALL return an error" (resource-operation-validate.html).
 */
async function profileIssues(deps: EngineDeps, request: FhirRequest, resource: JsonResource, profile: string | undefined): Promise<Issue[]> {
  const valid = typeof resource === 'object' && resource !== null && typeof resource.resourceType === 'string';
  if (profile === undefined) return valid && deps.profiles ? deps.profiles.declared(resource, deps.store, request.baseUrl, true) : [];
  const found = valid && deps.profiles ? await deps.profiles.against(resource, profile, deps.store, request.baseUrl) : undefined;
  return found ?? [{ severity: 'error', type: 'not-supported', message: 'validation.profile-unsupported', params: { profile } }];
}

/**
 * The profile's issues the base validation already gave (the same cardinality,
 * binding or invariant, with the same parameters, at the same place) are said
 * once; two invariants failing at one place, or two unknown profiles, are two.
 */
function withoutRepeats(base: readonly Issue[], added: readonly Issue[]): Issue[] {
  const keyOf = (i: Issue): string => `${i.message} ${i.expression?.[0] ?? ''} ${JSON.stringify(i.params ?? {})}`;
  const seen = new Set(base.map(keyOf));
  return added.filter((i) => {
    const key = keyOf(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function validateOperation(deps: EngineDeps, request: FhirRequest, type: string | undefined, instanceId?: string): Promise<FhirResponse> {
  const input = inputOf(request);
  const { resource } = input;
  if (input.mode !== undefined && !MODES.includes(input.mode)) throw fail('validation.mode-invalid', { mode: input.mode });
  const mode = (input.mode ?? (instanceId !== undefined ? 'update' : 'create')) as Mode;
  // delete "checks that the nominated resource is allowed to be deleted" (resource-operation-validate.html): an instance.
  if (mode === 'delete' && instanceId === undefined) throw fail('validation.delete-needs-id');
  if (mode !== 'delete' && (resource === undefined || resource === null || typeof resource !== 'object')) throw fail('body.missing');
  const issues: Issue[] = [];
  if (mode !== 'delete') {
    const result = deps.validate(resource, type);
    issues.push(...result.issues);
    const written = resource as JsonResource;
    const id = typeof written.id === 'string' ? written.id : undefined;
    if (mode === 'update' && id === undefined) issues.push({ severity: 'error', type: 'required', message: 'id.missing-in-update', params: { urlId: instanceId ?? '-' }, expression: [`${written.resourceType}.id`] });
    if (instanceId !== undefined && id !== undefined && id !== instanceId) {
      issues.push({ severity: 'error', type: 'invalid', message: 'id.mismatch', params: { bodyId: id, urlId: instanceId }, expression: [`${written.resourceType}.id`] });
    }
    if (result.valid && !issues.some((i) => i.severity === 'error')) {
      issues.push(...(await hookIssues(deps, request, written, mode, instanceId ?? id ?? newId())));
    }
  }
  if (mode !== 'delete') issues.push(...withoutRepeats(issues, await profileIssues(deps, request, resource as JsonResource, input.profile)));
  const outcome = issues.length > 0 ? operationOutcome(issues, request.language) : informationOutcome('validation.ok', {}, request.language);
  return { status: 200, headers: {}, interaction: 'operation:validate', body: { kind: 'json', value: outcome } };
}
