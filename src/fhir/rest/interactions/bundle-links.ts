/**
 * The links of a Bundle entry's resource, found by the R4 model rather than by
 * property names (http://hl7.org/fhir/R4/http.html#trules): "Servers SHALL
 * replace all matching links in the bundle, whether they are found in the
 * resource ids, resource references, elements of type uri, url, oid, uuid, and
 * <a href="" & <img src="" in the narrative. Elements of type canonical are not
 * replaced." An Identifier.value is a string, not a link; Extension.url names
 * the extension's definition, not a resource of the Bundle.
 */
import type { PropertyInfo, SchemaIndex, TypeIndex } from '../../validation/element-index.js';
import { isObject, type JsonObject } from '../../validation/json-values.js';

/**
 * reference: Reference.reference; uri: an element of type uri, url, oid or uuid;
 * narrative: an href or src in Narrative.div; canonical and extension-url are
 * visited so that they can be checked, never to be replaced.
 */
export type LinkKind = 'reference' | 'uri' | 'narrative' | 'canonical' | 'extension-url';

/** Sees one link; returns its replacement, or undefined to leave it. */
export type LinkVisitor = (value: string, kind: LinkKind) => string | undefined;

const URI_TYPES: ReadonlySet<string> = new Set(['uri', 'url', 'oid', 'uuid']);
/** Deeper content is not a resource anyone sends; validation refuses it afterwards. */
const MAX_DEPTH = 100;
/** href and src attributes of the XHTML narrative, double- or single-quoted. */
const NARRATIVE_LINK = /(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;

function linkKind(owner: TypeIndex, property: PropertyInfo): LinkKind | undefined {
  if (property.typeCode === 'xhtml') return 'narrative';
  if (owner.name === 'Reference' && property.stem === 'reference') return 'reference';
  if (owner.isExtension && property.stem === 'url') return 'extension-url';
  if (property.typeCode === 'canonical') return 'canonical';
  return URI_TYPES.has(property.typeCode) ? 'uri' : undefined;
}

class LinkWalk {
  private depth = 0;

  constructor(private readonly index: SchemaIndex, private readonly visit: LinkVisitor) {}

  resource(value: unknown): void {
    if (!isObject(value) || typeof value.resourceType !== 'string' || !this.index.schema.isResourceType(value.resourceType)) return;
    const type = this.index.type(value.resourceType);
    if (type) this.object(value, type);
  }

  object(object: JsonObject, type: TypeIndex): void {
    if (this.depth >= MAX_DEPTH) return;
    this.depth++;
    for (const key of Object.keys(object)) {
      // A Bundle stored as an entry's resource (a document, a message) is a reference scope of its own: its
      // entries' fullUrls and links resolve among themselves (bundle.html#references), not against this Bundle's.
      if (type.name === 'Bundle' && key === 'entry') continue;
      // "_name": the id and extensions of a primitive (json.html#primitive), an Element.
      if (key.startsWith('_')) this.elements(object[key]);
      const property = type.properties.get(key);
      if (property) this.values(object, key, property, type);
    }
    this.depth--;
  }

  /** The value or values of `holder[key]`. */
  values(holder: JsonObject, key: string, property: PropertyInfo, owner: TypeIndex): void {
    const value = holder[key];
    if (!Array.isArray(value)) {
      this.value(value, property, owner, (replacement) => {
        holder[key] = replacement;
      });
      return;
    }
    value.forEach((item: unknown, i) => this.value(item, property, owner, (replacement) => {
      value[i] = replacement;
    }));
  }

  value(value: unknown, property: PropertyInfo, owner: TypeIndex, replace: (replacement: string) => void): void {
    if (property.kind === 'resource') {
      this.resource(value);
    } else if (property.kind === 'complex') {
      const type = this.index.type(property.typeCode);
      if (type && isObject(value)) this.object(value, type);
    } else if (typeof value === 'string') {
      const kind = linkKind(owner, property);
      const replacement = kind === 'narrative' ? this.narrative(value) : kind !== undefined ? this.visit(value, kind) : undefined;
      if (replacement !== undefined && replacement !== value) replace(replacement);
    }
  }

  private elements(value: unknown): void {
    const element = this.index.type('Element');
    if (!element) return;
    for (const item of Array.isArray(value) ? value : [value]) if (isObject(item)) this.object(item, element);
  }

  private narrative(div: string): string | undefined {
    let changed = false;
    const text = div.replace(NARRATIVE_LINK, (match, prefix: string, double: string | undefined, single: string | undefined) => {
      const url = double ?? single ?? '';
      const replacement = this.visit(url, 'narrative');
      if (replacement === undefined || replacement === url) return match;
      changed = true;
      const quote = double !== undefined ? '"' : "'";
      return `${prefix}${quote}${replacement}${quote}`;
    });
    return changed ? text : undefined;
  }
}

/** Where a JSON Pointer of a patch lands: the element, and whether the value is one item of a repeating one. */
interface PatchTarget {
  readonly owner: TypeIndex;
  readonly property: PropertyInfo;
  readonly item: boolean;
}

/** Follows a JSON Pointer (RFC 6901) through the model; undefined where the model cannot tell (inside a nested resource). */
function patchTarget(index: SchemaIndex, resourceType: string, pointer: string): PatchTarget | 'resource' | undefined {
  if (pointer === '') return 'resource';
  let type = index.type(resourceType);
  let target: PatchTarget | undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (target !== undefined && target.property.repeats && !target.item && /^(\d+|-)$/.test(segment)) {
      target = { ...target, item: true };
      continue;
    }
    if (target !== undefined) type = target.property.kind === 'complex' ? index.type(target.property.typeCode) : undefined;
    const property = type?.properties.get(segment);
    if (!type || !property) return undefined;
    target = { owner: type, property, item: false };
  }
  return target;
}

/** Reference.reference values anywhere in a value the model cannot place. */
function untypedReferences(value: unknown, visit: LinkVisitor, depth = 0): void {
  if (depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) untypedReferences(item, visit, depth + 1);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key !== 'reference' || typeof inner !== 'string') {
        untypedReferences(inner, visit, depth + 1);
        continue;
      }
      const replacement = visit(inner, 'reference');
      if (replacement !== undefined) value[key] = replacement;
    }
  }
}

function patchLinks(index: SchemaIndex, resourceType: string, operations: unknown, visit: LinkVisitor): void {
  if (!Array.isArray(operations)) return;
  for (const operation of operations) {
    if (!isObject(operation) || !('value' in operation) || typeof operation.path !== 'string') continue;
    const target = patchTarget(index, resourceType, operation.path);
    const walk = new LinkWalk(index, visit);
    if (target === 'resource') walk.resource(operation.value);
    else if (target === undefined) untypedReferences(operation.value, visit);
    else if (target.property.repeats && !target.item && Array.isArray(operation.value)) walk.values(operation, 'value', target.property, target.owner);
    else walk.value(operation.value, target.property, target.owner, (replacement) => {
      operation.value = replacement;
    });
  }
}

/**
 * Calls `visit` on every link of an entry's body and puts back what it
 * returns: a resource, or, for a PATCH entry (`patchedType` set), the values
 * its JSON Patch operations write, typed by their paths.
 */
export function visitLinks(index: SchemaIndex, body: unknown, patchedType: string | undefined, visit: LinkVisitor): void {
  if (patchedType !== undefined) patchLinks(index, patchedType, body, visit);
  else new LinkWalk(index, visit).resource(body);
}
