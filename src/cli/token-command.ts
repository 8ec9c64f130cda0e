/**
 * `socle token`: prints an access token for the FHIR API (issue #4), minted
 * with the server's own signing keys, so only someone who holds the server's
 * data folder and database settings can run it:
 *   socle token --admin [--scope "system/*.rs"] [--ttl 900]   operator token (system scopes)
 *   socle token --user <login> [--scope "…"] [--ttl 900]       token for any account
 * The token names the issuer and audience the server uses (SOCLE_BASE_URL, or
 * http://HOST:PORT), so run it with the server's environment.
 */
import type { AuthModule } from '../auth/index.js';
import { isFhirError } from '../core/errors.js';
import { translate } from '../core/i18n/translate.js';
import { withPlatform, type CliCommand } from './command.js';

const DEFAULT_TTL = 900;
const MAX_TTL = 86_400;

interface TokenArgs {
  readonly login?: string;
  readonly scope?: string;
  readonly ttl: number;
}

/** Parses the arguments; a message (for stderr) when they are wrong. */
export function parseTokenArgs(args: readonly string[]): TokenArgs | string {
  let admin = false;
  let login: string | undefined;
  let scope: string | undefined;
  let ttl = DEFAULT_TTL;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--admin') admin = true;
    else if (arg === '--user' && value) { login = value; i++; }
    else if (arg === '--scope' && value) { scope = value; i++; }
    else if (arg === '--ttl' && value) {
      ttl = Number(value);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL) return `--ttl must be a number of seconds between 1 and ${MAX_TTL}`;
      i++;
    } else return `unexpected argument "${arg}"`;
  }
  if (admin === (login !== undefined)) return 'give either --admin or --user <login>';
  return { ...(login ? { login } : {}), ...(scope ? { scope } : {}), ttl };
}

export const tokenCommand: CliCommand = {
  name: 'token',
  usage: 'token --admin | --user <login> [--scope "…"] [--ttl seconds]',
  summary: 'print an access token for the FHIR API (operator or any account)',
  async run(args) {
    const parsed = parseTokenArgs(args);
    if (typeof parsed === 'string') {
      console.error(`socle token: ${parsed}.`);
      return 2;
    }
    return withPlatform(async (platform) => {
      const auth = platform.modules.find((m) => m.name === 'auth') as AuthModule | undefined;
      if (!auth) {
        console.error('socle token: the auth module is not part of this platform.');
        return 1;
      }
      try {
        const { token, scopes } = await auth.mintToken(parsed.login, parsed.scope, parsed.ttl);
        console.error(`Scopes: ${scopes.join(' ')} — valid ${parsed.ttl} s — issuer ${auth.endpoints().issuer}`);
        console.log(token);
        return 0;
      } catch (error) {
        if (!isFhirError(error)) throw error;
        const issue = error.issues[0]!;
        console.error(`socle token: ${translate(issue.message, issue.params ?? {}, 'en')}`);
        return 1;
      }
    });
  },
};
