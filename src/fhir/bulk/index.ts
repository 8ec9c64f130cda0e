/**
 * FHIR Bulk Data export (https://hl7.org/fhir/uv/bulkdata/export.html, v2.0.0):
 * the $export operations at system, Patient and Group level, the status URL
 * and the files, and the jobs behind them. Composed as a module (platform/
 * module.ts) because it has what a module has: operations, its own
 * collection (`bulk.jobs`), background work, and a close.
 */
import { join } from 'node:path';
import type { ModuleFactory } from '../../platform/module.js';
import { BulkExports } from './bulk-exports.js';
import type { ExportJob } from './export-job.js';
import { JobStore } from './job-store.js';
import { kickOffOperations } from './kickoff-operation.js';
import { statusOperations } from './status-operation.js';

export const bulkExportModule: ModuleFactory = (context) => {
  const { config } = context;
  const jobs = new JobStore(context.collection<ExportJob>('bulk.jobs'), join(config.dataDir, 'bulk'));
  const exports = new BulkExports({
    jobs, engine: context.engine, clock: context.clock, logger: context.logger,
    settings: { maxJobs: config.bulkMaxJobs, fileSize: config.bulkFileSize, expiryMs: config.bulkExpiry * 1000, pageSize: config.maxPageSize },
  });
  exports.start();
  return {
    name: 'bulk',
    operations: [...kickOffOperations(exports), ...statusOperations(exports)],
    close: () => exports.close(),
  };
};
