/**
 * How federation joins Socle's own provider: `withFederation(authModule)` in
 * src/platform/modules.ts. It takes from the auth module (src/auth/index.ts)
 * its account store, its public origin, the oidc-provider instance (to check
 * that a browser owns an interaction) and finishLogin (to end the login step
 * as the federated account), and adds the federation routes after the auth
 * module's own. Without SOCLE_OIDC_UPSTREAM_ISSUER the module is unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModuleFactory, SocleModule } from '../../platform/module.js';
import type { FederatedAccounts } from './federated-account.js';
import { createFederation, type FederationHooks } from './index.js';

export interface SocleProviderSide {
  readonly accounts: FederatedAccounts;
  endpoints(): { readonly origin: string };
  provider(): Promise<{ interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ readonly uid: string }> }>;
  finishLogin(req: IncomingMessage, res: ServerResponse, accountId: string, method: { acr: string; amr: readonly string[] }): Promise<string>;
}

/**
 * The external provider's acr travels into Socle's ID token (eidas1 from Pro
 * Santé Connect); without one, "0" — OpenID Connect Core §2: a level that
 * meets no ISO/IEC 29115 level — rather than a level nobody asserted.
 */
const UNASSERTED_ACR = '0';

export function federationHooks(side: SocleProviderSide): FederationHooks {
  return {
    accounts: side.accounts,
    origin: () => side.endpoints().origin,
    async interactionOwned(request, reply, uid) {
      // interactionDetails reads the interaction cookie scoped to /interaction/<uid>: only the owner's browser has it.
      const details = await (await side.provider()).interactionDetails(request.raw, reply.raw).catch(() => undefined);
      return details?.uid === uid;
    },
    completeLogin: (request, reply, login) =>
      side.finishLogin(request.raw, reply.raw, login.accountId, { acr: login.acr ?? UNASSERTED_ACR, amr: login.amr ?? [] }),
  };
}

function isProviderSide(module: SocleModule): module is SocleModule & SocleProviderSide {
  const side = module as Partial<SocleProviderSide>;
  return typeof side.accounts?.get === 'function' && typeof side.endpoints === 'function' && typeof side.provider === 'function' && typeof side.finishLogin === 'function';
}

/** The auth module's factory, with the federation routes added when SOCLE_OIDC_UPSTREAM_ISSUER is set. */
export function withFederation(factory: ModuleFactory): ModuleFactory {
  return async (context) => {
    const auth = await factory(context);
    // A programming error, not a configuration one: the wrapped factory must be the auth module's.
    if (!isProviderSide(auth)) throw new Error(`withFederation: module ${auth.name} has no accounts, endpoints, provider and finishLogin`);
    const federation = createFederation(context, federationHooks(auth));
    if (!federation) return auth;
    return {
      ...auth,
      async registerRoutes(app) {
        await auth.registerRoutes?.(app);
        federation.registerRoutes(app);
      },
    };
  };
}
