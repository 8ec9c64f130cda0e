/** "url|version" → its parts (http://hl7.org/fhir/R4/references.html#canonical: a version after a bar). */
export function splitCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.lastIndexOf('|');
  if (bar < 0) return { url: canonical };
  const version = canonical.slice(bar + 1);
  return version === '' ? { url: canonical.slice(0, bar) } : { url: canonical.slice(0, bar), version };
}
