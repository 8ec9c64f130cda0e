import { raw, sql } from './fragment.js';
import { MIGRATIONS, MIGRATIONS_TABLE, type MigrationTarget } from './schema.js';
import type { SqlRunner } from './sql-store-core.js';

/**
 * Applies the migrations not yet recorded in schema_migrations, in order:
 * those of the given targets (the embedded store migrates its two files
 * apart; PostgreSQL holds every target in one database).
 * The caller runs this inside one transaction (and, on PostgreSQL, under a lock
 * so that two starting servers do not race).
 */
export async function applyMigrations(
  runner: SqlRunner, targets: readonly MigrationTarget[], now: () => Date = () => new Date(),
): Promise<number[]> {
  await runner.execute(raw(MIGRATIONS_TABLE));
  const applied = new Set((await runner.query(raw('SELECT version FROM schema_migrations'))).map((r) => Number(r.version)));
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version) || !targets.includes(migration.target)) continue;
    for (const statement of migration.statements(runner.dialect)) await runner.execute(raw(statement));
    await runner.execute(
      sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${now().toISOString()})`,
    );
    done.push(migration.version);
  }
  return done;
}
