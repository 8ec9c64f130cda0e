/**
 * Where export jobs live: their state as documents of the `bulk.jobs`
 * collection (in the store, on either backend: it survives a restart and is
 * shared by every process of one PostgreSQL database), their files in
 * `<data folder>/bulk/<job id>/` (streamed to disk as they are written and
 * from disk as they are downloaded, never held in memory or in the database).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Collection } from '../../storage/collection.js';
import type { ExportJob } from './export-job.js';

/** Job ids are server-made UUIDs: nothing else may name a folder. */
const JOB_ID = /^[0-9a-f-]{36}$/;

export class JobStore {
  constructor(private readonly documents: Collection<ExportJob>, readonly root: string) {}

  async get(id: string): Promise<ExportJob | undefined> {
    return JOB_ID.test(id) ? this.documents.get(id) : undefined;
  }

  save(job: ExportJob): Promise<void> {
    return this.documents.put(job.id, job);
  }

  /** Every job, a page at a time (there are few: finished ones expire). */
  async *all(): AsyncGenerator<ExportJob> {
    let after: string | undefined;
    for (;;) {
      const page = await this.documents.scan(after, 100);
      for (const entry of page) yield entry.value;
      if (page.length < 100) return;
      after = page[page.length - 1]?.key;
    }
  }

  folder(id: string): string {
    return join(this.root, id);
  }

  async createFolder(id: string): Promise<string> {
    const folder = this.folder(id);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  /** The path of one of the job's files, if it still exists on this machine. */
  async file(job: ExportJob, name: string): Promise<string | undefined> {
    if (![...job.output, ...job.errors].some((f) => f.name === name)) return undefined;
    const path = join(this.folder(job.id), name);
    return (await stat(path).catch(() => undefined))?.isFile() ? path : undefined;
  }

  removeFiles(id: string): Promise<void> {
    return rm(this.folder(id), { recursive: true, force: true });
  }

  /** The job's state, then its files: a folder never outlives its document for long (removeOrphans). */
  async remove(id: string): Promise<void> {
    await this.documents.delete(id);
    await this.removeFiles(id);
  }

  /**
   * Folders left without a job (a crash between the two steps of remove).
   * A folder is made after its job's document, so one being created elsewhere is never taken.
   */
  async removeOrphans(): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names) {
      if (JOB_ID.test(name) && !(await this.documents.get(name))) await this.removeFiles(name);
    }
  }
}
