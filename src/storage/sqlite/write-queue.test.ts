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
    const queue = new WriteQueue(db, { maxBatch: 4 });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(async () => insert.run(String(i).padStart(2, '0')))));
    assert.equal(reader.prepare('SELECT COUNT(*) FROM t').pluck().get(), 10);
    await queue.idle();
  } finally {
    cleanup();
  }
});

test('a batch commits once its time budget is spent; the units left run next, in order', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    let commits = 0;
    const queue = new WriteQueue(db, { budgetMs: 20, committed: () => { commits += 1; } });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const order: number[] = [];
    const busy = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(async () => {
      busy(10);
      order.push(i);
      insert.run(String(i).padStart(2, '0'));
    })));
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(reader.prepare('SELECT COUNT(*) FROM t').pluck().get(), 10);
    // 10 ms per unit and 20 ms per batch: at most three units per commit.
    assert.ok(commits >= 4, `${commits} commits`);
    await queue.idle();
  } finally {
    cleanup();
  }
});

/** A flush the test ends by hand, to see what the queue does meanwhile. */
function manualFlushes(): { durable: () => Promise<void>; started: () => number; finish: (index: number, error?: Error) => void } {
  const flushes: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    durable: () => new Promise<void>((resolve, reject) => flushes.push({ resolve, reject })),
    started: () => flushes.length,
    finish: (index, error) => (error ? flushes[index]?.reject(error) : flushes[index]?.resolve()),
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('the next batch commits while the previous flush runs; batches committed meanwhile share the next flush; answers keep commit order', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const flushes = manualFlushes();
    const queue = new WriteQueue(db, { durable: flushes.durable });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const count = reader.prepare('SELECT COUNT(*) FROM t').pluck();
    const answered: string[] = [];
    const submit = (v: string): Promise<void> => queue.submit(async () => void insert.run(v)).then(() => void answered.push(v));

    const a = submit('a');
    await turn();
    await turn();
    assert.equal(flushes.started(), 1, "a's batch committed and its flush started");
    const b = submit('b');
    await turn();
    await turn();
    const c = submit('c');
    await turn();
    await turn();
    assert.equal(count.get(), 3, 'b and c committed during the first flush');
    assert.equal(flushes.started(), 1, 'their flush waits for the running one');
    assert.deepEqual(answered, [], 'nothing is answered before its flush');

    flushes.finish(0);
    await a;
    assert.deepEqual(answered, ['a']);
    assert.equal(flushes.started(), 2, 'one flush for both b and c');
    flushes.finish(1);
    await Promise.all([b, c]);
    assert.deepEqual(answered, ['a', 'b', 'c']);
    await queue.idle();
  } finally {
    cleanup();
  }
});

test('a failed flush fails the units of the batches that waited on it, and only those', async () => {
  const { db, cleanup } = openDatabase();
  try {
    const flushes = manualFlushes();
    const queue = new WriteQueue(db, { durable: flushes.durable });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const first = queue.submit(async () => insert.run('a'));
    await turn();
    await turn();
    flushes.finish(0, new Error('disk gone'));
    await assert.rejects(first, /disk gone/);
    const second = queue.submit(async () => insert.run('b'));
    await turn();
    await turn();
    flushes.finish(1);
    await second;
    await queue.idle();
  } finally {
    cleanup();
  }
});

test('an exclusive task runs after the batches submitted before it, outside any transaction, and holds later units back', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const queue = new WriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const count = reader.prepare('SELECT COUNT(*) FROM t').pluck();
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = queue.submit(async () => {
      insert.run('before');
      events.push('before');
    });
    const exclusive = queue.exclusive(async () => {
      events.push(`exclusive: in transaction ${db.inTransaction}, committed rows ${String(count.get())}`);
      await held;
      events.push('exclusive ends');
      return 'done';
    });
    const after = queue.submit(async () => {
      insert.run('after');
      events.push('after');
    });
    // The task is waiting on `held`: the unit submitted after it must not have run.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(events, ['before', 'exclusive: in transaction false, committed rows 1']);
    release();
    assert.equal(await exclusive, 'done');
    await Promise.all([before, after]);
    assert.deepEqual(events, ['before', 'exclusive: in transaction false, committed rows 1', 'exclusive ends', 'after']);
    assert.equal(count.get(), 2);
  } finally {
    cleanup();
  }
});

test('a failing exclusive task rejects alone; the queue goes on', async () => {
  const { db, reader, cleanup } = openDatabase();
  try {
    const queue = new WriteQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const failing = queue.exclusive(async () => {
      throw new Error('checkpoint failed');
    });
    const unit = queue.submit(async () => insert.run('x'));
    await assert.rejects(failing, /checkpoint failed/);
    await unit;
    assert.equal(reader.prepare('SELECT COUNT(*) FROM t').pluck().get(), 1);
  } finally {
    cleanup();
  }
});
