/**
 * The codes of a value set for a required binding of a profile
 * (fhir/validation/profiles/): its expansion by this server's terminology
 * (stored ValueSets and CodeSystems first, then HL7's), within the limits of
 * $expand. Undefined when it cannot be expanded (unknown value set or code
 * system, too large, unsupported filter): the binding is then said "not
 * checked", never held against the resource.
 */
import { MAX_EXPANSION, ValueSetExpander } from './expand-value-set.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import type { StoredReader } from './stored-resources.js';
import { TerminologySource } from './terminology-source.js';
import { splitCanonical } from './types.js';

export interface SystemCode {
  readonly system: string;
  readonly code: string;
}

export function valueSetCodes(hl7: Hl7Terminology, stored: StoredReader): (canonical: string) => Promise<SystemCode[] | undefined> {
  return async (canonical) => {
    const source = new TerminologySource(hl7, stored);
    const { url, version } = splitCanonical(canonical);
    try {
      // HL7's value sets are versioned 4.0.1 in R4's profiles: the one Socle holds is that version.
      const valueSet = (await source.valueSet(url, version)) ?? (await source.valueSet(url));
      if (!valueSet) return undefined;
      const codes = await new ValueSetExpander(source, { limit: MAX_EXPANSION }).expand(valueSet);
      return codes.map(({ system, code }) => ({ system, code }));
    } catch {
      return undefined;
    }
  };
}
