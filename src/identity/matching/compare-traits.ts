/**
 * Similarity of birth dates, birth places and sexes, in [0, 1] with a reason.
 * The date rules follow the errors seen when dates are typed: day and month
 * swapped (a foreign or American form), one digit mistyped, a wrong day.
 */
import type { Similarity } from './compare-names.js';
import type { MatchTraits } from './traits.js';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The same date with day and month swapped, when that is a date; else undefined. */
export function swappedDate(date: string): string | undefined {
  const m = FULL_DATE.exec(date);
  if (!m) return undefined;
  const [, year, month, day] = m as unknown as [string, string, string, string];
  if (day === month || Number(day) > 12) return undefined;
  const swapped = `${year}-${day}-${month}`;
  const parsed = new Date(`${swapped}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(swapped) ? swapped : undefined;
}

function differingDigits(a: string, b: string): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

/** Two adjacent digits exchanged ("1985-12-21" for "1985-12-12"). */
function adjacentDigitsSwapped(a: string, b: string): boolean {
  for (let i = 0; i + 1 < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return false;
}

export function compareBirthDates(a: MatchTraits, b: MatchTraits): Similarity {
  const da = a.birthDate;
  const db = b.birthDate;
  if (da === undefined || db === undefined) return { value: 0.3, reason: 'missing' };
  if (da === db) return { value: 1, reason: 'exact' };
  if (!FULL_DATE.test(da) || !FULL_DATE.test(db)) {
    // A partial date (YYYY or YYYY-MM) agrees with every date it contains.
    const shorter = da.length < db.length ? da : db;
    const longer = da.length < db.length ? db : da;
    return longer.startsWith(shorter) ? { value: 0.5, reason: 'partial' } : { value: 0, reason: 'different' };
  }
  if (swappedDate(da) === db) return { value: 0.8, reason: 'day-month-swapped' };
  if (differingDigits(da, db) === 1) return { value: 0.7, reason: 'one-digit' };
  if (adjacentDigitsSwapped(da, db)) return { value: 0.7, reason: 'digits-swapped' };
  if (da.slice(0, 7) === db.slice(0, 7)) return { value: 0.4, reason: 'same-month' };
  if (da.slice(0, 4) === db.slice(0, 4)) return { value: 0.15, reason: 'same-year' };
  return { value: 0, reason: 'different' };
}

/** The department part of an INSEE commune code: 3 characters overseas (97x, 98x), else 2; "99" abroad. */
function department(code: string): string {
  return /^9[78]/.test(code) ? code.slice(0, 3) : code.slice(0, 2);
}

export function compareBirthPlaces(a: MatchTraits, b: MatchTraits): Similarity {
  const pa = a.birthPlace?.toUpperCase();
  const pb = b.birthPlace?.toUpperCase();
  if (pa === undefined || pb === undefined) return { value: 0.5, reason: 'missing' };
  if (pa === pb) return { value: 1, reason: 'exact' };
  // Communes merge and change code; the department is still a weak sign. Abroad, 99 alone says nothing.
  if (department(pa) === department(pb) && department(pa) !== '99') return { value: 0.5, reason: 'same-department' };
  return { value: 0, reason: 'different' };
}

export function compareGenders(a: MatchTraits, b: MatchTraits): Similarity {
  const known = (g: MatchTraits['gender']): boolean => g === 'male' || g === 'female';
  if (!known(a.gender) || !known(b.gender)) return { value: 0.5, reason: 'missing' };
  return a.gender === b.gender ? { value: 1, reason: 'exact' } : { value: 0, reason: 'different' };
}
