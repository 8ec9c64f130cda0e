/**
 * Media types of the FHIR REST API (http://hl7.org/fhir/R4/http.html#mime-type):
 * Socle speaks JSON; XML is refused with 406/415 rather than misread.
 */
import { fail } from '../../core/errors.js';

export const FHIR_JSON = 'application/fhir+json';

const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'application/json+fhir', 'text/json']);

export function baseMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(contentType: string | undefined): boolean {
  return JSON_TYPES.has(baseMediaType(contentType));
}

/** The charset parameter of a Content-Type, lower case, unquoted; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  for (const parameter of (contentType ?? '').split(';').slice(1)) {
    const [name, value] = parameter.split('=').map((s) => s.trim());
    if (name?.toLowerCase() === 'charset' && value !== undefined) return value.replace(/^"|"$/g, '').toLowerCase();
  }
  return undefined;
}

/**
 * JSON is exchanged in UTF-8 (http.html#mime-type: "UTF-8 encoding SHALL be
 * used for the mime type application/fhir"; RFC 8259 §8.1): no charset, or utf-8.
 */
export function isUtf8Charset(contentType: string | undefined): boolean {
  const charset = charsetOf(contentType);
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/** _format values that mean JSON (http.html#mime-type: json, application/json, application/fhir+json). */
const JSON_FORMATS: ReadonlySet<string> = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir', 'text/json']);

/** The JSON media types that are not FHIR's own: answered as asked, through Accept or _format alike. */
const PLAIN_JSON: ReadonlySet<string> = new Set(['application/json', 'text/json']);

/** Formats a client may ask for that this server does not serve: XML, Turtle, HTML and plain text. */
const UNSERVED = /xml|turtle|^ttl$|^html$|^text\/(html|plain)$/;

/** The FHIR formats among them: a Binary is not served raw for these (binary.html#rest), yet Socle has no XML. */
const FHIR_UNSERVED = /^application\/(fhir\+xml|xml\+fhir)$|turtle/;

/** The q parameter of a media range (RFC 9110 §12.4.2), 1 when absent or unreadable. */
function qualityOf(range: string): number {
  const q = /;\s*q\s*=\s*([0-9.]+)/i.exec(range)?.[1];
  const value = q === undefined ? NaN : Number(q);
  return Number.isFinite(value) ? value : 1;
}

/** The FHIR version a media range asks for (fhirVersion parameter, http.html#version-parameter); undefined when none. */
function fhirVersionOf(range: string): string | undefined {
  return /;\s*fhirversion\s*=\s*"?([^";,\s]+)"?/i.exec(range)?.[1];
}

/**
 * The response type: FHIR JSON, or plain JSON for clients that ask only for
 * it. 406 (http.html#mime-type) when _format names anything else, when every
 * type the Accept header lists is one this server does not serve (XML,
 * Turtle, HTML, plain text), or when it asks for another FHIR version than
 * 4.0. Other types pass: a Binary is downloaded with its own (image/png…).
 * A Binary read (`binaryRead`) answers its raw content for any Accept that
 * is not a FHIR format (binary.html#rest: "in all other cases"), text/plain,
 * text/html and XML included (a CDA document is application/xml); only FHIR
 * XML and Turtle are refused there.
 */
export function negotiateResponseType(accept: string | undefined, format: string | undefined, binaryRead = false): string {
  if (format !== undefined) {
    // An unescaped "+" in a query string decodes as a space: _format=application/fhir+json arrives as "application/fhir json".
    const wanted = format.split(';')[0]?.trim().toLowerCase().replace(/ /g, '+') ?? '';
    const version = fhirVersionOf(format);
    if (!JSON_FORMATS.has(wanted) || (version !== undefined && !version.startsWith('4.0'))) throw fail('media.not-acceptable', { accept: format });
    // "json, application/json and application/fhir+json" all mean the JSON format; the media type is the one
    // the same value in Accept would get: plain JSON for a client naming plain JSON, FHIR JSON otherwise.
    return PLAIN_JSON.has(wanted) ? 'application/json' : FHIR_JSON;
  }
  if (!accept) return FHIR_JSON;
  const ranges = accept.split(',').map((range) => ({ type: range.split(';')[0]?.trim().toLowerCase() ?? '', version: fhirVersionOf(range), refused: qualityOf(range) === 0 }));
  // A range of quality 0 is "not acceptable" (RFC 9110 §12.4.2): never the one chosen.
  const usable = ranges.filter((r) => !r.refused && (r.version === undefined || r.version.startsWith('4.0')));
  if (usable.length === 0) throw fail('media.not-acceptable', { accept });
  const types = usable.map((r) => r.type);
  if (types.some((t) => t === FHIR_JSON || t === 'application/json+fhir')) return FHIR_JSON;
  // A wildcard covers a type unless a more specific range refuses it (RFC 9110 §12.5.1): then plain JSON, if not refused too.
  const refused = new Set(ranges.filter((r) => r.refused).map((r) => r.type));
  if (types.some((t) => t === 'application/*' || t === '*/*' || t === '')) {
    if (!refused.has(FHIR_JSON)) return FHIR_JSON;
    if (!refused.has('application/json')) return 'application/json';
    throw fail('media.not-acceptable', { accept });
  }
  if (types.some((t) => PLAIN_JSON.has(t))) return 'application/json';
  if (types.every((t) => (binaryRead ? FHIR_UNSERVED : UNSERVED).test(t))) throw fail('media.not-acceptable', { accept });
  return FHIR_JSON;
}
