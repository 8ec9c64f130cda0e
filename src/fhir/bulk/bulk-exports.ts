/**
 * Runs export jobs in the background, in this process: no external queue,
 * so the embedded default needs nothing else. A job's state is saved when it
 * starts, every few seconds while it runs (its heartbeat and progress) and
 * when it ends.
 *
 * - **Bounds**: at most SOCLE_BULK_MAX_JOBS jobs at once per process (the
 *   next kick-off gets 429); each reads one search page at a time (at most
 *   SOCLE_MAX_COUNT resources in memory), writes it to disk, and yields to
 *   other requests between pages; files are split at SOCLE_BULK_FILE_SIZE.
 * - **Restarts**: a job is not resumed. On shutdown it is marked failed
 *   (interrupted) at once; after a crash, a job whose heartbeat has been
 *   silent for STALE_MS is marked so by the next look at it (a status
 *   request, or the sweep at start and every minute). Resuming would read on
 *   with an authorization given before the restart, perhaps revoked since;
 *   the client starts the export again.
 * - **Expiry**: a finished job and its files are deleted SOCLE_BULK_EXPIRY
 *   seconds after it ended (by the sweep, or when asked for).
 */
import { fail } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import type { Principal } from '../../core/principal.js';
import type { Logger } from '../../server/observability/logger.js';
import type { FhirEngine } from '../rest/engine.js';
import { mayReadJob, type ExportJob, type JobProgress } from './export-job.js';
import type { JobStore } from './job-store.js';
import { NdjsonFiles } from './ndjson-files.js';
import { runExport } from './run-export.js';

export interface BulkSettings {
  readonly maxJobs: number;
  readonly fileSize: number;
  readonly expiryMs: number;
  readonly pageSize: number;
}

export interface BulkDeps {
  readonly jobs: JobStore;
  readonly engine: FhirEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: BulkSettings;
}

const HEARTBEAT_MS = 5_000;
/** Six missed heartbeats: the process running the job is gone. */
export const STALE_MS = 30_000;
const SWEEP_MS = 60_000;
/** Retry-After of a kick-off refused because every slot is taken. */
const BUSY_RETRY_SECONDS = 30;

interface Running {
  job: ExportJob;
  progress: JobProgress;
  readonly controller: AbortController;
  /** Saves of this job, one after the other: a late heartbeat never overwrites the final state. */
  saving: Promise<void>;
  finished: boolean;
  done: Promise<void>;
}

export class BulkExports {
  private readonly running = new Map<string, Running>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly deps: BulkDeps) {}

  get jobs(): JobStore {
    return this.deps.jobs;
  }

  /** How long a finished job is kept (SOCLE_BULK_EXPIRY). */
  get expiryMs(): number {
    return this.deps.settings.expiryMs;
  }

  /** Sweeps now (orphan folders too) and every minute. */
  start(): void {
    this.sweepSoon(true);
    this.sweeper = setInterval(() => this.sweepSoon(false), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Saves the new job and runs it; 429 when this process already runs as many as allowed. */
  async begin(job: ExportJob): Promise<void> {
    if (this.running.size >= this.deps.settings.maxJobs) {
      throw fail('bulk.too-many-jobs', { retryAfter: BUSY_RETRY_SECONDS }, { headers: { 'retry-after': String(BUSY_RETRY_SECONDS) } });
    }
    // The slot is taken before the first await: two kick-offs cannot both get the last one.
    const entry: Running = { job, progress: job.progress, controller: new AbortController(), saving: Promise.resolve(), finished: false, done: Promise.resolve() };
    this.running.set(job.id, entry);
    try {
      await this.deps.jobs.save(job);
    } catch (error) {
      this.running.delete(job.id);
      throw error;
    }
    entry.done = this.execute(entry)
      .catch((error: Error) => this.deps.logger.error({ job: job.id, err: { type: error.name, message: error.message } }, 'bulk export could not be closed'))
      .finally(() => this.running.delete(job.id));
  }

  /**
   * The job as `principal` may see it; undefined when unknown, someone
   * else's, or expired (then deleted). A silent in-progress job is marked
   * interrupted first.
   */
  async find(id: string, principal: Principal | undefined): Promise<ExportJob | undefined> {
    const stored = await this.deps.jobs.get(id);
    if (!stored || !mayReadJob(stored, principal)) return undefined;
    const job = await this.review(stored);
    if (!job) return undefined;
    const live = this.running.get(id);
    return live && !live.finished ? { ...job, progress: live.progress } : job;
  }

  /** Cancels the job if it runs here, then deletes it and its files (DELETE on the status URL). */
  async cancel(id: string): Promise<void> {
    const live = this.running.get(id);
    if (live) {
      live.controller.abort('cancelled');
      await live.done;
    }
    await this.deps.jobs.remove(id);
  }

  /** Stops the running jobs (marked interrupted) and the sweeps. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const entry of this.running.values()) entry.controller.abort('shutdown');
    await Promise.all([...this.running.values()].map((entry) => entry.done));
    await this.sweeping;
  }

  /** Applies interruption and expiry to a stored job; undefined once it has expired. */
  private async review(job: ExportJob): Promise<ExportJob | undefined> {
    const now = this.deps.clock.now();
    if (job.status === 'in-progress') {
      if (this.running.has(job.id) || now - job.heartbeat <= STALE_MS) return job;
      const failed: ExportJob = { ...job, status: 'failed', failure: 'bulk.job-interrupted', finishedAt: now };
      await this.deps.jobs.save(failed);
      await this.deps.jobs.removeFiles(job.id);
      return failed;
    }
    if (job.finishedAt !== undefined && now >= job.finishedAt + this.deps.settings.expiryMs) {
      await this.deps.jobs.remove(job.id);
      return undefined;
    }
    return job;
  }

  /** Reviews every job; at start also removes folders left without a job. */
  sweep(orphans: boolean): Promise<void> {
    const work = async (): Promise<void> => {
      for await (const job of this.deps.jobs.all()) await this.review(job);
      if (orphans) await this.deps.jobs.removeOrphans();
    };
    this.sweeping = this.sweeping.then(work).catch((error: Error) => {
      this.deps.logger.warn({ err: { type: error.name, message: error.message } }, 'bulk export sweep failed');
    });
    return this.sweeping;
  }

  private sweepSoon(orphans: boolean): void {
    void this.sweep(orphans);
  }

  private save(entry: Running, job: ExportJob): Promise<void> {
    entry.job = job;
    entry.saving = entry.saving.then(() => this.deps.jobs.save(job));
    return entry.saving;
  }

  /** The heartbeat: progress saved; a job deleted meanwhile (by another process) is stopped. */
  private beat(entry: Running): void {
    entry.saving = entry.saving.then(async () => {
      if (entry.finished) return;
      if (!(await this.deps.jobs.get(entry.job.id))) {
        entry.controller.abort('cancelled');
        return;
      }
      entry.job = { ...entry.job, heartbeat: this.deps.clock.now(), progress: entry.progress };
      await this.deps.jobs.save(entry.job);
    }).catch((error: Error) => {
      this.deps.logger.warn({ job: entry.job.id, err: { type: error.name, message: error.message } }, 'bulk export heartbeat failed');
    });
  }

  private async execute(entry: Running): Promise<void> {
    const { engine, jobs, clock, settings, logger } = this.deps;
    const { job, controller } = entry;
    const heartbeat = setInterval(() => this.beat(entry), HEARTBEAT_MS);
    heartbeat.unref();
    let output: NdjsonFiles | undefined;
    let errors: NdjsonFiles | undefined;
    try {
      const folder = await jobs.createFolder(job.id);
      output = new NdjsonFiles(folder, settings.fileSize, (type, n) => `${type}-${n}.ndjson`);
      // Lower case: never the name of a resource type's file.
      errors = new NdjsonFiles(folder, settings.fileSize, (_type, n) => `errors-${n}.ndjson`);
      await runExport({
        engine, job, output, errors, pageSize: settings.pageSize, signal: controller.signal,
        onProgress: (progress) => {
          entry.progress = progress;
        },
      });
      const files = await output.close();
      const errorFiles = await errors.close();
      // No files handed out before the traces of the reads behind them are on disk.
      await engine.deps.audit.flush();
      clearInterval(heartbeat);
      entry.finished = true;
      const resources = files.reduce((sum, f) => sum + f.count, 0);
      const total = entry.progress.total;
      await this.save(entry, {
        ...entry.job, status: 'completed', finishedAt: clock.now(), heartbeat: clock.now(),
        progress: { done: total, total, resources }, output: files, errors: errorFiles,
      });
    } catch (error) {
      clearInterval(heartbeat);
      entry.finished = true;
      await output?.abandon();
      await errors?.abandon();
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason !== 'cancelled') {
        if (reason !== 'shutdown') {
          const err = error as Error;
          logger.error({ job: job.id, err: { type: err.name, message: err.message, stack: err.stack } }, 'bulk export failed');
        }
        const failure = reason === 'shutdown' ? 'bulk.job-interrupted' : 'bulk.job-failed';
        await this.save(entry, { ...entry.job, status: 'failed', failure, finishedAt: clock.now(), progress: entry.progress })
          .catch(() => undefined);
        await jobs.removeFiles(job.id).catch(() => undefined);
      }
    } finally {
      await entry.saving.catch(() => undefined);
    }
  }
}
