import { errorCatalogue } from './errors.js';
import { translate } from './i18n/translate.js';
import type { MessageKey } from './i18n/messages.js';

/** The error catalogue as a Markdown table (docs/ERRORS.md is generated from it, and a test keeps them equal). */
export function errorTable(): string {
  const rows = Object.entries(errorCatalogue).map(([key, entry]) => {
    const fr = translate(key as MessageKey, {}, 'fr').replace(/\|/g, '\\|');
    const en = translate(key as MessageKey, {}, 'en').replace(/\|/g, '\\|');
    return `| \`${key}\` | ${entry.status} | \`${entry.type}\` | ${fr} | ${en} |`;
  });
  return ['| Code | HTTP | Issue type | Français | English |', '|---|---|---|---|---|', ...rows].join('\n');
}
