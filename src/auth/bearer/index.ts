/**
 * Builds the bearer authenticator of the FHIR API from the platform: Socle's
 * own signing keys (collection auth.signing-keys, shared with the OpenID
 * provider), the issuer and audience of its tokens (from the address the
 * server listens on, as the provider computes them), and the trusted external
 * issuers of SOCLE_TRUSTED_ISSUERS with their directory mapping.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/settings.js';
import type { FhirEngine } from '../../fhir/rest/engine.js';
import { publicBaseUrl } from '../../platform/create-engine.js';
import { Collection } from '../../storage/collection.js';
import { endpointsOf } from '../oidc/issuer.js';
import { SigningKeyStore, type StoredSigningKey } from '../tokens/key-store.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { parseTrustedIssuers, TrustedIssuers, type PractitionerFinder } from './trusted-issuers.js';

/** The system of idNat_PS (FR Core, TRE_G08). */
const ID_NAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';
const MAPPING_TTL_MS = 10 * 60_000;

/** Practitioner by national identifier, searched through the engine (Socle's own lookup), cached. */
function practitionerFinder(engine: FhirEngine, baseUrl: string, now: () => number): PractitionerFinder {
  const cache = new Map<string, { fhirUser: string | undefined; until: number }>();
  return async (idNatPs) => {
    const cached = cache.get(idNatPs);
    if (cached && cached.until > now()) return cached.fhirUser;
    const response = await engine.handle({
      method: 'GET', path: 'Practitioner', query: [['identifier', `${ID_NAT_PS}|${idNatPs}`], ['_count', '2'], ['_elements', 'id']],
      headers: {}, baseUrl, language: 'en',
    });
    const text = response.body?.kind === 'text' ? response.body.text : '{}';
    const entries = ((JSON.parse(text) as { entry?: { resource?: { id?: string } }[] }).entry ?? []).filter((e) => e.resource?.id);
    // None or several: not mapped (an ambiguous directory must not pick one).
    const fhirUser = entries.length === 1 ? `Practitioner/${entries[0]?.resource?.id as string}` : undefined;
    if (cache.size > 10_000) cache.clear();
    cache.set(idNatPs, { fhirUser, until: now() + MAPPING_TTL_MS });
    return fhirUser;
  };
}

export function createBearerAuthenticator(
  app: FastifyInstance, config: Config, engine: FhirEngine, isRevoked?: (jti: string, grantId?: string, sessionUid?: string) => Promise<boolean>,
): BearerAuthenticator {
  const { store, clock } = engine.deps;
  const now = () => clock.now();
  const keys = new SigningKeyStore(new Collection<StoredSigningKey>(store, 'auth.signing-keys', clock), now);
  const endpoints = () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const { issuer, fhirBase } = endpointsOf(config, `http://${host}:${port}`);
    return { issuer, audience: fhirBase };
  };
  const trusted = new TrustedIssuers(parseTrustedIssuers(config.trustedIssuers), practitionerFinder(engine, publicBaseUrl(config), now));
  return new BearerAuthenticator({ keys, endpoints, trusted, now, ...(isRevoked ? { isRevoked } : {}) });
}
