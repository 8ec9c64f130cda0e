/**
 * The NDJSON files of one export (https://github.com/ndjson/ndjson-spec; the
 * Bulk Data IG's output format): one resource a line, one file per type,
 * split into a new file once the next line would pass the size limit.
 * Lines are appended a page at a time; the files are flushed to disk before
 * the export is said to be complete.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFile } from './export-job.js';

interface OpenFile {
  readonly type: string;
  readonly name: string;
  readonly handle: FileHandle;
  count: number;
  bytes: number;
}

export class NdjsonFiles {
  private readonly current = new Map<string, OpenFile>();
  private readonly done: ExportFile[] = [];
  private readonly parts = new Map<string, number>();

  constructor(
    private readonly folder: string,
    private readonly maxBytes: number,
    /** The name of the n-th file (from 1) of a type. */
    private readonly nameOf: (type: string, n: number) => string,
  ) {}

  /** Appends lines (JSON texts without newline) to the files of `type`. */
  async append(type: string, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    let file = this.current.get(type) ?? (await this.openNext(type));
    let chunk = '';
    let chunkBytes = 0;
    let chunkLines = 0;
    for (const line of lines) {
      const size = Buffer.byteLength(line) + 1;
      if (file.bytes + chunkBytes + size > this.maxBytes && file.bytes + chunkBytes > 0) {
        await this.write(file, chunk, chunkBytes, chunkLines);
        chunk = '';
        chunkBytes = 0;
        chunkLines = 0;
        await this.finish(file);
        file = await this.openNext(type);
      }
      chunk += `${line}\n`;
      chunkBytes += size;
      chunkLines++;
    }
    await this.write(file, chunk, chunkBytes, chunkLines);
  }

  /** Flushes and closes every file; the list of files written, in order. */
  async close(): Promise<ExportFile[]> {
    for (const file of this.current.values()) await this.finish(file);
    this.current.clear();
    return [...this.done];
  }

  /** Closes the files without flushing them (the export is abandoned). */
  async abandon(): Promise<void> {
    for (const file of this.current.values()) await file.handle.close().catch(() => undefined);
    this.current.clear();
  }

  private async write(file: OpenFile, chunk: string, bytes: number, lines: number): Promise<void> {
    if (lines === 0) return;
    // appendFile writes the whole chunk (write() may stop short).
    await file.handle.appendFile(chunk);
    file.bytes += bytes;
    file.count += lines;
  }

  private async openNext(type: string): Promise<OpenFile> {
    const n = (this.parts.get(type) ?? 0) + 1;
    this.parts.set(type, n);
    const name = this.nameOf(type, n);
    const file: OpenFile = { type, name, handle: await open(join(this.folder, name), 'wx'), count: 0, bytes: 0 };
    this.current.set(type, file);
    return file;
  }

  private async finish(file: OpenFile): Promise<void> {
    await file.handle.sync();
    await file.handle.close();
    this.current.delete(file.type);
    this.done.push({ type: file.type, name: file.name, count: file.count, bytes: file.bytes });
  }
}
