import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteQueue } from './write-queue.js';

function openDatabase(): { db: Database.Database; reader: Database.Database; cleanup: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'socle-queue-'));
  const db = new Database(join(folder, 'q.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  const reader = new Database(join(folder, 'q.sqlite'), { readonly: true });
  return { db, reader, cleanup: () => { reader.close(); db.close(); rmSync(folder, { recursive: true, force: true }); } };
}

test('units submitted in the same turn commit together, and a failing unit rolls back alone', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const queue = new WriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.allSettled([
      queue.submit(async () => insert.run('a')),
      queue.submit(async () => {
        insert.run('b');
        insert.run('a'); // duplicate key: this unit fails after writing 'b'
      }),
      queue.submit(async () => insert.run('c')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const values = reader.prepare('SELECT v FROM t ORDER BY v').pluck().all();
    assert.deepEqual(values, ['a', 'c'], "the failed unit's own write 'b' is gone, the others are kept");
  } finally {
    cleanup();
  }
});

test('a unit is acknowledged only once its batch is committed and visible to other connections', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const queue = new WriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const count = reader.prepare('SELECT COUNT(*) FROM t').pluck();
    let seenDuringUnit = -1;
    await queue.submit(async () => {
      insert.run('x');
      // Another connection must not see uncommitted work.
      seenDuringUnit = count.get() as number;
    });
    assert.equal(seenDuringUnit, 0);
    assert.equal(count.get(), 1);
  } finally {
    cleanup();
  }
});

test('batches are bounded and later submissions still run in order', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const queue = new WriteQueue(db, 4);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(async () => insert.run(String(i).padStart(2, '0')))));
    assert.equal(reader.prepare('SELECT COUNT(*) FROM t').pluck().get(), 10);
    await queue.idle();
  } finally {
    cleanup();
  }
});
