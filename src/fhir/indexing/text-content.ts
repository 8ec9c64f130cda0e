/**
 * The values of the full-text parameters (http://hl7.org/fhir/R4/search.html#content):
 * `_text` searches the narrative, `_content` the whole resource.
 */
import type { JsonObject } from './compile-expression.js';
import { normalizeText } from './values.js';

/** Cap of the `_content` text, so that a large resource does not produce an oversized row. */
export const MAX_CONTENT_LENGTH = 65_536;

/**
 * Tags that separate words; other tags (b, i, span, a…) may sit inside a word.
 * The narrative's allowed elements: http://hl7.org/fhir/R4/narrative.html#xhtml.
 */
const BLOCK_TAGS = /<\/?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|h[1-6]|blockquote|pre|img)\b[^>]*>/gi;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(entity: string, name: string): string {
  if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(Number.parseInt(name.slice(2), 16)) ?? entity;
  if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10)) ?? entity;
  return ENTITIES[name] ?? entity;
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** The narrative's text, tags dropped and entities decoded, normalised as free text (values.ts, normalizeText). */
export function narrativeText(resource: JsonObject): string {
  const narrative = resource.text as JsonObject | undefined;
  const div = narrative?.div;
  if (typeof div !== 'string') return '';
  const plain = div
    .replace(BLOCK_TAGS, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, decodeEntity);
  return normalizeText(plain).slice(0, MAX_CONTENT_LENGTH);
}

/**
 * Every string value of the resource, in document order, normalised. Left out:
 * the narrative (that is `_text`), base64 attachment data, and resourceType
 * (which would match every resource of the type).
 */
export function contentText(resource: JsonObject): string {
  const parts: string[] = [];
  collectStrings(resource, parts, { length: 0 });
  // Each part on its own: most are ASCII and take normalizeText's fast path.
  let content = '';
  for (const part of parts) {
    const normalized = normalizeText(part);
    if (normalized.length > 0) content = content.length > 0 ? `${content} ${normalized}` : normalized;
  }
  return content.length > MAX_CONTENT_LENGTH ? content.slice(0, MAX_CONTENT_LENGTH) : content;
}

function collectStrings(value: unknown, parts: string[], budget: { length: number }): void {
  if (budget.length > MAX_CONTENT_LENGTH) return;
  if (typeof value === 'string') {
    parts.push(value);
    budget.length += value.length + 1;
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, parts, budget);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (key === 'resourceType' || key === 'div' || key === 'data') continue;
      collectStrings((value as JsonObject)[key], parts, budget);
    }
  }
}
