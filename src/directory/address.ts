/**
 * A structure's address as the Annuaire's as-address-extended datatype writes it
 * (FR Core address whose Address.line is sliced by the ISO 21090 ADXP
 * extensions and as-ext-lieu-dit): each line keeps its text, and the extract
 * columns it was made of ride on it as extensions, in FHIR JSON's `_line`
 * array, as the guide's Organization examples publish them.
 */
import { CODE_SYSTEM, EXTENSION } from './code-systems.js';

type Json = Record<string, unknown>;

/** The parts a line may carry: the slices of as-address-extended, in the profile's order. */
export interface AddressLineParts {
  /** "Complément destinataire" (MOS pointRemise). */
  readonly careOf?: string;
  /** "Complément point géographique" (building, residence…). */
  readonly additionalLocator?: string;
  readonly houseNumber?: string;
  /** The repetition index (B, T…; MOS "extension" of the number). */
  readonly buildingNumberSuffix?: string;
  /** The street type's code (R, AV, PL…): the slice's value is bound (required) to JDV_J103, so never its label. */
  readonly streetNameType?: string;
  /** "Mention distribution" (BP, CS, TSA…). */
  readonly postBox?: string;
  readonly streetNameBase?: string;
  readonly lieuDit?: string;
}

/** A line of text, with the parts it is made of when known. */
export type AddressLine = string | { readonly text: string; readonly parts: AddressLineParts };

export interface AddressInput {
  readonly lines?: readonly AddressLine[];
  readonly postalCode?: string;
  readonly city?: string;
  /** INSEE code of the commune (TRE_R13). */
  readonly inseeCode?: string;
  /** COG country code (TRE_R20, 99xxx: as-address-extended binds country to JDV_J256-Pays, required); none for France, as the DP examples write it. */
  readonly country?: string;
}

const ADXP = 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-';
const PART_URLS: readonly (readonly [keyof AddressLineParts, string])[] = [
  ['careOf', `${ADXP}careOf`],
  ['additionalLocator', `${ADXP}additionalLocator`],
  ['houseNumber', `${ADXP}houseNumber`],
  ['buildingNumberSuffix', `${ADXP}buildingNumberSuffix`],
  ['streetNameType', `${ADXP}streetNameType`],
  ['postBox', `${ADXP}postBox`],
  ['streetNameBase', `${ADXP}streetNameBase`],
  ['lieuDit', EXTENSION.lieuDit],
];

/** One line from its text and parts (empty parts left out); undefined when the text is empty, as the extracts' empty columns make no line. */
export function addressLine(text: string, parts: AddressLineParts = {}): AddressLine | undefined {
  if (text === '') return undefined;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts) as [string, string | undefined][]) if (value) kept[name] = value;
  return Object.keys(kept).length === 0 ? text : { text, parts: kept };
}

/** The lines that have a text, in order. */
export const presentLines = (lines: readonly (AddressLine | undefined)[]): AddressLine[] => lines.filter((l): l is AddressLine => l !== undefined);

const lineText = (line: AddressLine): string => (typeof line === 'string' ? line : line.text);

function lineExtensions(line: AddressLine): Json | null {
  if (typeof line === 'string') return null;
  const extension = PART_URLS.filter(([name]) => line.parts[name]).map(([name, url]) => ({ url, valueString: line.parts[name] }));
  return extension.length > 0 ? { extension } : null;
}

export function buildAddress(input: AddressInput): Json {
  const address: Json = { use: 'work', type: 'both' };
  if (input.inseeCode) address.extension = [{ url: EXTENSION.inseeCode, valueCoding: { system: CODE_SYSTEM.commune, code: input.inseeCode } }];
  const lines = input.lines ?? [];
  if (lines.length > 0) {
    address.line = lines.map(lineText);
    // FHIR JSON: a primitive array's extensions are in `_line`, aligned with `line`, null where a line has none.
    const extensions = lines.map(lineExtensions);
    if (extensions.some((e) => e !== null)) address._line = extensions;
  }
  if (input.city) address.city = input.city;
  if (input.postalCode) address.postalCode = input.postalCode;
  if (input.country) address.country = input.country;
  return address;
}
