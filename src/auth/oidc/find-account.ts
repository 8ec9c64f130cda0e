/**
 * oidc-provider's findAccount: the claims of an account for the ID token and
 * userinfo (OpenID Connect Core §5.1), shaped as Pro Santé Connect gives them
 * for professionals (sub = idNat_PS, names, SubjectNameID, SubjectRefPro;
 * psc-claims.ts) and with SMART's fhirUser (an absolute URL, SMART App Launch
 * 2.0 §"fhirUser"). The provider filters them by the granted scopes (the
 * `claims` table of configuration.ts).
 */
import type { AccountStore } from '../accounts/account-store.js';
import type { Account } from '../accounts/account.js';
import { type FhirLookup, type Json } from '../accounts/fhir-lookup.js';
import { pscProfessionalClaims } from './psc-claims.js';

type Claims = Record<string, unknown>;

/** The claim names each scope releases (oidc-provider's `claims` configuration). */
export const CLAIMS_BY_SCOPE = {
  sid: null,
  // Pro Santé Connect always gives the authentication level and, in the ID token, idp: released with openid.
  openid: ['sub', 'acr', 'amr', 'auth_time', 'idp'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  fhirUser: ['fhirUser'],
  scope_all: [
    'name', 'given_name', 'family_name', 'preferred_username', 'codeCivilite', 'SubjectNameID', 'SubjectRefPro', 'SubjectOrganization',
    'SubjectOrganizationID', 'SubjectRole', 'Secteur_Activite', 'codeGenreActivite', 'otherIds', 'Palier_Authentification', 'PSI_Locale',
    'UITVersion', 'Mode_Acces_Raison', 'Acces_Regulation_Medicale',
  ],
} as const;

async function professionalClaims(account: Account, practitioner: Json, lookup: FhirLookup): Promise<Claims> {
  const found = await lookup.search('PractitionerRole', [
    ['practitioner', `Practitioner/${practitioner.id as string}`],
    ['_include', 'PractitionerRole:organization'],
    ['_count', '100'],
  ], 'any');
  const roles = found.filter((r) => r.resourceType === 'PractitionerRole' && r.active !== false);
  const organizations = new Map(found.filter((r) => r.resourceType === 'Organization').map((o) => [`Organization/${o.id as string}`, o] as const));
  return pscProfessionalClaims(account.id, practitioner, roles, organizations);
}

/**
 * Pro Santé Connect's ID token names the identity provider that authenticated
 * the professional, `idp: "PSC"` (ANS's keycloak-prosanteconnect, PSCFixture:
 * the ID tokens its broker accepts); its access tokens and userinfo have no
 * idp. Socle sends the same value so that a relying party written for PSC
 * runs unchanged against it; `iss` still tells which server signed.
 */
export const PSC_IDP = 'PSC';

/** Every claim of `account` for the ID token or userinfo (`use`); the provider keeps those its granted scopes release. */
export async function accountClaims(account: Account, lookup: FhirLookup, fhirBase: string, scope: string, use = 'userinfo'): Promise<Claims> {
  const claims: Claims = { sub: account.id, preferred_username: account.id };
  const resource = account.fhirUser ? await lookup.get(account.fhirUser) : undefined;
  if (account.fhirUser) claims.fhirUser = `${fhirBase}/${account.fhirUser}`;
  const names = (resource?.name as Json[] | undefined) ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (name) {
    claims.family_name = name.family;
    claims.given_name = Array.isArray(name.given) ? (name.given as string[]).join(' ') : undefined;
  }
  if (account.display) claims.name = account.display;
  if (account.kind === 'practitioner') {
    if (use === 'id_token') claims.idp = PSC_IDP;
    if (resource && scope.split(' ').includes('scope_all')) Object.assign(claims, await professionalClaims(account, resource, lookup));
    else claims.SubjectNameID = account.id;
  }
  return claims;
}

/** The findAccount function of the provider's configuration. */
export function makeFindAccount(accounts: AccountStore, lookup: FhirLookup, fhirBase: () => string) {
  return async (_ctx: unknown, sub: string) => {
    const account = await accounts.get(sub);
    if (!account || account.disabled) return undefined;
    return {
      accountId: sub,
      claims: (use: string, scope: string) => accountClaims(account, lookup, fhirBase(), scope ?? '', use),
    };
  };
}
