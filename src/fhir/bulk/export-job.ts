/**
 * A Bulk Data export job as it is kept (https://hl7.org/fhir/uv/bulkdata/export.html):
 * what was asked, by whom, how far it got, and the files it wrote. Plain
 * data, stored as one document of the `bulk.jobs` collection so that a
 * restart, or another Socle process on the same PostgreSQL, knows of it.
 */
import type { Language } from '../../core/i18n/translate.js';
import type { Principal } from '../../core/principal.js';

export type ExportLevel = 'system' | 'patient' | 'group';

export type JobStatus = 'in-progress' | 'completed' | 'failed';

/** One NDJSON file of the export, in its folder. */
export interface ExportFile {
  /** The resource type of every line (OperationOutcome for the error files). */
  readonly type: string;
  /** File name in the job's folder; never a path. */
  readonly name: string;
  readonly count: number;
  readonly bytes: number;
}

/** What the client asked for, once checked at kick-off. */
export interface ExportRequest {
  readonly level: ExportLevel;
  /** Group/[id]/$export: the Group's id. */
  readonly group?: string;
  /** The types exported, in order. */
  readonly types: readonly string[];
  /** _since, as an ISO instant: resources updated strictly after it. */
  readonly since?: string;
  /** _typeFilter: per type, search queries (parameter pairs) combined with OR. */
  readonly typeFilters: Readonly<Record<string, readonly (readonly (readonly [string, string])[])[]>>;
  /** The patient parameter: Patient ids the export is limited to. */
  readonly patients?: readonly string[];
  /** Under Prefer: handling=lenient, the unknown parameters and the _type values left out (reported in the error file). */
  readonly ignoredParameters?: readonly string[];
  readonly ignoredTypes?: readonly string[];
}

export interface ExportJob extends ExportRequest {
  readonly id: string;
  readonly status: JobStatus;
  /** The kick-off URL (without the parameters of a POST body): the manifest's `request`. */
  readonly request: string;
  /** FHIR base the kick-off came through: the job's searches are made against it. */
  readonly baseUrl: string;
  /** Language of the error files. */
  readonly language: Language;
  /** Who started it: the job reads as them, and only they (or an operator) see it. Absent for Socle's own. */
  readonly owner?: Principal;
  readonly clientAddress?: string;
  /** Request id of the kick-off: the audit records of the job's reads carry it. */
  readonly requestId?: string;
  readonly createdAt: number;
  /** When reading began: the manifest's transactionTime. */
  readonly transactionTime: number;
  /** Last sign of life of the process running it (ms); a silent in-progress job was interrupted. */
  readonly heartbeat: number;
  readonly finishedAt?: number;
  readonly progress: JobProgress;
  readonly output: readonly ExportFile[];
  readonly errors: readonly ExportFile[];
  /** Why a failed job failed (a catalogue key, rendered in the reader's language). */
  readonly failure?: 'bulk.job-failed' | 'bulk.job-interrupted';
}

export interface JobProgress {
  /** Steps done and to do: resource types, or patients. */
  readonly done: number;
  readonly total: number;
  readonly resources: number;
}

/** Whether `principal` may see this job: the one who started it, or an operator. */
export function mayReadJob(job: ExportJob, principal: Principal | undefined): boolean {
  if (!principal) return job.owner === undefined;
  if (principal.kind === 'operator') return true;
  const owner = job.owner;
  return owner !== undefined && owner.kind === principal.kind && owner.subject === principal.subject
    && owner.clientId === principal.clientId && (owner.issuer ?? '') === (principal.issuer ?? '');
}

/** The progress as a percentage, below 100 until the job is done. */
export function percentDone(progress: JobProgress): number {
  if (progress.total === 0) return 0;
  return Math.min(99, Math.floor((progress.done * 100) / progress.total));
}
