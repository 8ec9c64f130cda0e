/**
 * FINESS sites (and their legal entities) as personne-activité names them
 * (ids "1" + FINESS). FINESS owns them once it lists them; until then the
 * personne-activité import writes them from its structure columns, so that a
 * role's organization, `_include` and chains find something with the RPPS
 * files alone. Either way, what only personne-activité says of a site (RPPSRG
 * technical id, SIREN, activity sector, e-mail: `rppsSiteSlots`) is kept in
 * the site's enrichment document and added to whatever record FINESS writes,
 * in either order of the imports (enrichment.ts):
 * - personne-activité first: it writes the minimal site; FINESS then writes its
 *   own, with the RPPS elements added;
 * - FINESS first: personne-activité adds the RPPS elements to FINESS's record.
 * Both orders end with FINESS's record plus the RPPS elements. Where both
 * describe the same element (name, address, phone, SIRET), FINESS's wins: it is
 * the register of establishments, which the RASS takes sites from.
 *
 * Memory: one built Organization per distinct FINESS structure of the
 * extract (not per line).
 */
import type { Collection } from '../storage/collection.js';
import { readAll, type EngineAccess } from './engine-writes.js';
import { applyEnrichment, rppsSiteSlots, withoutVersion, type Enrichment, type RppsSiteSlots } from './enrichment.js';

type Json = Record<string, unknown>;

const NO_SLOTS: RppsSiteSlots = { identifier: [], type: [], telecom: [] };
const CHUNK = 200;

/** A FINESS-numbered Organization (idNat_Struct prefix "1", TRE_G08). */
export const isFinessKey = (key: string): boolean => key.startsWith('Organization/1');

export interface Offered {
  readonly resource: Json;
  readonly lines: readonly number[];
  /** The resource's JSON text, kept to compare the next offer of the site without writing this one again. */
  readonly text: string;
}

/** The site as one professional's lines built it; of two differing descriptions, the same one whatever their order. */
export function offer(sites: Map<string, Offered>, key: string, resource: Json, lines: readonly number[]): void {
  const previous = sites.get(key);
  const text = JSON.stringify(resource);
  if (previous && previous.text <= text) return;
  sites.set(key, { resource, lines, text });
}

export interface SiteSettlement {
  /** Sites FINESS does not own: the caller writes them as its own (the minimal form). */
  readonly owned: readonly Offered[];
  /** The enrichment documents to save (an empty one is deleted). */
  readonly documents: ReadonlyMap<string, Enrichment>;
  /** FINESS-owned sites whose RPPS elements changed: read, re-enriched and written by `enrichFinessSites`. */
  readonly finessTargets: readonly string[];
  readonly unchanged: number;
}

/**
 * Sorts the offered sites into those personne-activité writes itself and those FINESS owns, and works out
 * their enrichment documents; with `full` (a complete extract), a site no longer named loses its RPPS elements.
 */
export function settleSites(
  sites: ReadonlyMap<string, Offered>, enrichments: Map<string, Enrichment>, finessOwned: ReadonlySet<string>, full: boolean,
): SiteSettlement {
  const owned: Offered[] = [];
  const documents = new Map<string, Enrichment>();
  const finessTargets: string[] = [];
  let unchanged = 0;
  for (const [key, offered] of sites) {
    const before = enrichments.get(key) ?? {};
    const document: Enrichment = { ...before, rppsSite: rppsSiteSlots(offered.resource) };
    const same = JSON.stringify(before.rppsSite) === JSON.stringify(document.rppsSite);
    if (!same) documents.set(key, document);
    enrichments.set(key, document);
    if (!finessOwned.has(key)) owned.push(offered);
    else if (same) unchanged += 1;
    else finessTargets.push(key);
  }
  if (full) {
    for (const [key, document] of enrichments) {
      if (!document.rppsSite || sites.has(key)) continue;
      const { rppsSite: _gone, ...rest } = document;
      documents.set(key, rest);
      if (finessOwned.has(key)) finessTargets.push(key);
    }
  }
  return { owned, documents, finessTargets, unchanged };
}

/** FINESS's records of `keys` with the RPPS elements of their (new) documents, a chunk at a time; inactive or missing ones are left alone. */
export async function* enrichFinessSites(access: EngineAccess, keys: readonly string[], documents: ReadonlyMap<string, Enrichment>): AsyncGenerator<Json[]> {
  for (let i = 0; i < keys.length; i += CHUNK) {
    const slice = keys.slice(i, i + CHUNK);
    const stored = await readAll(access, slice);
    const chunk: Json[] = [];
    for (const key of slice) {
      const resource = stored.get(key);
      if (!resource || resource.active === false) continue;
      chunk.push(applyEnrichment(withoutVersion(resource), { rppsSite: documents.get(key)?.rppsSite ?? NO_SLOTS }));
    }
    yield chunk;
  }
}

export async function saveSiteDocuments(collection: Collection<Enrichment>, documents: ReadonlyMap<string, Enrichment>): Promise<void> {
  const kept: [string, Enrichment][] = [];
  for (const [key, document] of documents) {
    if (Object.keys(document).length === 0) await collection.delete(key);
    else kept.push([key, document]);
  }
  for (let i = 0; i < kept.length; i += 500) await collection.putMany(kept.slice(i, i + 500));
}
