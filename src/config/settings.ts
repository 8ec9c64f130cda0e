/**
 * Every setting Socle reads from its environment, with its default and its
 * documentation. README's configuration table is generated from this list
 * (`node --import tsx scripts/config-table.ts`) and a test keeps them in step.
 */

export interface SettingSpec<T> {
  readonly env: string;
  readonly description: string;
  /** The default as written in documentation. */
  readonly defaultText: string;
  readonly parse: (raw: string | undefined) => T;
}

function text(env: string, fallback: string, description: string): SettingSpec<string> {
  return { env, description, defaultText: fallback === '' ? '(unset)' : fallback, parse: (raw) => (raw === undefined || raw === '' ? fallback : raw) };
}

function integer(env: string, fallback: number, min: number, max: number, description: string): SettingSpec<number> {
  return {
    env,
    description,
    defaultText: String(fallback),
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${env} must be an integer between ${min} and ${max} (got "${raw}")`);
      }
      return value;
    },
  };
}

function oneOf<const T extends string>(env: string, values: readonly T[], fallback: T, description: string): SettingSpec<T> {
  return {
    env,
    description: `${description} One of: ${values.join(', ')}.`,
    defaultText: fallback,
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      const value = raw.toLowerCase() as T;
      if (!values.includes(value)) throw new ConfigError(`${env} must be one of ${values.join(', ')} (got "${raw}")`);
      return value;
    },
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

/** Parses "50mb", "512 KB", "1048576" into bytes. */
export function parseSize(raw: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  return Math.floor(Number(match[1]) * unit);
}

function size(env: string, fallback: string, description: string): SettingSpec<number> {
  return {
    env,
    description,
    defaultText: fallback,
    parse(raw) {
      const value = parseSize(raw === undefined || raw === '' ? fallback : raw);
      if (value === undefined || value < 1024) throw new ConfigError(`${env} must be a size such as 50mb or 1048576, at least 1kb (got "${raw}")`);
      return value;
    },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const settings = {
  port: integer('PORT', 8080, 0, 65535, 'TCP port the HTTP server listens on (0 picks a free port).'),
  host: text('HOST', '127.0.0.1', 'Address the HTTP server binds to. Use 0.0.0.0 to accept connections from other machines.'),
  dataDir: text('SOCLE_DATA_DIR', './data', 'Folder of the embedded store (SQLite file, uploads in progress). Created on first start.'),
  databaseUrl: text('SOCLE_DATABASE_URL', '', 'postgres://user:password@host:5432/db selects PostgreSQL; unset means the embedded SQLite store in the data folder.'),
  maxBody: size('SOCLE_MAX_BODY', '50mb', 'Largest request body accepted (resources, Bundles, Binary uploads); larger ones get 413.'),
  baseUrl: text('SOCLE_BASE_URL', '', 'Public base URL of the FHIR API, used in links and Location headers (default http://HOST:PORT/fhir).'),
  logLevel: oneOf('SOCLE_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'Level of the structured JSON logs.'),
  sqliteSync: oneOf('SOCLE_SQLITE_SYNC', ['full', 'normal'], 'full', 'SQLite durability: full fsyncs every commit (survives power loss); normal survives a process crash only.'),
  pgPoolSize: integer('SOCLE_PG_POOL_SIZE', 10, 1, 500, 'Connections in the PostgreSQL pool.'),
  defaultPageSize: integer('SOCLE_DEFAULT_COUNT', 20, 1, 1000, 'Search page size when the client gives no _count.'),
  maxPageSize: integer('SOCLE_MAX_COUNT', 1000, 1, 10000, 'Largest _count honoured; larger values are lowered to it.'),
  demo: oneOf('SOCLE_DEMO', ['auto', 'on', 'off'], 'auto', 'Demo data (a region, its professionals, patients and accounts) on the first start: auto seeds the embedded store unless NODE_ENV=production; a PostgreSQL store is seeded only with on.'),
} as const;

export type Settings = typeof settings;
export type Config = { readonly [K in keyof Settings]: ReturnType<Settings[K]['parse']> };
