import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../../definitions/schema.js';
import { ProfileRegistry } from './registry.js';

test('the profile cache stays bounded when clients declare ever new unknown canonicals', async () => {
  const registry = new ProfileRegistry(r4Schema());
  const asked: string[] = [];
  const stored = async (url: string): Promise<undefined> => void asked.push(url);
  assert.equal((await registry.lookup('http://example.org/p/0', stored)).kind, 'unknown');
  await registry.lookup('http://example.org/p/0', stored);
  assert.equal(asked.length, 1, 'an unknown canonical is remembered');
  for (let i = 1; i <= 2_000; i += 1) await registry.lookup(`http://example.org/p/${i}`, stored);
  await registry.lookup('http://example.org/p/0', stored);
  assert.equal(asked.filter((url) => url === 'http://example.org/p/0').length, 2, 'past the bound, the cache started again');
});
