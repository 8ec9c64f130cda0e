/**
 * `socle insi load <file.ndjson>`: loads reference identities into the
 * INSi-like register (src/identity/insi/), one fr-core-patient-ins Patient a
 * line. Each line is checked as an R4 Patient (the engine's validator), then
 * as a reference identity (a well-keyed INS and the five traits); good lines
 * are written in batches, bad ones are reported as "line N: reason" and the
 * command exits 1. The register is never a FHIR resource: nothing here goes
 * through the FHIR write path.
 */
import { constants, createReadStream, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { isFhirError, type Issue } from '../core/errors.js';
import { translate } from '../core/i18n/translate.js';
import { operationOutcome } from '../core/operation-outcome.js';
import type { InsiIdentity } from '../identity/insi/contract.js';
import { identityFromPatient, InsiRegister } from '../identity/insi/index.js';
import type { FhirEngine } from '../fhir/rest/engine.js';
import { Collection } from '../storage/collection.js';
import { withPlatform, type CliCommand } from './command.js';
import { createProgress } from './progress.js';

const BATCH = 1000;

interface LoadSummary {
  loaded: number;
  readonly rejections: string[];
}

/** Issues in English with their locations (the CLI speaks English, like the logs). */
function describe(issues: readonly Issue[]): string {
  const outcome = operationOutcome(issues, 'en') as { issue?: { diagnostics?: string; expression?: string[] }[] };
  return (outcome.issue ?? []).map((i) => `${i.diagnostics ?? ''}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ');
}

function reasonOf(error: unknown): string {
  return isFhirError(error) ? describe(error.issues) : (error as Error).message;
}

function readLine(engine: FhirEngine, line: string): InsiIdentity {
  let resource: unknown;
  try {
    resource = JSON.parse(line);
  } catch (error) {
    throw new Error(translate('body.invalid-json', { reason: (error as Error).message }, 'en'));
  }
  const validation = engine.deps.validate(resource, 'Patient');
  if (!validation.valid) throw new Error(describe(validation.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')));
  return identityFromPatient(resource);
}

/** Streams `file` into the register; returns the counts and the reasons of rejected lines. */
export async function loadRegisterFile(engine: FhirEngine, register: InsiRegister, file: string): Promise<LoadSummary> {
  const summary: LoadSummary = { loaded: 0, rejections: [] };
  const progress = createProgress(statSync(file).size, 'identities');
  const firstLine = new Map<string, number>();
  let batch: InsiIdentity[] = [];
  let bytes = 0;
  let lineNumber = 0;
  const flush = async (): Promise<void> => {
    await register.addMany(batch);
    summary.loaded += batch.length;
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    lineNumber += 1;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    try {
      const identity = readLine(engine, line);
      const earlier = firstLine.get(identity.ins);
      if (earlier !== undefined) throw new Error(translate('insi.reference-duplicate', { line: earlier }, 'en'));
      firstLine.set(identity.ins, lineNumber);
      batch.push(identity);
    } catch (error) {
      summary.rejections.push(`line ${lineNumber}: ${reasonOf(error)}`);
    }
    if (batch.length >= BATCH) await flush();
    if (lineNumber % 500 === 0) progress.update(bytes, { loaded: summary.loaded, rejected: summary.rejections.length });
  }
  await flush();
  progress.update(bytes, { loaded: summary.loaded, rejected: summary.rejections.length });
  progress.stop();
  return summary;
}

export const insiCommand: CliCommand = {
  name: 'insi',
  usage: 'insi load <file.ndjson>',
  summary: 'load reference identities (fr-core-patient-ins Patients, NDJSON) into the INSi-like register',
  async run([action, file]) {
    if (action !== 'load' || !file) {
      console.error('socle insi: usage is "socle insi load <file.ndjson>".');
      return 2;
    }
    try {
      await access(file, constants.R_OK);
    } catch (error) {
      console.error(`socle insi load: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
      return 2;
    }
    const started = Date.now();
    return withPlatform(async (platform) => {
      const { store, clock } = platform.engine.deps;
      const register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(store, name, clock, options));
      const summary = await loadRegisterFile(platform.engine, register, file);
      for (const rejection of summary.rejections.slice(0, 1000)) console.error(rejection);
      if (summary.rejections.length > 1000) console.error(`… and ${summary.rejections.length - 1000} more rejections`);
      const seconds = (Date.now() - started) / 1000;
      console.log(`Loaded ${summary.loaded}, rejected ${summary.rejections.length}, in ${seconds.toFixed(1)} s.`);
      return summary.rejections.length > 0 ? 1 : 0;
    });
  },
};
