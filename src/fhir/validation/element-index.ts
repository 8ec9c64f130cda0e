/**
 * The model precompiled for validation: per type, a map from every JSON
 * property name (choice names expanded, http://hl7.org/fhir/R4/formats.html#choice)
 * to its element, type code and primitive check. Built lazily, once per type.
 */
import type { ElementDefinition, TypeDefinition } from '../definitions/model.js';
import type { FhirSchema } from '../definitions/schema.js';
import { primitiveCheck, type PrimitiveCheck } from './primitives.js';

export type ValueKind = 'primitive' | 'complex' | 'resource';

export interface PropertyInfo {
  /** The JSON name: "valueQuantity" for the Quantity form of value[x]. */
  readonly jsonName: string;
  /** The name of its primitive extension: "_valueString". */
  readonly extName: string;
  /** The element's name in the model: "value" for value[x]. */
  readonly stem: string;
  readonly element: ElementDefinition;
  /** A primitive name, a complex type, a backbone path, or 'Resource'. */
  readonly typeCode: string;
  readonly kind: ValueKind;
  /** max ≠ 1: the JSON form is an array (json.html#arrays). */
  readonly repeats: boolean;
  /** DomainResource.contained, where dom-2…dom-5 apply. */
  readonly contained: boolean;
  readonly check?: PrimitiveCheck;
}

export interface RequiredElement {
  readonly stem: string;
  readonly min: number;
  /** Every JSON name that satisfies the element, with their "_" forms for primitives. */
  readonly names: readonly string[];
}

export interface TypeIndex {
  readonly name: string;
  readonly definition: TypeDefinition;
  readonly isResource: boolean;
  /** Extension and modifierExtension values, where ext-1 is checked natively. */
  readonly isExtension: boolean;
  readonly properties: ReadonlyMap<string, PropertyInfo>;
  /** Properties by element name, for FHIRPath navigation ("value" → valueQuantity, valueString…). */
  readonly byStem: ReadonlyMap<string, readonly PropertyInfo[]>;
  readonly required: readonly RequiredElement[];
}

const RESOURCE_BASES = new Set(['Resource', 'DomainResource']);

function capitalise(code: string): string {
  return code.charAt(0).toUpperCase() + code.slice(1);
}

export class SchemaIndex {
  private readonly types = new Map<string, TypeIndex | null>();
  private readonly checks = new Map<string, PrimitiveCheck>();

  constructor(readonly schema: FhirSchema) {}

  /** A type, resource or backbone by name or path; undefined when the model has none. */
  type(name: string): TypeIndex | undefined {
    let index = this.types.get(name);
    if (index === undefined) {
      // Names come from the instance too (resourceType): "toString" must not find Object.prototype's.
      const definition = Object.hasOwn(this.schema.model.types, name) ? this.schema.type(name) : undefined;
      index = definition ? this.build(definition) : null;
      this.types.set(name, index);
    }
    return index ?? undefined;
  }

  kindOf(typeCode: string): ValueKind {
    if (this.schema.isPrimitive(typeCode)) return 'primitive';
    if (RESOURCE_BASES.has(typeCode) || this.schema.isResourceType(typeCode)) return 'resource';
    return 'complex';
  }

  private primitiveCheck(code: string): PrimitiveCheck | undefined {
    let check = this.checks.get(code);
    if (!check) {
      const definition = this.schema.primitive(code);
      if (!definition) return undefined;
      check = primitiveCheck(definition);
      this.checks.set(code, check);
    }
    return check;
  }

  private build(definition: TypeDefinition): TypeIndex {
    const isResource = definition.kind === 'resource';
    const properties = new Map<string, PropertyInfo>();
    const byStem = new Map<string, PropertyInfo[]>();
    const required: RequiredElement[] = [];
    for (const [stem, element] of Object.entries(definition.elements)) {
      const infos: PropertyInfo[] = [];
      for (const declared of element.types) {
        // R4's snapshots type Resource.id as string, but resource.html#id and
        // json.html give it the id type: 1 to 64 of [A-Za-z0-9\-.].
        const typeCode = isResource && stem === 'id' ? 'id' : declared;
        const kind = this.kindOf(typeCode);
        const check = kind === 'primitive' ? this.primitiveCheck(typeCode) : undefined;
        const jsonName = element.choice ? stem + capitalise(typeCode) : stem;
        const info: PropertyInfo = {
          jsonName,
          extName: `_${jsonName}`,
          stem,
          element,
          typeCode,
          kind,
          repeats: element.max !== 1,
          contained: isResource && stem === 'contained' && kind === 'resource',
          ...(check ? { check } : {}),
        };
        properties.set(info.jsonName, info);
        infos.push(info);
      }
      byStem.set(stem, infos);
      if (element.min > 0) {
        const names = infos.flatMap((i) => (i.kind === 'primitive' ? [i.jsonName, `_${i.jsonName}`] : [i.jsonName]));
        required.push({ stem, min: element.min, names });
      }
    }
    return {
      name: definition.name,
      definition,
      isResource,
      isExtension: definition.name === 'Extension',
      properties,
      byStem,
      required,
    };
  }
}

const indexes = new WeakMap<FhirSchema, SchemaIndex>();

/** One index per schema, shared by every validation. */
export function schemaIndex(schema: FhirSchema): SchemaIndex {
  let index = indexes.get(schema);
  if (!index) {
    index = new SchemaIndex(schema);
    indexes.set(schema, index);
  }
  return index;
}
