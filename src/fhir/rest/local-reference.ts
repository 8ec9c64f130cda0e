/**
 * Which references name this server's own resources. A literal reference is
 * relative to the server's base or an absolute URL "[base]/[type]/[id]"
 * (http://hl7.org/fhir/R4/references.html#literal); only an absolute URL on
 * the base the server answers on is one of its own. On any other base it names
 * another server's resource, which has nothing to do with the local one of the
 * same type and id: reading it as local would let a reference to
 * https://other.example/fhir/Practitioner/1 stand for Practitioner/1 here.
 */

/** The part of `value` after the server's own base ("Patient/1" of "[base]/Patient/1"); undefined when it is not on that base. */
export function onOwnBase(value: string, baseUrl: string): string | undefined {
  return value.startsWith(`${baseUrl}/`) ? value.slice(baseUrl.length + 1) : undefined;
}

/** An absolute URL with an authority ("http://host…"): on some server's base, ours or another's. Not "name:exact=…", a query. */
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** `value` relative to the server's base: as is when relative, without the base when on it; undefined when on another server. */
export function localReference(value: string, baseUrl: string): string | undefined {
  return onOwnBase(value, baseUrl) ?? (ABSOLUTE.test(value) ? undefined : value);
}

const LITERAL_REFERENCE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** Type, id and version of a literal reference to one of this server's resources; undefined for anything else. */
export function localLiteral(value: string, baseUrl: string): { type: string; id: string; version?: string } | undefined {
  const local = localReference(value, baseUrl);
  const match = local === undefined ? null : LITERAL_REFERENCE.exec(local);
  if (!match) return undefined;
  return { type: match[1] as string, id: match[2] as string, ...(match[3] !== undefined ? { version: match[3] } : {}) };
}
