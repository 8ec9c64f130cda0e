/**
 * The terminology part of the message and error catalogues (../i18n/messages.ts
 * and ../errors.ts assemble the parts; docs/ERRORS.md lists them all): the
 * errors of $expand, $lookup, $validate-code, $subsumes, $translate and of the
 * token search modifiers :in, :not-in, :below and :above, and the messages
 * $validate-code and $translate return in their Parameters (not errors: a
 * code outside a value set is an answer, result = false).
 */
import type { CatalogueEntry } from './entry.js';

export const terminologyMessages = {
  'terminology.value-set-unknown': {
    fr: 'ValueSet inconnu : {url}. Ni les ValueSet enregistrés sur ce serveur ni ceux publiés par HL7 avec FHIR R4 ne portent cette URL.',
    en: 'Unknown ValueSet: {url}. Neither the ValueSets stored on this server nor those HL7 publishes with FHIR R4 have this URL.',
  },
  'terminology.concept-map-unknown': {
    fr: 'ConceptMap inconnue : {url}.',
    en: 'Unknown ConceptMap: {url}.',
  },
  'terminology.code-system-unknown': {
    fr: 'Système de codes non disponible : {system}. Il n’est ni enregistré sur ce serveur (CodeSystem), ni publié par HL7 avec ses concepts dans FHIR R4 (LOINC, SNOMED CT ou une terminologie nationale se chargent comme ressources CodeSystem).',
    en: 'Code system not available: {system}. It is neither stored on this server (CodeSystem) nor published by HL7 with its concepts in FHIR R4 (LOINC, SNOMED CT or a national terminology are loaded as CodeSystem resources).',
  },
  'terminology.expansion-system-unknown': {
    fr: 'Impossible de développer {valueSet} : le système de codes {system} n’est pas disponible (ni enregistré sur ce serveur, ni publié par HL7 avec ses concepts).',
    en: 'Cannot expand {valueSet}: code system {system} is not available (neither stored on this server nor published by HL7 with its concepts).',
  },
  'terminology.import-unknown': {
    fr: 'Impossible d’utiliser {valueSet} : il importe le ValueSet {url}, qui n’est ni enregistré sur ce serveur ni publié par HL7 avec FHIR R4.',
    en: 'Cannot use {valueSet}: it imports ValueSet {url}, which is neither stored on this server nor published by HL7 with FHIR R4.',
  },
  'terminology.code-unknown': {
    fr: 'Le code « {code} » n’existe pas dans le système {system}.',
    en: 'Code "{code}" does not exist in code system {system}.',
  },
  'terminology.too-costly': {
    fr: 'Le développement de {valueSet} dépasse {limit} codes : restreignez-le (paramètre filter) ou utilisez un ValueSet plus petit.',
    en: 'The expansion of {valueSet} exceeds {limit} codes: narrow it (filter parameter) or use a smaller ValueSet.',
  },
  'terminology.work-too-costly': {
    fr: 'Le traitement de {valueSet} dépasse {limit} étapes (concepts parcourus, ValueSet importés, essais d’une expression régulière) : cette définition est trop coûteuse pour être évaluée ici.',
    en: 'Processing {valueSet} takes more than {limit} steps (concepts read, value sets imported, regex attempts): this definition is too costly to evaluate here.',
  },
  'terminology.value-set-cycle': {
    fr: 'Le ValueSet {url} s’importe lui-même, directement ou par d’autres ValueSet : il ne peut pas être développé.',
    en: 'ValueSet {url} imports itself, directly or through other ValueSets: it cannot be expanded.',
  },
  'terminology.filter-unsupported': {
    fr: 'Filtre non pris en charge dans {valueSet} : {property} {op} « {value} » (système {system}).',
    en: 'Unsupported filter in {valueSet}: {property} {op} "{value}" (system {system}).',
  },
  'terminology.filter-regex-costly': {
    fr: 'Filtre regex trop coûteux dans {valueSet} : « {value} » a trop de façons de s’appliquer à une valeur de {length} caractères de {property} (système {system}). Simplifiez l’expression : moins de répétitions ouvertes (.*, +) ou d’alternatives.',
    en: 'Regex filter too costly in {valueSet}: "{value}" has too many ways to match a {length}-character value of {property} (system {system}). Simplify the pattern: fewer open repetitions (.*, +) or alternatives.',
  },
  'terminology.parameter-missing': {
    fr: '{operation} : le paramètre {name} est requis.',
    en: '{operation}: parameter {name} is required.',
  },
  'terminology.parameter-one-of': {
    fr: '{operation} : donnez un, et un seul, de ces paramètres : {names}.',
    en: '{operation}: give one, and only one, of these parameters: {names}.',
  },
  'terminology.parameter-invalid': {
    fr: '{operation} : valeur invalide pour le paramètre {name} : « {value} » (attendu : {expected}).',
    en: '{operation}: invalid value for parameter {name}: "{value}" (expected: {expected}).',
  },
  'terminology.system-mismatch': {
    fr: '{operation} : le système {given} ne correspond pas au système demandé ({expected}).',
    en: '{operation}: system {given} does not match the system asked for ({expected}).',
  },
  'terminology.subsumption-across-systems': {
    fr: '$subsumes : la subsomption entre des systèmes différents ({systemA}, {systemB}) ne peut pas être établie.',
    en: '$subsumes: subsumption between different code systems ({systemA}, {systemB}) cannot be determined.',
  },
  'terminology.search-value-set-unknown': {
    fr: 'Le paramètre {name} nomme un ValueSet inconnu : {url}.',
    en: 'Parameter {name} names an unknown ValueSet: {url}.',
  },
  'terminology.search-import-unknown': {
    fr: 'Le paramètre {name} nomme le ValueSet {url}, qui importe un ValueSet inconnu : {import}.',
    en: 'Parameter {name} names ValueSet {url}, which imports an unknown ValueSet: {import}.',
  },
  'terminology.search-system-unknown': {
    fr: 'Le paramètre {name} nomme un système de codes non disponible sur ce serveur : {system}.',
    en: 'Parameter {name} names a code system this server does not hold: {system}.',
  },
  'terminology.search-code-expected': {
    fr: 'Le paramètre {name} attend un code et son système (système|code) : « {value} ».',
    en: 'Parameter {name} expects a code with its system (system|code): "{value}".',
  },
  'terminology.validate.not-in-value-set': {
    fr: 'Le code {system}#{code} n’appartient pas au ValueSet {url}.',
    en: 'Code {system}#{code} is not in ValueSet {url}.',
  },
  'terminology.validate.display-wrong': {
    fr: 'Le libellé « {display} » ne convient pas au code {system}#{code} : attendu « {expected} ».',
    en: 'Display "{display}" is not valid for code {system}#{code}: expected "{expected}".',
  },
  'terminology.validate.system-unknown': {
    fr: 'Le système de codes {system} n’est pas disponible : le code {code} n’a pas pu être vérifié.',
    en: 'Code system {system} is not available: code {code} could not be checked.',
  },
  'terminology.validate.no-system': {
    fr: 'Le code « {code} » n’a pas de système : il ne peut pas être vérifié.',
    en: 'Code "{code}" has no system: it cannot be checked.',
  },
  'terminology.validate.abstract': {
    fr: 'Le code {system}#{code} est abstrait (un regroupement) : il n’est pas admis ici (abstract=false).',
    en: 'Code {system}#{code} is abstract (a grouping): it is not allowed here (abstract=false).',
  },
  'terminology.translate.none': {
    fr: 'Aucune correspondance connue pour {system}#{code}.',
    en: 'No known mapping for {system}#{code}.',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const terminologyErrors = {
  'terminology.value-set-unknown': { status: 404, type: 'not-found' },
  'terminology.concept-map-unknown': { status: 404, type: 'not-found' },
  'terminology.code-system-unknown': { status: 404, type: 'not-found' },
  'terminology.expansion-system-unknown': { status: 422, type: 'not-found' },
  'terminology.import-unknown': { status: 422, type: 'not-found' },
  'terminology.code-unknown': { status: 404, type: 'not-found' },
  'terminology.too-costly': { status: 422, type: 'too-costly' },
  'terminology.work-too-costly': { status: 422, type: 'too-costly' },
  'terminology.value-set-cycle': { status: 422, type: 'processing' },
  'terminology.filter-unsupported': { status: 422, type: 'not-supported' },
  'terminology.filter-regex-costly': { status: 422, type: 'too-costly' },
  'terminology.parameter-missing': { status: 400, type: 'required' },
  'terminology.parameter-one-of': { status: 400, type: 'invalid' },
  'terminology.parameter-invalid': { status: 400, type: 'value' },
  'terminology.system-mismatch': { status: 400, type: 'invalid' },
  'terminology.subsumption-across-systems': { status: 422, type: 'not-supported' },
  'terminology.search-value-set-unknown': { status: 400, type: 'not-found' },
  'terminology.search-import-unknown': { status: 400, type: 'not-found' },
  'terminology.search-system-unknown': { status: 400, type: 'not-found' },
  'terminology.search-code-expected': { status: 400, type: 'value' },
} as const satisfies Partial<Record<keyof typeof terminologyMessages, CatalogueEntry>>;
