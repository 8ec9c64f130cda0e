/**
 * The audit part of the message and error catalogues (../i18n/messages.ts and
 * ../errors.ts assemble the parts; docs/ERRORS.md lists them all). Keys start
 * with the area's prefix; user-facing text French first, English second.
 */
import type { CatalogueEntry } from './entry.js';

export const auditMessages = {
} as const satisfies Record<string, { fr: string; en: string }>;

export const auditErrors = {
} as const satisfies Partial<Record<keyof typeof auditMessages, CatalogueEntry>>;
