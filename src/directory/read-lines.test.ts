import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLineBlocks } from './read-lines.js';

async function linesOf(content: string | Buffer): Promise<{ lines: string[]; bytes: number }> {
  const folder = await mkdtemp(join(tmpdir(), 'read-lines-'));
  const file = join(folder, 'f.txt');
  await writeFile(file, content);
  try {
    const lines: string[] = [];
    let bytes = 0;
    for await (const block of readLineBlocks(file)) {
      lines.push(...block.lines);
      bytes = block.bytes;
    }
    return { lines, bytes };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

test('lines come without their CRLF or LF, the last one even without a final newline', async () => {
  assert.deepEqual((await linesOf('a|b|\r\nc|d|\nÉtienne|')).lines, ['a|b|', 'c|d|', 'Étienne|']);
  assert.deepEqual((await linesOf('')).lines, []);
});

test('multi-byte characters cut by a block boundary are decoded whole, and bytes count the file', async () => {
  const line = `${'x'.repeat((1 << 20) - 1)}é\n`;
  const { lines, bytes } = await linesOf(Buffer.from(`${line}Ç\n`, 'utf8'));
  assert.equal(lines[0]!.endsWith('é'), true);
  assert.equal(lines[1], 'Ç');
  assert.equal(bytes, Buffer.byteLength(`${line}Ç\n`));
});

test('a Latin-1 file (the FINESS extract as data.gouv.fr long published it) is read with its accents', async () => {
  const text = 'finess;etalab;100;2021-09-13\nstructureet;690002001;RHÔNE;Etablissement public de santé;\n';
  const { lines } = await linesOf(Buffer.from(text, 'latin1'));
  assert.deepEqual(lines, ['finess;etalab;100;2021-09-13', 'structureet;690002001;RHÔNE;Etablissement public de santé;']);
});

test('a UTF-8 file whose first block ends inside a character is still read as UTF-8', async () => {
  const line = `${'x'.repeat((1 << 20) - 1)}ô\n`;
  const { lines } = await linesOf(Buffer.from(`${line}santé\n`, 'utf8'));
  assert.equal(lines[0]!.endsWith('ô'), true);
  assert.equal(lines[1], 'santé');
});
