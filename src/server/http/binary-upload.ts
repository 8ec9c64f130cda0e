/**
 * A raw Binary upload (http://hl7.org/fhir/R4/binary.html#rest) is streamed to a
 * temporary file, counting bytes against SOCLE_MAX_BODY, and only then handed
 * to the engine: a slow client never holds a write transaction open, and memory
 * stays flat whatever the size.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fail } from '../../core/errors.js';
import type { BinaryPayload } from '../../storage/contract.js';

export interface SpooledUpload extends BinaryPayload {
  readonly contentType: string;
  dispose(): Promise<void>;
}

export async function spoolUpload(stream: Readable, contentType: string, folder: string, limit: number): Promise<SpooledUpload> {
  await mkdir(folder, { recursive: true });
  const file = join(folder, `upload-${randomUUID()}`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) callback(fail('binary.too-large', { limit }));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    stream.resume();
    throw error;
  }
  return {
    contentType,
    size,
    get chunks(): AsyncIterable<Buffer> {
      return createReadStream(file, { highWaterMark: 1024 * 1024 });
    },
    dispose: () => rm(file, { force: true }),
  };
}
