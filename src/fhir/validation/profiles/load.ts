/**
 * HL7's own R4 profiles and extension definitions, as shipped with the
 * official definitions Socle already reads (source-files.ts): the constraint
 * StructureDefinitions of profiles-others.json (vitalsigns, bodyweight,
 * shareablevalueset…), extension-definitions.json and profiles-types.json
 * (SimpleQuantity, MoneyQuantity). Only HL7's files, never Medplum's
 * additions. Read on first use, not at start-up: most servers never need them.
 */
import { readDefinitionBundle } from '../../definitions/source-files.js';
import type { StructureDefinitionJson } from './types.js';

const FILES = ['profiles-others.json', 'extension-definitions.json', 'profiles-types.json'] as const;

export class Hl7Profiles {
  private byUrl: Map<string, StructureDefinitionJson> | undefined;

  /** HL7's constraint StructureDefinition with this canonical (and version, when given). */
  get(url: string, version?: string): StructureDefinitionJson | undefined {
    const found = this.load().get(url);
    return found && (version === undefined || found.version === undefined || found.version === version) ? found : undefined;
  }

  private load(): Map<string, StructureDefinitionJson> {
    if (!this.byUrl) {
      const map = new Map<string, StructureDefinitionJson>();
      for (const file of FILES) {
        for (const { resource } of readDefinitionBundle<StructureDefinitionJson>(file).entry) {
          // The base types' own definitions are what the base validation already checks.
          if (resource.resourceType === 'StructureDefinition' && resource.derivation === 'constraint' && typeof resource.url === 'string') map.set(resource.url, resource);
        }
      }
      this.byUrl = map;
    }
    return this.byUrl;
  }
}
