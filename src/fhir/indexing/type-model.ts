/**
 * What the path compiler needs to know about FHIR types: the JSON keys an
 * element name maps to (choice elements fan out to one key per type,
 * http://hl7.org/fhir/R4/formats.html#choice), the type each key holds, and
 * the type hierarchy FHIRPath's `is`/`as`/`ofType` test against
 * (http://hl7.org/fhirpath/N1/#types-and-reflection).
 */
import type { FhirSchema } from '../definitions/schema.js';

/** One JSON property an element name reaches, with the FHIR type it holds. */
export interface ChildKey {
  readonly key: string;
  /** A type name, a backbone path ("Patient.contact"), or 'Resource' for a resource read from its resourceType. */
  readonly type: string;
  /** Required value set of a `code` element, when the definitions bind one. */
  readonly valueSet?: string;
}

/**
 * Parents of the types that do not derive directly from Element, BackboneElement
 * or DomainResource (http://hl7.org/fhir/R4/datatypes.html,
 * http://hl7.org/fhir/R4/quantity.html#profiles).
 */
const PARENT_TYPES: Readonly<Record<string, string>> = {
  Age: 'Quantity', Count: 'Quantity', Distance: 'Quantity', Duration: 'Quantity',
  MoneyQuantity: 'Quantity', SimpleQuantity: 'Quantity',
  code: 'string', id: 'string', markdown: 'string',
  canonical: 'uri', oid: 'uri', url: 'uri', uuid: 'uri',
  positiveInt: 'integer', unsignedInt: 'integer',
  DomainResource: 'Resource', Bundle: 'Resource', Binary: 'Resource', Parameters: 'Resource',
};

/**
 * FHIRPath System types and the FHIR primitives that map to them
 * (http://hl7.org/fhir/R4/fhirpath.html#types).
 */
const SYSTEM_TYPES: Readonly<Record<string, readonly string[]>> = {
  Boolean: ['boolean'],
  String: ['string', 'code', 'id', 'markdown', 'uri', 'url', 'canonical', 'oid', 'uuid', 'base64Binary', 'xhtml'],
  Integer: ['integer', 'positiveInt', 'unsignedInt'],
  Decimal: ['decimal'],
  Date: ['date'],
  DateTime: ['dateTime', 'instant'],
  Time: ['time'],
};

export class TypeModel {
  private readonly childCache = new Map<string, readonly ChildKey[] | null>();

  constructor(readonly schema: FhirSchema) {}

  /**
   * The JSON keys that element `name` of `type` occupies, or undefined when
   * the type has no such element (primitives have no navigable children in JSON).
   */
  children(type: string, name: string): readonly ChildKey[] | undefined {
    const cacheKey = `${type}\u0000${name}`;
    let cached = this.childCache.get(cacheKey);
    if (cached === undefined) {
      cached = this.computeChildren(type, name) ?? null;
      this.childCache.set(cacheKey, cached);
    }
    return cached ?? undefined;
  }

  private computeChildren(type: string, name: string): readonly ChildKey[] | undefined {
    const element = this.schema.element(type, name);
    if (!element) return undefined;
    if (element.choice) {
      return element.types.map((t) => ({ key: `${name}${t.charAt(0).toUpperCase()}${t.slice(1)}`, type: t }));
    }
    return element.types.map((t) => ({
      key: name,
      type: t,
      ...(t === 'code' && element.binding ? { valueSet: element.binding.valueSet } : {}),
    }));
  }

  isResourceType(name: string): boolean {
    return name === 'Resource' || name === 'DomainResource' || this.schema.isResourceType(name);
  }

  /** A name usable in `ofType(T)`: a FHIR type, a resource type, or a System type. */
  isTypeName(name: string): boolean {
    const bare = name.replace(/^(FHIR|System)\./, '');
    return this.schema.type(bare) !== undefined || this.schema.isPrimitive(bare) || SYSTEM_TYPES[bare] !== undefined;
  }

  /**
   * Whether an item of runtime type `type` passes `is T`: the type itself, one
   * of its ancestors, or the System type a primitive maps to.
   */
  isSubtypeOf(type: string, target: string): boolean {
    const bareTarget = target.startsWith('FHIR.') ? target.slice(5) : target;
    if (bareTarget.startsWith('System.') || (SYSTEM_TYPES[bareTarget] && !this.schema.type(bareTarget))) {
      return SYSTEM_TYPES[bareTarget.replace(/^System\./, '')]?.includes(type) ?? false;
    }
    let current: string | undefined = type;
    while (current !== undefined) {
      if (current === bareTarget) return true;
      current = this.parentOf(current);
    }
    return false;
  }

  private parentOf(type: string): string | undefined {
    const known = PARENT_TYPES[type];
    if (known) return known;
    if (type.includes('.')) return 'BackboneElement';
    if (type === 'BackboneElement') return 'Element';
    if (type === 'Element' || type === 'Resource' || this.schema.isPrimitive(type)) return undefined;
    const definition = this.schema.type(type);
    if (definition?.kind === 'resource') return definition.elements.text ? 'DomainResource' : 'Resource';
    return definition ? 'Element' : undefined;
  }
}
