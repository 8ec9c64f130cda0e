/**
 * Where the demo population lives and was born: the real communes of a region
 * (INSEE codes, names, postal codes and populations from
 * @etalab/decoupage-administratif), the other communes of France, and a few
 * countries by their INSEE code (COG "99xxx", as in the NIR of a person born
 * abroad, reference §1.1–1.2).
 */
import { createRequire } from 'node:module';
import { Random, WeightedPicker } from './random.js';

export interface Commune {
  /** INSEE (COG) code, e.g. "59350". */
  readonly code: string;
  readonly name: string;
  readonly department: string;
  readonly region: string;
  readonly postalCodes: readonly string[];
  readonly population: number;
}

export interface Country {
  /** INSEE country code (COG), 99xxx. */
  readonly code: string;
  readonly name: string;
  /** Relative frequency among people born abroad who live in France (rough orders of magnitude). */
  readonly weight: number;
}

/** Countries of birth abroad; codes from INSEE's COG (cross-checked with OCA l10n_fr_cog). */
export const COUNTRIES: readonly Country[] = [
  { code: '99352', name: 'Algérie', weight: 14 },
  { code: '99350', name: 'Maroc', weight: 12 },
  { code: '99351', name: 'Tunisie', weight: 5 },
  { code: '99139', name: 'Portugal', weight: 8 },
  { code: '99131', name: 'Belgique', weight: 8 },
  { code: '99122', name: 'Pologne', weight: 3 },
  { code: '99127', name: 'Italie', weight: 4 },
  { code: '99134', name: 'Espagne', weight: 3 },
  { code: '99109', name: 'Allemagne', weight: 3 },
  { code: '99132', name: 'Royaume-Uni', weight: 2 },
  { code: '99208', name: 'Turquie', weight: 3 },
  { code: '99341', name: 'Sénégal', weight: 2 },
  { code: '99326', name: "Côte d'Ivoire", weight: 2 },
  { code: '99335', name: 'Mali', weight: 2 },
  { code: '99322', name: 'Cameroun', weight: 2 },
  { code: '99243', name: 'Viet Nam', weight: 1 },
  { code: '99216', name: 'Chine', weight: 1 },
  { code: '99114', name: 'Roumanie', weight: 2 },
];

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly departments: readonly { readonly code: string; readonly name: string }[];
  /** Current communes (not delegated or associated ones), largest first. */
  readonly communes: readonly Commune[];
}

interface RawCommune {
  code: string; nom: string; departement?: string; region?: string; type: string; codesPostaux?: string[]; population?: number;
}

const require = createRequire(import.meta.url);
let allCommunes: readonly Commune[] | undefined;

/** Every current commune of France (loaded once: the file is 8 MB). */
export function franceCommunes(): readonly Commune[] {
  allCommunes ??= (require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[])
    .filter((c) => c.type === 'commune-actuelle' && c.departement !== undefined && c.region !== undefined)
    .map((c) => ({
      code: c.code,
      name: c.nom,
      department: c.departement as string,
      region: c.region as string,
      postalCodes: c.codesPostaux ?? [],
      population: c.population ?? 0,
    }));
  return allCommunes;
}

/** A region by its INSEE code ("32" Hauts-de-France); undefined when unknown. */
export function loadRegion(code: string): Region | undefined {
  const regions = require('@etalab/decoupage-administratif/data/regions.json') as { code: string; nom: string }[];
  const region = regions.find((r) => r.code === code);
  if (!region) return undefined;
  const departments = (require('@etalab/decoupage-administratif/data/departements.json') as { code: string; nom: string; region: string }[])
    .filter((d) => d.region === code)
    .map((d) => ({ code: d.code, name: d.nom }));
  const communes = franceCommunes().filter((c) => c.region === code && c.postalCodes.length > 0).sort((a, b) => b.population - a.population);
  return { code, name: region.nom, departments, communes };
}

let byCode: Map<string, Commune> | undefined;

/** A current commune by its INSEE code. */
export function communeByCode(code: string): Commune | undefined {
  byCode ??= new Map(franceCommunes().map((c) => [c.code, c]));
  return byCode.get(code);
}

/** Draws places with realistic weights: people live where people live. */
export class PlacePicker {
  private readonly inRegion: WeightedPicker<Commune>;
  private readonly elsewhere: WeightedPicker<Commune>;
  private readonly abroad = new WeightedPicker(COUNTRIES, (c) => c.weight);
  private readonly towns: WeightedPicker<Commune>;

  constructor(readonly region: Region) {
    this.inRegion = new WeightedPicker(region.communes, (c) => c.population);
    this.elsewhere = new WeightedPicker(franceCommunes().filter((c) => c.region !== region.code), (c) => c.population);
    // Hospitals and pharmacies sit in towns: communes above 5,000 inhabitants (or the largest ones of a small region).
    const towns = region.communes.filter((c) => c.population >= 5000);
    this.towns = new WeightedPicker(towns.length >= 10 ? towns : region.communes.slice(0, 50), (c) => c.population);
  }

  /** A commune of the region, weighted by population. */
  home(random: Random): Commune {
    return this.inRegion.pick(random);
  }

  /** A town of the region (where establishments are). */
  town(random: Random): Commune {
    return this.towns.pick(random);
  }

  /**
   * A birth place's INSEE code: mostly the region (70 %), else elsewhere in
   * France (22 %) or abroad (8 %).
   */
  birthPlace(random: Random): { code: string; name: string } {
    const draw = random.next();
    if (draw < 0.7) return this.inRegion.pick(random);
    if (draw < 0.92) return this.elsewhere.pick(random);
    return this.abroad.pick(random);
  }
}
