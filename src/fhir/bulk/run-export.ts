/**
 * What an export job reads, and in which order (https://hl7.org/fhir/uv/bulkdata/export.html):
 *
 * - **by type** (system level, and Patient/$export of all patients): one
 *   search per type (`Observation?_count=…&_lastUpdated=gt<_since>`, one per
 *   _typeFilter, their results merged), every resource read once. At patient
 *   level a resource outside every Patient compartment is left out.
 * - **by patient** (Group/[id]/$export, and the patient parameter): for each
 *   patient, the compartment search `Patient/[id]/*` with `_type`, and
 *   `Patient/[id]/[type]?<filter>` for filtered types. A resource in several
 *   of the patients' compartments is written once, with the first of them in
 *   id order.
 *
 * - **Provenance**: at patient and group level, a Provenance whose target is
 *   a resource of an exported compartment is exported too, even when the
 *   Provenance itself is in no compartment (export.html, the note after the
 *   parameters: the server "SHALL include all available Provenance resources
 *   whose Provenance.target is a resource in the Patient compartment").
 *
 * Every search is the requester's own (search-pages.ts). A search the engine
 * refuses or cannot run becomes an OperationOutcome line of the error file,
 * and the export goes on; anything else fails the job.
 */
import { isFhirError, type Issue } from '../../core/errors.js';
import { stringifyJson, parseJson } from '../../core/json/decimal-json.js';
import { operationOutcome } from '../../core/operation-outcome.js';
import { storeAccess } from '../rest/context.js';
import type { FhirEngine } from '../rest/engine.js';
import { AbsoluteAttachments } from './absolute-attachments.js';
import type { ExportJob, JobProgress } from './export-job.js';
import { groupMembers } from './group-members.js';
import type { NdjsonFiles } from './ndjson-files.js';
import { jobRequest, searchPages, type JsonResource } from './search-pages.js';

type Query = readonly (readonly [string, string])[];

export interface ExportRun {
  readonly engine: FhirEngine;
  readonly job: ExportJob;
  readonly output: NdjsonFiles;
  readonly errors: NdjsonFiles;
  /** Resources per search page (SOCLE_MAX_COUNT). */
  readonly pageSize: number;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: JobProgress) => void;
}

export async function runExport(run: ExportRun): Promise<void> {
  const { job } = run;
  // export.html: under handling=lenient, the server "SHOULD include a FHIR OperationOutcome resource for each of these parameters".
  for (const name of job.ignoredParameters ?? []) {
    await writeError(run, [{ severity: 'warning', type: 'not-supported', message: 'bulk.parameter-ignored', params: { name } }]);
  }
  for (const type of job.ignoredTypes ?? []) {
    await writeError(run, [{ severity: 'warning', type: 'not-supported', message: 'bulk.type-ignored', params: { type } }]);
  }
  if (job.level === 'group') {
    const patients = await groupPatients(run);
    if (patients) await byPatient(run, patients);
  } else if (job.patients) {
    await byPatient(run, job.patients);
  } else {
    await byType(run, job.level === 'patient');
  }
}

const attachmentRewriters = new WeakMap<ExportRun, AbsoluteAttachments>();

/** A resource as a line of an output file, its Attachment URLs made absolute (absolute-attachments.ts). */
function lineOf(run: ExportRun, resource: JsonResource): string {
  let rewriter = attachmentRewriters.get(run);
  if (!rewriter) attachmentRewriters.set(run, (rewriter = new AbsoluteAttachments(run.engine.deps.schema, run.job.baseUrl)));
  rewriter.apply(resource);
  return stringifyJson(resource);
}

/** What every search of the job adds: the page size and _since. */
function commonQuery(run: ExportRun): [string, string][] {
  return [['_count', String(run.pageSize)], ...(run.job.since ? [['_lastUpdated', `gt${run.job.since}`] as [string, string]] : [])];
}

async function writeError(run: ExportRun, issues: readonly Issue[]): Promise<void> {
  await run.errors.append('OperationOutcome', [JSON.stringify(operationOutcome(issues, run.job.language))]);
}

/** Runs `onPage` on every page of a search; a FhirError goes to the error file. */
async function eachPage(run: ExportRun, path: string, query: Query, onPage: (page: JsonResource[]) => Promise<void>): Promise<void> {
  try {
    for await (const page of searchPages(run.engine, run.job, path, query, run.signal)) await onPage(page);
  } catch (error) {
    if (!isFhirError(error)) throw error;
    const text = `${path}?${query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    await writeError(run, [{ severity: 'error', type: 'processing', message: 'bulk.part-failed', params: { query: text } }, ...error.issues]);
  }
}

/** Keeps a resource the first time its id is seen (several _typeFilter searches of one type are an OR). */
function firstTime(seen: Set<string> | undefined, resource: JsonResource): boolean {
  if (!seen) return true;
  if (seen.has(resource.id)) return false;
  seen.add(resource.id);
  return true;
}

/** Target references of a Provenance, as Type/id on the job's base (others are not this server's). */
function provenanceTargets(provenance: JsonResource, baseUrl: string): string[] {
  const targets = Array.isArray(provenance.target) ? (provenance.target as { reference?: unknown }[]) : [];
  return targets
    .map((t) => (typeof t?.reference === 'string' ? t.reference : ''))
    .map((r) => (r.startsWith(`${baseUrl}/`) ? r.slice(baseUrl.length + 1) : r).replace(/\/_history\/[^/]+$/, ''))
    .filter((r) => /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(r));
}

/** Whether one of a Provenance's targets is in a Patient compartment (each target read as the requester). */
async function targetsACompartment(run: ExportRun, provenance: JsonResource): Promise<boolean> {
  const { engine, job } = run;
  for (const target of provenanceTargets(provenance, job.baseUrl)) {
    const type = target.slice(0, target.indexOf('/'));
    if (type === 'Patient') return true;
    if (!engine.deps.compartment.holds(type)) continue;
    try {
      const response = await engine.dispatch(jobRequest(job, target, []), storeAccess(engine.deps.store));
      if (response.status !== 200 || response.body?.kind !== 'text') continue;
      const resource = parseJson(response.body.text) as JsonResource;
      if (engine.deps.compartment.patientsOfResource(resource).length > 0) return true;
    } catch (error) {
      if (!isFhirError(error)) throw error;
    }
  }
  return false;
}

async function byType(run: ExportRun, compartmentOnly: boolean): Promise<void> {
  const { job, engine } = run;
  let resources = 0;
  const inCompartment = async (r: JsonResource): Promise<boolean> => engine.deps.compartment.patientsOfResource(r).length > 0
    || (r.resourceType === 'Provenance' && (await targetsACompartment(run, r)));
  for (const [index, type] of job.types.entries()) {
    run.onProgress({ done: index, total: job.types.length, resources });
    const filters = job.typeFilters[type] ?? [[]];
    const seen = filters.length > 1 ? new Set<string>() : undefined;
    for (const filter of filters) {
      await eachPage(run, type, [...filter, ...commonQuery(run)], async (page) => {
        const kept: JsonResource[] = [];
        for (const r of page) {
          if (r.resourceType === type && (!compartmentOnly || (await inCompartment(r))) && firstTime(seen, r)) kept.push(r);
        }
        await run.output.append(type, kept.map((r) => lineOf(run, r)));
        resources += kept.length;
        run.onProgress({ done: index, total: job.types.length, resources });
      });
    }
  }
}

/** The patients whose compartment holds the resource, for the "first patient" rule. */
function patientsOf(engine: FhirEngine, resource: JsonResource): readonly string[] {
  return resource.resourceType === 'Patient' ? [resource.id] : engine.deps.compartment.patientsOfResource(resource);
}

/** Targets per Provenance search: a few dozen references keep its URL short. */
const TARGETS_PER_SEARCH = 40;

async function byPatient(run: ExportRun, patients: readonly string[]): Promise<void> {
  const { job, engine } = run;
  const members = new Set(patients);
  const ordered = [...members].sort();
  const unfiltered = job.types.filter((t) => job.typeFilters[t] === undefined);
  const filtered = job.types.filter((t) => job.typeFilters[t] !== undefined);
  const withProvenance = job.types.includes('Provenance');
  // Provenance written so far, across patients: one about several patients' resources is written once.
  const provenanceWritten = new Set<string>();
  let resources = 0;
  for (const [index, patient] of ordered.entries()) {
    run.onProgress({ done: index, total: ordered.length, resources });
    let seenPatient = false;
    const written: string[] = [];
    const write = async (page: JsonResource[], keep: (r: JsonResource) => boolean, provenancePass = false): Promise<void> => {
      const byType = new Map<string, string[]>();
      for (const resource of page) {
        if (resource.resourceType === 'Provenance' && provenanceWritten.has(resource.id)) continue;
        // Written with the first of the export's patients whose compartment holds it.
        const owner = provenancePass ? patient : patientsOf(engine, resource).filter((p) => members.has(p)).sort()[0];
        if (owner !== patient || !job.types.includes(resource.resourceType) || !keep(resource)) continue;
        if (resource.resourceType === 'Provenance') provenanceWritten.add(resource.id);
        else written.push(`${resource.resourceType}/${resource.id}`);
        let lines = byType.get(resource.resourceType);
        if (!lines) byType.set(resource.resourceType, (lines = []));
        lines.push(lineOf(run, resource));
      }
      for (const [type, lines] of byType) await run.output.append(type, lines);
      for (const lines of byType.values()) resources += lines.length;
      run.onProgress({ done: index, total: ordered.length, resources });
    };
    if (unfiltered.length > 0) {
      await eachPage(run, `Patient/${patient}/*`, [['_type', unfiltered.join(',')], ...commonQuery(run)], async (page) => {
        seenPatient ||= page.some((r) => r.resourceType === 'Patient' && r.id === patient);
        await write(page, () => true);
      });
    }
    for (const type of filtered) {
      const filters = job.typeFilters[type] ?? [];
      const seen = filters.length > 1 ? new Set<string>() : undefined;
      for (const filter of filters) {
        await eachPage(run, `Patient/${patient}/${type}`, [...filter, ...commonQuery(run)], (page) => write(page, (r) => firstTime(seen, r)));
      }
    }
    if (withProvenance) await provenancePass(run, written, (page, keep) => write(page, keep, true));
    // The Patient itself comes back unless it is absent or hidden (or unchanged since _since).
    if (!seenPatient && unfiltered.includes('Patient') && !job.since) {
      await writeError(run, [{ severity: 'warning', type: 'not-found', message: 'bulk.patient-missing', params: { reference: `Patient/${patient}` } }]);
    }
  }
}

/** The Provenance whose target is one of `written` (with Provenance's _typeFilter searches, if any). */
async function provenancePass(
  run: ExportRun, written: readonly string[], write: (page: JsonResource[], keep: (r: JsonResource) => boolean) => Promise<void>,
): Promise<void> {
  const filters = run.job.typeFilters.Provenance ?? [[]];
  const seen = filters.length > 1 ? new Set<string>() : undefined;
  for (let start = 0; start < written.length; start += TARGETS_PER_SEARCH) {
    const targets = written.slice(start, start + TARGETS_PER_SEARCH).join(',');
    for (const filter of filters) {
      await eachPage(run, 'Provenance', [...filter, ['target', targets], ...commonQuery(run)], (page) => write(page, (r) => firstTime(seen, r)));
    }
  }
}

/** The Group's Patient members (and the patient parameter's among them), read as the requester. */
async function groupPatients(run: ExportRun): Promise<readonly string[] | undefined> {
  const { job, engine } = run;
  let group: unknown;
  try {
    const response = await engine.dispatch(jobRequest(job, `Group/${job.group}`, []), storeAccess(engine.deps.store));
    group = response.body?.kind === 'text' ? parseJson(response.body.text) : response.body?.kind === 'json' ? response.body.value : {};
  } catch (error) {
    if (!isFhirError(error)) throw error;
    await writeError(run, [{ severity: 'error', type: 'processing', message: 'bulk.part-failed', params: { query: `Group/${job.group}` } }, ...error.issues]);
    return undefined;
  }
  // Membership as at the export's transactionTime.
  const members = groupMembers(group, job.baseUrl, job.transactionTime);
  for (const reference of members.others) {
    await writeError(run, [{ severity: 'warning', type: 'not-supported', message: 'bulk.member-not-patient', params: { reference } }]);
  }
  const asked = job.patients ? new Set(job.patients) : undefined;
  return asked ? members.patients.filter((p) => asked.has(p)) : members.patients;
}
