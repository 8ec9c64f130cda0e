/**
 * The locks a PostgreSQL transaction takes on the resources it is about to
 * change, before changing any: transaction-scoped advisory locks, one per
 * resource identity, taken in ascending key order by every transaction, so that
 * two transactions changing overlapping sets never each hold a lock the other
 * waits for. Advisory locks rather than row locks: they exist before the row
 * does (a PUT creating a client-assigned id), and they live on the one node
 * that coordinates transactions once the tables are distributed (Citus), where
 * a row lock by (type, id) would have to reach every shard.
 *
 * A transaction Bundle also locks conditional criteria (lock(key)): it takes
 * all of those first, then all of its resources' locks, so the order is one
 * across both kinds and a Bundle holding a resource never waits for criteria.
 */
import { createHash } from 'node:crypto';
import { sql, type Sql } from '../sql/fragment.js';

/**
 * One statement taking the locks of lock(key) (pg_advisory_xact_lock(hashtext(key)),
 * the conditional criteria) for every key at once, in ascending lock order:
 * the keys' hashes are sorted in an array before unnest yields them one by one,
 * so that two keys sharing a hash are one lock and the order stays total.
 * Undefined when there is nothing to lock.
 */
export function keyLocksSql(keys: readonly string[]): Sql | undefined {
  if (keys.length === 0) return undefined;
  const unique = [...new Set(keys)];
  return sql`SELECT count(pg_advisory_xact_lock(key)) AS locked FROM unnest(ARRAY(SELECT DISTINCT hashtext(k) FROM unnest(${unique}::text[]) AS k ORDER BY 1)) AS key`;
}

/**
 * The first key of the two-key form pg_advisory_xact_lock(int, int), whose key
 * space is apart from the one-key form that conditional writes and the audit
 * log lock (PostgreSQL documents the two as not overlapping).
 */
const RESOURCE_LOCK_SPACE = 0x5e50;

/** A 32-bit key for "Type/id": two identities sharing one only share a lock (the order stays total). */
export function resourceLockKey(identity: string): number {
  return createHash('sha256').update(identity).digest().readInt32BE(0);
}

/**
 * One statement taking the locks of `identities` in ascending key order: the
 * function scan of unnest yields the array in order and each row's lock is
 * taken before the next row is read. Undefined when there is nothing to lock.
 */
export function resourceLocksSql(identities: readonly string[]): Sql | undefined {
  if (identities.length === 0) return undefined;
  const keys = [...new Set(identities.map(resourceLockKey))].sort((a, b) => a - b);
  return sql`SELECT count(pg_advisory_xact_lock(${RESOURCE_LOCK_SPACE}, key)) AS locked FROM unnest(${keys}::int[]) AS key`;
}
