/**
 * From an identity asserted by the external provider to a professional of
 * Socle's directory. The national identifier is read from the claims —
 * SubjectNameID (Pro Santé Connect: the idNat_PS), else preferred_username
 * (a Keycloak realm that carries it as the login), else sub — and the
 * Practitioner is found by its idNat_PS identifier
 * (urn:oid:1.2.250.1.71.4.2.1) through the FHIR engine. A professional the
 * directory does not know is refused: federation never creates anyone.
 */
import { fail } from '../../core/errors.js';
import { SYSTEM_PRINCIPAL } from '../../core/principal.js';
import type { FhirEngine } from '../../fhir/rest/engine.js';
import type { UpstreamIdentity } from './upstream-client.js';

export const ID_NAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
/**
 * What an identifier may look like before it goes into a search: letters,
 * digits and a few marks. "," "|" "$" and "\" would change the meaning of a
 * token search (FHIR search §2.1.1.7), so an identifier with them is refused.
 */
const IDENTIFIER_SHAPE = /^[A-Za-z0-9._-]{1,64}$/;

export interface MappedProfessional {
  /** The professional's idNat_PS: the login of Socle's account for them. */
  readonly idNatPs: string;
  /** Logical id of the directory Practitioner. */
  readonly practitionerId: string;
  /** "Given Family" as the directory writes it, for pages (never logged). */
  readonly display?: string;
}

type Json = Record<string, any>;

/** The national identifier among the claims, userinfo first (Pro Santé Connect puts it there), then the ID token. */
export function nationalIdentifierOf(identity: UpstreamIdentity): string {
  for (const claims of [identity.userinfo, identity.idToken] as Json[]) {
    for (const name of ['SubjectNameID', 'preferred_username', 'sub']) {
      const value = claims[name];
      if (typeof value === 'string' && value !== '') {
        if (!IDENTIFIER_SHAPE.test(value)) throw fail('auth.upstream-identifier-missing');
        return value;
      }
    }
  }
  throw fail('auth.upstream-identifier-missing');
}

/** The directory Practitioner carrying `idNatPs`; refusals for none, several, or an inactive one. */
export async function findPractitioner(engine: FhirEngine, baseUrl: string, idNatPs: string): Promise<MappedProfessional> {
  const response = await engine.handle({
    method: 'GET',
    path: 'Practitioner',
    query: [['identifier', `${ID_NAT_PS_SYSTEM}|${idNatPs}`], ['_count', '2']],
    headers: {},
    baseUrl,
    language: 'fr',
    principal: SYSTEM_PRINCIPAL,
  });
  if (response.status !== 200 || response.body?.kind !== 'text') {
    throw new Error(`Practitioner search answered ${response.status}`);
  }
  const bundle = JSON.parse(response.body.text) as Json;
  const matches = ((bundle.entry ?? []) as Json[]).filter((e) => (e.search?.mode ?? 'match') === 'match').map((e) => e.resource as Json);
  if (matches.length === 0) throw fail('auth.upstream-practitioner-unknown', { idNatPs });
  if (matches.length > 1) throw fail('auth.upstream-practitioner-ambiguous', { idNatPs });
  const practitioner = matches[0]!;
  if (practitioner.active === false) throw fail('auth.upstream-practitioner-inactive', { idNatPs });
  const display = displayOf(practitioner);
  return { idNatPs, practitionerId: String(practitioner.id), ...(display ? { display } : {}) };
}

/** Reads the identifier from the claims and maps it to the directory. */
export async function mapIdentity(engine: FhirEngine, baseUrl: string, identity: UpstreamIdentity): Promise<MappedProfessional> {
  return findPractitioner(engine, baseUrl, nationalIdentifierOf(identity));
}

function displayOf(practitioner: Json): string | undefined {
  const names = (practitioner.name ?? []) as Json[];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return undefined;
  const text = [...((name.given ?? []) as string[]), name.family].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return text || undefined;
}
