/**
 * Where Socle's OpenID provider and FHIR API are, as tokens name them: the
 * issuer is `<origin>/oidc` and the access tokens' audience the FHIR base
 * `<origin>/fhir` (RFC 8707 resource indicator). The origin is the public
 * one from SOCLE_BASE_URL when set, else the address the server listens on.
 */
import type { Config } from '../../config/settings.js';

export interface Endpoints {
  readonly origin: string;
  readonly issuer: string;
  readonly fhirBase: string;
}

/** The endpoints for a server reachable at `listening` (http://host:port) under `config`. */
export function endpointsOf(config: Pick<Config, 'baseUrl'>, listening: string): Endpoints {
  if (!config.baseUrl) {
    const origin = listening.replace(/\/+$/, '');
    return { origin, issuer: `${origin}/oidc`, fhirBase: `${origin}/fhir` };
  }
  // SOCLE_BASE_URL names the FHIR base (…/fhir): its parent is the public root.
  const fhirBase = config.baseUrl.replace(/\/+$/, '');
  const origin = fhirBase.endsWith('/fhir') ? fhirBase.slice(0, -'/fhir'.length) : new URL(fhirBase).origin;
  return { origin, issuer: `${origin}/oidc`, fhirBase };
}
