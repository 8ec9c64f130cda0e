/**
 * UCUM units in canonical form, so that quantities in commensurable units
 * compare (http://hl7.org/fhir/R4/search.html#quantity: "the search processor
 * may choose to perform a search that is based on canonical units (e.g. any
 * value where the units can be converted to a value in mg in the case above)").
 *
 * A subset of the grammar of https://ucum.org/ucum (§2): unit atoms with a
 * prefix when the atom is metric, an integer exponent, products "." and
 * quotients "/", and 10*n. Atoms are the base units and the units of clinical
 * use defined on them by a ratio; units on non-ratio scales (Cel, [degF], pH),
 * arbitrary units other than [IU], parentheses and annotations ({cells}, which
 * UCUM reads as 1 and would make a score commensurable with a percentage) have
 * no canonical form here: such quantities compare as written only.
 */

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/**
 * The parameter under which a quantity parameter's values in canonical units
 * are indexed ("Observation.value-quantity#ucum"): rows of their own, so that
 * sorting, :missing and searches as written never see them.
 */
export function canonicalParam(param: string): string {
  return `${param}#ucum`;
}

/** A unit's canonical form: value in that unit × factor × 10^power = value in the canonical unit `code`. */
export interface CanonicalUnit {
  readonly code: string;
  readonly factor: number;
  readonly power: number;
}

/** Exponents of the base dimensions (UCUM §4.2), of mol, and of [IU], an arbitrary unit only commensurable with itself. */
type Dimensions = Readonly<Record<string, number>>;

interface Atom {
  readonly factor: number;
  readonly power: number;
  readonly dims: Dimensions;
  readonly metric: boolean;
}

const PREFIXES: Readonly<Record<string, number>> = {
  Y: 24, Z: 21, E: 18, P: 15, T: 12, G: 9, M: 6, k: 3, h: 2, da: 1,
  d: -1, c: -2, m: -3, u: -6, n: -9, p: -12, f: -15, a: -18, z: -21, y: -24,
};

function atom(dims: Dimensions, metric: boolean, factor = 1, power = 0): Atom {
  return { factor, power, dims, metric };
}

/**
 * UCUM defines mol as a number (6.0221367 × 10^23, §4.3), which would make
 * mmol/L commensurable with 10*9/L: amounts of substance are kept a dimension
 * of their own, so that only amounts compare with amounts.
 */
const MOLE = atom({ mol: 1 }, true);

const ATOMS: Readonly<Record<string, Atom>> = {
  m: atom({ m: 1 }, true),
  s: atom({ s: 1 }, true),
  g: atom({ g: 1 }, true),
  rad: atom({ rad: 1 }, true),
  K: atom({ K: 1 }, true),
  C: atom({ C: 1 }, true),
  cd: atom({ cd: 1 }, true),
  L: atom({ m: 3 }, true, 1, -3),
  l: atom({ m: 3 }, true, 1, -3),
  mol: MOLE,
  eq: MOLE,
  kat: atom({ mol: 1, s: -1 }, true),
  U: atom({ mol: 1, s: -1 }, true, 1 / 60, -6),
  Hz: atom({ s: -1 }, true),
  Pa: atom({ g: 1, m: -1, s: -2 }, true, 1, 3),
  'm[Hg]': atom({ g: 1, m: -1, s: -2 }, true, 133.322, 6),
  '[IU]': atom({ '[IU]': 1 }, true),
  '[iU]': atom({ '[IU]': 1 }, true),
  min: atom({ s: 1 }, false, 60),
  h: atom({ s: 1 }, false, 3600),
  d: atom({ s: 1 }, false, 86400),
  wk: atom({ s: 1 }, false, 604800),
  mo: atom({ s: 1 }, false, 2629800),
  a: atom({ s: 1 }, false, 31557600),
  '[in_i]': atom({ m: 1 }, false, 2.54, -2),
  '[ft_i]': atom({ m: 1 }, false, 30.48, -2),
  '[lb_av]': atom({ g: 1 }, false, 453.59237),
  '[oz_av]': atom({ g: 1 }, false, 28.349523125),
  '%': atom({}, false, 1, -2),
  '1': atom({}, false),
};

interface Term {
  factor: number;
  power: number;
  dims: Record<string, number>;
}

/** One component: an atom, optionally prefixed, with its exponent ("cm2", "s-1", "10*3"). */
function component(text: string): Term | undefined {
  const tenPower = /^10[*^]([+-]?\d+)$/.exec(text);
  if (tenPower) return { factor: 1, power: Number(tenPower[1]), dims: {} };
  const match = unitAtom(text) ? undefined : /^(.*?)([+-]?\d+)$/.exec(text);
  const name = match ? (match[1] as string) : text;
  const exponent = match ? Number(match[2]) : 1;
  const found = unitAtom(name);
  if (!found || exponent === 0) return undefined;
  const dims: Record<string, number> = {};
  for (const [dim, n] of Object.entries(found.atom.dims)) dims[dim] = n * exponent;
  return { factor: found.atom.factor ** exponent, power: (found.atom.power + found.prefix) * exponent, dims };
}

/** The atom a name is, or a prefix and a metric atom (an atom's own name wins: "cd" is candela, "min" minute). */
function unitAtom(name: string): { atom: Atom; prefix: number } | undefined {
  const whole = ATOMS[name];
  if (whole) return { atom: whole, prefix: 0 };
  for (const prefix of [name.slice(0, 2), name.slice(0, 1)]) {
    const power = PREFIXES[prefix];
    const rest = ATOMS[name.slice(prefix.length)];
    if (power !== undefined && rest?.metric) return { atom: rest, prefix: power };
  }
  return undefined;
}

function canonicalCode(dims: Readonly<Record<string, number>>): string {
  const parts = Object.keys(dims).sort().filter((d) => dims[d] !== 0).map((d) => (dims[d] === 1 ? d : `${d}${dims[d]}`));
  return parts.length === 0 ? '1' : parts.join('.');
}

/** Codes already read: a store holds few distinct units, read again for every quantity indexed. */
const known = new Map<string, CanonicalUnit | undefined>();
const MAX_KNOWN = 1000;
const MAX_POWER = 100;

/** The canonical form of a UCUM code ("mg/dL" → g.m-3 × 10), or undefined when it is outside the subset read here. */
export function canonicalUnit(code: string): CanonicalUnit | undefined {
  if (known.has(code)) return known.get(code);
  const unit = readUnit(code);
  if (known.size < MAX_KNOWN) known.set(code, unit);
  return unit;
}

function readUnit(code: string): CanonicalUnit | undefined {
  if (code === '' || code.length > 64 || /[\s(){}]/.test(code)) return undefined;
  const tokens = code.split(/([./])/);
  const total: Term = { factor: 1, power: 0, dims: {} };
  let sign = 1;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as string;
    if (i % 2 === 1) {
      sign = token === '/' ? -1 : 1;
      continue;
    }
    // A leading "/" ("/min") divides unity.
    if (token === '' && i === 0 && tokens[1] === '/') continue;
    const term = component(token);
    if (!term) return undefined;
    total.factor *= term.factor ** sign;
    total.power += term.power * sign;
    for (const [dim, n] of Object.entries(term.dims)) total.dims[dim] = (total.dims[dim] ?? 0) + n * sign;
  }
  // Beyond 10^±100 no clinical unit lies, and a value scaled there would be 0 or Infinity (10*400 equal to 10*500).
  if (!Number.isFinite(total.factor) || total.factor <= 0 || Math.abs(total.power) > MAX_POWER) return undefined;
  return { code: canonicalCode(total.dims), factor: total.factor, power: total.power };
}

/**
 * A value in the canonical unit: scaled by the unit's power of ten in decimal
 * (the double nearest to value × 10^power), so that 5.4 mg is the same
 * number as 0.0054 g written out.
 */
export function toCanonical(value: number, unit: CanonicalUnit): number {
  if (value === Number.MAX_VALUE || value === -Number.MAX_VALUE) return value;
  const scaled = value * unit.factor;
  const written = String(scaled);
  return written.includes('e') ? scaled * 10 ** unit.power : Number(`${written}e${unit.power}`);
}
