/**
 * The write side of an import, one unit at a time (a professional's lines, an
 * establishment): which resources changed since the last run (content hashes
 * of import-state.ts), each unit whole or not at all (a refused unit rejects
 * only its own lines; the units of a chunk share a commit), and at the end the deactivation of vanished records
 * and the new import state.
 */
import type { Collection } from '../storage/collection.js';
import { deactivated, putUnits, readAll, type EngineAccess } from './engine-writes.js';
import { applyEnrichment, loadEnrichments, type Enrichment } from './enrichment.js';
import type { ExtractKind } from './extract-format.js';
import { contentHash, loadImportState, saveImportState, type StateChunk } from './import-state.js';
import { enrichFinessSites, isFinessKey, offer, saveSiteDocuments, settleSites, type Offered } from './shared-sites.js';
import type { LineProblem } from './line-problem.js';

type Json = Record<string, unknown>;

export interface ImportCounts {
  /** Data lines read (blank lines aside). */
  lines: number;
  /** Lines rejected (malformed, or their unit refused by the engine). */
  rejected: number;
  /** Resources created, updated, found unchanged, deactivated. */
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
}

export type Reject = (line: number, problem: LineProblem) => void;

export interface Unit {
  readonly lines: readonly number[];
  readonly resources: { readonly key: string; readonly resource: Json; readonly hash: number }[];
}

export const keyOf = (resource: Json): string => `${String(resource.resourceType)}/${String(resource.id)}`;

export abstract class UnitWriter {
  protected units: Unit[] = [];
  protected lineCount = 0;

  constructor(
    protected readonly access: EngineAccess,
    protected readonly counts: ImportCounts,
    protected readonly reject: Reject,
  ) {}

  pendingLines(): number {
    return this.lineCount;
  }

  protected take(): Unit[] {
    const units = this.units;
    this.units = [];
    this.lineCount = 0;
    return units;
  }

  protected count(results: readonly ('created' | 'updated' | 'unchanged')[]): void {
    for (const r of results) this.counts[r] += 1;
  }

  /**
   * Writes the units through the engine's bulk PUT: one commit for all of
   * them, and a unit the engine refuses costs only its own lines. Returns the
   * units written.
   */
  protected async writeUnits(units: readonly Unit[]): Promise<Unit[]> {
    const outcomes = await putUnits(this.access, units.map((unit) => unit.resources.map((r) => r.resource)));
    const written: Unit[] = [];
    outcomes.forEach((outcome, i) => {
      const unit = units[i]!;
      if (outcome.ok) {
        this.count(outcome.results);
        written.push(unit);
        return;
      }
      for (const line of unit.lines) this.reject(line, { key: 'directory.line.rejected-by-engine', params: { reason: outcome.reason ?? '' } });
      this.rejectedUnit(unit);
    });
    return written;
  }

  protected rejectedUnit(_unit: Unit): void {}

  abstract begin(): Promise<void>;
  abstract flush(): Promise<void>;
  abstract finish(): Promise<void>;
  add(_resources: readonly Json[], _lines: readonly number[]): void {}
  protect(_keys: readonly string[], _prefixes: readonly string[] = []): void {}
}

/** Imports of the extracts that own their resources (personne-activité, FINESS). */
export class OwnedWriter extends UnitWriter {
  private previous = new Map<string, number>();
  private enrichments = new Map<string, Enrichment>();
  private readonly next = new Map<string, number>();
  private readonly protectedKeys = new Set<string>();
  private readonly protectedPrefixes: string[] = [];
  /** personne-activité: the FINESS sites its lines name (shared-sites.ts), and those FINESS's import owns. */
  private readonly sites = new Map<string, Offered>();
  private finessOwned: ReadonlySet<string> = new Set();
  private settling = false;

  constructor(
    private readonly deps: EngineAccess & { readonly state: Collection<StateChunk>; readonly enrichment: Collection<Enrichment> },
    private readonly kind: ExtractKind,
    counts: ImportCounts, reject: Reject,
    private readonly deactivateVanished = true,
  ) {
    super(deps, counts, reject);
  }

  async begin(): Promise<void> {
    this.previous = await loadImportState(this.deps.state, this.kind);
    this.enrichments = await loadEnrichments(this.deps.enrichment);
    if (this.kind === 'ps-activite') this.finessOwned = new Set((await loadImportState(this.deps.state, 'finess-etalab')).keys());
  }

  override add(resources: readonly Json[], lines: readonly number[]): void {
    const unit: Unit = { lines, resources: [] };
    for (const built of resources) {
      const key = keyOf(built);
      if (this.kind === 'ps-activite' && !this.settling && isFinessKey(key)) {
        // Written once the whole file is read, as FINESS's or as its own (shared-sites.ts).
        offer(this.sites, key, built, lines);
        continue;
      }
      // What the savoir-faire and MSSanté extracts said stays part of the resource.
      const enrichment = this.enrichments.get(key);
      const resource = enrichment ? applyEnrichment(built, enrichment) : built;
      const hash = contentHash(JSON.stringify(resource));
      if (this.next.get(key) === hash) continue; // already written in this run (a shared structure)
      if (!this.next.has(key) && this.previous.get(key) === hash) {
        this.counts.unchanged += 1;
        this.next.set(key, hash);
        continue;
      }
      this.next.set(key, hash);
      unit.resources.push({ key, resource, hash });
    }
    if (unit.resources.length === 0) return;
    this.units.push(unit);
    this.lineCount += lines.length;
  }

  override protect(keys: readonly string[], prefixes: readonly string[] = []): void {
    for (const key of keys) this.protectedKeys.add(key);
    this.protectedPrefixes.push(...prefixes);
  }

  protected override rejectedUnit(unit: Unit): void {
    // A refused unit keeps its previous state: not written now, not vanished either.
    for (const r of unit.resources) {
      const before = this.previous.get(r.key);
      if (before === undefined) this.next.delete(r.key);
      else this.next.set(r.key, before);
    }
  }

  async flush(): Promise<void> {
    const units = this.take();
    if (units.length > 0) await this.writeUnits(units);
  }

  /** The FINESS sites personne-activité named: its own minimal form where FINESS has none, else FINESS's record with the RPPS elements. */
  private async settleSites(): Promise<void> {
    const settled = settleSites(this.sites, this.enrichments, this.finessOwned, this.deactivateVanished);
    this.counts.unchanged += settled.unchanged;
    this.settling = true;
    for (const site of settled.owned) this.add([site.resource], site.lines);
    await this.flush();
    for await (const chunk of enrichFinessSites(this.access, settled.finessTargets, settled.documents)) {
      await this.writeUnits(chunk.map((resource) => ({ lines: [], resources: [{ key: keyOf(resource), resource, hash: 0 }] })));
    }
    await saveSiteDocuments(this.deps.enrichment, settled.documents);
  }

  async finish(): Promise<void> {
    if (this.kind === 'ps-activite') await this.settleSites();
    // A FINESS site FINESS now owns is no longer personne-activité's to deactivate.
    const vanished = [...this.previous.keys()].filter((key) => !this.next.has(key) && !this.finessOwned.has(key));
    const kept = vanished.filter((key) => !this.deactivateVanished || this.protectedKeys.has(key) || this.protectedPrefixes.some((p) => key.startsWith(p)));
    for (const key of kept) this.next.set(key, this.previous.get(key)!);
    const gone = vanished.filter((key) => !this.next.has(key));
    for (let i = 0; i < gone.length; i += 200) {
      const current = await readAll(this.access, gone.slice(i, i + 200));
      const inactive = [...current.values()].filter((r): r is Json => r !== undefined && r.active !== false).map(deactivated);
      const [outcome] = await putUnits(this.access, inactive.length > 0 ? [inactive] : []);
      if (outcome?.ok) this.counts.deactivated += inactive.length;
    }
    await saveImportState(this.deps.state, this.kind, this.next);
  }
}

