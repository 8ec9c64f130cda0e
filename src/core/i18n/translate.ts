import { messages, type MessageKey } from './messages.js';

/** The languages Socle speaks, French first. */
export type Language = 'fr' | 'en';
export const LANGUAGES: readonly Language[] = ['fr', 'en'];

export type MessageParams = Readonly<Record<string, string | number | undefined>>;

/** Fills a catalogue message in one language. Unknown placeholders stay visible, so mistakes show. */
export function translate(key: MessageKey, params: MessageParams = {}, language: Language = 'fr'): string {
  const template = messages[key][language];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * Picks the response language from an Accept-Language header (RFC 9110 §12.5.4).
 * French unless the client prefers English.
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'fr';
  let best: Language = 'fr';
  let bestQ = -1;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...attributes] = part.trim().toLowerCase().split(';');
    const qAttr = attributes.find((a) => a.trim().startsWith('q='));
    const q = qAttr ? Number(qAttr.trim().slice(2)) : 1;
    const primary = tag.split('-')[0];
    if ((primary === 'fr' || primary === 'en') && Number.isFinite(q) && q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}
