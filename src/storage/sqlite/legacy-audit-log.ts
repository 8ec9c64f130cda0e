/**
 * Data folders written before the audit log had a file of its own hold it in
 * socle.sqlite (migration 3) with the chain's head as a module document
 * (`audit.chain`). This moves both into audit.sqlite, once, at open. Each step
 * can be repeated: a crash between the copy and the clean-up leaves rows that
 * the next open copies again without duplicating them (INSERT OR IGNORE on the
 * sequence), so that no trace is lost and none counted twice.
 */
import type Database from 'better-sqlite3';

const COLUMNS = 'seq, id, recorded, written, patient, agent, agent_ident, action, outcome, subtype, entities, content, hash';

/** Moves a legacy audit log from the main file (`mainDb`, its write connection) to `auditFile`; returns the rows moved. */
export function moveLegacyAuditLog(mainDb: Database.Database, auditFile: string): number {
  const legacy = mainDb.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'`).get();
  if (!legacy) return 0;
  mainDb.prepare('ATTACH DATABASE ? AS audit').run(auditFile);
  try {
    // Two files are never committed atomically together (WAL): copy and commit first, then clean up.
    const moved = mainDb.transaction(() => {
      const copied = mainDb.prepare(`INSERT OR IGNORE INTO audit.audit_log (${COLUMNS}) SELECT ${COLUMNS} FROM main.audit_log`).run().changes;
      mainDb
        .prepare(
          `INSERT OR IGNORE INTO audit.audit_head (id, seq, hash)
           SELECT 1, json_extract(value, '$.sequence'), json_extract(value, '$.hash') FROM main.kv_documents
           WHERE collection = 'audit.chain' AND key = 'head'`,
        )
        .run();
      return copied;
    }).immediate();
    mainDb.transaction(() => {
      mainDb.exec(`DROP TABLE main.audit_log`);
      mainDb.exec(`DELETE FROM main.kv_documents WHERE collection = 'audit.chain'`);
    }).immediate();
    return moved;
  } finally {
    mainDb.exec('DETACH DATABASE audit');
  }
}
