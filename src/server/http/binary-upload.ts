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
import { finished, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  // The request is piped in rather than put in the pipeline: a pipeline destroys
  // its source on error, and a destroyed request can no longer be drained, which
  // leaves the connection stuck after a 413.
  const stopWatching = finished(stream, (error) => {
    if (error) counter.destroy(error);
  });
  stream.pipe(counter);
  try {
    await pipeline(counter, createWriteStream(file));
  } catch (error) {
    stream.unpipe(counter);
    // Reads and discards what the client is still sending, so that the connection can carry the 413 and the next request.
    stream.resume();
    await rm(file, { force: true });
    throw error;
  } finally {
    stopWatching();
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
