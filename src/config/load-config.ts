import { settings, type Config } from './settings.js';

/**
 * Reads and validates the configuration once, at start; the result is frozen
 * and passed explicitly to whoever needs it (no global getter).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(settings)) {
    config[key] = spec.parse(env[spec.env]);
  }
  return Object.freeze({ ...(config as Config), ...overrides });
}

/** The README table of settings, generated from the same definitions. */
export function configurationTable(): string {
  const rows = Object.values(settings).map((s) => `| \`${s.env}\` | \`${s.defaultText}\` | ${s.description} |`);
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
