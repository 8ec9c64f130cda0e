/**
 * The demo accounts and apps (README, "Demo accounts"), seeded on the first
 * start of a demo store: the operator `admin`, an account for each featured
 * professional (login = idNat_PS) and patient (login = INS), a public SMART
 * app with PKCE and a confidential system client. Their secrets are fixed
 * and published, for demonstrations only: a production start refuses a
 * store that holds them (index.ts).
 */
import type { Logger } from '../../server/observability/logger.js';
import { FEATURED_PATIENTS, FEATURED_PROFESSIONALS } from '../../demo/featured.js';
import { isFhirError } from '../../core/errors.js';
import type { AccountStore } from './account-store.js';
import { createAccount } from './create-account.js';
import type { FhirLookup } from './fhir-lookup.js';
import { DEMO_CLIENT_PREFIX, type ClientRegistry } from '../oidc/clients.js';

/** Published demo secrets: never valid outside a demo store. */
export const DEMO_SECRETS = {
  adminPassword: 'socle-admin-demo',
  userPassword: 'socle-demo-2026',
  /** Base32 TOTP secret shared by every demo account (RFC 6238, SHA-1, 6 digits, 30 s). */
  totpSecret: 'SOCLEDEMOTOTPSECRETFORDEMOSONLY2',
  systemClientSecret: 'socle-demo-system-secret',
} as const;

export const DEMO_APP = {
  clientId: `${DEMO_CLIENT_PREFIX}app`,
  redirectUri: 'http://localhost:8090/callback',
  postLogoutRedirectUri: 'http://localhost:8090/',
} as const;
export const DEMO_SYSTEM_CLIENT_ID = `${DEMO_CLIENT_PREFIX}system`;

export async function seedDemoAccounts(accounts: AccountStore, lookup: FhirLookup, clients: ClientRegistry, logger: Logger, progress: (message: string) => void): Promise<number> {
  let created = 0;
  const logins = [
    { login: 'admin', password: DEMO_SECRETS.adminPassword },
    ...FEATURED_PROFESSIONALS.map((p) => ({ login: p.idNatPs, password: DEMO_SECRETS.userPassword })),
    ...FEATURED_PATIENTS.map((p) => ({ login: p.ins, password: DEMO_SECRETS.userPassword })),
  ];
  for (const { login, password } of logins) {
    try {
      await createAccount(accounts, lookup, { login, password, totpSecret: DEMO_SECRETS.totpSecret, demo: true });
      created++;
    } catch (error) {
      // A featured person the demo data lacks: no account, said once (the catalogue key only, no personal data).
      if (!isFhirError(error)) throw error;
      logger.warn({ reason: error.issues[0]?.message }, 'demo account skipped');
    }
  }
  progress(`demo: ${created} accounts`);
  await clients.register({
    client_name: 'Application SMART de démonstration',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [DEMO_APP.redirectUri],
    post_logout_redirect_uris: [DEMO_APP.postLogoutRedirectUri],
    scope: 'openid fhirUser profile offline_access online_access launch launch/patient launch/encounter scope_all patient/*.cruds user/*.cruds',
  }, { clientId: DEMO_APP.clientId });
  await clients.register({
    client_name: 'Client système de démonstration',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    scope: 'system/*.rs',
  }, { clientId: DEMO_SYSTEM_CLIENT_ID, secret: DEMO_SECRETS.systemClientSecret });
  return created;
}
