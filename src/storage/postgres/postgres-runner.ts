import type pg from 'pg';
import { postgresDialect } from '../sql/dialect.js';
import { render, type Sql } from '../sql/fragment.js';
import type { Row, SqlRunner } from '../sql/sql-store-core.js';

/** Anything that can run a query: the pool (autocommit reads) or one checked-out client (a transaction). */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export class PostgresRunner implements SqlRunner {
  readonly dialect = postgresDialect;

  constructor(
    private readonly target: Queryable,
    private readonly onQuery?: (operation: string, milliseconds: number) => void,
  ) {}

  async query(fragment: Sql): Promise<Row[]> {
    const { text, values } = render(fragment, postgresDialect.placeholder);
    const started = this.onQuery ? performance.now() : 0;
    const result = await this.target.query(text, values);
    this.onQuery?.('query', performance.now() - started);
    return result.rows as Row[];
  }

  async queryTuples(fragment: Sql): Promise<unknown[][]> {
    const { text, values } = render(fragment, postgresDialect.placeholder);
    const started = this.onQuery ? performance.now() : 0;
    const result = await this.target.query({ text, values, rowMode: 'array' });
    this.onQuery?.('query', performance.now() - started);
    return result.rows as unknown[][];
  }

  async executeText(text: string, values: readonly unknown[]): Promise<number> {
    const started = this.onQuery ? performance.now() : 0;
    const result = await this.target.query(text, values as unknown[]);
    this.onQuery?.('execute', performance.now() - started);
    return result.rowCount ?? 0;
  }

  async insertReturningKey(fragment: Sql, keyColumn: string): Promise<number> {
    const { text, values } = render(fragment, postgresDialect.placeholder);
    const started = this.onQuery ? performance.now() : 0;
    const result = await this.target.query(`${text} RETURNING ${keyColumn}`, values);
    this.onQuery?.('execute', performance.now() - started);
    return Number((result.rows[0] as Row | undefined)?.[keyColumn]);
  }

  async execute(fragment: Sql): Promise<number> {
    const { text, values } = render(fragment, postgresDialect.placeholder);
    const started = this.onQuery ? performance.now() : 0;
    const result = await this.target.query(text, values);
    this.onQuery?.('execute', performance.now() - started);
    return result.rowCount ?? 0;
  }
}
