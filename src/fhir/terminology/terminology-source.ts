/**
 * Where one terminology request finds its CodeSystems, ValueSets and
 * ConceptMaps: the resources stored in Socle first, then HL7's R4 ones
 * (hl7-terminology.ts). A stored resource wins over HL7's for the same url
 * (and version, when one is asked for): a deployment may correct or extend
 * what HL7 published. Lookups are remembered for the request, so an
 * expansion that meets a code system many times reads it once.
 */
import { CodeSystemIndex } from './code-system-index.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import type { StoredReader } from './stored-resources.js';
import type { CodeSystemResource, ConceptMapResource, TerminologyResource, TerminologyType, ValueSetResource } from './types.js';

/** Code systems whose concepts are not in the resource: nothing to expand or look up. */
const WITHOUT_CONCEPTS = new Set(['not-present', 'supplement']);

export class TerminologySource {
  private readonly found = new Map<string, Promise<TerminologyResource | undefined>>();
  private readonly indexes = new Map<string, Promise<CodeSystemIndex | undefined>>();

  constructor(private readonly hl7: Hl7Terminology, private readonly stored: StoredReader) {}

  async valueSet(url: string, version?: string): Promise<ValueSetResource | undefined> {
    return (await this.resolve('ValueSet', url, version)) as ValueSetResource | undefined;
  }

  async conceptMap(url: string, version?: string): Promise<ConceptMapResource | undefined> {
    return (await this.resolve('ConceptMap', url, version)) as ConceptMapResource | undefined;
  }

  /** HL7's ConceptMaps, for $translate without a map named. */
  builtInConceptMaps(): ConceptMapResource[] {
    return this.hl7.conceptMaps();
  }

  /** The code system, indexed; undefined when unknown or published without its concepts (SNOMED CT's stub). */
  codeSystem(url: string, version?: string): Promise<CodeSystemIndex | undefined> {
    const key = `${url}|${version ?? ''}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = this.resolve('CodeSystem', url, version).then((found) => (found ? this.indexOf(found as CodeSystemResource) : undefined));
      this.indexes.set(key, index);
    }
    return index;
  }

  /** The index of a code system given whole (an instance, or one found above). */
  indexOf(codeSystem: CodeSystemResource): CodeSystemIndex | undefined {
    if (WITHOUT_CONCEPTS.has(codeSystem.content ?? '')) return undefined;
    return this.isBuiltIn(codeSystem) ? this.hl7.indexOf(codeSystem) : new CodeSystemIndex(codeSystem);
  }

  private isBuiltIn(codeSystem: CodeSystemResource): boolean {
    // A stored code system must not make HL7's files load only to be told it is not one of theirs.
    return this.hl7.isLoaded && codeSystem.url !== undefined && this.hl7.codeSystem(codeSystem.url, codeSystem.version) === codeSystem;
  }

  private resolve(type: TerminologyType, url: string, version?: string): Promise<TerminologyResource | undefined> {
    const key = `${type} ${url}|${version ?? ''}`;
    let found = this.found.get(key);
    if (!found) {
      found = this.stored(type, url, version).then((stored) => stored ?? this.builtIn(type, url, version));
      this.found.set(key, found);
    }
    return found;
  }

  private builtIn(type: TerminologyType, url: string, version?: string): TerminologyResource | undefined {
    switch (type) {
      case 'CodeSystem': return this.hl7.codeSystem(url, version);
      case 'ValueSet': return this.hl7.valueSet(url, version);
      case 'ConceptMap': return this.hl7.conceptMap(url, version);
    }
  }
}
