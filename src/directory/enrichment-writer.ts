/**
 * The write side of the enriching extracts (savoir-faire, MSSanté): the whole
 * file is read first (the MSSanté extract is not sorted by holder), then, a
 * chunk of holders at a time, each holder's resource is read through the
 * engine, its part (savoir-faire or mailboxes) replaced, and written back; the
 * part is recorded in "directory.enrichment" so that the owning imports keep
 * it. Holders listed by the previous run and no longer in the file lose the part.
 */
import type { Collection } from '../storage/collection.js';
import { readAll, type EngineAccess } from './engine-writes.js';
import { applyEnrichment, loadEnrichments, withoutVersion, type Enrichment, type EnrichmentPart } from './enrichment.js';
import type { MailboxMssInput, SavoirFaireInput } from './fhir-builders.js';
import { type ImportCounts, type Reject, type Unit, UnitWriter } from './unit-writers.js';

type Json = Record<string, unknown>;
type Value = SavoirFaireInput | MailboxMssInput;

const CHUNK = 200;

export class EnrichmentWriter extends UnitWriter {
  private readonly holders = new Map<string, { values: Value[]; lines: number[] }>();

  constructor(
    private readonly deps: EngineAccess & { readonly enrichment: Collection<Enrichment> },
    private readonly part: EnrichmentPart,
    counts: ImportCounts, reject: Reject,
  ) {
    super(deps, counts, reject);
  }

  async begin(): Promise<void> {}

  addValue(holder: string, value: Value, line: number): void {
    const entry = this.holders.get(holder) ?? { values: [], lines: [] };
    entry.values.push(value);
    entry.lines.push(line);
    this.holders.set(holder, entry);
  }

  /** Nothing is written while reading: a holder's values may be spread over the file. */
  async flush(): Promise<void> {}

  async finish(): Promise<void> {
    const documents = await loadEnrichments(this.deps.enrichment);
    const vanished = [...documents.entries()].filter(([key, doc]) => doc[this.part] !== undefined && !this.holders.has(key)).map(([key]) => key);
    const targets = [...this.holders.keys(), ...vanished];
    for (let i = 0; i < targets.length; i += CHUNK) await this.writeTargets(targets.slice(i, i + CHUNK), documents);
  }

  private async writeTargets(keys: readonly string[], documents: ReadonlyMap<string, Enrichment>): Promise<void> {
    const stored = await readAll(this.access, keys);
    const units: Unit[] = [];
    const nextDocuments = new Map<string, Enrichment>();
    const inactive: [string, Enrichment][] = [];
    for (const key of keys) {
      const entry = this.holders.get(key);
      const resource = stored.get(key);
      if (!resource) {
        for (const line of entry?.lines ?? []) {
          const [type, id] = key.split('/') as [string, string];
          this.reject(line, type === 'Practitioner'
            ? { key: 'directory.line.unknown-practitioner', params: { idNatPs: id } }
            : { key: 'directory.line.unknown-organization', params: { id } });
        }
        continue;
      }
      const { [this.part]: _previous, ...others } = documents.get(key) ?? {};
      const next: Enrichment = entry ? { ...others, [this.part]: entry.values } : others;
      if (resource.active === false) {
        // A record gone from its owner's extract shows only its identifiers (Annuaire API v2): the part is kept
        // for the day the owner lists it again (applied then, enrichment.ts), not written into the inactive form.
        this.counts.unchanged += 1;
        inactive.push([key, next]);
        continue;
      }
      const updated = applyEnrichment(withoutVersion(resource), { [this.part]: entry?.values ?? [] } as Enrichment);
      units.push({ lines: entry?.lines ?? [], resources: [{ key, resource: updated as Json, hash: 0 }] });
      nextDocuments.set(key, next);
    }
    const written = await this.writeUnits(units);
    const saved: [string, Enrichment][] = [];
    const settled = [...written.map((unit): [string, Enrichment] => [unit.resources[0]!.key, nextDocuments.get(unit.resources[0]!.key)!]), ...inactive];
    for (const [key, document] of settled) {
      if (Object.keys(document).length === 0) await this.deps.enrichment.delete(key);
      else saved.push([key, document]);
    }
    if (saved.length > 0) await this.deps.enrichment.putMany(saved);
  }
}
