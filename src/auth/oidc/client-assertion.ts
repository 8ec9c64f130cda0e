/**
 * What SMART Backend Services asks of a private_key_jwt client assertion
 * beyond what oidc-provider checks (signature, iss = sub = client_id, jti
 * present and not replayed, exp present and not passed)
 * (https://hl7.org/fhir/smart-app-launch/backend-services.html#request-access-token,
 * client-confidential-asymmetric.html#authenticating-to-the-token-endpoint):
 *
 * - `exp` "SHALL be no more than five minutes in the future": a long-lived
 *   assertion is a bearer credential in all but name, so one that lives
 *   longer is refused rather than trusted;
 * - `aud` is "the FHIR authorization server's token URL (the same URL to
 *   which this authentication JWT will be posted)". The provider also takes
 *   its issuer identifier (RFC 7523 §3); Socle takes the token URL, or for
 *   introspection and revocation the endpoint the assertion is posted to.
 *
 * Plugged in as oidc-provider's assertJwtClientAuthClaimsAndHeader helper.
 */
import { errors } from 'oidc-provider';

type Ctx = any;

/** SMART's five minutes, plus a few seconds for a client clock slightly ahead of ours. */
export const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_SKEW_S = 5;

/** oidc-provider checks the assertion's exp against the system clock; so does this. */
export async function assertClientAssertion(ctx: Ctx, claims: Record<string, unknown>): Promise<void> {
  const exp = claims.exp;
  const nowS = Math.floor(Date.now() / 1000);
  if (typeof exp !== 'number' || exp - nowS > MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) {
    throw new errors.InvalidClientAuth!(`client_assertion exp must be at most ${MAX_ASSERTION_LIFETIME_S} seconds in the future`);
  }
  // The token URL as this request reaches it, and as the discovery documents name it (smart-configuration.ts).
  const accepted = new Set([ctx.oidc.urlFor('token') as string, ctx.oidc.urlFor(ctx.oidc.route) as string, `${ctx.oidc.issuer as string}/token`]);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.has(aud))) {
    throw new errors.InvalidClientAuth!('client_assertion aud must be the token endpoint URL');
  }
}
