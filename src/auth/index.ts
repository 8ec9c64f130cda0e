/**
 * The auth module (issue #4, login part): Socle's OpenID Connect provider
 * (node oidc-provider, issuer <origin>/oidc) with its login, two-factor,
 * consent and logout pages, the accounts, SMART on FHIR's configuration and
 * launch contexts, and the registration of applications.
 *
 * Data, all in the module's own collections: auth.accounts, auth.signing-keys,
 * auth.secrets (cookie and CSRF keys), auth.oidc.<Model> (the provider's
 * sessions, grants, codes, refresh tokens, interactions and clients),
 * auth.smart.launches / auth.smart.grants (launch contexts), auth.revoked-tokens,
 * auth.pending-logins (a password accepted, waiting for its code).
 *
 * Other modules use: endpoints() (issuer and FHIR audience of the tokens),
 * verifyToken() / isRevoked() (bearer checks), finishLogin() (federation).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { decodeJwt } from 'jose';
import { fail } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { publicBaseUrl } from '../platform/create-engine.js';
import type { ModuleFactory, SocleModule } from '../platform/module.js';
import { AccountStore } from './accounts/account-store.js';
import type { Account } from './accounts/account.js';
import { AddressLimiter } from './accounts/address-limiter.js';
import { createAccount, type CreateAccountInput } from './accounts/create-account.js';
import { seedDemoAccounts } from './accounts/demo-accounts.js';
import { FhirLookup } from './accounts/fhir-lookup.js';
import { collectionAdapterFactory, MODEL_LOOKUPS, type StoredModel } from './oidc/adapter.js';
import { ClientRegistry } from './oidc/clients.js';
import { providerConfiguration } from './oidc/configuration.js';
import { mintDirectToken } from './oidc/direct-tokens.js';
import { makeFindAccount } from './oidc/find-account.js';
import { finishInteractionLogin, registerInteractionRoutes, type LoginMethod, type PendingLogin } from './oidc/interaction.js';
import { endpointsOf, type Endpoints } from './oidc/issuer.js';
import { JwtAccessTokens, stringClaim, type RevokedToken } from './oidc/jwt-access-tokens.js';
import { mountProvider } from './oidc/mount.js';
import { ProviderHost } from './oidc/provider-host.js';
import { startSweeper } from './oidc/sweeper.js';
import { withCatalogueErrors } from './oidc/route-errors.js';
import { registerDsfrAssets } from './pages/assets.js';
import { providerPages } from './pages/provider-pages.js';
import { registerAdminRoutes } from './smart/admin-routes.js';
import { LaunchContexts, type StoredGrantContext, type StoredLaunch } from './smart/launch-contexts.js';
import { registerSmartConfiguration, smartCapabilitySecurity } from './smart/smart-configuration.js';
import { jwksOf, verifyAccessToken } from './tokens/access-token.js';
import { SigningKeyStore, type StoredSigningKey } from './tokens/key-store.js';

interface Secrets {
  readonly cookieKeys: readonly string[];
  readonly csrfKey: string;
}

export interface AuthModule extends SocleModule {
  readonly name: 'auth';
  readonly accounts: AccountStore;
  readonly keyStore: SigningKeyStore;
  readonly clients: ClientRegistry;
  readonly launches: LaunchContexts;
  /** Issuer and FHIR audience of Socle's tokens, for the server as it listens. */
  endpoints(): Endpoints;
  provider(): Promise<Provider>;
  createAccount(input: CreateAccountInput): Promise<Account>;
  /** Verifies a Socle access token (signature, issuer, audience, expiry, revocation); undefined when not acceptable. */
  verifyToken(token: string): Promise<Principal | undefined>;
  /** Whether the access token with this jti was revoked, or the grant (`socle_grant`) or login session (`socle_session`) it was issued under is gone. */
  isRevoked(jti: string, grantId?: string, sessionUid?: string): Promise<boolean>;
  /** Retires the signing key and makes a new one; the provider picks it up at once. */
  rotateKeys(): Promise<void>;
  mintToken(login: string | undefined, scope: string | undefined, ttlSeconds: number): Promise<{ token: string; scopes: string[] }>;
  /** Ends the login step of an interaction for `accountId` (federation): returns where to send the browser. */
  finishLogin(req: IncomingMessage, res: ServerResponse, accountId: string, method?: LoginMethod): Promise<string>;
}

/** Production starts (README): a PostgreSQL store, or NODE_ENV=production, unless SOCLE_DEMO=on. */
function productionStart(config: { databaseUrl: string; demo: string }): boolean {
  return config.demo !== 'on' && (config.databaseUrl !== '' || process.env.NODE_ENV === 'production');
}

export const authModule: ModuleFactory = async (context): Promise<AuthModule> => {
  const { config, clock, logger } = context;
  const now = () => clock.now();
  const secretsCollection = context.collection<Secrets | { seededAt: number }>('auth.secrets');
  if (productionStart(config) && (await secretsCollection.get('demo-seeded'))) {
    throw fail('auth.demo-secret-in-production', { what: 'demo accounts and clients' });
  }
  const accounts = new AccountStore(context.collection<Account>('auth.accounts'), now);
  const keyStore = new SigningKeyStore(context.collection<StoredSigningKey>('auth.signing-keys'), now);
  const launches = new LaunchContexts(context.collection<StoredLaunch>('auth.smart.launches'), context.collection<StoredGrantContext>('auth.smart.grants'), now);
  const lookup = new FhirLookup(context.engine, publicBaseUrl(config));
  const revokedTokens = context.collection<RevokedToken>('auth.revoked-tokens');
  const adapter = collectionAdapterFactory(context.collection, now);
  const jwtTokens = new JwtAccessTokens(
    revokedTokens, async () => jwksOf(await keyStore.activeKeys()), now,
    async (grantId) => (await adapter('Grant').find(grantId)) !== undefined,
    // The adapter hands back no session past its expiry: an idle session that timed out has ended.
    async (sessionUid) => (await adapter('Session').findByUid(sessionUid)) !== undefined,
  );
  const pending = context.collection<PendingLogin>('auth.pending-logins');

  let app: FastifyInstance | undefined;
  const endpoints = (): Endpoints => {
    const address = app?.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return endpointsOf(config, `http://${host}:${port}`);
  };

  let secrets: Promise<Secrets> | undefined;
  const loadSecrets = (): Promise<Secrets> => (secrets ??= (async () => {
    const stored = (await secretsCollection.get('keys')) as Secrets | undefined;
    if (stored) return stored;
    // Generated on first use, kept in the store: never in the repository, never a default.
    const fresh: Secrets = { cookieKeys: [randomBytes(32).toString('base64url')], csrfKey: randomBytes(32).toString('base64url') };
    await secretsCollection.put('keys', fresh);
    return fresh;
  })());

  const findAccount = makeFindAccount(accounts, lookup, () => endpoints().fhirBase);
  const host = new ProviderHost(keyStore, () => endpoints().issuer, async (keys) => {
    const { issuer, fhirBase } = endpoints();
    const { cookieKeys } = await loadSecrets();
    const provider = new Provider(issuer, providerConfiguration({
      fhirBase,
      secureCookies: issuer.startsWith('https:'),
      cookieKeys,
      keys: keys.map((k) => k.jwk),
      accessTokenTtl: config.accessTokenTtl,
      sessionIdleSeconds: config.sessionIdle,
    }, { adapter, accounts, launches, findAccount, pages: providerPages }));
    // Behind a TLS-terminating proxy, the issuer is https: trust its X-Forwarded-* headers.
    provider.proxy = issuer.startsWith('https:');
    provider.on('server_error', (_ctx: unknown, error: Error) => logger.error({ err: { type: error.name, message: error.message } }, 'oidc provider error'));
    return provider;
  }, jwtTokens, now, () => endpoints().fhirBase);
  const provider = (): Promise<Provider> => host.provider();
  const clients = new ClientRegistry(context.collection<StoredModel>('auth.oidc.Client', MODEL_LOOKUPS), provider);

  const stopSweeper = startSweeper(() => [...adapter.collections(), ...launches.collections(), pending, revokedTokens], now, logger);

  const isRevoked = async (jti: string, grantId?: string, sessionUid?: string): Promise<boolean> => (await jwtTokens.isRevoked(jti))
    || !(await jwtTokens.grantLive(grantId, sessionUid));

  const verifyToken = async (token: string): Promise<Principal | undefined> => {
    const { issuer, fhirBase } = endpoints();
    try {
      const principal = await verifyAccessToken(token, jwksOf(await keyStore.activeKeys()), { issuer, audience: fhirBase });
      const { jti, socle_grant: grantId, socle_session: sessionUid } = decodeJwt(token);
      return typeof jti === 'string' && (await isRevoked(jti, stringClaim(grantId), stringClaim(sessionUid))) ? undefined : principal;
    } catch {
      return undefined;
    }
  };

  return {
    name: 'auth',
    accounts,
    keyStore,
    clients,
    launches,
    endpoints,
    provider,
    createAccount: (input) => createAccount(accounts, lookup, input),
    verifyToken,
    isRevoked,
    async rotateKeys() {
      await keyStore.rotate();
      host.invalidate();
    },
    async mintToken(login, scope, ttlSeconds) {
      const account = login === undefined ? undefined : await accounts.get(login);
      if (login !== undefined && !account) throw fail('auth.account-not-found', { login: login.slice(0, 64) });
      return mintDirectToken(keyStore, endpoints(), { ...(account ? { account } : {}), ...(scope ? { scope } : {}), ttlSeconds });
    },
    async finishLogin(req, res, accountId, method) {
      return finishInteractionLogin(await provider(), req, res, accountId, method);
    },
    capabilitySecurity: () => smartCapabilitySecurity(endpoints().issuer),
    registerRoutes(fastify) {
      app = fastify;
      withCatalogueErrors(fastify, (scope) => {
        registerDsfrAssets(scope);
        registerSmartConfiguration(scope, () => endpoints().issuer);
        registerAdminRoutes(scope, { clients, launches, lookup, verify: verifyToken });
        registerInteractionRoutes(scope, {
          provider, accounts, lookup, launches,
          pending,
          limiter: new AddressLimiter(now),
          csrfKey: async () => Buffer.from((await loadSecrets()).csrfKey, 'base64url'),
          endpoints,
          now,
          federation: config.upstreamIssuer !== '',
        });
      });
      mountProvider(fastify, provider);
    },
    async close() {
      stopSweeper();
    },
    async seedDemo(progress) {
      await seedDemoAccounts(accounts, lookup, clients, logger, progress);
      await secretsCollection.put('demo-seeded', { seededAt: now() });
    },
  };
};
