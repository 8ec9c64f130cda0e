import { randomUUID } from 'node:crypto';

/** R4 id datatype: http://hl7.org/fhir/R4/datatypes.html#id */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Server-assigned logical ids are random UUIDs (RFC 9562 version 4). */
export function newId(): string {
  return randomUUID();
}

/**
 * A UUID of version 7 (RFC 9562): 48 bits of milliseconds, then random bits.
 * For records written in time order (access traces): consecutive ids land
 * next to each other in an index instead of anywhere in it. The random part
 * comes from randomUUID, which draws from a cached entropy pool (randomBytes
 * per id costs several times more on the audit path).
 */
export function newTimeOrderedId(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  // randomUUID: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V already the RFC 9562 variant.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
