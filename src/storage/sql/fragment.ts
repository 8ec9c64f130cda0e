/**
 * A parameterised SQL fragment. Values interpolated with the `sql` tag always
 * become bound parameters; only `raw` (for identifiers and keywords chosen by
 * our own code, never by clients) reaches the query text.
 */
export class Sql {
  constructor(readonly strings: readonly string[], readonly values: readonly unknown[]) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const outStrings: string[] = [strings[0] ?? ''];
  const outValues: unknown[] = [];
  values.forEach((value, index) => {
    const next = strings[index + 1] ?? '';
    if (value instanceof Sql) {
      // Inline a nested fragment: glue its first and last strings to ours.
      outStrings[outStrings.length - 1] += value.strings[0] ?? '';
      for (let i = 0; i < value.values.length; i += 1) {
        outValues.push(value.values[i]);
        outStrings.push(value.strings[i + 1] ?? '');
      }
      outStrings[outStrings.length - 1] += next;
    } else {
      outValues.push(value);
      outStrings.push(next);
    }
  });
  return new Sql(outStrings, outValues);
}

/** Trusted text: identifiers and keywords written by Socle's own code. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

export const empty = raw('');

/**
 * A LIMIT clause with its count written in the text: SQLite re-prepares a
 * statement whose LIMIT is a bound parameter on every run (its planner uses the
 * value), which doubles the cost of small queries. Only non-negative safe
 * integers computed by Socle reach here.
 */
export function limit(count: number): Sql {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`invalid LIMIT ${count}`);
  return raw(` LIMIT ${count}`);
}

export function join(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return empty;
  // Built in one pass: gluing fragment after fragment copied the whole text each time (quadratic in a long OR list).
  const strings: string[] = [''];
  const values: unknown[] = [];
  parts.forEach((part, n) => {
    strings[strings.length - 1] += (n > 0 ? separator : '') + (part.strings[0] ?? '');
    for (let i = 0; i < part.values.length; i += 1) {
      values.push(part.values[i]);
      strings.push(part.strings[i + 1] ?? '');
    }
  });
  return new Sql(strings, values);
}

/** Terms joined flat up to this many; beyond, split in halves. */
const FLAT_TERMS = 8;

/**
 * Terms joined by AND or OR as a balanced tree of parentheses, so that the
 * expression's depth grows as the logarithm of their number: SQLite refuses an
 * expression deeper than 1,000 (SQLITE_MAX_EXPR_DEPTH), and a flat list of n
 * terms is n deep, once more in each EXISTS it is nested in. A few terms stay
 * flat, as written before.
 */
export function balanced(parts: readonly Sql[], operator: 'AND' | 'OR'): Sql {
  if (parts.length <= FLAT_TERMS) return join(parts, ` ${operator} `);
  const middle = Math.ceil(parts.length / 2);
  return sql`(${balanced(parts.slice(0, middle), operator)}) ${raw(operator)} (${balanced(parts.slice(middle), operator)})`;
}

/** Renders with the dialect's placeholders: `?` for SQLite, `$1…` for PostgreSQL. */
export function render(fragment: Sql, placeholder: (index: number) => string): { text: string; values: unknown[] } {
  let text = fragment.strings[0] ?? '';
  for (let i = 0; i < fragment.values.length; i += 1) {
    text += placeholder(i + 1) + (fragment.strings[i + 1] ?? '');
  }
  return { text, values: [...fragment.values] };
}
