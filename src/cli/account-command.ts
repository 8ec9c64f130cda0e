/**
 * `socle account`: the accounts of the login service, for operators who run
 * the server (same environment as the server):
 *   socle account create <login>   create or replace an account: a professional's idNat_PS,
 *                                   a patient's INS or an operator name; prints a new random
 *                                   password and TOTP secret once (never stored in clear)
 *   socle account unlock <login>   lift a lockout after repeated failures
 *   socle account list             logins and kinds (no secrets)
 */
import { randomBytes } from 'node:crypto';
import type { AuthModule } from '../auth/index.js';
import { totpUri } from '../auth/accounts/totp.js';
import { isFhirError } from '../core/errors.js';
import { translate } from '../core/i18n/translate.js';
import { withPlatform, type CliCommand } from './command.js';

export const accountCommand: CliCommand = {
  name: 'account',
  usage: 'account create <login> | unlock <login> | list',
  summary: 'create, unlock or list login accounts',
  async run([action, login]) {
    if (!(action === 'list' || ((action === 'create' || action === 'unlock') && login))) {
      console.error('socle account: give create <login>, unlock <login> or list.');
      return 2;
    }
    return withPlatform(async (platform) => {
      const auth = platform.modules.find((m) => m.name === 'auth') as AuthModule;
      try {
        if (action === 'list') {
          for (let page = await auth.accounts.list(undefined, 500); page.length > 0; page = await auth.accounts.list(page[page.length - 1]!.id, 500)) {
            for (const account of page) console.log(`${account.id}\t${account.kind}${account.lockedUntil && account.lockedUntil > Date.now() ? '\tlocked' : ''}`);
          }
          return 0;
        }
        if (action === 'unlock') {
          if (await auth.accounts.unlock(login!)) return 0;
          console.error(`socle account: ${translate('auth.account-not-found', { login: login!.slice(0, 64) }, 'en')}`);
          return 1;
        }
        const password = randomBytes(18).toString('base64url');
        const account = await auth.createAccount({ login: login!, password });
        console.log(`login: ${account.id}\nkind: ${account.kind}\npassword: ${password}\ntotp secret: ${account.totpSecret}\ntotp uri: ${totpUri(account.totpSecret, account.id)}`);
        console.error('Give these to the account holder by a safe channel: they are shown only now.');
        return 0;
      } catch (error) {
        if (!isFhirError(error)) throw error;
        const issue = error.issues[0]!;
        console.error(`socle account: ${translate(issue.message, issue.params ?? {}, 'en')}`);
        return 1;
      }
    });
  },
};
