/** Small helpers on parsed JSON values (http://hl7.org/fhir/R4/json.html). */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, as issues name it. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const SHOWN_LENGTH = 100;

/** A value as an issue quotes it, cut to a readable length. */
export function shown(value: unknown): string {
  // A number JSON cannot hold (1e400 parses to Infinity) is quoted as a number, not as JSON's "null".
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}…` : text;
}
