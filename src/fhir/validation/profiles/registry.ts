/**
 * Where a profile's canonical url leads: one of HL7's (load.ts), which a
 * stored StructureDefinition of the same canonical does not replace (anyone
 * who may write one would otherwise loosen or tighten vitalsigns for every
 * write), else a StructureDefinition stored on this server (read by the
 * caller's `stored` function, through the engine's storage API; its
 * invariants run within bounded FHIRPath only, bounded-constraints.ts), else
 * the base definition of a type (nothing more to check than the base
 * validation), else nothing. Compiled profiles and value-set code sets are cached until
 * `changed()`, which the engine calls when a StructureDefinition, ValueSet or
 * CodeSystem is written: an edited profile applies to the next request.
 */
import { splitCanonical } from '../../../core/canonical.js';
import type { FhirSchema } from '../../definitions/schema.js';
import type { CodeSet } from '../bindings.js';
import { compileProfile } from './compile.js';
import { Hl7Profiles } from './load.js';
import type { StructureDefinitionJson } from './types.js';
import type { ProfileLookup } from './validate.js';

/** The stored StructureDefinition with this url (and version), if any. */
export type StoredDefinition = (url: string, version?: string) => Promise<StructureDefinitionJson | undefined>;

const BASE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';

/**
 * Entries kept per cache: clients name any canonical they like in meta.profile,
 * and unknown ones are remembered too, so an unbounded map would grow with
 * whatever a client sends. Past the bound the cache starts again.
 */
const CACHE_LIMIT = 2_000;


export class ProfileRegistry {
  private profiles = new Map<string, Promise<ProfileLookup>>();
  private codeSets = new Map<string, Promise<CodeSet | undefined>>();

  constructor(private readonly schema: FhirSchema, private readonly hl7 = new Hl7Profiles()) {}

  /** Forgets every profile and code set: definitions were written. */
  changed(): void {
    this.profiles = new Map();
    this.codeSets = new Map();
  }

  /** The profile a canonical names; `cache` false inside a transaction that wrote definitions itself. */
  lookup(canonical: string, stored: StoredDefinition, cache = true): Promise<ProfileLookup> {
    if (!cache) return this.resolve(canonical, stored);
    let found = this.profiles.get(canonical);
    if (!found) {
      if (this.profiles.size >= CACHE_LIMIT) this.profiles = new Map();
      const map = this.profiles;
      found = this.resolve(canonical, stored);
      map.set(canonical, found);
      // A failed read (a store error) is not remembered.
      found.catch(() => map.delete(canonical));
    }
    return found;
  }

  codeSet(valueSet: string, expand: (url: string) => Promise<CodeSet | undefined>, cache = true): Promise<CodeSet | undefined> {
    if (!cache) return expand(valueSet);
    let found = this.codeSets.get(valueSet);
    if (!found) {
      if (this.codeSets.size >= CACHE_LIMIT) this.codeSets = new Map();
      const map = this.codeSets;
      found = expand(valueSet);
      map.set(valueSet, found);
      found.catch(() => map.delete(valueSet));
    }
    return found;
  }

  private async resolve(canonical: string, stored: StoredDefinition): Promise<ProfileLookup> {
    const { url, version } = splitCanonical(canonical);
    // HL7's own definitions are the specification's: a StructureDefinition stored under one of their canonicals does not replace them.
    const official = this.hl7.get(url, version);
    const own = official ? undefined : await stored(url, version);
    const definition = official ?? own;
    if (definition && definition.derivation !== 'specialization') {
      const profile = compileProfile(this.schema, definition, { stored: own !== undefined });
      return profile ? { kind: 'found', profile } : { kind: 'no-snapshot' };
    }
    const type = url.startsWith(BASE_PREFIX) ? url.slice(BASE_PREFIX.length) : undefined;
    if (type !== undefined && this.schema.type(type) !== undefined) return { kind: 'base', type };
    return { kind: 'unknown' };
  }
}
