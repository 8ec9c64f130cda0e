/**
 * `socle reindex`: rebuilds the search index of every current resource from
 * its stored JSON with the running code's indexing rules (storage/reindex.ts),
 * then records the index format. The server does the same at start when the
 * recorded format is older; running it beforehand (or again, after restoring
 * a backup) keeps that work out of the start. It may run while a server is
 * serving: each batch locks the resources it rewrites.
 */
import { loadConfig } from '../config/load-config.js';
import { r4Schema } from '../fhir/definitions/schema.js';
import { INDEX_FORMAT } from '../fhir/indexing/index-format.js';
import { ResourceIndexer } from '../fhir/indexing/resource-indexer.js';
import { publicBaseUrl } from '../platform/create-engine.js';
import { openStore } from '../storage/open-store.js';
import { reindexStore } from '../storage/reindex.js';
import type { CliCommand } from './command.js';
import { createProgress, type Progress } from './progress.js';

/** Failures listed in full; beyond, a count. */
const LISTED_FAILURES = 100;

export const reindexCommand: CliCommand = {
  name: 'reindex',
  usage: 'reindex',
  summary: 'rebuild the search index of every resource (the server does it at start when the indexing rules changed)',
  async run() {
    const config = loadConfig();
    const store = await openStore(config);
    try {
      const indexer = new ResourceIndexer(r4Schema(), { baseUrl: publicBaseUrl(config) });
      const failures: string[] = [];
      let progress: Progress | undefined;
      const report = await reindexStore(store, {
        format: INDEX_FORMAT,
        index: (resource) => indexer.indexStored(resource.content),
        onProgress: ({ done, total, failed }) => {
          if (total === 0) return;
          // The shared bar's "loaded" are the resources reindexed, "rejected" those that failed.
          progress ??= createProgress(total, 'resources');
          progress.update(done, { loaded: done - failed, rejected: failed });
        },
        onFailure: ({ resourceType, id, error }) => {
          // A JSON syntax error's message quotes the text: the reason only.
          const reason = error instanceof SyntaxError ? 'the stored JSON is not valid' : error instanceof Error ? error.message : String(error);
          failures.push(`failed ${resourceType}/${id}: ${reason}`);
        },
      });
      progress?.stop();
      for (const line of failures.slice(0, LISTED_FAILURES)) console.error(line);
      if (failures.length > LISTED_FAILURES) console.error(`… and ${failures.length - LISTED_FAILURES} more failures`);
      const seconds = (report.milliseconds / 1000).toFixed(1);
      console.log(`Reindexed ${report.resources - report.failed} resources (${report.failed} failed) in ${seconds} s; index format ${INDEX_FORMAT}.`);
      return report.failed > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
