/**
 * Lines of an extract file, a block at a time: readline's per-line async
 * iteration costs more than parsing a directory line, and the national
 * extract has two million of them.
 *
 * Encoding: the PS_LibreAcces extracts are UTF-8; the FINESS file of
 * data.gouv.fr (etalab-cs1100507-stock-*.csv) has long been published in
 * ISO-8859-1 ("RHÔNE", "santé" as single bytes). The first block decides: bytes
 * that are not valid UTF-8 there make the whole file read as Latin-1
 * (windows-1252, its superset), instead of turning every accent into U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface LineBlock {
  readonly lines: readonly string[];
  /** Bytes of the file read so far (for progress). */
  readonly bytes: number;
}

/** Yields the file's lines (without their "\n" or "\r\n") in blocks. */
export async function* readLineBlocks(file: string): AsyncGenerator<LineBlock> {
  let decoder: { write(chunk: Buffer): string; end(): string } | undefined;
  let rest = '';
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    decoder ??= looksUtf8(buffer) ? new StringDecoder('utf8') : latin1Decoder();
    const text = rest + decoder.write(buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    yield { lines: lines.map(dropCr), bytes };
  }
  const last = rest + (decoder?.end() ?? '');
  if (last !== '') yield { lines: [dropCr(last)], bytes };
}

/** Valid UTF-8, a multi-byte character cut at the block's end aside. */
export function looksUtf8(block: Buffer): boolean {
  let end = block.length;
  // Back over at most 3 continuation bytes to the last lead byte: the character it starts may go on in the next block.
  for (let i = 1; i <= 4 && end - i >= 0; i++) {
    const byte = block[end - i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0) end -= i;
    break;
  }
  return isUtf8(block.subarray(0, end));
}

function latin1Decoder(): { write(chunk: Buffer): string; end(): string } {
  const decoder = new TextDecoder('windows-1252');
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}

const dropCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);
