/**
 * The Bulk Data export part of the message and error catalogues
 * (../i18n/messages.ts and ../errors.ts assemble the parts; docs/ERRORS.md
 * lists them all): $export kick-off, status and files (src/fhir/bulk/).
 * Keys start with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const bulkMessages = {
  'bulk.respond-async-required': {
    fr: 'L’export en masse ($export) est asynchrone : envoyez l’en-tête Prefer: respond-async.',
    en: 'Bulk Data export ($export) is asynchronous: send the header Prefer: respond-async.',
  },
  'bulk.output-format-unsupported': {
    fr: 'Format de sortie non pris en charge : {format}. Formats possibles : application/fhir+ndjson, application/ndjson, ndjson.',
    en: 'Unsupported output format: {format}. Possible formats: application/fhir+ndjson, application/ndjson, ndjson.',
  },
  'bulk.since-invalid': {
    fr: '_since attend un instant FHIR, date et heure avec fuseau (ex. 2024-01-31T08:00:00Z) : « {value} ».',
    en: '_since expects a FHIR instant, date and time with a time zone (e.g. 2024-01-31T08:00:00Z): "{value}".',
  },
  'bulk.type-invalid': {
    fr: '_type nomme un type de ressource inconnu ou sans point d’accès : {type}.',
    en: '_type names an unknown resource type, or one without an endpoint: {type}.',
  },
  'bulk.type-outside-compartment': {
    fr: 'Le type {type} est hors du compartiment Patient : l’export des patients (Patient/$export, Group/[id]/$export) ne contient que les ressources de leurs compartiments.',
    en: 'Type {type} is outside the Patient compartment: a patients’ export (Patient/$export, Group/[id]/$export) holds only the resources of their compartments.',
  },
  'bulk.type-filter-malformed': {
    fr: '_typeFilter attend une recherche de la forme Type?paramètres (ex. Observation?status=final) : « {filter} ».',
    en: '_typeFilter expects a search of the form Type?parameters (e.g. Observation?status=final): "{filter}".',
  },
  'bulk.type-filter-type': {
    fr: '_typeFilter « {filter} » porte sur {type}, qui n’est pas exporté (absent de _type ou hors du compartiment Patient).',
    en: '_typeFilter "{filter}" is about {type}, which is not exported (not in _type, or outside the Patient compartment).',
  },
  'bulk.type-filter-control': {
    fr: '_typeFilter « {filter} » : {name} règle la présentation des résultats, pas leur sélection ; il n’est pas admis ici.',
    en: '_typeFilter "{filter}": {name} shapes results rather than selecting them; it is not allowed here.',
  },
  'bulk.patient-system-level': {
    fr: 'Le paramètre patient ne s’applique qu’aux exports des patients (Patient/$export, Group/[id]/$export).',
    en: 'The patient parameter applies only to patients’ exports (Patient/$export, Group/[id]/$export).',
  },
  'bulk.patient-reference-invalid': {
    fr: 'Le paramètre patient attend une référence Patient/[id] : « {reference} ».',
    en: 'The patient parameter expects a Patient/[id] reference: "{reference}".',
  },
  'bulk.parameter-invalid': {
    fr: 'Paramètre de $export illisible : chaque entrée de Parameters doit avoir un nom et une valeur du type attendu ({name}).',
    en: 'Unreadable $export parameter: each Parameters entry needs a name and a value of the expected type ({name}).',
  },
  'bulk.parameter-ignored': {
    fr: 'Paramètre ignoré (Prefer: handling=lenient) : {name}.',
    en: 'Parameter ignored (Prefer: handling=lenient): {name}.',
  },
  'bulk.type-ignored': {
    fr: 'Type ignoré (Prefer: handling=lenient) : {type} n’est pas exportable à ce niveau.',
    en: 'Type ignored (Prefer: handling=lenient): {type} cannot be exported at this level.',
  },
  'bulk.patient-unknown': {
    fr: 'Patient inconnu ou hors de portée : {reference}.',
    en: 'Unknown patient, or out of reach: {reference}.',
  },
  'bulk.patient-not-in-group': {
    fr: '{reference} n’est pas membre actif du groupe {group}.',
    en: '{reference} is not an active member of group {group}.',
  },
  'bulk.too-many-patients': {
    fr: 'Trop de patients dans le paramètre patient : {limit} au plus par export.',
    en: 'Too many patients in the patient parameter: at most {limit} per export.',
  },
  'bulk.too-many-jobs': {
    fr: 'Trop d’exports en cours sur ce serveur ; réessayez dans {retryAfter} s.',
    en: 'Too many exports in progress on this server; retry in {retryAfter} s.',
  },
  'bulk.job-not-found': {
    fr: 'Export introuvable : inconnu, expiré ou supprimé.',
    en: 'Export not found: unknown, expired or deleted.',
  },
  'bulk.job-failed': {
    fr: 'L’export {job} a échoué sur une erreur interne ; relancez-le (les journaux du serveur en donnent la cause sous ce numéro).',
    en: 'Export {job} failed on an internal error; start it again (the server logs give the cause under this number).',
  },
  'bulk.job-interrupted': {
    fr: 'L’export {job} a été interrompu par l’arrêt du serveur ; relancez-le.',
    en: 'Export {job} was interrupted when the server stopped; start it again.',
  },
  'bulk.job-deleted': {
    fr: 'L’export {job} est annulé et ses fichiers supprimés.',
    en: 'Export {job} is cancelled and its files deleted.',
  },
  'bulk.part-failed': {
    fr: 'Une partie de l’export n’a pas pu être lue ({query}) : elle manque aux fichiers.',
    en: 'Part of the export could not be read ({query}): it is missing from the files.',
  },
  'bulk.member-not-patient': {
    fr: 'Membre du groupe non exporté : {reference} n’est pas un Patient.',
    en: 'Group member not exported: {reference} is not a Patient.',
  },
  'bulk.patient-missing': {
    fr: '{reference} est introuvable ou hors de portée : rien de son compartiment n’est exporté.',
    en: '{reference} is not found or out of reach: nothing of its compartment is exported.',
  },
  // Sent in the X-Progress header: plain ASCII.
  'bulk.progress': {
    fr: '{percent} % ({resources} ressources lues)',
    en: '{percent}% ({resources} resources read)',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const bulkErrors = {
  'bulk.respond-async-required': { status: 400, type: 'invalid' },
  'bulk.output-format-unsupported': { status: 400, type: 'not-supported' },
  'bulk.since-invalid': { status: 400, type: 'value' },
  'bulk.type-invalid': { status: 400, type: 'value' },
  'bulk.type-outside-compartment': { status: 400, type: 'not-supported' },
  'bulk.type-filter-malformed': { status: 400, type: 'value' },
  'bulk.type-filter-type': { status: 400, type: 'invalid' },
  'bulk.type-filter-control': { status: 400, type: 'not-supported' },
  'bulk.patient-system-level': { status: 400, type: 'not-supported' },
  'bulk.patient-reference-invalid': { status: 400, type: 'value' },
  'bulk.parameter-invalid': { status: 400, type: 'value' },
  'bulk.patient-unknown': { status: 400, type: 'not-found' },
  'bulk.patient-not-in-group': { status: 400, type: 'invalid' },
  'bulk.too-many-patients': { status: 400, type: 'too-costly' },
  'bulk.too-many-jobs': { status: 429, type: 'throttled' },
  'bulk.job-not-found': { status: 404, type: 'not-found' },
  'bulk.job-failed': { status: 500, type: 'exception' },
  'bulk.job-interrupted': { status: 500, type: 'incomplete' },
} as const satisfies Partial<Record<keyof typeof bulkMessages, CatalogueEntry>>;
