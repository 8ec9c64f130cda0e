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
  let result = parts[0] as Sql;
  for (const part of parts.slice(1)) result = sql`${result}${raw(separator)}${part}`;
  return result;
}

/** Renders with the dialect's placeholders: `?` for SQLite, `$1…` for PostgreSQL. */
export function render(fragment: Sql, placeholder: (index: number) => string): { text: string; values: unknown[] } {
  let text = fragment.strings[0] ?? '';
  for (let i = 0; i < fragment.values.length; i += 1) {
    text += placeholder(i + 1) + (fragment.strings[i + 1] ?? '');
  }
  return { text, values: [...fragment.values] };
}
