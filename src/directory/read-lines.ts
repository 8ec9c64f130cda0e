/**
 * Lines of a UTF-8 file, a block at a time: readline's per-line async
 * iteration costs more than parsing a directory line, and the national
 * extract has two million of them.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface LineBlock {
  readonly lines: readonly string[];
  /** Bytes of the file read so far (for progress). */
  readonly bytes: number;
}

/** Yields the file's lines (without their "\n" or "\r\n") in blocks. */
export async function* readLineBlocks(file: string): AsyncGenerator<LineBlock> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytes += (chunk as Buffer).length;
    const text = rest + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    yield { lines: lines.map(dropCr), bytes };
  }
  const last = rest + decoder.end();
  if (last !== '') yield { lines: [dropCr(last)], bytes };
}

const dropCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);
