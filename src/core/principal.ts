/**
 * Who is making a request, as the FHIR engine sees it once the HTTP layer has
 * checked the bearer token (auth/). Plain data: the engine, the policies and
 * the audit trail read it; nothing here does I/O.
 */

/** The kinds of callers Socle distinguishes (issue #4: professionals, patients, applications, operators). */
export type PrincipalKind = 'practitioner' | 'patient' | 'system' | 'operator';

export interface Principal {
  readonly kind: PrincipalKind;
  /**
   * The account or client the token names: a professional's idNat_PS, a
   * patient's INS, the operator's login, or a system client's id.
   */
  readonly subject: string;
  /** The OAuth client that obtained the token. */
  readonly clientId: string;
  /** Granted scopes, as in the token (SMART v1 and v2 syntax, openid, launch…). */
  readonly scopes: readonly string[];
  /** The FHIR resource of the user ("Practitioner/…", "Patient/…"), SMART's fhirUser. */
  readonly fhirUser?: string;
  /** Patient in context: the patient's own id, or the one chosen at launch. */
  readonly patient?: string;
  /** The professional's national identifier (idNat_PS), for audit records. */
  readonly nationalId?: string;
  /** Display name for audit records and traces the patient reads. */
  readonly display?: string;
  /** Token issuer (Socle's own, or a trusted external one). */
  readonly issuer?: string;
}

/** The principal of work Socle does on its own behalf (imports, demo data, internal steps). */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({
  kind: 'system',
  subject: 'socle',
  clientId: 'socle',
  scopes: Object.freeze(['system/*.*']) as readonly string[],
});
