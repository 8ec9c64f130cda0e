/**
 * The runtime view of the R4 model: fast lookups by type and by search
 * parameter, built once per process from the compiled model.
 */
import type {
  ElementDefinition, FhirModel, PrimitiveDefinition, SearchParameterDefinition, TypeDefinition, ValueSetCodes,
} from './model.js';
import { loadModel } from './model-file.js';
import { NATIONAL_SEARCH_PARAMETERS } from './national-search-parameters.js';

export class FhirSchema {
  private readonly resourceTypeSet: ReadonlySet<string>;
  private readonly paramsByType = new Map<string, Map<string, SearchParameterDefinition>>();
  private readonly paramsByUrl = new Map<string, SearchParameterDefinition>();

  constructor(readonly model: FhirModel) {
    this.resourceTypeSet = new Set(model.resourceTypes);
    const common = model.searchParameters.filter((p) => p.base.includes('Resource') || p.base.includes('DomainResource'));
    for (const type of model.resourceTypes) {
      const params = new Map<string, SearchParameterDefinition>();
      const isDomain = model.types[type]?.elements.text !== undefined;
      for (const p of common) {
        if (p.base.includes('Resource') || (isDomain && p.base.includes('DomainResource'))) params.set(p.code, p);
      }
      this.paramsByType.set(type, params);
    }
    for (const p of model.searchParameters) {
      this.paramsByUrl.set(p.url, p);
      for (const base of p.base) this.paramsByType.get(base)?.set(p.code, p);
    }
  }

  get resourceTypes(): readonly string[] {
    return this.model.resourceTypes;
  }

  isResourceType(name: string): boolean {
    return this.resourceTypeSet.has(name);
  }

  /** A complex type, resource or backbone element ("Patient.contact"). */
  type(name: string): TypeDefinition | undefined {
    return this.model.types[name];
  }

  element(typeName: string, elementName: string): ElementDefinition | undefined {
    return this.model.types[typeName]?.elements[elementName];
  }

  primitive(name: string): PrimitiveDefinition | undefined {
    return this.model.primitives[name];
  }

  isPrimitive(name: string): boolean {
    return this.model.primitives[name] !== undefined;
  }

  /** Search parameters of a resource type, including those of Resource and DomainResource (_id, _lastUpdated…). */
  searchParameters(resourceType: string): ReadonlyMap<string, SearchParameterDefinition> {
    return this.paramsByType.get(resourceType) ?? new Map();
  }

  searchParameter(resourceType: string, code: string): SearchParameterDefinition | undefined {
    return this.paramsByType.get(resourceType)?.get(code);
  }

  searchParameterByUrl(url: string): SearchParameterDefinition | undefined {
    return this.paramsByUrl.get(url);
  }

  valueSet(url: string): ValueSetCodes | undefined {
    return this.model.valueSets[url];
  }

  /** The parameters placing a resource type in the Patient compartment (empty when it is not). */
  patientCompartmentParams(resourceType: string): readonly string[] {
    return this.model.patientCompartment[resourceType] ?? [];
  }
}

let shared: FhirSchema | undefined;

/**
 * The process-wide schema: R4 plus the national search parameters. The model
 * is immutable data, so sharing it hides no state.
 */
export function r4Schema(): FhirSchema {
  if (!shared) {
    const model = loadModel();
    shared = new FhirSchema({ ...model, searchParameters: [...model.searchParameters, ...NATIONAL_SEARCH_PARAMETERS] });
  }
  return shared;
}
