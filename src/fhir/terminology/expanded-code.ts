/**
 * One code of an expansion (ValueSet.expansion.contains,
 * http://hl7.org/fhir/R4/valueset-definitions.html#ValueSet.expansion.contains)
 * and how it is built from a code system's concept or from a code a ValueSet
 * lists: the display is the ValueSet's when it gives one ("the text to display
 * to the user for this concept in the context of this valueset"), else the
 * code system's, or, with displayLanguage, a designation in that language.
 */
import type { CodeSystemIndex, IndexedConcept } from './code-system-index.js';
import type { ComposeConcept, Designation } from './types.js';

export interface ExpandedCode {
  readonly system: string;
  readonly version?: string;
  readonly code: string;
  readonly display?: string;
  readonly inactive?: boolean;
  readonly abstract?: boolean;
  readonly designation?: readonly Designation[];
}

export interface PresentationOptions {
  readonly includeDesignations?: boolean;
  readonly displayLanguage?: string;
}

/** "fr" matches fr, fr-FR, fr-CA; "fr-FR" matches fr-FR only (BCP 47 prefixes). */
function sameLanguage(wanted: string, language: string | undefined): boolean {
  if (language === undefined) return false;
  const a = wanted.toLowerCase();
  const b = language.toLowerCase();
  return a === b || b.startsWith(`${a}-`);
}

function displayIn(language: string | undefined, designations: readonly Designation[]): string | undefined {
  if (language === undefined) return undefined;
  return designations.find((d) => typeof d.value === 'string' && sameLanguage(language, d.language))?.value;
}

export function codeKey(system: string, code: string): string {
  return `${system}|${code}`;
}

/** The expansion entry of a concept of a known code system (listed: how the ValueSet names it, if it does). */
export function conceptEntry(index: CodeSystemIndex, concept: IndexedConcept, options: PresentationOptions, listed?: ComposeConcept): ExpandedCode {
  const designations = [...(listed?.designation ?? []), ...(concept.definition.designation ?? [])];
  const display = displayIn(options.displayLanguage, designations) ?? listed?.display ?? concept.definition.display;
  return {
    system: index.url,
    ...(index.version !== undefined ? { version: index.version } : {}),
    code: concept.code,
    ...(display !== undefined ? { display } : {}),
    ...(index.isInactive(concept) ? { inactive: true } : {}),
    ...(index.isAbstract(concept) ? { abstract: true } : {}),
    ...(options.includeDesignations && designations.length > 0 ? { designation: designations } : {}),
  };
}

/** The entry of a code a ValueSet lists from a code system Socle does not hold: as the ValueSet writes it. */
export function listedEntry(system: string, version: string | undefined, listed: ComposeConcept & { code: string }, options: PresentationOptions): ExpandedCode {
  const designations = listed.designation ?? [];
  const display = displayIn(options.displayLanguage, designations) ?? listed.display;
  return {
    system,
    ...(version !== undefined ? { version } : {}),
    code: listed.code,
    ...(display !== undefined ? { display } : {}),
    ...(options.includeDesignations && designations.length > 0 ? { designation: designations } : {}),
  };
}
