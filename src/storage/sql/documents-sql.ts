/**
 * Module documents (contract.ts, collection.ts) in two tables: the JSON text
 * by (collection, key), and one row per declared lookup value (at most
 * MAX_KEY_BYTES of it, index-key.ts). The same SQL runs on both backends.
 */
import type { NewDocument, StoredDocument } from '../contract.js';
import { limit, sql } from './fragment.js';
import { indexKey } from './index-key.js';
import type { Row, SqlRunner } from './sql-store-core.js';

function toDocument(row: Row): StoredDocument {
  return { key: row.key as string, value: row.value as string, updatedAt: Number(row.updated_at) };
}

export async function getDocument(runner: SqlRunner, collection: string, key: string): Promise<StoredDocument | undefined> {
  const [row] = await runner.query(sql`SELECT key, value, updated_at FROM kv_documents WHERE collection = ${collection} AND key = ${key}`);
  return row ? toDocument(row) : undefined;
}

export async function findDocuments(runner: SqlRunner, collection: string, name: string, value: string, count: number): Promise<StoredDocument[]> {
  const rows = await runner.query(sql`SELECT d.key, d.value, d.updated_at FROM kv_lookups l
    JOIN kv_documents d ON d.collection = l.collection AND d.key = l.key
    WHERE l.collection = ${collection} AND l.name = ${name} AND l.value = ${indexKey(value)}
    ORDER BY l.key${limit(count)}`);
  return rows.map(toDocument);
}

export async function scanDocuments(runner: SqlRunner, collection: string, afterKey: string | undefined, count: number): Promise<StoredDocument[]> {
  const after = afterKey === undefined ? sql`` : sql` AND key > ${afterKey}`;
  const rows = await runner.query(sql`SELECT key, value, updated_at FROM kv_documents WHERE collection = ${collection}${after} ORDER BY key${limit(count)}`);
  return rows.map(toDocument);
}

export async function putDocument(runner: SqlRunner, collection: string, document: NewDocument): Promise<void> {
  await runner.execute(sql`INSERT INTO kv_documents (collection, key, value, updated_at)
    VALUES (${collection}, ${document.key}, ${document.value}, ${document.updatedAt})
    ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  await runner.execute(sql`DELETE FROM kv_lookups WHERE collection = ${collection} AND key = ${document.key}`);
  const seen = new Set<string>();
  for (const [name, whole] of document.lookups) {
    // A lookup value is an index key like a search value (index-key.ts); it is found by the same cut.
    const value = indexKey(whole);
    const id = `${name}\u0000${value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    await runner.execute(sql`INSERT INTO kv_lookups (collection, name, value, key) VALUES (${collection}, ${name}, ${value}, ${document.key})`);
  }
}

export async function deleteDocument(runner: SqlRunner, collection: string, key: string): Promise<boolean> {
  await runner.execute(sql`DELETE FROM kv_lookups WHERE collection = ${collection} AND key = ${key}`);
  return (await runner.execute(sql`DELETE FROM kv_documents WHERE collection = ${collection} AND key = ${key}`)) > 0;
}
