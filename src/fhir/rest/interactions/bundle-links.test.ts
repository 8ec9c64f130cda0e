import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../../definitions/schema.js';
import { schemaIndex } from '../../validation/element-index.js';
import { visitLinks, type LinkKind } from './bundle-links.js';

const index = schemaIndex(r4Schema());

function linksOf(body: unknown, patchedType?: string): [string, LinkKind][] {
  const found: [string, LinkKind][] = [];
  visitLinks(index, body, patchedType, (value, kind) => {
    found.push([value, kind]);
    return undefined;
  });
  return found.sort(([a], [b]) => a.localeCompare(b));
}

test('links are found by their R4 types, in choices, extensions, primitive extensions, contained resources and narrative', () => {
  const links = linksOf({
    resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'u:system', code: 'x' }] },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><a href="u:href">a</a><img src=\'u:src\'/></div>' },
    subject: { reference: 'u:subject', identifier: { system: 'u:identifier-system', value: 'u:identifier-value' } },
    meta: { profile: ['u:canonical'], source: 'u:source' },
    extension: [{ url: 'u:extension-url', valueUri: 'u:value-uri' }, { url: 'u:nested', extension: [{ url: 'inner', valueCanonical: 'u:value-canonical' }] }],
    _status: { extension: [{ url: 'u:status-extension', valueUrl: 'u:value-url' }] },
    contained: [{ resourceType: 'Patient', id: 'p', managingOrganization: { reference: 'u:contained' } }],
  });
  assert.deepEqual(links, [
    ['inner', 'extension-url'], ['u:contained', 'reference'], ['u:extension-url', 'extension-url'], ['u:href', 'narrative'], ['u:identifier-system', 'uri'],
    ['u:nested', 'extension-url'], ['u:src', 'narrative'], ['u:status-extension', 'extension-url'], ['u:subject', 'reference'],
    ['u:canonical', 'canonical'], ['u:source', 'uri'], ['u:system', 'uri'], ['u:value-canonical', 'canonical'], ['u:value-uri', 'uri'], ['u:value-url', 'uri'],
  ].sort(([a], [b]) => (a as string).localeCompare(b as string)));
});

test('a replacement is put back in place, in arrays and narrative attributes alike', () => {
  const resource = {
    resourceType: 'Provenance', recorded: '2024-01-01T00:00:00Z', target: [{ reference: 'urn:uuid:1' }], policy: ['urn:uuid:1', 'other'],
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><a href="urn:uuid:1">x</a></div>' },
  };
  visitLinks(index, resource, undefined, (value) => (value === 'urn:uuid:1' ? 'Patient/1' : undefined));
  assert.deepEqual(resource.target, [{ reference: 'Patient/1' }]);
  assert.deepEqual(resource.policy, ['Patient/1', 'other']);
  assert.equal(resource.text.div, '<div xmlns="http://www.w3.org/1999/xhtml"><a href="Patient/1">x</a></div>');
});

test('the values of a JSON Patch are typed by their paths; a path the model cannot follow only has its references', () => {
  const links = linksOf([
    { op: 'add', path: '/subject', value: { reference: 'u:subject' } },
    { op: 'replace', path: '/subject/reference', value: 'u:subject-reference' },
    { op: 'add', path: '/identifier/-', value: { system: 'u:system', value: 'u:value' } },
    { op: 'add', path: '/meta/profile/-', value: 'u:canonical' },
    { op: 'add', path: '/contained/0/subject', value: { reference: 'u:contained', display: 'u:display' } },
    { op: 'remove', path: '/note' },
  ], 'Observation');
  assert.deepEqual(links, [['u:canonical', 'canonical'], ['u:contained', 'reference'], ['u:subject', 'reference'], ['u:subject-reference', 'reference'], ['u:system', 'uri']]);
});
