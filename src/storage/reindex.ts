/**
 * Rebuilds the search index of every current resource from its stored JSON,
 * in batches of write units, on either backend: after a change of the
 * indexing rules (the index format, fhir/indexing/index-format.ts), rows
 * written before it would no longer be found by the searches of the new code.
 * The server runs it at start when the recorded format is older than its
 * own; `socle reindex` runs it on request.
 *
 * Each batch reads the next resources in rid order and rewrites their rows in
 * the same write unit, the resources locked meanwhile (reindexAfter), so that
 * a concurrent write of one of them lands before or after, never in between.
 * Writes may go on during a reindex: they index with the new rules anyway.
 * The format is recorded once every batch is done: a reindex stopped midway
 * starts again from the beginning at the next start.
 */
import type { IndexSet } from '../fhir/indexing/index-set.js';
import type { IndexedResource, Store } from './contract.js';

/** Resources per write unit: ~10,000 index rows, well under SQLite's 200 ms batch budget of the write queue. */
export const REINDEX_BATCH = 500;

export interface ReindexProgress {
  /** Resources read so far (reindexed or failed). */
  readonly done: number;
  /** Current resources when the reindex began (more may be written meanwhile). */
  readonly total: number;
  readonly failed: number;
}

export interface ReindexFailure {
  readonly resourceType: string;
  readonly id: string;
  readonly error: unknown;
}

export interface ReindexOptions {
  /** The index rows of a stored resource: the indexer of the code running. */
  readonly index: (resource: IndexedResource) => IndexSet;
  /** The index format `index` writes, recorded once done. */
  readonly format: number;
  readonly batchSize?: number;
  /** Called before the first batch (done 0) and after each. */
  readonly onProgress?: (progress: ReindexProgress) => void;
  /** A resource `index` threw on: it keeps its rows (until it is next written) and the reindex goes on. */
  readonly onFailure?: (failure: ReindexFailure) => void;
}

export interface ReindexReport {
  readonly resources: number;
  readonly failed: number;
  readonly milliseconds: number;
}

/** Rewrites the index rows of every current resource, then records `format`. */
export async function reindexStore(store: Store, options: ReindexOptions): Promise<ReindexReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? REINDEX_BATCH;
  const total = await store.countResources();
  let done = 0;
  let failed = 0;
  const indexOne = (resource: IndexedResource): IndexSet | undefined => {
    done += 1;
    try {
      return options.index(resource);
    } catch (error) {
      failed += 1;
      options.onFailure?.({ resourceType: resource.resourceType, id: resource.id, error });
      return undefined;
    }
  };
  options.onProgress?.({ done, total, failed });
  for (let after: number | undefined = 0; after !== undefined;) {
    const from: number = after;
    const before = { done, failed };
    // A unit may run more than once (PostgreSQL retries a unit after a deadlock): count its last run only.
    after = await store.transaction((tx) => {
      ({ done, failed } = before);
      return tx.reindexAfter(from, batchSize, indexOne);
    });
    if (after !== undefined) options.onProgress?.({ done, total, failed });
  }
  await store.transaction((tx) => tx.setIndexFormat(options.format));
  return { resources: done, failed, milliseconds: Date.now() - started };
}

/** What the server's start logs: structured fields, never a resource's content. */
export interface ReindexLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Progress lines at most this often. */
const LOG_INTERVAL_MS = 5_000;

/**
 * At start: reindexes when the store's index format is older than
 * `options.format`, with progress in the logs (counts only, and the type and
 * id of a resource that failed). Returns the report, or undefined when the
 * index was up to date. A store written by a newer version is left as it is,
 * with a warning.
 */
export async function reindexIfOutdated(
  store: Store, options: Omit<ReindexOptions, 'onProgress' | 'onFailure'>, log: ReindexLog,
): Promise<ReindexReport | undefined> {
  const recorded = await store.indexFormat();
  if (recorded > options.format) {
    log.warn({ recorded, supported: options.format }, 'the search index was written by a newer version of Socle; it is left as it is');
    return undefined;
  }
  if (recorded === options.format) return undefined;
  let lastLog = Date.now();
  const report = await reindexStore(store, {
    ...options,
    onProgress: ({ done, total, failed }) => {
      if (done === 0) {
        log.info({ from: recorded, to: options.format, resources: total }, 'search index format changed: reindexing every resource');
      } else if (Date.now() - lastLog >= LOG_INTERVAL_MS) {
        lastLog = Date.now();
        log.info({ done, total, failed, percent: total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100 }, 'reindexing');
      }
    },
    // The error's class only: a message may quote stored content.
    onFailure: ({ resourceType, id, error }) => log.warn({ resourceType, id, error: error instanceof Error ? error.name : typeof error }, 'could not reindex a resource'),
  });
  log.info({ resources: report.resources, failed: report.failed, seconds: Math.round(report.milliseconds / 100) / 10, format: options.format }, 'search index rebuilt');
  return report;
}
