/**
 * The durability barrier of the embedded store, off the event loop.
 *
 * With synchronous=FULL, SQLite fsyncs the WAL inside COMMIT, blocking the
 * event loop for the length of a disk flush. Instead the write connection
 * commits with synchronous=NORMAL (the WAL is written, not flushed) and the
 * group-commit queue awaits `sync()` — an fdatasync of the WAL in libuv's
 * thread pool — before acknowledging any unit of the batch. The guarantee is
 * FULL's (an acknowledged write survives power loss), while reads go on
 * being served during the flush, and units arriving meanwhile gather into the
 * next, larger batch.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private constructor(private readonly wal: FileHandle | undefined) {}

  /** `durable` false (SOCLE_SQLITE_SYNC=normal): no flush, a process crash is still survived. */
  static async open(databaseFile: string, durable: boolean): Promise<WalSync> {
    // The write connection has created the WAL file by now (journal_mode=WAL, migrations).
    return new WalSync(durable ? await open(`${databaseFile}-wal`, 'r+') : undefined);
  }

  async sync(): Promise<void> {
    await this.wal?.datasync();
  }

  async close(): Promise<void> {
    await this.wal?.close();
  }
}
