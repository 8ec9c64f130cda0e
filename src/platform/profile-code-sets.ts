/**
 * The code sets of profile bindings (fhir/rest/profile-check.ts), composed
 * here because they join two layers the engine keeps apart: the value sets
 * the base validation already holds expanded (the compiled model), else the
 * terminology module's expansion, which reads stored ValueSets and
 * CodeSystems on the validation's own reader.
 */
import type { FhirSchema } from '../fhir/definitions/schema.js';
import type { EngineDeps } from '../fhir/rest/context.js';
import type { CodeSetSource } from '../fhir/rest/profile-check.js';
import { storedByUrl } from '../fhir/rest/stored-by-url.js';
import { valueSetCodes, type Hl7Terminology } from '../fhir/terminology/index.js';
import type { TerminologyResource } from '../fhir/terminology/types.js';
import { requiredBindings, type CodeSet } from '../fhir/validation/bindings.js';

export function profileCodeSets(schema: FhirSchema, terminology: Hl7Terminology, deps: () => EngineDeps): CodeSetSource {
  return (reader, baseUrl) => {
    const codes = valueSetCodes(terminology, async (type, url, version) => (await storedByUrl(deps(), reader, baseUrl, type, url, version)) as TerminologyResource | undefined);
    return async (valueSet): Promise<CodeSet | undefined> => {
      const known = requiredBindings(schema).codeSet(valueSet.split('|')[0] as string);
      if (known) return known;
      const expanded = await codes(valueSet);
      if (!expanded) return undefined;
      return {
        codes: new Set(expanded.map((c) => c.code)),
        pairs: new Set(expanded.map((c) => `${c.system}|${c.code}`)),
        systems: new Set(expanded.map((c) => c.system)),
      };
    };
  };
}
