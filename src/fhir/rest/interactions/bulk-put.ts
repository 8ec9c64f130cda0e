/**
 * Bulk `PUT Type/id` for Socle's own loaders (the directory import): what one
 * transaction Bundle per unit would do (http://hl7.org/fhir/R4/http.html#update
 * inside http.html#transaction: a unit is written whole or not at all),
 * without building, parsing and answering Bundles.
 *
 * What does not depend on stored state (id, validation, indexing) runs first,
 * unit by unit, so that an invalid unit fails alone. The valid units are then
 * written in one store transaction: one commit, and on SQLite one savepoint,
 * for many units. Should that transaction fail (a write hook refuses a unit),
 * each unit is written again in its own, so that only the failing one is
 * refused. In-process only: there is no principal to check or audit; clients
 * go through the REST API.
 */
import { fail, isFhirError, type FhirError } from '../../../core/errors.js';
import { isValidId } from '../../../core/ids.js';
import type { WriteTransaction } from '../../../storage/contract.js';
import type { DataAccess, EngineDeps } from '../context.js';
import type { JsonResource } from '../resource-version.js';
import type { FhirRequest } from '../types.js';
import { validateOrThrow } from './common.js';
import { lockResource, pendingWrite, writeUpdate, type PendingWrite } from './write.js';

export type PutResult = 'created' | 'updated' | 'unchanged';

/** Per unit: what happened to each of its resources, in order, or why the unit was refused. */
export type UnitOutcome =
  | { readonly ok: true; readonly results: readonly PutResult[] }
  | { readonly ok: false; readonly error: FhirError };

interface PreparedPut {
  readonly request: FhirRequest;
  readonly type: string;
  readonly id: string;
  readonly pending: PendingWrite;
}

function preparePut(deps: EngineDeps, baseUrl: string, resource: JsonResource): PreparedPut {
  const type = String(resource.resourceType);
  const id = resource.id;
  if (typeof id !== 'string' || !isValidId(id)) throw fail('id.invalid', { id: String(id) });
  const request: FhirRequest = { method: 'PUT', path: `${type}/${id}`, query: [], headers: {}, body: resource, baseUrl, language: 'en' };
  deps.guard.require(request, 'u', type);
  validateOrThrow(deps, resource, type);
  return { request, type, id, pending: pendingWrite(deps, resource, baseUrl) };
}

/** The unit's resources ready to write, or the first problem found. */
function prepareUnit(deps: EngineDeps, baseUrl: string, unit: readonly JsonResource[]): PreparedPut[] | FhirError {
  try {
    return unit.map((resource) => preparePut(deps, baseUrl, resource));
  } catch (error) {
    if (isFhirError(error)) return error;
    throw error;
  }
}

async function writeUnit(deps: EngineDeps, tx: WriteTransaction, unit: readonly PreparedPut[]): Promise<PutResult[]> {
  const results: PutResult[] = [];
  for (const { request, type, id, pending } of unit) {
    await lockResource(tx, type, id);
    const current = await tx.readCurrent(type, id);
    await deps.guard.checkWrite(request, pending.resource);
    const { version, status } = await writeUpdate(deps, tx, request, pending, type, id, current, 'PUT');
    results.push(status === 201 ? 'created' : version === current ? 'unchanged' : 'updated');
  }
  return results;
}

/**
 * The resources of `units` locked at once, in one global order, before the
 * first is read (as a transaction Bundle does, bundle.ts): a Bundle or another
 * bulk PUT changing some of them in another order then waits instead of deadlocking.
 */
function lockUnits(tx: WriteTransaction, units: readonly (readonly PreparedPut[])[]): Promise<void> {
  return tx.lockResources(units.flatMap((unit) => unit.map(({ type, id }) => `${type}/${id}`)));
}

/** Writes each unit whole or not at all; the outcomes are in the order of `units`. */
export async function putUnits(
  deps: EngineDeps, access: DataAccess, baseUrl: string, units: readonly (readonly JsonResource[])[],
): Promise<UnitOutcome[]> {
  const outcomes: UnitOutcome[] = new Array<UnitOutcome>(units.length);
  const ready: { index: number; unit: PreparedPut[] }[] = [];
  units.forEach((unit, index) => {
    const prepared = prepareUnit(deps, baseUrl, unit);
    if (Array.isArray(prepared)) ready.push({ index, unit: prepared });
    else outcomes[index] = { ok: false, error: prepared };
  });
  if (ready.length === 0) return outcomes;
  try {
    const written = await access.write(async (tx) => {
      await lockUnits(tx, ready.map(({ unit }) => unit));
      const all: PutResult[][] = [];
      for (const { unit } of ready) all.push(await writeUnit(deps, tx, unit));
      return all;
    });
    ready.forEach(({ index }, i) => {
      outcomes[index] = { ok: true, results: written[i]! };
    });
    return outcomes;
  } catch (error) {
    if (!isFhirError(error)) throw error;
    if (ready.length === 1) {
      outcomes[ready[0]!.index] = { ok: false, error };
      return outcomes;
    }
  }
  // One unit spoiled the shared transaction: each on its own finds which.
  for (const { index, unit } of ready) {
    try {
      outcomes[index] = { ok: true, results: await access.write(async (tx) => {
        await lockUnits(tx, [unit]);
        return writeUnit(deps, tx, unit);
      }) };
    } catch (error) {
      if (!isFhirError(error)) throw error;
      outcomes[index] = { ok: false, error };
    }
  }
  return outcomes;
}
