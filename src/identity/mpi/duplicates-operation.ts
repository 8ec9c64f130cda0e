/**
 * The identity-vigilance work list (RNIV: the identity-vigilance unit
 * reviews suspected duplicates and merges them or declares them distinct):
 * GET Patient/$duplicates lists pairs of active patients that may be one
 * person, best first, each with its score, grade and explanation; `grade`
 * sets the lowest grade listed (default possible), `_count` the number of
 * pairs (default 100). POST Patient/$not-duplicate with two `patient`
 * references records a reviewer's decision that they are two people: the
 * pair leaves the list. The list is computed when asked, from the records as
 * they are (duplicate-pairs.ts), rather than kept as Tasks that would go
 * stale as records change; merges leave it by themselves.
 */
import { fail } from '../../core/errors.js';
import { informationOutcome } from '../../core/operation-outcome.js';
import type { FhirOperation, OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import { MATCH_THRESHOLDS } from '../matching/score.js';
import { recordMpiAccess } from './audit.js';
import { readPatient, searchAll } from './engine-requests.js';
import { suspectedDuplicates } from './duplicate-pairs.js';
import { pairKey, type MpiStore } from './merge-log.js';
import { named, patientIdOf, postedParameters, queryValues, type Json } from './parameters.js';

/** Patients read for one computation of the list; beyond, the request is refused as too costly. */
export const MAX_SCANNED = 50_000;
const GRADES = ['certain', 'probable', 'possible'] as const;

function numberParameter(context: OperationContext, name: string, fallback: number, max: number): number {
  const raw = queryValues(context, name)[0];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw fail('mpi.parameter-invalid', { name, reason: 'a positive integer is expected' });
  return Math.min(Number(raw), max);
}

async function notDuplicateKeys(store: MpiStore): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let page = await store.notDuplicates.scan(undefined, 1000); page.length > 0; page = await store.notDuplicates.scan(page[page.length - 1]?.key, 1000)) {
    for (const entry of page) keys.add(entry.key);
  }
  return keys;
}

function listDuplicates(store: MpiStore): FhirOperation {
  return {
    name: 'duplicates',
    types: ['Patient'],
    methods: ['GET'],
    access: 'read',
    async invoke(context): Promise<FhirResponse> {
      const count = numberParameter(context, '_count', 100, 1000);
      const grade = queryValues(context, 'grade')[0] ?? 'possible';
      if (!(GRADES as readonly string[]).includes(grade)) throw fail('mpi.parameter-invalid', { name: 'grade', reason: 'certain, probable or possible expected' });
      const patients = await searchAll(context.dispatch, context.request, 'Patient', [['_count', '1000']], MAX_SCANNED + 1);
      if (patients.length > MAX_SCANNED) throw fail('mpi.duplicates.too-many', { count: `> ${MAX_SCANNED}`, limit: MAX_SCANNED });
      const lowest = MATCH_THRESHOLDS[grade as (typeof GRADES)[number]];
      const pairs = suspectedDuplicates(patients, await notDuplicateKeys(store), context.request.baseUrl).filter((p) => p.score >= lowest);
      const shown = pairs.slice(0, count);
      recordMpiAccess(context, 'E', 'operation:duplicates', shown.flatMap((p) => [String(p.first.id), String(p.second.id)]));
      const parameter: Json[] = [{ name: 'total', valueInteger: pairs.length }];
      for (const pair of shown) {
        parameter.push({
          name: 'pair',
          part: [
            { name: 'patient', valueReference: { reference: `Patient/${String(pair.first.id)}` } },
            { name: 'patient', valueReference: { reference: `Patient/${String(pair.second.id)}` } },
            { name: 'score', valueDecimal: pair.score },
            { name: 'grade', valueCode: pair.grade },
            { name: 'explanation', valueString: pair.explanation.map((e) => `${e.trait}:${e.reason}=${e.similarity}`).join(' ') },
          ],
        });
      }
      return { status: 200, headers: {}, body: { kind: 'json', value: { resourceType: 'Parameters', parameter } }, interaction: 'operation:duplicates' };
    },
  };
}

function markNotDuplicate(store: MpiStore): FhirOperation {
  return {
    name: 'not-duplicate',
    types: ['Patient'],
    methods: ['POST'],
    access: 'write',
    async invoke(context): Promise<FhirResponse> {
      const ids = named(postedParameters(context), 'patient').map((p) => patientIdOf((p.part.valueReference as Json | undefined)?.reference, context.request.baseUrl));
      if (ids.length !== 2 || ids.some((id) => id === undefined)) throw fail('mpi.parameter-invalid', { name: 'patient', reason: 'two references to Patients of this server expected' });
      const [a, b] = ids as [string, string];
      if (a === b) throw fail('mpi.merge.same-patient');
      for (const [id, role] of [[a, 'source'], [b, 'target']] as const) {
        if (!(await readPatient(context.dispatch, context.request, id))) throw fail('mpi.merge.patient-not-found', { role });
      }
      await context.access.write((tx) => store.notDuplicates.put(pairKey(a, b), {
        patients: a < b ? [a, b] : [b, a],
        markedAt: context.deps.clock.now(),
        ...(context.request.principal ? { by: context.request.principal.subject } : {}),
      }, tx));
      recordMpiAccess(context, 'U', 'operation:not-duplicate', [a, b]);
      const outcome = informationOutcome('mpi.not-duplicate.outcome', { first: a, second: b }, context.request.language);
      return { status: 200, headers: {}, body: { kind: 'json', value: outcome }, interaction: 'operation:not-duplicate' };
    },
  };
}

export function duplicatesOperations(store: MpiStore): FhirOperation[] {
  return [listDuplicates(store), markNotDuplicate(store)];
}
