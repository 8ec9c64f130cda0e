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
 *   which this authentication JWT will be posted)"; Socle takes that, the
 *   endpoint the assertion is posted to (introspection, revocation), and the
 *   issuer identifier, which RFC 7523 §3 and OpenID Connect Core §9 name an
 *   audience of the server and which the OAuth working group now recommends
 *   as the only one (draft-ietf-oauth-rfc7523bis, against audience injection):
 *   clients built on current libraries (openid-client 6, oauth4webapi) send it.
 *   Any other audience (the FHIR base, another server) is refused.
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
  const issuer = ctx.oidc.issuer as string;
  const accepted = new Set([issuer, ctx.oidc.urlFor('token') as string, ctx.oidc.urlFor(ctx.oidc.route) as string, `${issuer}/token`]);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.has(aud))) {
    throw new errors.InvalidClientAuth!('client_assertion aud must be the token endpoint URL or the issuer');
  }
}
