/**
 * Flattens an IndexSet into the rows of each index table, in the column order
 * the insert statements use. Shared by both backends. The columns a search
 * index holds are cut to MAX_KEY_BYTES (index-key.ts).
 */
import type { IndexSet } from '../../fhir/indexing/index-set.js';
import { indexKey } from './index-key.js';
import { paramKey } from './param-key.js';
import { qualifiedParam } from '../query.js';

/**
 * The `grp` of a string row that searches match but _sort does not read: a
 * later word of a multi-word name (index-set.ts, StringIndex.part).
 * Composite groups are positive, other rows 0.
 */
export const MATCH_ONLY_GROUP = -1;

/** What a value column holds, for a backend that must name the type of a whole column of values (PostgreSQL's arrays). */
export type ColumnKind = 'text' | 'bigint' | 'float';

export interface IndexTableRows {
  readonly table: string;
  /** Value columns after rid, [shard_key,] pkey and grp. */
  readonly columns: readonly string[];
  /** The kind of each value column, in the same order (schema.ts). */
  readonly kinds: readonly ColumnKind[];
  readonly rows: unknown[][];
}

const TEXT3: readonly ColumnKind[] = ['text', 'text', 'text'];
const TEXT4: readonly ColumnKind[] = ['text', 'text', 'text', 'text'];
const BIGINT2: readonly ColumnKind[] = ['bigint', 'bigint'];
const FLOAT2: readonly ColumnKind[] = ['float', 'float'];
const QUANTITY: readonly ColumnKind[] = ['text', 'text', 'text', 'float', 'float'];
const TEXT6: readonly ColumnKind[] = ['text', 'text', 'text', 'text', 'text', 'text'];
const TEXT1: readonly ColumnKind[] = ['text'];

export function indexRows(resourceType: string, index: IndexSet): IndexTableRows[] {
  const key = (param: string): number => paramKey(qualifiedParam(resourceType, param));
  // Rows outside composites are group 0: the composite components use their own keys, so groups never mix.
  const grp = (group: number | undefined): number => group ?? 0;
  return [
    {
      table: 'idx_string',
      // `whole`: the normalised value where `norm` is cut (longer than the index keeps), read by :contains alone.
      columns: ['norm', 'exact', 'whole'],
      kinds: TEXT3,
      rows: index.string.map((v) => {
        const norm = indexKey(v.norm);
        return [key(v.param), v.part ? MATCH_ONLY_GROUP : grp(v.group), norm, v.exact, v.whole ?? (norm !== v.norm ? v.norm : null)];
      }),
    },
    {
      table: 'idx_token',
      columns: ['system', 'code', 'text', 'of_type'],
      kinds: TEXT4,
      rows: index.token.map((v) => [key(v.param), grp(v.group), indexKey(v.system), indexKey(v.code), v.text, v.ofType ?? null]),
    },
    { table: 'idx_date', columns: ['low', 'high'], kinds: BIGINT2, rows: index.date.map((v) => [key(v.param), grp(v.group), v.low, v.high]) },
    { table: 'idx_number', columns: ['low', 'high'], kinds: FLOAT2, rows: index.number.map((v) => [key(v.param), grp(v.group), v.low, v.high]) },
    {
      table: 'idx_quantity',
      columns: ['system', 'code', 'unit', 'low', 'high'],
      kinds: QUANTITY,
      rows: index.quantity.map((v) => [key(v.param), grp(v.group), v.system, indexKey(v.code), v.unit, v.low, v.high]),
    },
    {
      table: 'idx_reference',
      columns: ['target_type', 'target_id', 'url', 'version', 'ident_system', 'ident_value'],
      kinds: TEXT6,
      rows: index.reference.map((v) => [
        key(v.param), grp(v.group), v.targetType, indexKey(v.targetId), indexKey(v.url), v.version ?? null, v.identifierSystem ?? null, indexKey(v.identifierValue ?? null),
      ]),
    },
    { table: 'idx_uri', columns: ['value'], kinds: TEXT1, rows: index.uri.map((v) => [key(v.param), grp(v.group), indexKey(v.value)]) },
  ];
}
