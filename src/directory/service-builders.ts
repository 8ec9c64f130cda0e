/**
 * Builders of the directory's HealthcareService (authorised care activity of
 * a FINESS site, Annuaire profiles as-healthcareservice-healthcare-activity and
 * its public as-dp variant: ARHGOS authorisation number, providedBy the site,
 * modality as category, activity as type[activity], form as characteristic;
 * no specialty and no name, 0..0 in the public profile) and Endpoint (an
 * MSSanté mailbox as a technical address: R4 Endpoint with connection type
 * secure-email, http://hl7.org/fhir/R4/endpoint.html).
 */
import { DIRECTORY_SOURCE, PROFILE_HEALTHCARE_ACTIVITY, PROFILE_HEALTHCARE_ACTIVITY_GENERIC } from './code-systems.js';
import { healthcareServiceId, mailboxEndpointId, organizationId } from './identifiers.js';

type Json = Record<string, unknown>;

export interface CodingInput {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

export interface HealthcareServiceInput {
  /** idNat_Struct of the FINESS site providing the activity. */
  readonly providedByIdNatStruct: string;
  /** ARHGOS authorisation number (identifier system https://arhgos.ars.sante.fr). */
  readonly arhgos?: string;
  /** Activity (JDV_J133), modality (JDV_J132), form (JDV_J134). */
  readonly activity: CodingInput;
  readonly modality?: CodingInput;
  readonly form?: CodingInput;
  readonly active?: boolean;
}

const concept = (c: CodingInput): Json => ({ coding: [{ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }] });

/**
 * An authorised care activity of a site. It claims as-dp-healthcareservice-healthcare-activity when it has its
 * ARHGOS number (identifier[numAutorisationArhgos] 1..1 there), else only the generic profile, where it is 0..1.
 * The activity is in type[activity] only: the public profile sets specialty and name 0..0.
 */
export function buildHealthcareService(input: HealthcareServiceInput): Json {
  const codes = [input.activity.code, input.modality?.code ?? '', input.form?.code ?? ''].filter((c) => c !== '');
  return {
    resourceType: 'HealthcareService',
    id: healthcareServiceId(input.providedByIdNatStruct, input.arhgos, codes),
    meta: { profile: [input.arhgos ? PROFILE_HEALTHCARE_ACTIVITY : PROFILE_HEALTHCARE_ACTIVITY_GENERIC], source: DIRECTORY_SOURCE },
    ...(input.arhgos ? { identifier: [{ system: 'https://arhgos.ars.sante.fr', value: input.arhgos }] } : {}),
    active: input.active ?? true,
    providedBy: { reference: `Organization/${organizationId(input.providedByIdNatStruct)}` },
    ...(input.modality ? { category: [concept(input.modality)] } : {}),
    type: [concept(input.activity)],
    ...(input.form ? { characteristic: [concept(input.form)] } : {}),
  };
}

export interface MailboxEndpointInput {
  readonly address: string;
  /** idNat_Struct of the organisation operating the mailbox, when there is one. */
  readonly managingIdNatStruct?: string;
  readonly name?: string;
  readonly active?: boolean;
}

/** The Endpoint of an MSSanté mailbox: secure e-mail to a mailto: address (endpoint.html, valueset-endpoint-connection-type). */
export function buildMailboxEndpoint(input: MailboxEndpointInput): Json {
  return {
    resourceType: 'Endpoint',
    id: mailboxEndpointId(input.address),
    status: input.active === false ? 'off' : 'active',
    connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'secure-email' },
    ...(input.name ? { name: input.name } : {}),
    ...(input.managingIdNatStruct ? { managingOrganization: { reference: `Organization/${organizationId(input.managingIdNatStruct)}` } } : {}),
    payloadType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'any' }] }],
    address: `mailto:${input.address}`,
  };
}
