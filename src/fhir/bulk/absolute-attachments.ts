/**
 * Attachment URLs made absolute in exported resources: "When populated, the
 * url element SHALL be an absolute url" (https://hl7.org/fhir/uv/bulkdata/export.html#attachments).
 * A stored DocumentReference may point at `Binary/[id]`; a bulk client reads
 * the file far from the FHIR base it came from, so the export resolves such a
 * URL against the base. Where Attachments are is read from the R4 definitions,
 * not guessed from element names.
 */
import type { FhirSchema } from '../definitions/schema.js';

type Json = Record<string, unknown>;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

export class AbsoluteAttachments {
  /** Whether a type holds an Attachment somewhere below it (memoised; cycles through Extension count as no). */
  private readonly holds = new Map<string, boolean>();

  constructor(private readonly schema: FhirSchema, private readonly baseUrl: string) {}

  /** Rewrites, in place, every relative Attachment.url of the resource. */
  apply(resource: Json & { resourceType: string }): void {
    if (this.mayHold(resource.resourceType)) this.walk(resource, resource.resourceType);
  }

  private mayHold(typeName: string): boolean {
    const known = this.holds.get(typeName);
    if (known !== undefined) return known;
    if (typeName === 'Attachment' || typeName === 'Resource') return true;
    this.holds.set(typeName, false);
    const definition = this.schema.type(typeName);
    const result = definition !== undefined
      && Object.values(definition.elements).some((element) => element.types.some((t) => !this.schema.isPrimitive(t) && this.mayHold(t)));
    this.holds.set(typeName, result);
    return result;
  }

  private walk(value: Json, typeName: string): void {
    if (typeName === 'Attachment') {
      this.absolute(value);
      return;
    }
    if (typeName === 'Resource') {
      if (typeof value.resourceType === 'string' && this.mayHold(value.resourceType)) this.walk(value, value.resourceType);
      return;
    }
    const definition = this.schema.type(typeName);
    if (!definition) return;
    for (const [key, child] of Object.entries(value)) {
      if (child === null || typeof child !== 'object') continue;
      const childType = this.elementType(typeName, key);
      if (childType === undefined || this.schema.isPrimitive(childType) || !this.mayHold(childType)) continue;
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item !== null && typeof item === 'object') this.walk(item as Json, childType);
      }
    }
  }

  /** The type of `key` on `typeName`: its element's single type, or the type a choice's name carries (valueAttachment). */
  private elementType(typeName: string, key: string): string | undefined {
    const element = this.schema.element(typeName, key);
    if (element) return element.types.length === 1 ? element.types[0] : undefined;
    const stem = /^([a-z][A-Za-z]*?)([A-Z][A-Za-z]*)$/.exec(key);
    if (!stem) return undefined;
    for (let cut = key.length - 1; cut > 0; cut--) {
      const choice = this.schema.element(typeName, key.slice(0, cut));
      if (choice?.choice) {
        const suffix = key.slice(cut);
        return choice.types.find((t) => t.toLowerCase() === suffix.toLowerCase());
      }
    }
    return undefined;
  }

  private absolute(attachment: Json): void {
    const url = attachment.url;
    if (typeof url !== 'string' || url === '' || SCHEME.test(url) || url.startsWith('#')) return;
    try {
      attachment.url = new URL(url, `${this.baseUrl}/`).toString();
    } catch {
      // Not resolvable: left as stored (validation accepted it as a url).
    }
  }
}
