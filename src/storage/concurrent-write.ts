/**
 * Raised when another transaction changed first what a write unit read or is
 * writing: the store runs the unit again from its start (PostgreSQL, where
 * units run side by side; SQLite's run one at a time and never see one).
 * Storage raises it when a resource's version moved under a write; code above
 * the store may raise it too, when what it read before taking its locks
 * changed before it held them ($merge, identity/mpi/merge-locks.ts).
 */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}
