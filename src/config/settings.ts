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

function pattern(env: string, shape: RegExp, fallback: string, description: string): SettingSpec<string> {
  return {
    env,
    description,
    defaultText: fallback,
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      if (!shape.test(raw)) throw new ConfigError(`${env} must match ${shape.source} (got "${raw}")`);
      return raw;
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

/**
 * An absolute http(s) URL without a trailing slash, query or fragment. A base
 * written `…/fhir/` would otherwise make every absolute reference on it look
 * foreign (`…/fhir//Patient/1`), and the access policies refuse foreign ones.
 */
/** An IANA time zone name Node's Intl knows ("Europe/Paris"). */
function timeZone(env: string, fallback: string, description: string): SettingSpec<string> {
  return {
    env,
    description,
    defaultText: fallback,
    parse(raw) {
      const value = raw === undefined || raw === '' ? fallback : raw;
      try {
        // Intl throws a RangeError for a name its tz database lacks.
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return value;
      } catch {
        throw new ConfigError(`${env} must be an IANA time zone such as Europe/Paris (got "${raw}")`);
      }
    },
  };
}

function baseUrl(env: string, description: string): SettingSpec<string> {
  return {
    env,
    description,
    defaultText: '(unset)',
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return '';
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        throw new ConfigError(`${env} must be an absolute http or https URL (got "${raw}")`);
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw new ConfigError(`${env} must be an absolute http or https URL without query, fragment or credentials (got "${raw}")`);
      }
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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
  dataDir: text('SOCLE_DATA_DIR', './data', 'Folder of the embedded store: socle.sqlite (resources, index, module data), audit.sqlite (the audit log), uploads in progress, and on either backend the files of Bulk Data exports (bulk/). Created on first start; back up both files together.'),
  databaseUrl: text('SOCLE_DATABASE_URL', '', 'postgres://user:password@host:5432/db selects PostgreSQL; unset means the embedded SQLite store in the data folder.'),
  maxBody: size('SOCLE_MAX_BODY', '50mb', 'Largest request body accepted (resources, Bundles, Binary uploads); larger ones get 413.'),
  baseUrl: baseUrl('SOCLE_BASE_URL', 'Public base URL of the FHIR API, used in links and Location headers (default http://HOST:PORT/fhir); a trailing slash is dropped. Set it in production: without it the base is taken from each request\'s Host header.'),
  logLevel: oneOf('SOCLE_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'Level of the structured JSON logs.'),
  sqliteSync: oneOf('SOCLE_SQLITE_SYNC', ['full', 'normal'], 'full', 'SQLite durability: full fsyncs every commit (survives power loss); normal survives a process crash only.'),
  pgPoolSize: integer('SOCLE_PG_POOL_SIZE', 10, 1, 500, 'Connections in the PostgreSQL pool.'),
  timeZone: timeZone('SOCLE_TIMEZONE', 'Europe/Paris', 'Time zone (IANA name) of a search date, or a history _since or _at, written with a time but no zone (date=ge2024-05-17T10:00): R4 search.html#date leaves it to the server\'s local time zone. Daylight saving time is followed; in the hour repeated when clocks go back such a time names both instants.'),
  defaultPageSize: integer('SOCLE_DEFAULT_COUNT', 20, 1, 1000, 'Search page size when the client gives no _count.'),
  maxPageSize: integer('SOCLE_MAX_COUNT', 1000, 1, 10000, 'Largest _count honoured; larger values are lowered to it.'),
  demo: oneOf('SOCLE_DEMO', ['auto', 'on', 'off'], 'auto', 'Demo data (a region, its professionals, patients and accounts) on the first start: auto seeds the embedded store unless NODE_ENV=production; a PostgreSQL store is seeded only with on.'),
  demoOrganisations: integer('SOCLE_DEMO_ORGANISATIONS', 40, 0, 100000, 'Organisations (Organization resources: hospitals and their sites, clinics, pharmacies, practices, laboratories) in the demo region, besides the workplaces of the featured professionals.'),
  demoProfessionals: integer('SOCLE_DEMO_PROFESSIONALS', 150, 0, 1000000, 'Professionals in the demo region, besides the featured ones README lists.'),
  demoPatients: integer('SOCLE_DEMO_PATIENTS', 500, 0, 10000000, 'Patients in the demo region, besides the featured ones README lists (duplicates and homonyms included).'),
  demoRegion: pattern('SOCLE_DEMO_REGION', /^\d{2}$/, '32', 'INSEE code of the demo region (32 Hauts-de-France, 11 Île-de-France, 84 Auvergne-Rhône-Alpes…).'),
  demoSeed: integer('SOCLE_DEMO_SEED', 1, 0, 4294967295, 'Seed of the demo generator: the same seed gives the same people, identifiers and ids.'),
  insiRate: integer('SOCLE_INSI_RATE', 60, 1, 1_000_000, 'INSi-like calls ($ins-retrieve, $ins-verify, and the verifications Patient writes with an INS ask for) each client may make per minute, on average; beyond it, 429 with Retry-After. The platform operator and Socle\'s own imports are not limited.'),
  insiBurst: integer('SOCLE_INSI_BURST', 10, 1, 1_000_000, 'INSi-like calls a client may make at once before SOCLE_INSI_RATE applies (token-bucket size).'),
  upstreamIssuer: text('SOCLE_OIDC_UPSTREAM_ISSUER', '', 'Issuer URL of an external OpenID Connect provider for professionals (Pro Santé Connect, a Keycloak realm): when set, Socle is its relying party at /oidc-upstream and maps each identity to a directory Practitioner by national identifier (idNat_PS). Unset disables federation.'),
  upstreamDiscoveryUrl: text('SOCLE_OIDC_UPSTREAM_DISCOVERY_URL', '', 'Discovery document of the external provider (default ISSUER/.well-known/openid-configuration; Pro Santé Connect publishes ISSUER/.well-known/wallet-openid-configuration).'),
  upstreamClientId: text('SOCLE_OIDC_UPSTREAM_CLIENT_ID', '', 'Client id Socle is registered under at the external provider (required with SOCLE_OIDC_UPSTREAM_ISSUER).'),
  upstreamClientSecret: text('SOCLE_OIDC_UPSTREAM_CLIENT_SECRET', '', 'Client secret for the external provider (required with SOCLE_OIDC_UPSTREAM_ISSUER; keep it out of the repository and of logs).'),
  upstreamTokenAuth: oneOf('SOCLE_OIDC_UPSTREAM_TOKEN_AUTH', ['client_secret_basic', 'client_secret_post'], 'client_secret_basic', 'How Socle authenticates at the external token endpoint (OpenID Connect Core §9).'),
  upstreamScope: text('SOCLE_OIDC_UPSTREAM_SCOPE', 'openid scope_all', 'Scopes Socle asks the external provider for (Pro Santé Connect: openid scope_all).'),
  upstreamAcr: text('SOCLE_OIDC_UPSTREAM_ACR', 'eidas1', 'Authentication level requested (acr_values) and required in the ID token (acr); "none" neither asks nor checks.'),
  accessTokenTtl: integer('SOCLE_ACCESS_TOKEN_TTL', 600, 5, 86_400, 'Lifetime in seconds of the access tokens (and ID tokens) the OpenID provider issues; refresh tokens renew them.'),
  sessionIdle: integer('SOCLE_SESSION_IDLE', 1800, 5, 86_400, 'Idle timeout in seconds of a login session at the OpenID provider: after this long without use, the user logs in again.'),
  trustedIssuers: text('SOCLE_TRUSTED_ISSUERS', '', 'External issuers whose access tokens the FHIR API accepts (federation, e.g. Pro Santé Connect): entries separated by spaces; within an entry, the issuer, the URL of its JWKS and optionally the expected audience, separated by vertical bars. The identity is mapped to the directory Practitioner with its idNat_PS (preferred_username); unknown professionals get 403.'),
  corsOrigins: text('SOCLE_CORS_ORIGINS', '*', 'Web origins whose pages may call the FHIR API and the SMART discovery documents from a browser (CORS), separated by spaces, e.g. https://app.example.fr; * allows any origin (tokens are bearer tokens, never cookies, so no credentials are allowed); "off" sends no CORS headers. The OpenID provider\'s endpoints answer CORS for its registered clients on their own.'),
  auditWait: oneOf('SOCLE_AUDIT_WAIT', ['off', 'on'], 'off', 'on: every API response waits until its audit records are on disk (one more fsync of latency per request); off: records are written by group commit within milliseconds and flushed at shutdown, so a power cut can lose the last batch.'),
  profileValidation: oneOf('SOCLE_PROFILE_VALIDATION', ['declared', 'off'], 'declared', 'declared: every write of a resource that declares in meta.profile a profile this server knows (a StructureDefinition stored here, or one of HL7\'s R4 profiles and extensions) is validated against it, and refused (422) when it breaks it; declared profiles the server does not know are not checked. off: writes are checked against the base R4 definitions only. $validate checks the declared profiles either way.'),
  bulkMaxJobs: integer('SOCLE_BULK_MAX_JOBS', 2, 1, 64, 'Bulk Data exports ($export) each process runs at once; a kick-off beyond it gets 429 with Retry-After. Each running export reads one search page at a time.'),
  bulkFileSize: size('SOCLE_BULK_FILE_SIZE', '256mb', 'Largest NDJSON file of a Bulk Data export: a resource type with more is split into several files.'),
  bulkExpiry: integer('SOCLE_BULK_EXPIRY', 86_400, 60, 31_536_000, 'Seconds a finished Bulk Data export (its status and files under SOCLE_DATA_DIR/bulk) is kept after it ends; then both are deleted.'),
} as const;

export type Settings = typeof settings;
export type Config = { readonly [K in keyof Settings]: ReturnType<Settings[K]['parse']> };
