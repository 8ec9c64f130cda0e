/**
 * The resources' file is checkpointed on a thread of its own, between two
 * batches of the write queue (checkpoint-thread.ts): the WAL must restart
 * (else it grows without bound under a steady write load), nothing written
 * may be lost, and closing the file must wait for a checkpoint under way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFile } from './sqlite-file.js';

/** The WAL header's checkpoint sequence number (https://sqlite.org/fileformat2.html#walformat): it grows each time the WAL restarts. */
function walCheckpointSequence(file: string): number {
  const fd = openSync(`${file}-wal`, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

const PADDING = 'x'.repeat(2000);

async function writeBatches(file: SqliteFile, batches: number, rowsPerBatch: number): Promise<void> {
  const insert = file.writeDb.prepare('INSERT INTO t (n, pad) VALUES (?, ?)');
  let n = (file.writeDb.prepare('SELECT COALESCE(MAX(n) + 1, 0) FROM t').pluck().get() as number);
  for (let b = 0; b < batches; b += 1) {
    await Promise.all(Array.from({ length: rowsPerBatch }, () => {
      const value = n++;
      return file.submit(async () => insert.run(value, PADDING));
    }));
  }
}

test('under a steady write load the thread checkpoints, the WAL restarts and stays bounded, and every row is kept', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'socle-checkpoint-'));
  const path = join(folder, 'c.sqlite');
  try {
    const file = await SqliteFile.open({ file: path, targets: [], durable: true, checkpointThread: true, checkpointRows: 300 });
    await file.submit(async () => file.writeDb.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT NOT NULL)'));
    // The thread starts with the first checkpoint (slowly from the sources, through tsx): let it come up.
    await writeBatches(file, 5, 100);
    const until = Date.now() + 20_000;
    while (file.checkpoints === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    // Then 40 batches of 100 rows of 2 KB: about 8 MB through the WAL.
    await writeBatches(file, 40, 100);
    const checkpoints = file.checkpoints;
    const sequence = walCheckpointSequence(path);
    const walBytes = statSync(`${path}-wal`).size;
    await file.close();

    assert.ok(checkpoints >= 5, `checkpoints on the thread: ${checkpoints}`);
    assert.ok(sequence >= 5, `WAL restarts: ${sequence}`);
    assert.ok(walBytes < 3 * 1024 * 1024, `the WAL stays well below the 8 MB written through it (${walBytes} bytes)`);
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 4500);
      assert.equal(db.prepare('SELECT MAX(n) FROM t').pluck().get(), 4499);
    } finally {
      db.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('closing right after the writes that trigger a checkpoint waits for it and leaves no thread behind', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'socle-checkpoint-'));
  const path = join(folder, 'c.sqlite');
  try {
    const file = await SqliteFile.open({ file: path, targets: [], durable: false, checkpointThread: true, checkpointRows: 50 });
    await file.submit(async () => file.writeDb.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT NOT NULL)'));
    await writeBatches(file, 1, 100);
    await file.close();
    // A thread left running would keep this test's process alive and hold the file open; reopening for writing proves the lock free.
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      assert.equal(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 100);
      db.prepare('INSERT INTO t (n, pad) VALUES (?, ?)').run(1000, 'y');
    } finally {
      db.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('once writes pause, what the WAL holds is checkpointed even below the row threshold, and the checkpoint is timed', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'socle-checkpoint-'));
  const path = join(folder, 'c.sqlite');
  try {
    const timed: string[] = [];
    const onQuery = (operation: string): void => {
      if (operation.startsWith('checkpoint')) timed.push(operation);
    };
    const file = await SqliteFile.open({ file: path, targets: [], durable: false, checkpointThread: true, checkpointRows: 1_000_000, onQuery });
    await file.submit(async () => file.writeDb.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT NOT NULL)'));
    await writeBatches(file, 3, 10);
    const until = Date.now() + 20_000;
    while (file.checkpoints === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(file.checkpoints, 1, 'one checkpoint after the pause, none before the threshold');
    // It shows in the database timings (/metrics), with the pause it imposed on writes.
    assert.deepEqual(timed, ['checkpoint', 'checkpoint-pause']);
    await file.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a reader that keeps its snapshot makes the checkpoint give up instead of stalling writes; the next one succeeds once it has left', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'socle-checkpoint-'));
  const path = join(folder, 'c.sqlite');
  try {
    const file = await SqliteFile.open({ file: path, targets: [], durable: false, checkpointThread: true, checkpointRows: 50 });
    await file.submit(async () => file.writeDb.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT NOT NULL)'));
    // A first checkpoint, so that the thread is up before the reader comes.
    await writeBatches(file, 1, 100);
    let until = Date.now() + 20_000;
    while (file.checkpoints === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(file.checkpoints, 1);
    await writeBatches(file, 1, 10);
    // Another connection (a backup tool, an operator's sqlite3) holds a read snapshot that needs the WAL.
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM t').get();
    const started = Date.now();
    // Enough rows for several checkpoints, each of which finds the reader in its way.
    for (let round = 0; round < 10; round += 1) {
      await writeBatches(file, 1, 100);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A liveness bound, not a speed figure: waiting out a long busy timeout behind the reader would take far longer.
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5_000, `writes went on while the reader held its snapshot (${elapsed} ms)`);
    assert.equal(file.checkpoints, 1, 'no checkpoint could restart the WAL under the reader');
    reader.exec('COMMIT');
    reader.close();
    await writeBatches(file, 1, 100);
    until = Date.now() + 20_000;
    while (file.checkpoints === 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(file.checkpoints >= 2, 'a checkpoint succeeds once the reader has left');
    await file.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
