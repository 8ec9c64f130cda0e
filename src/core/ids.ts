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
