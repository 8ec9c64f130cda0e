/**
 * What a body written to Binary is (http://hl7.org/fhir/R4/binary.html#rest):
 * "When binary data is written to the server (create/update - POST or PUT),
 * the data is accepted as is and treated as the content of a Binary, including
 * when the content type is "application/fhir+xml" or "application/fhir+json",
 * except for the special case where the content is actually a Binary resource."
 * Such bodies are spooled unparsed (binary-upload.ts); this tells the special
 * case apart once they are on disk.
 */
import { isJsonMediaType, isUtf8Charset } from './media.js';
import type { SpooledUpload } from './binary-upload.js';
import { fail } from '../../core/errors.js';
import { repeatedProperty } from '../../core/json/duplicate-keys.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const OPENING_BRACE = 0x7b;
const BLANKS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The first byte that is not JSON white space (nor a UTF-8 byte order mark). */
function firstSignificantByte(chunk: Buffer): number | undefined {
  const start = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
  for (let i = start; i < chunk.length; i += 1) if (!BLANKS.has(chunk[i] as number)) return chunk[i];
  return undefined;
}

/**
 * The Binary resource a JSON upload holds, or undefined when the upload is
 * content to store as is: another type of JSON, a JSON resource of another
 * type, malformed JSON, bytes that are not UTF-8, or another charset.
 */
export async function binaryResourceIn(upload: SpooledUpload): Promise<Record<string, unknown> | undefined> {
  if (!isJsonMediaType(upload.contentType) || !isUtf8Charset(upload.contentType)) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of upload.chunks) {
    // Only a JSON object can be a resource: anything else is not read further.
    if (chunks.length === 0 && firstSignificantByte(chunk) !== OPENING_BRACE) return undefined;
    chunks.push(chunk);
  }
  let parsed: unknown;
  let text: string;
  try {
    text = UTF8.decode(Buffer.concat(chunks));
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const resource = parsed as { resourceType?: unknown } | null;
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource) || resource.resourceType !== 'Binary') return undefined;
  // A Binary resource naming a property twice is refused as any JSON body is (build-app.ts, duplicate-keys.ts).
  const repeated = repeatedProperty(text, resource);
  if (repeated !== undefined) throw fail('body.duplicate-property', { path: repeated }, { expression: [repeated] });
  return resource as Record<string, unknown>;
}

/**
 * The upload's bytes in memory. A raw upload answered with its representation
 * is read back once spooled: the answer carries the payload as Binary.data
 * (common.ts writeResponse inlines a payload held in memory), and it can be no
 * larger than SOCLE_MAX_BODY.
 */
export async function uploadInMemory(upload: SpooledUpload): Promise<SpooledUpload> {
  const chunks: Buffer[] = [];
  for await (const chunk of upload.chunks) chunks.push(chunk);
  return { contentType: upload.contentType, size: upload.size, chunks: [Buffer.concat(chunks, upload.size)], dispose: () => upload.dispose() };
}
