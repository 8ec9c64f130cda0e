/**
 * Federation, bearer side: access tokens from configured external issuers
 * (Pro Santé Connect, a regional Keycloak) are verified against the issuer's
 * JWKS, fetched over HTTPS and cached by jose's createRemoteJWKSet, and the
 * identity is mapped to a directory Practitioner by its national identifier:
 * Pro Santé Connect's SubjectNameID (preferred_username) is the idNat_PS
 * (https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect).
 *
 * SOCLE_TRUSTED_ISSUERS: entries separated by spaces or commas, each
 * `issuer|jwks_uri` or `issuer|jwks_uri|audience`.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { fail } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { parseScope } from '../scopes/smart-scopes.js';

export interface TrustedIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audience?: string;
}

export function parseTrustedIssuers(text: string): TrustedIssuer[] {
  return text.split(/[\s,]+/).filter((e) => e !== '').map((entry) => {
    const [issuer = '', jwksUri = '', audience] = entry.split('|');
    if (!/^https?:\/\//.test(issuer) || !/^https?:\/\//.test(jwksUri)) throw new Error(`SOCLE_TRUSTED_ISSUERS: "${entry}" is not issuer|jwks_uri[|audience]`);
    return { issuer, jwksUri, ...(audience ? { audience } : {}) };
  });
}

/** Scopes a federated professional gets when the external token carries no SMART scope; the care-relationship policy still applies. */
export const FEDERATED_DEFAULT_SCOPES: readonly string[] = Object.freeze(['user/*.cruds']);

/** Finds the directory Practitioner ("Practitioner/…") carrying an idNat_PS; undefined when none. */
export type PractitionerFinder = (idNatPs: string) => Promise<string | undefined>;

export class TrustedIssuers {
  private readonly verifiers = new Map<string, { readonly entry: TrustedIssuer; readonly jwks: ReturnType<typeof createRemoteJWKSet> }>();

  constructor(entries: readonly TrustedIssuer[], private readonly findPractitioner: PractitionerFinder) {
    for (const entry of entries) {
      this.verifiers.set(entry.issuer, { entry, jwks: createRemoteJWKSet(new URL(entry.jwksUri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 }) });
    }
  }

  has(issuer: string): boolean {
    return this.verifiers.has(issuer);
  }

  /** Verifies a token of a trusted issuer and maps it to a professional; throws jose errors or a 403 FhirError. */
  async verify(token: string, issuer: string): Promise<{ principal: Principal; payload: JWTPayload }> {
    const verifier = this.verifiers.get(issuer);
    if (!verifier) throw new Error('issuer not trusted');
    const { payload } = await jwtVerify(token, verifier.jwks, {
      issuer, ...(verifier.entry.audience ? { audience: verifier.entry.audience } : {}),
    });
    const text = (name: string): string | undefined => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
    const idNat = text('preferred_username') ?? text('SubjectNameID') ?? payload.sub;
    if (!idNat) throw new Error('token without subject');
    const fhirUser = await this.findPractitioner(idNat);
    if (!fhirUser) throw fail('auth.practitioner-unmapped', { subject: idNat });
    const smart = (text('scope') ?? '').split(' ').filter((s) => parseScope(s) !== undefined);
    const name = [text('given_name'), text('family_name')].filter(Boolean).join(' ');
    return {
      payload,
      principal: {
        kind: 'practitioner',
        subject: idNat,
        clientId: text('azp') ?? text('client_id') ?? '',
        scopes: smart.length > 0 ? smart : FEDERATED_DEFAULT_SCOPES,
        fhirUser,
        nationalId: idNat,
        issuer,
        ...(name ? { display: name } : {}),
      },
    };
  }
}
