import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './load-config.js';
import { ConfigError } from './settings.js';

const baseOf = (value: string) => loadConfig({ SOCLE_BASE_URL: value }).baseUrl;

test('SOCLE_BASE_URL loses its trailing slashes, so own-base references stay local', () => {
  assert.equal(baseOf('https://socle.example.fr/fhir/'), 'https://socle.example.fr/fhir');
  assert.equal(baseOf('https://socle.example.fr/fhir//'), 'https://socle.example.fr/fhir');
  assert.equal(baseOf('https://socle.example.fr:8443/fhir'), 'https://socle.example.fr:8443/fhir');
});

test('SOCLE_BASE_URL unset or empty means the base is derived from HOST and PORT', () => {
  assert.equal(loadConfig({}).baseUrl, '');
  assert.equal(baseOf(''), '');
});

test('SOCLE_BASE_URL that is not an absolute http(s) URL is refused at start', () => {
  for (const bad of ['/fhir', 'socle.example.fr/fhir', 'ftp://socle.example.fr/fhir', 'https://socle.example.fr/fhir?x=1', 'https://u:p@socle.example.fr/fhir']) {
    assert.throws(() => baseOf(bad), ConfigError, bad);
  }
});
