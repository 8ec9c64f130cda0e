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

/** The response type: FHIR JSON, or plain JSON for clients that ask only for it. Throws 406 for XML only. */
export function negotiateResponseType(accept: string | undefined, format: string | undefined): string {
  if (format !== undefined) {
    if (/xml/.test(format)) throw fail('media.not-acceptable', { accept: format });
    return format === 'application/json' || format === 'json' ? FHIR_JSON : FHIR_JSON;
  }
  if (!accept) return FHIR_JSON;
  const types = accept.split(',').map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  if (types.some((t) => t === FHIR_JSON || t === 'application/*' || t === '*/*' || t === '' || t === 'application/json+fhir')) return FHIR_JSON;
  if (types.includes('application/json') || types.includes('text/json')) return 'application/json';
  if (types.some((t) => t.includes('xml') || t === 'text/html')) {
    // Browsers send text/html first with */* later (handled above); only XML-or-HTML-only clients get here.
    if (types.some((t) => t.includes('xml'))) throw fail('media.not-acceptable', { accept });
  }
  return FHIR_JSON;
}
