/**
 * The consent step's decision: the grant the user gives the client (OpenID
 * Connect Core §3.1.2.4; oidc-provider's Grant model), limited to what the
 * account's kind allows and the client is registered for (grants.ts), and the
 * SMART launch context it goes with: a patient's own record, the patient of an
 * EHR launch, or the patient a professional picked in a standalone launch.
 */
import type { default as Provider, InteractionDetails } from 'oidc-provider';
import { fail } from '../../core/errors.js';
import type { Account } from '../accounts/account.js';
import type { FhirLookup } from '../accounts/fhir-lookup.js';
import type { LaunchContext, LaunchContexts } from '../smart/launch-contexts.js';
import { asksForPatient, splitScope } from '../smart/scopes.js';
import { registeredScopes } from './clients.js';
import { grantableOidcScopes, grantableResourceScopes } from './grants.js';

export interface ConsentDeps {
  readonly lookup: FhirLookup;
  readonly launches: LaunchContexts;
  readonly fhirBase: string;
}

/**
 * Whether this authorization needs a patient chosen on the consent page: a
 * standalone launch asking for launch/patient or for patient-level scopes
 * (without a patient, patient/ scopes would act as user/ ones).
 */
export function needsPatientChoice(details: InteractionDetails, account: Account): boolean {
  return account.kind !== 'patient' && !details.params.launch && asksForPatient(splitScope(details.params.scope));
}

/** The launch context of the authorization, or a catalogued error when it cannot be settled. */
export async function launchContextOf(details: InteractionDetails, account: Account, chosenPatient: string | undefined, deps: ConsentDeps): Promise<LaunchContext> {
  if (account.kind === 'patient') {
    const own = account.fhirUser?.replace(/^Patient\//, '');
    return own ? { patient: own } : {};
  }
  if (typeof details.params.launch === 'string') {
    const context = await deps.launches.resolve(details.params.launch, account.id);
    if (!context) throw fail('auth.launch-invalid', { reason: 'launch' });
    return context;
  }
  if (!needsPatientChoice(details, account)) return {};
  if (!chosenPatient || !/^[A-Za-z0-9\-.]{1,64}$/.test(chosenPatient)) throw fail('auth.patient-choice-required');
  const patient = await deps.lookup.get(`Patient/${chosenPatient}`);
  if (!patient) throw fail('auth.patient-choice-required');
  return { patient: chosenPatient };
}

/** Saves the grant (and its launch context) and returns its id for the interaction result. */
export async function saveGrant(provider: Provider, details: InteractionDetails, account: Account, context: LaunchContext, deps: ConsentDeps): Promise<string> {
  const clientId = details.params.client_id as string;
  const client = await provider.Client.find(clientId);
  const requested = splitScope(details.params.scope);
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId: account.id, clientId });
  const oidc = grantableOidcScopes(account.kind, requested);
  if (oidc.length > 0) grant.addOIDCScope(oidc.join(' '));
  const claims = details.prompt.details.missingOIDCClaims as string[] | undefined;
  if (claims?.length) grant.addOIDCClaims(claims);
  const resources = grantableResourceScopes(account.kind, requested, registeredScopes(client));
  if (resources.length > 0) grant.addResourceScope(deps.fhirBase, resources.join(' '));
  // What is asked but not granted is recorded as rejected, else the provider would ask for consent again and again.
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  const refusedOidc = (missing.missingOIDCScope ?? []).filter((s) => !oidc.includes(s));
  if (refusedOidc.length > 0) grant.rejectOIDCScope(refusedOidc.join(' '));
  const refused = (missing.missingResourceScopes?.[deps.fhirBase] ?? []).filter((s) => !resources.includes(s));
  if (refused.length > 0) grant.rejectResourceScope(deps.fhirBase, refused.join(' '));
  const grantId = await grant.save();
  if (context.patient || context.encounter) await deps.launches.bindGrant(grantId, context);
  return grantId;
}
