/**
 * Loads a generated region through the platform itself: the register entries
 * into the INSi-like register first (identity-vigilance asks it when a Patient
 * claims an INS), then the directory and the patients through the FHIR engine
 * in transaction Bundles of PUTs (http://hl7.org/fhir/R4/http.html#transaction),
 * several in flight so that their commits are shared. PUT Type/id keeps the
 * generator's ids: a second run updates the same resources instead of
 * duplicating them. Every rejection is counted and reported, never hidden.
 */
import { isFhirError } from '../core/errors.js';
import { operationOutcome } from '../core/operation-outcome.js';
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { FhirResponse } from '../fhir/rest/types.js';
import type { InsiIdentity } from '../identity/insi/contract.js';
import { loadReferenceIdentities, type InsiRegister } from '../identity/insi/register.js';
import { identityProblem } from '../identity/insi/reference-identity.js';
import type { DemoRegion } from './generate-region.js';

type Json = Record<string, unknown>;

export interface Rejection {
  /** "Patient/<id>" or "register entry <n>": ids and positions only, never traits (they are personal data). */
  readonly where: string;
  readonly reason: string;
}

export interface DemoLoadReport {
  loaded: number;
  registered: number;
  readonly rejections: Rejection[];
}

export interface LoadOptions {
  readonly baseUrl: string;
  /** One line per phase. */
  readonly progress?: (message: string) => void;
  /** After each chunk: resources done out of the total. */
  readonly tick?: (done: number, total: number, report: DemoLoadReport) => void;
  /**
   * transaction (default): one unit, one connection per chunk; batch: every
   * entry its own unit, run concurrently — faster on SQLite, whose writes
   * share group commits, but on PostgreSQL each entry takes a pooled
   * connection, which the Patient hook's second read would exhaust.
   */
  readonly bundle?: 'batch' | 'transaction';
  /** Resources per Bundle (250). */
  readonly batchSize?: number;
  /**
   * Transactions in flight (4). Each holds one pooled PostgreSQL connection,
   * and a Patient write may need a second one (identity-vigilance reads the
   * INSi register outside the unit): keep it under half the pool.
   */
  readonly concurrency?: number;
}

function checkedIdentity(item: unknown): InsiIdentity {
  const problem = identityProblem(item as InsiIdentity);
  if (problem) throw problem;
  return item as InsiIdentity;
}

function responseText(response: FhirResponse): string {
  const body = response.body;
  if (body?.kind === 'text') return body.text;
  if (body?.kind === 'json') return JSON.stringify(body.value);
  return '{}';
}

function diagnostics(outcome: unknown, status: string): string {
  const issues = (outcome as { issue?: { diagnostics?: string; expression?: string[] }[] } | undefined)?.issue ?? [];
  const text = issues.map((i) => `${i.diagnostics ?? ''}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
  return text || status;
}

function put(engine: FhirEngine, baseUrl: string, resource: Json): Promise<FhirResponse> {
  const url = `${String(resource.resourceType)}/${String(resource.id)}`;
  return engine.handle({ method: 'PUT', path: url, query: [], headers: { prefer: 'return=minimal' }, body: resource, baseUrl, language: 'en' });
}

/**
 * Writes a chunk as one Bundle (LoadOptions.bundle). What failed — the whole
 * chunk of a refused transaction, or the refused entries of a batch — is
 * written again resource by resource, so that the good ones still load and
 * each bad one is named with its own reason.
 */
async function putChunk(engine: FhirEngine, baseUrl: string, resources: readonly Json[], report: DemoLoadReport, type: 'batch' | 'transaction'): Promise<void> {
  const entry = resources.map((resource) => ({
    resource,
    request: { method: 'PUT', url: `${String(resource.resourceType)}/${String(resource.id)}` },
  }));
  const response = await engine.handle({
    method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' },
    body: { resourceType: 'Bundle', type, entry }, baseUrl, language: 'en',
  });
  let failed = resources;
  if (response.status < 300 && type === 'transaction') failed = [];
  else if (response.status < 300) {
    const results = (JSON.parse(responseText(response)) as { entry?: { response?: { status?: string } }[] }).entry ?? [];
    failed = resources.filter((_, i) => !results[i]?.response?.status?.startsWith('2'));
  }
  report.loaded += resources.length - failed.length;
  for (const resource of failed) {
    const single = await put(engine, baseUrl, resource);
    if (single.status < 300) report.loaded += 1;
    else report.rejections.push({ where: `${String(resource.resourceType)}/${String(resource.id)}`, reason: diagnostics(JSON.parse(responseText(single)), `HTTP ${single.status}`) });
  }
}

/** Writes `resources` in batches, `concurrency` batches at a time, in order of the phases given. */
async function putAll(engine: FhirEngine, resources: readonly Json[], options: LoadOptions, report: DemoLoadReport, offset: number, total: number): Promise<void> {
  const size = options.batchSize ?? 250;
  const inFlight = new Set<Promise<void>>();
  let done = offset;
  for (let start = 0; start < resources.length; start += size) {
    const slice = resources.slice(start, start + size);
    const task = putChunk(engine, options.baseUrl, slice, report, options.bundle ?? 'transaction').then(() => {
      done += slice.length;
      options.tick?.(done, total, report);
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= (options.concurrency ?? 4)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

export async function loadDemoRegion(engine: FhirEngine, register: InsiRegister, region: DemoRegion, options: LoadOptions): Promise<DemoLoadReport> {
  const report: DemoLoadReport = { loaded: 0, registered: 0, rejections: [] };
  const progress = options.progress ?? (() => undefined);
  progress(`demo: ${region.register.length} INSi register entries`);
  const registered = await loadReferenceIdentities(register, region.register, checkedIdentity);
  report.registered = registered.loaded;
  for (const { index, error } of registered.rejections) {
    const reason = isFhirError(error) ? diagnostics(operationOutcome(error.issues, 'en'), 'invalid') : error.message;
    report.rejections.push({ where: `register entry ${index}`, reason });
  }
  // Organisations before the roles and patients that may point to them; legal entities come before their sites.
  const phases: [string, Json[]][] = [
    ['organisations', region.organizations],
    ['professionals', region.practitioners],
    ['practitioner roles', region.practitionerRoles],
    ['patients', region.patients],
  ];
  const total = phases.reduce((sum, [, resources]) => sum + resources.length, 0);
  let offset = 0;
  for (const [label, resources] of phases) {
    progress(`demo: ${resources.length} ${label}`);
    await putAll(engine, resources, options, report, offset, total);
    offset += resources.length;
  }
  return report;
}
