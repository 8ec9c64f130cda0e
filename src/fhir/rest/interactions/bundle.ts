/**
 * batch and transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction).
 * A transaction is one storage unit: all entries commit together or none does.
 * Its entries run in the order the specification sets (http.html#trules:
 * "1. Process any DELETE interactions 2. Process any POST interactions
 * 3. Process any PUT or PATCH interactions 4. Process any GET or HEAD
 * interactions 5. Resolve any conditional references"), each step on the state
 * the previous ones left, so that "the outcome of processing the transaction
 * SHALL NOT depend on the order of the resources". Batch entries are
 * independent units, run in the same order (http.html#brules).
 */
import { fail, FhirError, isFhirError, type Issue } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { cloneJson } from '../../../core/json/decimal-json.js';
import type { WriteTransaction } from '../../../storage/contract.js';
import { schemaIndex, type SchemaIndex } from '../../validation/element-index.js';
import type { EngineDeps } from '../context.js';
import { storeAccess, transactionAccess, type DataAccess } from '../context.js';
import type { FhirMethod, FhirRequest, FhirResponse } from '../types.js';
import {
  bundleEntries, bundleText, failedEntry, ORDER, parseEntry, responseEntry, typeOf, withoutBodyForHead, type EntryRequest,
} from './bundle-entry.js';
import {
  conditionalReferenceOf, dependencyOf, linkTarget, replaceConditionalReferences, replaceEntryLinks, unresolvedConditional, visibleMatches,
} from './bundle-references.js';
import { conditionalKey, findMatches } from './common.js';
import { idFreeForConditionalUpdate, type WriteOptions } from './write.js';

/** Bundle invariants that judge one entry at a time (bundle.html#invs): in a batch, that entry alone fails. */
const ENTRY_INVARIANTS = new Set(['bdl-2', 'bdl-3', 'bdl-4', 'bdl-5', 'bdl-8']);

/**
 * Sorts the validation issues of a posted Bundle: those about the Bundle itself,
 * and (for a batch) those about one entry's envelope, by entry index. Issues
 * inside entry.resource are left to the entry's own interaction.
 */
export function splitBundleIssues(issues: readonly Issue[], perEntry: boolean): { own: Issue[]; byEntry: Map<number, Issue[]> } {
  const own: Issue[] = [];
  const byEntry = new Map<number, Issue[]>();
  for (const issue of issues) {
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    const expression = issue.expression ?? [];
    // An entry's resource is validated by its own interaction; its nesting depth only now, before it is copied.
    if (issue.message !== 'validation.too-deep' && expression.some((e) => /^Bundle\.entry\[\d+\]\.resource\b/.test(e))) continue;
    if (!perEntry) {
      own.push(issue);
      continue;
    }
    const index = expression.map((e) => /^Bundle\.entry\[(\d+)\]/.exec(e)?.[1]).find((i) => i !== undefined);
    if (index !== undefined) byEntry.set(Number(index), [...(byEntry.get(Number(index)) ?? []), issue]);
    else if (!ENTRY_INVARIANTS.has(String(issue.params?.key))) own.push(issue);
  }
  return { own, byEntry };
}

export type Dispatch = (request: FhirRequest, access: DataAccess, options?: WriteOptions) => Promise<FhirResponse>;

function methodIs(...methods: FhirMethod[]): (entry: EntryRequest) => boolean {
  return (entry) => methods.includes(entry.request.method);
}

function isTypeCreate(deps: EngineDeps, entry: EntryRequest): boolean {
  const { method, path } = entry.request;
  return method === 'POST' && !path.includes('/') && deps.schema.isResourceType(path);
}

/** "A resource can only appear in a transaction once (by identity)" (http.html#trules). */
function checkTargets(entries: readonly EntryRequest[]): void {
  const targets = new Set<string>();
  for (const entry of entries) {
    if (entry.target === undefined) continue;
    if (targets.has(entry.target)) throw fail('bundle.same-resource-twice', { target: entry.target });
    targets.add(entry.target);
  }
}

/** The criteria of a conditional update, patch or delete (`PUT Type?criteria`), undefined for any other entry. */
function changeCriteria(entry: EntryRequest): string | undefined {
  const { method, path, query } = entry.request;
  if ((method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') || path.includes('/') || query.length === 0) return undefined;
  return query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/**
 * The keys of the criteria locks the transaction's conditional entries need
 * (If-None-Exist creates, conditional updates, patches and deletes): the locks
 * that serialise conditional writes on the same criteria. transaction() takes
 * them all before any lookup, in one order, rather than entry by entry in the
 * Bundle's order, which two Bundles with the same criteria in opposite orders
 * would cross (a deadlock on PostgreSQL).
 */
function criteriaLockKeys(deps: EngineDeps, entries: readonly EntryRequest[]): string[] {
  return entries.flatMap((entry) => {
    const ifNoneExist = entry.request.headers.ifNoneExist;
    if (ifNoneExist !== undefined && isTypeCreate(deps, entry)) return [conditionalKey(entry.request.path, ifNoneExist)];
    const criteria = changeCriteria(entry);
    return criteria !== undefined ? [conditionalKey(typeOf(entry.request.path), criteria)] : [];
  });
}

/**
 * The identities that do not depend on the transaction's own writes, settled
 * on the state it starts from: new ids for plain creates, the resources that
 * updates, patches and deletes name, directly or by their criteria
 * ("resolved identities from conditional update/delete" overlap with nothing
 * else in steps 1-3). The criteria are locked already (criteriaLockKeys).
 */
async function settleTargets(deps: EngineDeps, tx: WriteTransaction, entries: readonly EntryRequest[]): Promise<void> {
  const fullUrls = new Set<string>();
  for (const entry of entries) {
    if (entry.fullUrl !== undefined) {
      if (fullUrls.has(entry.fullUrl)) throw fail('bundle.duplicate-fullurl', { fullUrl: entry.fullUrl });
      fullUrls.add(entry.fullUrl);
    }
    const { method, path, baseUrl } = entry.request;
    const type = typeOf(path);
    const criteria = changeCriteria(entry);
    if (isTypeCreate(deps, entry) && entry.request.headers.ifNoneExist === undefined) {
      const id = newId();
      entry.options = { assignedId: id, conditionResolved: true };
      entry.target = `${type}/${id}`;
    } else if (criteria !== undefined) {
      const matches = await findMatches(deps, tx, type, criteria, baseUrl);
      if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length }, { expression: [`Bundle.entry[${entry.index}]`] });
      const bodyId = (entry.request.body as { id?: unknown } | undefined)?.id;
      const id = matches[0]?.id ?? (typeof bodyId === 'string' ? bodyId : method === 'PUT' ? newId() : undefined);
      if (id === undefined) continue;
      if (matches.length === 0 && method === 'PUT' && typeof bodyId === 'string') {
        try {
          await idFreeForConditionalUpdate(tx, type, bodyId);
        } catch (error) {
          if (isFhirError(error)) throw fail('conditional.id-exists', { type, id: bodyId }, { expression: [`Bundle.entry[${entry.index}]`] });
          throw error;
        }
      }
      entry.target = `${type}/${id}`;
      if (method === 'PUT') entry.options = { assignedId: id, conditionResolved: true };
    } else if ((method === 'PUT' || method === 'PATCH' || method === 'DELETE') && path.split('/').length === 2) {
      entry.target = path;
    }
  }
}

/**
 * Conditional creates (If-None-Exist), judged at step 2 on the state the
 * deletions of step 1 left: a resource this transaction deletes no longer
 * matches, so the entry creates a new one, as the processing order has it. A
 * match is answered by the entry (200, once create() has checked that the
 * caller may know it) and is the identity the entry's fullUrl stands for.
 * Their criteria are locked already (criteriaLockKeys).
 */
async function settleCreates(deps: EngineDeps, tx: WriteTransaction, entries: readonly EntryRequest[]): Promise<void> {
  for (const entry of entries) {
    const criteria = entry.request.headers.ifNoneExist;
    if (criteria === undefined || !isTypeCreate(deps, entry)) continue;
    const type = entry.request.path;
    const matches = await findMatches(deps, tx, type, criteria, entry.request.baseUrl);
    if (matches.length > 1) throw fail('conditional.multiple-matches', { criteria, count: matches.length }, { expression: [`Bundle.entry[${entry.index}]`] });
    const [match] = matches;
    const id = match?.id ?? newId();
    entry.options = match ? { found: match, conditionResolved: true } : { assignedId: id, conditionResolved: true };
    entry.target = `${type}/${id}`;
  }
}

type RunEntry = (entry: EntryRequest) => Promise<FhirResponse>;

/** An issue of an entry's resource located in the Bundle the client sent: Patient.gender → Bundle.entry[2].resource.gender. */
function locatedInEntry(issue: Issue, index: number, type: string): Issue {
  if (!issue.expression) return issue;
  const expression = issue.expression.map((e) => (e === type || e.startsWith(`${type}.`) ? `Bundle.entry[${index}].resource${e.slice(type.length)}` : e));
  return { ...issue, expression };
}

/** One entry through the engine (checked and audited as the caller's own request); its failure fails the transaction. */
function entryRunner(dispatch: Dispatch, access: DataAccess): RunEntry {
  return async (entry) => {
    try {
      const response = await dispatch(entry.request, access, entry.options);
      if (response.status >= 400) throw fail('bundle.entry-failed', { index: entry.index });
      return withoutBodyForHead(entry, response);
    } catch (error) {
      if (!isFhirError(error)) throw error;
      const type = (entry.request.body as { resourceType?: unknown } | undefined)?.resourceType;
      throw new FhirError(error.status, [
        { severity: 'error', type: 'processing', message: 'bundle.entry-failed', params: { index: entry.index }, expression: [`Bundle.entry[${entry.index}]`] },
        ...error.issues.map((issue) => (typeof type === 'string' ? locatedInEntry(issue, entry.index, type) : issue)),
      ]);
    }
  };
}

/**
 * Steps 2 and 3, and step 5 for the entries whose resources hold conditional
 * references: those are written once their references can be resolved on the
 * state the other writes left, in rounds (a reference may name a resource
 * another such entry creates); what a round resolved is judged again on the
 * final state, which is what step 5 sees: a reference matching none or several
 * resources there fails the transaction (412).
 */
async function writeEntries(
  deps: EngineDeps, index: SchemaIndex, tx: WriteTransaction, writes: readonly EntryRequest[],
  pending: ReadonlyMap<EntryRequest, ReadonlySet<string>>, run: RunEntry, results: FhirResponse[],
): Promise<void> {
  for (const entry of writes) if (!pending.has(entry)) results[entry.index] = await run(entry);
  const resolved = new Map<string, { identity: string; entry: EntryRequest }>();
  let waiting = writes.filter((entry) => pending.has(entry));
  while (waiting.length > 0) {
    const ready: EntryRequest[] = [];
    const blocked: EntryRequest[] = [];
    const failures: FhirError[] = [];
    for (const entry of waiting) {
      let resolvable = true;
      for (const reference of pending.get(entry) ?? []) {
        if (resolved.has(reference)) continue;
        const matches = await visibleMatches(deps, tx, entry.request, reference);
        const [match] = matches;
        if (match && matches.length === 1) {
          resolved.set(reference, { identity: `${match.resourceType}/${match.id}`, entry });
        } else {
          resolvable = false;
          failures.push(unresolvedConditional(reference, matches.length, entry.index));
        }
      }
      (resolvable ? ready : blocked).push(entry);
    }
    const [failure] = failures;
    if (ready.length === 0 && failure) throw failure;
    const identities = new Map([...resolved].map(([reference, { identity }]) => [reference, identity]));
    for (const entry of ready) {
      replaceConditionalReferences(index, entry, identities);
      results[entry.index] = await run(entry);
    }
    waiting = blocked;
  }
  for (const [reference, { identity, entry }] of resolved) {
    const matches = await visibleMatches(deps, tx, entry.request, reference);
    const [match] = matches;
    if (!match || matches.length !== 1 || `${match.resourceType}/${match.id}` !== identity) {
      // One match other than the one written: two resources answered the reference during the transaction.
      throw unresolvedConditional(reference, matches.length === 1 ? 2 : matches.length, entry.index);
    }
  }
}

export async function transaction(deps: EngineDeps, dispatch: Dispatch, request: FhirRequest, bundle: Record<string, unknown>): Promise<FhirResponse> {
  const raws = bundleEntries(bundle);
  raws.forEach((raw, index) => parseEntry(raw, index, request));
  const index = schemaIndex(deps.schema);
  const responses = await deps.store.transaction(async (tx) => {
    // A store may run this unit again after a conflict: each attempt starts from the entries as
    // received, since settling identities assigns ids and rewriting references changes the bodies.
    const entries = cloneJson(raws).map((raw, i) => parseEntry(raw, i, request));
    const run = entryRunner(dispatch, transactionAccess(tx));
    const results: FhirResponse[] = new Array(entries.length);
    // The locks two transactions could otherwise take in opposite orders, all before the first lookup:
    // every criteria lock, then (once the criteria name them) every resource an entry updates, patches
    // or deletes, each kind in one global order. Two transactions sharing some then run one after the other.
    await tx.lockAll(criteriaLockKeys(deps, entries));
    await settleTargets(deps, tx, entries);
    checkTargets(entries);
    await tx.lockResources(entries.flatMap((entry) => (entry.request.method !== 'POST' && entry.target !== undefined ? [entry.target] : [])));
    for (const entry of entries.filter(methodIs('DELETE'))) results[entry.index] = await run(entry);
    await settleCreates(deps, tx, entries);
    checkTargets(entries);
    const targets = new Map(entries.flatMap((entry) => (entry.fullUrl !== undefined ? [[entry.fullUrl, linkTarget(entry)] as const] : [])));
    const conditional = replaceEntryLinks(index, entries, targets);
    const writes = [...entries.filter(methodIs('POST')), ...entries.filter(methodIs('PUT', 'PATCH'))];
    await writeEntries(deps, index, tx, writes, conditional, run, results);
    for (const entry of entries.filter(methodIs('GET', 'HEAD'))) results[entry.index] = await run(entry);
    return results;
  });
  return {
    status: 200, headers: {}, interaction: 'transaction',
    body: { kind: 'text', text: bundleText('transaction-response', responses.map(responseEntry), deps.clock.now()) },
  };
}

/** PUT, PATCH and DELETE by id: the resource the entry changes, known before it runs. */
function changedResource(entry: EntryRequest): string | undefined {
  const { method, path } = entry.request;
  return (method === 'PUT' || method === 'PATCH' || method === 'DELETE') && path.split('/').length === 2 ? path : undefined;
}

/**
 * http.html#brules: "there SHALL be no interdependencies between the different
 * entries in the Bundle that cause change on the server [...] Servers SHOULD
 * validate that this is the case." An entry linking to another entry's
 * placeholder or created resource would be stored with a link to nothing; a
 * second change of one resource would depend on which ran first. Either fails
 * alone (400), the first change of a resource in processing order going ahead.
 */
function interdependencies(index: SchemaIndex, entries: readonly EntryRequest[]): Map<number, FhirError> {
  const byFullUrl = new Map<string, EntryRequest>();
  for (const entry of entries) if (entry.fullUrl !== undefined && !byFullUrl.has(entry.fullUrl)) byFullUrl.set(entry.fullUrl, entry);
  const refused = new Map<number, FhirError>();
  const refuse = (entry: EntryRequest, other: EntryRequest, link: string): void => {
    refused.set(entry.index, fail('bundle.batch-interdependent', { index: entry.index, other: other.index, link }, { expression: [`Bundle.entry[${entry.index}]`] }));
  };
  const changedBy = new Map<string, EntryRequest>();
  for (const entry of inProcessingOrder(entries)) {
    const conditional = conditionalReferenceOf(index, entry);
    if (conditional !== undefined) {
      refused.set(entry.index, fail('bundle.batch-conditional-reference', { index: entry.index, reference: conditional }, { expression: [`Bundle.entry[${entry.index}].resource`] }));
      continue;
    }
    const dependency = byFullUrl.size > 0 ? dependencyOf(index, entry, byFullUrl) : undefined;
    if (dependency) {
      refuse(entry, dependency.other, dependency.link);
      continue;
    }
    const changed = changedResource(entry);
    if (changed === undefined) continue;
    const first = changedBy.get(changed);
    if (first) refuse(entry, first, changed);
    else changedBy.set(changed, entry);
  }
  return refused;
}

function inProcessingOrder(entries: readonly EntryRequest[]): EntryRequest[] {
  return [...entries].sort((a, b) => ORDER[a.request.method] - ORDER[b.request.method] || a.index - b.index);
}

export async function batch(
  deps: EngineDeps, dispatch: Dispatch, request: FhirRequest, bundle: Record<string, unknown>, entryIssues: ReadonlyMap<number, readonly Issue[]> = new Map(),
): Promise<FhirResponse> {
  const raws = bundleEntries(bundle);
  const answers: string[] = new Array(raws.length);
  // A bug in one entry must not hide the outcome of the others, already committed: that entry alone answers 500.
  const failed = (error: unknown, index: number): string => failedEntry(isFhirError(error) ? error : fail('server.internal', { requestId: `batch entry ${index}` }), request.language);
  const entries: EntryRequest[] = [];
  raws.forEach((raw, index) => {
    try {
      const issues = entryIssues.get(index);
      if (issues !== undefined) throw new FhirError(400, issues);
      entries.push(parseEntry(raw, index, request));
    } catch (error) {
      answers[index] = failed(error, index);
    }
  });
  const refused = interdependencies(schemaIndex(deps.schema), entries);
  const access = storeAccess(deps.store);
  for (const order of [...new Set(Object.values(ORDER))].sort((a, b) => a - b)) {
    // The entries of one step run concurrently: their writes share group commits.
    await Promise.all(entries.filter((entry) => ORDER[entry.request.method] === order).map(async (entry) => {
      const refusal = refused.get(entry.index);
      try {
        if (refusal) throw refusal;
        answers[entry.index] = responseEntry(withoutBodyForHead(entry, await dispatch(entry.request, access)));
      } catch (error) {
        answers[entry.index] = failed(error, entry.index);
      }
    }));
  }
  return { status: 200, headers: {}, interaction: 'batch', body: { kind: 'text', text: bundleText('batch-response', answers, deps.clock.now()) } };
}
