/**
 * $meta, $meta-add and $meta-delete (http://hl7.org/fhir/R4/resource-operation-meta.html,
 * -meta-add.html, -meta-delete.html): the profiles, tags and security labels
 * of a resource (or of one of its versions), and their change.
 *
 * The specification defines $meta-add and $meta-delete as changing meta
 * without creating a version: the stored content is rewritten in place
 * (`WriteTransaction.rewriteContent`), with the search index when it is the
 * current version, so that _tag, _profile and _security find the change.
 * versionId and lastUpdated stay as they were. Profiles are a set of URLs;
 * tags and security labels are identified by system and code (version and
 * display ignored). At type or system level, $meta lists what the current
 * resources carry, from the index: not for a caller whose reach is limited
 * (a patient), who would learn labels of records they cannot see.
 */
import { fail, validationFailure } from '../../../core/errors.js';
import { parseJson, stringifyJson } from '../../../core/json/decimal-json.js';
import type { StoredVersion } from '../../../storage/contract.js';
import type { FhirOperation, OperationContext } from '../operations.js';
import type { JsonResource } from '../resource-version.js';
import type { FhirResponse } from '../types.js';
import { checkMetaChange } from '../write-hooks.js';

interface Coding {
  readonly system?: string;
  readonly version?: string;
  readonly code?: string;
  readonly display?: string;
  readonly userSelected?: boolean;
}

interface Meta {
  profile?: string[];
  tag?: Coding[];
  security?: Coding[];
  [key: string]: unknown;
}

const LABEL_ELEMENTS = ['profile', 'tag', 'security'] as const;

function parametersResponse(meta: Meta): FhirResponse & { touched?: readonly StoredVersion[] } {
  const shown: Meta = {};
  for (const element of LABEL_ELEMENTS) if (meta[element]?.length) shown[element] = meta[element] as never;
  return {
    status: 200, headers: {}, interaction: 'operation',
    body: { kind: 'json', value: { resourceType: 'Parameters', parameter: [{ name: 'return', valueMeta: shown }] } },
  };
}

/** The version the operation names: the current one, or …/_history/[vid]. */
async function targetVersion(context: OperationContext, reader = context.access.reader): Promise<StoredVersion> {
  const { type, id, versionId } = context.target as { type: string; id?: string; versionId?: string };
  if (id === undefined) throw fail('operation.unknown', { operation: `$${operationName(context)}` });
  const numbered = versionId === undefined || /^[1-9]\d{0,9}$/.test(versionId);
  const version = !numbered ? undefined : versionId === undefined ? await reader.readCurrent(type, id) : await reader.readVersion(type, id, Number(versionId));
  if (!version) throw versionId === undefined ? fail('resource.not-found', { type, id }) : fail('resource.version-not-found', { type, id, version: versionId });
  if (version.deleted || version.content === null) throw fail('resource.deleted', { type, id });
  return version;
}

/** The `meta` input of $meta-add / $meta-delete, from a valid Parameters. */
function inputMeta(context: OperationContext): Meta {
  const body = context.request.body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (body?.resourceType !== 'Parameters') throw fail('operation.parameters-required', { operation: `$${operationName(context)}` });
  const result = context.deps.validate(body, 'Parameters');
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
  const metas = (Array.isArray(body.parameter) ? (body.parameter as { name?: unknown; valueMeta?: Meta }[]) : []).filter((p) => p.name === 'meta');
  if (metas.length > 1) throw fail('operation.parameter-repeated', { operation: `$${operationName(context)}`, name: 'meta' });
  const meta = metas[0]?.valueMeta;
  if (!meta) throw fail('operation.parameter-required', { operation: `$${operationName(context)}`, name: 'meta (valueMeta)' });
  return meta;
}

function operationName(context: OperationContext): string {
  return /\$([a-z-]+)/.exec(context.request.path)?.[1] ?? 'meta';
}

const sameCoding = (a: Coding, b: Coding): boolean => (a.system ?? '') === (b.system ?? '') && a.code === b.code;

function added(current: Meta, input: Meta): boolean {
  let changed = false;
  for (const url of input.profile ?? []) {
    if ((current.profile ?? []).includes(url)) continue;
    current.profile = [...(current.profile ?? []), url];
    changed = true;
  }
  for (const element of ['tag', 'security'] as const) {
    for (const coding of input[element] ?? []) {
      if ((current[element] ?? []).some((c) => sameCoding(c, coding))) continue;
      current[element] = [...(current[element] ?? []), coding];
      changed = true;
    }
  }
  return changed;
}

function removed(current: Meta, input: Meta): boolean {
  let changed = false;
  const profiles = (current.profile ?? []).filter((url) => !(input.profile ?? []).includes(url));
  if (profiles.length !== (current.profile ?? []).length) {
    changed = true;
    if (profiles.length > 0) current.profile = profiles;
    else delete current.profile;
  }
  for (const element of ['tag', 'security'] as const) {
    const kept = (current[element] ?? []).filter((c) => !(input[element] ?? []).some((coding) => sameCoding(c, coding)));
    if (kept.length === (current[element] ?? []).length) continue;
    changed = true;
    if (kept.length > 0) current[element] = kept;
    else delete current[element];
  }
  return changed;
}

/** $meta-add and $meta-delete: `change` edits the meta in place and says whether it changed. */
function metaChange(change: (current: Meta, input: Meta) => boolean): (context: OperationContext) => Promise<FhirResponse> {
  return async (context) => {
    const input = inputMeta(context);
    const { deps, access, request } = context;
    return access.write(async (tx) => {
      const version = await targetVersion(context, tx);
      const resource = parseJson(version.content as string) as JsonResource & { meta?: Meta };
      const meta: Meta = { ...(resource.meta ?? {}) };
      if (!change(meta, input)) return { ...parametersResponse(meta), touched: [version] };
      resource.meta = meta;
      const result = deps.validate(resource, resource.resourceType);
      if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
      // A module's rules on meta hold here too (identity: only a QUAL Patient claims fr-core-patient-ins).
      await checkMetaChange({ deps, reader: tx, request }, resource);
      const rewritten = await tx.rewriteContent(version.resourceType, version.id, version.versionId, version.content as string, stringifyJson(resource), deps.indexer.index(resource, request.baseUrl));
      // A type served from elsewhere (AuditEvent, from the audit log) has no stored content to rewrite.
      if (!rewritten) throw version.resourceType === 'AuditEvent' ? fail('audit.immutable') : fail('method.not-allowed', { method: request.method, path: `/${request.path}` });
      return { ...parametersResponse(meta), touched: [version] };
    });
  };
}

async function readMeta(context: OperationContext): Promise<FhirResponse> {
  const { deps, access, request, target } = context;
  if (target.id !== undefined) {
    const version = await targetVersion(context);
    const resource = parseJson(version.content as string) as { meta?: Meta };
    return { ...parametersResponse(resource.meta ?? {}), touched: [version] };
  }
  if (deps.guard.restricted(request)) throw fail('operation.restricted', { operation: '$meta' });
  const inUse = await access.reader.metaInUse(target.type);
  return parametersResponse({ profile: [...inUse.profiles], tag: [...inUse.tags], security: [...inUse.security] });
}

/** The three operations, on every resource type the engine serves. */
export function metaOperations(resourceTypes: readonly string[]): FhirOperation[] {
  const common = { types: resourceTypes, instance: true, version: true } as const;
  return [
    { name: 'meta', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta', system: true, ...common, methods: ['GET', 'POST'], access: 'read', invoke: readMeta },
    { name: 'meta-add', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta-add', ...common, instanceOnly: true, methods: ['POST'], access: 'write', invoke: metaChange(added) },
    { name: 'meta-delete', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta-delete', ...common, instanceOnly: true, methods: ['POST'], access: 'write', invoke: metaChange(removed) },
  ];
}
