import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NdjsonFiles } from './ndjson-files.js';

test('one file per type, split before the line that would pass the limit; counts and sizes per file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'socle-ndjson-'));
  try {
    const files = new NdjsonFiles(folder, 50, (type, n) => `${type}-${n}.ndjson`);
    const line = (i: number) => JSON.stringify({ resourceType: 'Observation', id: `o${i}` });
    await files.append('Observation', [line(1), line(2)]);
    await files.append('Patient', [JSON.stringify({ resourceType: 'Patient', id: 'p' })]);
    await files.append('Observation', [line(3), line(4), line(5)]);
    // A line longer than the limit goes alone into a file of its own.
    const long = JSON.stringify({ resourceType: 'Observation', id: 'long', note: [{ text: 'x'.repeat(80) }] });
    await files.append('Observation', [long]);
    await files.append('Observation', []);
    const written = await files.close();
    const observations = written.filter((f) => f.type === 'Observation');
    assert.deepEqual(observations.map((f) => [f.name, f.count]), [['Observation-1.ndjson', 1], ['Observation-2.ndjson', 1], ['Observation-3.ndjson', 1], ['Observation-4.ndjson', 1], ['Observation-5.ndjson', 1], ['Observation-6.ndjson', 1]]);
    assert.ok(observations.slice(0, 5).every((f) => f.bytes <= 50));
    const text = await Promise.all(observations.map((f) => readFile(join(folder, f.name), 'utf8')));
    assert.deepEqual(text.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l).id), ['o1', 'o2', 'o3', 'o4', 'o5', 'long']);
    assert.deepEqual(written.find((f) => f.type === 'Patient'), { type: 'Patient', name: 'Patient-1.ndjson', count: 1, bytes: 36 });
    assert.equal((await readdir(folder)).length, 7);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('lines share a file while they fit', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'socle-ndjson-'));
  try {
    const files = new NdjsonFiles(folder, 1000, (type, n) => `${type}-${n}.ndjson`);
    await files.append('Condition', ['{"a":1}', '{"a":2}']);
    await files.append('Condition', ['{"a":3}']);
    assert.deepEqual(await files.close(), [{ type: 'Condition', name: 'Condition-1.ndjson', count: 3, bytes: 24 }]);
    assert.equal(await readFile(join(folder, 'Condition-1.ndjson'), 'utf8'), '{"a":1}\n{"a":2}\n{"a":3}\n');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
