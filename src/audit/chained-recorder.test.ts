/**
 * The recorder on a real embedded store: entries recorded close together are
 * written in one batch when it gathers them for a while (responses not
 * waiting), in one batch per turn of the event loop otherwise, and either way
 * they form one unbroken chain, one record per patient.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditEntry } from '../core/audit-entry.js';
import { systemClock } from '../core/clock.js';
import { loadConfig } from '../config/load-config.js';
import type { Store } from '../storage/contract.js';
import { openStore } from '../storage/open-store.js';
import { AgentDirectory } from './agent-directory.js';
import { writeAuditBatch } from './audit-batch.js';
import { ChainedRecorder } from './chained-recorder.js';
import { verifyChain } from './verify-chain.js';

function entry(i: number, patients: string[]): AuditEntry {
  return { action: 'R', interaction: 'read', outcome: '0', patients, entities: [`Patient/p${i}`], recorded: Date.now(), principal: { kind: 'operator', subject: 'admin', clientId: 'test', scopes: [] } };
}

async function withRecorder(lingerMs: number, run: (recorder: ChainedRecorder, store: Store, transactions: () => number) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'socle-recorder-'));
  const store = await openStore(loadConfig({}, { dataDir: folder, databaseUrl: '', logLevel: 'silent', demo: 'off' }));
  let transactions = 0;
  const counting: Store = Object.assign(Object.create(store) as Store, {
    auditTransaction: (work: Parameters<Store['auditTransaction']>[0]) => {
      transactions += 1;
      return store.auditTransaction(work);
    },
  });
  const recorder = new ChainedRecorder((batch) => writeAuditBatch(counting, batch), systemClock, new AgentDirectory(store, () => Date.now()), (error) => assert.fail(String(error)), lingerMs);
  try {
    await run(recorder, store, () => transactions);
    assert.deepEqual(await verifyChain(store), { ok: true, records: (await store.auditTip())?.seq ?? 0 });
    assert.deepEqual(await store.auditHead(), await store.auditTip(), 'the head moves with every append');
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

test('entries recorded within the gathering time go in one batch, one record per patient', async () => {
  await withRecorder(30, async (recorder, store, transactions) => {
    recorder.record(entry(0, ['a', 'b']));
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 1; i < 20; i += 1) recorder.record(entry(i, ['a']));
    await recorder.flush();
    assert.equal(transactions(), 1);
    assert.equal((await store.auditTip())?.seq, 21);
    assert.equal(await store.auditCount([{ field: 'patient', values: ['b'] }], undefined), 1);
  });
});

test('without gathering time, each turn of the event loop is its own batch', async () => {
  await withRecorder(0, async (recorder, store, transactions) => {
    recorder.record(entry(0, []));
    await recorder.flush();
    recorder.record(entry(1, []));
    recorder.record(entry(2, []));
    await recorder.flush();
    assert.equal(transactions(), 2);
    assert.equal((await store.auditTip())?.seq, 3);
  });
});
