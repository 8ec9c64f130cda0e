/**
 * Removes what has expired from the auth module's collections (provider
 * models, pending logins, launch contexts, revoked-token records): expiry is
 * already checked on every read, so this only keeps the store from growing.
 * Runs every SWEEP_MS in the background and stops with the module.
 */
import type { Collection } from '../../storage/collection.js';
import type { Logger } from '../../server/observability/logger.js';

const SWEEP_MS = 15 * 60_000;

/** What the sweep needs of a collection whose documents may carry an expiry. */
export type Sweepable = Pick<Collection<{ readonly expiresAt?: number }>, 'scan' | 'delete'>;
const PAGE = 500;

/** Deletes the documents whose `expiresAt` (epoch ms) is past; returns how many. */
export async function sweepExpired(collection: Sweepable, now: number): Promise<number> {
  let removed = 0;
  let after: string | undefined;
  for (;;) {
    const page = await collection.scan(after, PAGE);
    for (const entry of page) {
      if (entry.value.expiresAt !== undefined && entry.value.expiresAt <= now && (await collection.delete(entry.key))) removed++;
    }
    if (page.length < PAGE) return removed;
    after = page[page.length - 1]!.key;
  }
}

/** Starts the periodic sweep; the returned function stops it. */
export function startSweeper(collections: () => readonly Sweepable[], now: () => number, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      let removed = 0;
      for (const collection of collections()) removed += await sweepExpired(collection, now());
      if (removed > 0) logger.debug({ removed }, 'expired login documents removed');
    })().catch((error: Error) => logger.warn({ err: { type: error.name, message: error.message } }, 'sweep of expired login documents failed'))
      .finally(() => { running = false; });
  }, SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
