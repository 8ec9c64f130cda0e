/**
 * The audit writer's thread on a real embedded store: batches sent to it are
 * chained in the order sent and durable once acknowledged, closing waits for
 * what was sent, and a thread that cannot open the log fails its batches
 * instead of leaving them waiting forever.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditEntry } from '../core/audit-entry.js';
import { openStore, type StoreSettings } from '../storage/open-store.js';
import type { AuditBatch } from './audit-batch.js';
import { AuditWriterThread } from './audit-writer-thread.js';
import { verifyChain } from './verify-chain.js';

function batch(first: number, size: number): AuditBatch {
  const items = Array.from({ length: size }, (_, i): { entry: AuditEntry } => ({
    entry: { action: 'R', interaction: 'read', outcome: '0', patients: [`p${first + i}`], entities: [`Patient/p${first + i}`], recorded: 1_700_000_000_000 },
  }));
  return { now: 1_700_000_000_000, items };
}

async function withFolder(run: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'socle-audit-thread-'));
  try {
    await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const settingsIn = (dataDir: string): StoreSettings => ({ dataDir, databaseUrl: '', sqliteSync: 'full', pgPoolSize: 2 });

test('batches written on the thread are chained in the order sent, and closing waits for them', async () => {
  await withFolder(async (folder) => {
    const store = await openStore(settingsIn(folder));
    const writer = new AuditWriterThread(settingsIn(folder));
    try {
      await writer.write(batch(0, 2));
      assert.equal((await store.auditTip())?.seq, 2, 'acknowledged: already readable from the store');
      // Sent together, not awaited one by one: the thread still appends them in order.
      const sent = [writer.write(batch(2, 3)), writer.write(batch(5, 1))];
      await writer.close();
      await Promise.all(sent);
      const records = await store.auditQuery({ where: [], descending: false, limit: 10 });
      assert.deepEqual(records.map((r) => r.patient), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
      assert.deepEqual(await verifyChain(store), { ok: true, records: 6 });
      await assert.rejects(writer.write(batch(6, 1)), /closed/);
    } finally {
      await writer.close();
      await store.close();
    }
  });
});

test('a thread that cannot open the log fails the batch rather than leaving it waiting', async () => {
  await withFolder(async (folder) => {
    const notAFolder = join(folder, 'file');
    await writeFile(notAFolder, 'not a data folder');
    const writer = new AuditWriterThread(settingsIn(notAFolder));
    try {
      await assert.rejects(writer.write(batch(0, 1)));
    } finally {
      await writer.close();
    }
  });
});
