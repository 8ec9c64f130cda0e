/**
 * `socle import <file.ndjson|bundle.json>`: loads FHIR resources through the
 * engine itself (same validation, indexing and transactions as the API).
 * NDJSON (one resource a line, as FHIR Bulk Data exports write it) and Bundles
 * of type collection, searchset or document are loaded resource by resource:
 * with an id, by update (the id is kept so references between files hold),
 * without, by create. A batch or transaction Bundle is submitted as it is.
 * Every write is Socle's own (SYSTEM_PRINCIPAL): checked by the access guard
 * and recorded in the audit trail like any client's, so that a patient can
 * read that their data were imported.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { translate } from '../core/i18n/translate.js';
import { SYSTEM_PRINCIPAL, type Principal } from '../core/principal.js';
import type { FhirEngine } from '../fhir/rest/engine.js';
import type { FhirRequest, FhirResponse } from '../fhir/rest/types.js';
import { createProgress } from './progress.js';
import { parseJson } from '../core/json/decimal-json.js';

export interface ImportReport {
  loaded: number;
  rejected: number;
  readonly rejections: { readonly where: string; readonly reason: string }[];
}

/** Writes in flight at once: enough to fill group commits, bounded for memory. */
const CONCURRENCY = 256;

function reasonOf(response: FhirResponse): string {
  const body = response.body;
  if (body?.kind === 'json') {
    const issues = (body.value as { issue?: { diagnostics?: string; expression?: string[] }[] }).issue ?? [];
    return issues.map((i) => `${i.diagnostics ?? ''}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
  }
  return `HTTP ${response.status}`;
}

function writeRequest(resource: unknown, baseUrl: string, principal: Principal | undefined): FhirRequest {
  const r = resource as { resourceType?: unknown; id?: unknown };
  const type = typeof r.resourceType === 'string' ? r.resourceType : 'Unknown';
  const hasId = typeof r.id === 'string' && r.id !== '';
  return {
    method: hasId ? 'PUT' : 'POST',
    path: hasId ? `${type}/${r.id as string}` : type,
    query: [],
    headers: { prefer: 'return=minimal' },
    body: resource,
    baseUrl,
    language: 'en',
    ...(principal ? { principal } : {}),
  };
}

class Loader {
  readonly report: ImportReport = { loaded: 0, rejected: 0, rejections: [] };
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly engine: FhirEngine, private readonly baseUrl: string, readonly principal: Principal | undefined) {}

  reject(where: string, reason: string): void {
    this.report.rejected += 1;
    this.report.rejections.push({ where, reason });
  }

  async submit(resource: unknown, where: string): Promise<void> {
    const candidate = resource as { resourceType?: unknown } | null;
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate) || typeof candidate.resourceType !== 'string') {
      this.reject(where, translate('body.not-a-resource', {}, 'en'));
      return;
    }
    const task = this.engine.handle(writeRequest(resource, this.baseUrl, this.principal)).then(
      (response) => {
        if (response.status < 300) this.report.loaded += 1;
        else this.reject(where, reasonOf(response));
      },
      (error: unknown) => this.reject(where, (error as Error).message),
    );
    const tracked = task.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    if (this.inFlight.size >= CONCURRENCY) await Promise.race(this.inFlight);
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

async function importNdjson(file: string, loader: Loader): Promise<void> {
  const total = statSync(file).size;
  const progress = createProgress(total, 'resources');
  const stream = createReadStream(file, { encoding: 'utf8' });
  let bytes = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNumber += 1;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    let resource: unknown;
    try {
      resource = parseJson(line);
    } catch (error) {
      loader.reject(`line ${lineNumber}`, translate('body.invalid-json', { reason: (error as Error).message }, 'en'));
      continue;
    }
    await loader.submit(resource, `line ${lineNumber}`);
    if (lineNumber % 500 === 0) progress.update(bytes, { loaded: loader.report.loaded, rejected: loader.report.rejected });
  }
  await loader.drain();
  progress.update(total, { loaded: loader.report.loaded, rejected: loader.report.rejected });
  progress.stop();
}

async function importBundle(file: string, engine: FhirEngine, loader: Loader, baseUrl: string): Promise<void> {
  let bundle: { resourceType?: unknown; type?: unknown; entry?: { resource?: unknown }[] };
  try {
    bundle = parseJson(await readFile(file, 'utf8')) as typeof bundle;
  } catch (error) {
    loader.reject(file, translate('body.invalid-json', { reason: (error as Error).message }, 'en'));
    return;
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  if (bundle.resourceType === 'Bundle' && (bundle.type === 'transaction' || bundle.type === 'batch')) {
    // The Bundle goes to the engine whole (a transaction is all or nothing): the bar moves when it is done.
    const progress = createProgress(entries.length, 'resources');
    const response = await engine.handle({ method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, body: bundle, baseUrl, language: 'en', ...(loader.principal ? { principal: loader.principal } : {}) });
    if (response.status >= 300) {
      loader.reject(file, reasonOf(response));
      progress.update(entries.length, { loaded: loader.report.loaded, rejected: loader.report.rejected });
      progress.stop();
      return;
    }
    const text = response.body?.kind === 'text' ? response.body.text : '{}';
    const results = (JSON.parse(text) as { entry?: { response?: { status?: string; outcome?: unknown } }[] }).entry ?? [];
    results.forEach((entry, index) => {
      if (entry.response?.status?.startsWith('2')) loader.report.loaded += 1;
      else loader.reject(`entry ${index}`, reasonOf({ status: 400, headers: {}, interaction: 'batch', body: { kind: 'json', value: entry.response?.outcome ?? {} } }));
    });
    progress.update(entries.length, { loaded: loader.report.loaded, rejected: loader.report.rejected });
    progress.stop();
    return;
  }
  if (bundle.resourceType !== 'Bundle') {
    await loader.submit(bundle, file);
    await loader.drain();
    return;
  }
  const progress = createProgress(entries.length, 'resources');
  for (const [index, entry] of entries.entries()) {
    await loader.submit(entry.resource, `entry ${index}`);
    if (index % 500 === 0) progress.update(index, { loaded: loader.report.loaded, rejected: loader.report.rejected });
  }
  await loader.drain();
  progress.update(entries.length, { loaded: loader.report.loaded, rejected: loader.report.rejected });
  progress.stop();
}

export interface ImportFileOptions {
  /**
   * Whose writes these are: Socle's own by default (checked and audited as a
   * client's); null for none, the engine's bare pace (the benchmark's reference).
   */
  readonly principal?: Principal | null;
}

export async function importFile(engine: FhirEngine, file: string, baseUrl: string, options: ImportFileOptions = {}): Promise<ImportReport> {
  const loader = new Loader(engine, baseUrl, options.principal === null ? undefined : (options.principal ?? SYSTEM_PRINCIPAL));
  if (/\.ndjson$|\.jsonl$/i.test(file)) await importNdjson(file, loader);
  else await importBundle(file, engine, loader, baseUrl);
  return loader.report;
}
