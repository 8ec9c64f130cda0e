/**
 * Federation with an external OpenID Connect provider for professionals
 * (issue #4): Socle is the provider's relying party (Pro Santé Connect, a
 * Keycloak realm), maps each identity to a directory Practitioner by its
 * idNat_PS, and finishes its own login interaction as that professional.
 * Off unless SOCLE_OIDC_UPSTREAM_ISSUER is set.
 *
 * Steps, in order: routes (start) → browser-bound-records (state) →
 * upstream-client (discovery, PKCE, token) → id-token → userinfo →
 * map-identity → federated-account → routes (finish) → Socle's provider.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/module.js';
import { publicBaseUrl } from '../../platform/create-engine.js';
import { BrowserBoundRecords, type BoundRecord } from './browser-bound-records.js';
import { registerFederationRoutes, type FederatedLogin, type FederationDeps } from './routes.js';
import { UpstreamClient, type PendingLogin } from './upstream-client.js';
import { LOGIN_PATH, upstreamSettings } from './upstream-settings.js';

export type { FederatedLogin } from './routes.js';

/** A login at the provider may take a while (card reader, e-CPS app); the hand-over after it is immediate. */
const LOGIN_TTL_MS = 10 * 60_000;
const TICKET_TTL_MS = 2 * 60_000;

export interface Federation {
  /** The external issuer, for the login page and the audit trail. */
  readonly issuer: string;
  /** Where the login page's "Pro Santé Connect" button sends the browser for interaction `uid`. */
  loginUrl(uid: string): string;
  registerRoutes(app: FastifyInstance): void;
}

/** What Socle's provider and account store bring (src/auth/index.ts). */
export type FederationHooks = Pick<FederationDeps, 'accounts' | 'interactionOwned' | 'completeLogin'> & {
  /** Socle's public origin, http(s)://host[:port], as the server listens. */
  readonly origin: () => string;
};

/** The federation of this configuration, or undefined when it is off. */
export function createFederation(context: ModuleContext, hooks: FederationHooks): Federation | undefined {
  const settings = upstreamSettings(context.config, hooks.origin);
  if (!settings) return undefined;
  const client = new UpstreamClient(settings);
  const pending = new BrowserBoundRecords(context.collection<BoundRecord<PendingLogin>>('auth.upstream-logins'), context.clock, LOGIN_TTL_MS);
  const accepted = new BrowserBoundRecords(context.collection<BoundRecord<FederatedLogin>>('auth.upstream-tickets'), context.clock, TICKET_TTL_MS);
  return {
    issuer: settings.issuer,
    loginUrl: (uid) => `${LOGIN_PATH}?interaction=${encodeURIComponent(uid)}`,
    registerRoutes(app) {
      registerFederationRoutes(app, {
        client, pending, accepted,
        engine: context.engine,
        fhirBaseUrl: publicBaseUrl(context.config),
        logger: context.logger,
        accounts: hooks.accounts,
        interactionOwned: hooks.interactionOwned,
        completeLogin: hooks.completeLogin,
      });
    },
  };
}
