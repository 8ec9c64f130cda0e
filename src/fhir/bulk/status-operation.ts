/**
 * The status URL of an export (https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request)
 * and its files (#file-request), served as two system operations so that
 * they go through the FHIR API like everything else: bearer token, CORS,
 * audit trail, OperationOutcome errors.
 *
 *   GET    [base]/$export-status?job=<id>   202 + X-Progress and Retry-After while it runs;
 *                                           200 + the manifest (application/json) once complete;
 *                                           the job's error (4xx/5xx OperationOutcome) if it failed
 *   DELETE [base]/$export-status?job=<id>   cancels the job and deletes its files: 202
 *   GET    [base]/$export-file?job=<id>&file=<name>   one NDJSON file, streamed
 *
 * Only the principal who started the job (same kind, subject, client and
 * issuer) or an operator sees it: anyone else gets 404, as for an unknown
 * job. The manifest says requiresAccessToken: true.
 */
import { createReadStream } from 'node:fs';
import { fail } from '../../core/errors.js';
import { translate } from '../../core/i18n/translate.js';
import { informationOutcome } from '../../core/operation-outcome.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirRequest, FhirResponse } from '../rest/types.js';
import type { BulkExports } from './bulk-exports.js';
import { percentDone, type ExportFile, type ExportJob } from './export-job.js';

/** How long a client should wait before polling again (Retry-After, seconds). */
const POLL_SECONDS = 5;

export function statusUrl(baseUrl: string, job: string): string {
  return `${baseUrl}/$export-status?job=${encodeURIComponent(job)}`;
}

function fileUrl(baseUrl: string, job: string, file: string): string {
  return `${baseUrl}/$export-file?job=${encodeURIComponent(job)}&file=${encodeURIComponent(file)}`;
}

async function* once(chunk: Buffer): AsyncIterable<Buffer> {
  yield chunk;
}

function parameter(request: FhirRequest, name: string): string {
  return request.query.find(([k]) => k === name)?.[1] ?? '';
}

/**
 * The job, if the caller started it (or is an operator) and the token still
 * covers what it exports: status and file requests "SHALL be protected the
 * same way the Bulk Data Kick-off Request, including an access token with
 * scopes that cover all resources being exported" (export.html#bulk-data-status-request).
 */
async function visibleJob(exports: BulkExports, context: OperationContext): Promise<ExportJob> {
  const { request, deps } = context;
  const job = await exports.find(parameter(request, 'job'), request.principal);
  if (!job) throw fail('bulk.job-not-found');
  for (const type of job.types) {
    deps.guard.require(request, 'r', type);
    deps.guard.require(request, 's', type);
  }
  return job;
}

/** The completion manifest (export.html#response---complete-status). */
export function manifest(job: ExportJob, baseUrl: string): Record<string, unknown> {
  const item = (file: ExportFile) => ({ type: file.type, url: fileUrl(baseUrl, job.id, file.name), count: file.count });
  return {
    transactionTime: new Date(job.transactionTime).toISOString(),
    request: job.request,
    requiresAccessToken: true,
    output: job.output.map(item),
    error: job.errors.map(item),
  };
}

async function status(exports: BulkExports, context: OperationContext): Promise<FhirResponse> {
  const { request } = context;
  const job = await visibleJob(exports, context);
  const interaction = 'operation:export-status';
  if (request.method === 'DELETE') {
    await exports.cancel(job.id);
    return { status: 202, headers: {}, interaction, body: { kind: 'json', value: informationOutcome('bulk.job-deleted', { job: job.id }, request.language) } };
  }
  if (job.status === 'failed') throw fail(job.failure ?? 'bulk.job-failed', { job: job.id });
  if (job.status === 'in-progress') {
    const progress = translate('bulk.progress', { percent: percentDone(job.progress), resources: job.progress.resources }, request.language);
    return { status: 202, headers: { 'x-progress': progress, 'retry-after': String(POLL_SECONDS) }, interaction };
  }
  const expires = (job.finishedAt ?? job.transactionTime) + exports.expiryMs;
  // The manifest is not a FHIR resource: plain application/json, as the IG says, sent as bytes.
  const text = JSON.stringify(manifest(job, request.baseUrl));
  return {
    status: 200, headers: { expires: new Date(expires).toUTCString() }, interaction,
    body: { kind: 'binary', contentType: 'application/json; charset=utf-8', stream: once(Buffer.from(text)) },
  };
}

async function file(exports: BulkExports, context: OperationContext): Promise<FhirResponse> {
  const { request } = context;
  const job = await visibleJob(exports, context);
  const path = job.status === 'completed' ? await exports.jobs.file(job, parameter(request, 'file')) : undefined;
  if (!path) throw fail('bulk.job-not-found');
  return { status: 200, headers: {}, interaction: 'operation:export-file', body: { kind: 'binary', contentType: 'application/fhir+ndjson', stream: createReadStream(path) } };
}

/**
 * Status and files: "read" for the guard (some search scope); ownership is checked here. Unlisted: clients
 * reach them through the kick-off's Content-Location and the manifest's URLs, and the IG defines no
 * operation for them.
 */
export function statusOperations(exports: BulkExports): FhirOperation[] {
  return [
    { name: 'export-status', system: true, unlisted: true, methods: ['GET', 'DELETE'], access: 'read', invoke: (context) => status(exports, context) },
    { name: 'export-file', system: true, unlisted: true, methods: ['GET'], access: 'read', invoke: (context) => file(exports, context) },
  ];
}
