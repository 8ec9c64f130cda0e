import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configurationTable } from '../../src/config/load-config.js';
import { errorTable } from '../../src/core/error-table.js';
import { errorCatalogue } from '../../src/core/errors.js';
import { messages } from '../../src/core/i18n/messages.js';

test('README documents every setting exactly as the configuration module defines it (npm run docs)', () => {
  assert.ok(readFileSync('README.md', 'utf8').includes(configurationTable()), 'README configuration table is stale: run npm run docs');
});

test('docs/ERRORS.md lists every catalogued error with its status and both languages (npm run docs)', () => {
  assert.ok(readFileSync('docs/ERRORS.md', 'utf8').includes(errorTable()), 'docs/ERRORS.md is stale: run npm run docs');
});

test('every catalogued error has a French and an English message', () => {
  for (const key of Object.keys(errorCatalogue)) {
    const message = messages[key as keyof typeof messages];
    assert.ok(message, `${key} has no message`);
    assert.ok(message.fr.length > 0 && message.en.length > 0, `${key} lacks a language`);
    assert.notEqual(message.fr, message.en, `${key} is not translated`);
  }
});
