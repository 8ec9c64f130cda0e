/**
 * The audit part of the message and error catalogues (../i18n/messages.ts and
 * ../errors.ts assemble the parts; docs/ERRORS.md lists them all). Keys start
 * with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const auditMessages = {
  'audit.immutable': {
    fr: 'Les traces d’accès (AuditEvent) ne se créent, ne se modifient ni ne se suppriment par l’API : Socle les écrit lui-même.',
    en: 'Access traces (AuditEvent) cannot be created, changed or deleted through the API: Socle writes them itself.',
  },
  'audit.unavailable': {
    fr: 'La trace d’accès n’a pas pu être enregistrée : la requête est refusée. Réessayez.',
    en: 'The access trace could not be recorded: the request is refused. Try again.',
  },
  'audit.search-unsupported': {
    fr: 'Les traces d’accès (AuditEvent) ne se recherchent pas par {parameter} : paramètres possibles _id, _lastUpdated, date, patient, agent, entity, action, outcome, subtype, type ; tri par date.',
    en: 'Access traces (AuditEvent) cannot be searched by {parameter}: use _id, _lastUpdated, date, patient, agent, entity, action, outcome, subtype, type; sort by date.',
  },
} as const satisfies Record<string, { fr: string; en: string }>;

export const auditErrors = {
  'audit.immutable': { status: 405, type: 'forbidden' },
  'audit.unavailable': { status: 503, type: 'transient' },
  'audit.search-unsupported': { status: 400, type: 'not-supported' },
} as const satisfies Partial<Record<keyof typeof auditMessages, CatalogueEntry>>;
