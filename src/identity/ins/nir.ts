/**
 * The INS number (NIR or NIA) and its key: 13-character body, 2-digit key =
 * 97 − (body mod 97), Corsica 2A/2B read as 19/18 before computing; numbers
 * starting 7 or 8 are provisional fund numbers (NNP), never an INS.
 * Reference: ../shared/domain/french-ehealth-reference.md §1.2 (after the
 * CNAM nir-validation rules). Pure functions, no I/O.
 */

/** The 2-digit key of a 13-character body; undefined when the body is not a NIR body. */
export function insKey(body: string): string | undefined {
  const normalised = body.toUpperCase().replace(/^(\d{5})2A/, '$119').replace(/^(\d{5})2B/, '$118');
  if (!/^\d{13}$/.test(normalised)) return undefined;
  return String(97n - (BigInt(normalised) % 97n)).padStart(2, '0');
}

export type InsNumberProblem = 'format' | 'provisional' | 'key';

/** Parts of a well-formed INS number. */
export interface InsNumberParts {
  readonly sex: '1' | '2';
  readonly year: string;
  readonly month: string;
  /** Department + commune (5 characters; 99xxx abroad), Corsica kept as 2A/2B. */
  readonly birthPlace: string;
  readonly order: string;
  readonly key: string;
}

/** Checks the form and key of a 15-character INS; returns its parts or the first problem found. */
export function parseInsNumber(value: string): { ok: true; parts: InsNumberParts } | { ok: false; problem: InsNumberProblem } {
  const ins = value.toUpperCase();
  if (/^[78]/.test(ins)) return { ok: false, problem: 'provisional' };
  const match = /^([12])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(ins);
  if (!match) return { ok: false, problem: 'format' };
  const [, sex, year, month, department, commune, order, key] = match as unknown as [string, '1' | '2', string, string, string, string, string, string];
  if (insKey(ins.slice(0, 13)) !== key) return { ok: false, problem: 'key' };
  return { ok: true, parts: { sex, year, month, birthPlace: `${department}${commune}`, order, key } };
}

/** A full INS from a 13-character body (for generators and tests). */
export function withInsKey(body: string): string {
  const key = insKey(body);
  if (key === undefined) throw new Error('not a NIR body');
  return `${body.toUpperCase()}${key}`;
}
