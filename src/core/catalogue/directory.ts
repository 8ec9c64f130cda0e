/**
 * The directory part of the message and error catalogues (../i18n/messages.ts and
 * ../errors.ts assemble the parts; docs/ERRORS.md lists them all). Keys start
 * with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const directoryMessages = {
  'directory.file.unknown-format': {
    fr: "Fichier {file} : format non reconnu (formats connus : extractions PS_LibreAcces personne-activité et savoir-faire, PS_LibreAcces_Personne_activite_* et PS_LibreAcces_SavoirFaire_* ; extraction des BAL MSSanté, Extraction_Correspondance_MSSante_* ; extraction FINESS etalab, etalab-cs1100507-stock-*)",
    en: 'File {file}: format not recognised (known layouts: the PS_LibreAcces personne-activité and savoir-faire extracts, PS_LibreAcces_Personne_activite_* and PS_LibreAcces_SavoirFaire_*; the MSSanté mailbox extract, Extraction_Correspondance_MSSante_*; the FINESS etalab extract, etalab-cs1100507-stock-*)',
  },
  'directory.file.unsorted': {
    fr: 'Fichier {file} : {lines} lignes de professionnels dispersées dans le fichier (plus de {limit}) ; triez-le par « Identification nationale PP » (les extractions publiées le sont)',
    en: 'File {file}: {lines} lines of professionals scattered through the file (over {limit}); sort it by "Identification nationale PP" (the published extracts are)',
  },
  'directory.file.missing-column': {
    fr: 'Fichier {file} : colonne « {column} » absente de la ligne d\'en-tête',
    en: 'File {file}: column "{column}" missing from the header line',
  },
  'directory.line.field-count': {
    fr: '{found} champs au lieu de {expected}',
    en: '{found} fields instead of {expected}',
  },
  'directory.line.missing-field': {
    fr: 'champ « {field} » vide',
    en: 'field "{field}" is empty',
  },
  'directory.line.invalid-identifier': {
    fr: '{field} « {value} » invalide ({reason})',
    en: '{field} "{value}" is invalid ({reason})',
  },
  'directory.line.invalid-code': {
    fr: '{field} « {value} » n\'est pas un code valide',
    en: '{field} "{value}" is not a valid code',
  },
  'directory.line.unknown-record': {
    fr: 'type d\'enregistrement « {kind} » inconnu',
    en: 'unknown record type "{kind}"',
  },
  'directory.line.rejected-by-engine': {
    fr: 'refusée par le serveur FHIR : {reason}',
    en: 'rejected by the FHIR server: {reason}',
  },
  'directory.line.unknown-organization': {
    fr: 'structure {id} inconnue de l\'annuaire (importer d\'abord l\'extraction qui la décrit)',
    en: 'structure {id} is not in the directory (import the extract that describes it first)',
  },
  'directory.line.unknown-practitioner': {
    fr: 'professionnel {idNatPs} inconnu de l\'annuaire (importer d\'abord l\'extraction personne-activité)',
    en: 'professional {idNatPs} is not in the directory (import the personne-activité extract first)',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const directoryErrors = {
  'directory.file.unknown-format': { status: 400, type: 'not-supported' },
  'directory.file.missing-column': { status: 400, type: 'structure' },
  'directory.file.unsorted': { status: 400, type: 'too-costly' },
} as const satisfies Partial<Record<keyof typeof directoryMessages, CatalogueEntry>>;
