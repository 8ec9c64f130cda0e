/**
 * Validation against profiles in the engine (fhir/validation/profiles/):
 * `$validate?profile=`, the profiles a resource declares in meta.profile on
 * $validate and on every write (SOCLE_PROFILE_VALIDATION=declared), and the
 * cache of compiled profiles, emptied when a StructureDefinition, ValueSet or
 * CodeSystem is written (the write hook below) so that an edited profile
 * applies at once. Definitions are read on the request's own reader: inside a
 * transaction that wrote one, that transaction's version is used, and not
 * cached (it may yet be rolled back).
 */
import { validationFailure, type Issue } from '../../core/errors.js';
import type { StoreReader, WriteTransaction } from '../../storage/contract.js';
import type { FhirSchema } from '../definitions/schema.js';
import type { CodeSet } from '../validation/bindings.js';
import { ProfileRegistry, type StoredDefinition } from '../validation/profiles/registry.js';
import type { StructureDefinitionJson } from '../validation/profiles/types.js';
import { validateAgainstProfile, type ProfileEnvironment, type ProfileLookup } from '../validation/profiles/validate.js';
import type { EngineDeps } from './context.js';
import type { JsonResource } from './resource-version.js';
import { storedByUrl } from './stored-by-url.js';
import type { WriteHook } from './write-hooks.js';

export type ProfileValidationMode = 'declared' | 'off';

/** The codes of a value set as the server's terminology expands it, read on `reader`; undefined when it cannot. */
export type CodeSetSource = (reader: StoreReader, baseUrl: string) => (valueSet: string) => Promise<CodeSet | undefined>;

const DEFINITION_TYPES = ['StructureDefinition', 'ValueSet', 'CodeSystem'];

/**
 * Declared profiles checked per resource: each unknown one costs a search of
 * the stored definitions, and a client may declare thousands; resources
 * declare one to a few.
 */
export const MAX_DECLARED_PROFILES = 20;

export class ProfileValidation {
  private readonly registry: ProfileRegistry;
  /** Transactions that wrote a definition: what they read is theirs, not to be cached. */
  private readonly writers = new WeakSet<object>();

  constructor(
    schema: FhirSchema, private readonly deps: () => EngineDeps, readonly mode: ProfileValidationMode, private readonly codeSets: CodeSetSource,
  ) {
    this.registry = new ProfileRegistry(schema);
  }

  /** The write hook that empties the cache when definitions change. */
  readonly hook: WriteHook = {
    types: DEFINITION_TYPES,
    beforeWrite: async (resource, context) => {
      this.written(context.tx);
      return resource;
    },
    beforeDelete: async (context) => this.written(context.tx),
  };

  private written(tx: WriteTransaction): void {
    this.writers.add(tx);
    this.registry.changed();
    tx.afterCommit(() => this.registry.changed());
  }

  private environment(reader: StoreReader, baseUrl: string): { env: ProfileEnvironment; lookup: (url: string) => Promise<ProfileLookup> } {
    const deps = this.deps();
    const cache = !this.writers.has(reader);
    const stored: StoredDefinition = async (url, version) => {
      const found = await storedByUrl(deps, reader, baseUrl, 'StructureDefinition', url, version);
      return found as StructureDefinitionJson | undefined;
    };
    const expand = this.codeSets(reader, baseUrl);
    const lookup = (url: string): Promise<ProfileLookup> => this.registry.lookup(url, stored, cache);
    return { lookup, env: { schema: deps.schema, profile: lookup, codeSet: (valueSet) => this.registry.codeSet(valueSet, expand, cache) } };
  }

  /**
   * The issues of `resource` against the profile `url`; undefined when the
   * server does not know it. The base definition of the resource's type is
   * known and adds nothing to the base validation.
   */
  async against(resource: JsonResource, url: string, reader: StoreReader, baseUrl: string): Promise<Issue[] | undefined> {
    const { env, lookup } = this.environment(reader, baseUrl);
    return this.check(env, await lookup(url), resource, url);
  }

  private async check(env: ProfileEnvironment, found: ProfileLookup, resource: JsonResource, url: string): Promise<Issue[] | undefined> {
    const type = resource.resourceType;
    switch (found.kind) {
      case 'unknown':
        return undefined;
      case 'no-snapshot':
        return [{ severity: 'error', type: 'not-supported', message: 'profile.no-snapshot', params: { profile: url }, expression: [type] }];
      case 'base':
        return found.type === type ? [] : [{ severity: 'error', type: 'invalid', message: 'profile.wrong-type', params: { profile: url, expected: found.type, actual: type }, expression: [type] }];
      case 'found':
        if (found.profile.type !== type) {
          return [{ severity: 'error', type: 'invalid', message: 'profile.wrong-type', params: { profile: url, expected: found.profile.type, actual: type }, expression: [type] }];
        }
        return validateAgainstProfile(env, resource, found.profile);
    }
  }

  /**
   * The issues of `resource` against each profile it declares in meta.profile
   * that the server knows; an unknown one is an information issue when
   * `sayUnknown` ($validate), passed over otherwise (a write).
   */
  async declared(resource: JsonResource, reader: StoreReader, baseUrl: string, sayUnknown: boolean): Promise<Issue[]> {
    const profiles = (resource.meta as { profile?: unknown } | undefined)?.profile;
    if (!Array.isArray(profiles) || profiles.length === 0) return [];
    const { env, lookup } = this.environment(reader, baseUrl);
    const issues: Issue[] = [];
    const urls = [...new Set(profiles.filter((p): p is string => typeof p === 'string'))];
    if (urls.length > MAX_DECLARED_PROFILES && sayUnknown) {
      const construct = `${urls.length} declared profiles (the first ${MAX_DECLARED_PROFILES} checked)`;
      issues.push({ severity: 'warning', type: 'too-costly', message: 'profile.unsupported', params: { construct, name: 'meta.profile', profile: urls[MAX_DECLARED_PROFILES] as string }, expression: [`${resource.resourceType}.meta.profile`] });
    }
    for (const url of urls.slice(0, MAX_DECLARED_PROFILES)) {
      const found = await this.check(env, await lookup(url), resource, url);
      if (found) issues.push(...found);
      else if (sayUnknown) issues.push({ severity: 'information', type: 'informational', message: 'profile.declared-unknown', params: { profile: url }, expression: [`${resource.resourceType}.meta.profile`] });
    }
    return issues;
  }

  /** On a write: refuses (422) a resource that breaks a profile it declares. */
  async checkWrite(resource: JsonResource, reader: StoreReader, baseUrl: string): Promise<void> {
    if (this.mode === 'off') return;
    const issues = await this.declared(resource, reader, baseUrl, false);
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    if (errors.length > 0) throw validationFailure(errors);
  }
}
