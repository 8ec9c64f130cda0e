/**
 * Search parameters the French guides add to R4 (FR Core, Annuaire Santé…),
 * in the shape of the official ones: the schema merges them, so indexing,
 * search and the CapabilityStatement treat them exactly like R4's own.
 * Each entry cites the SearchParameter resource it reproduces.
 */
import type { SearchParameterDefinition } from './model.js';

const ANNUAIRE_EXTENSION = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';
const DATA_TRACE_BASES = ['Organization', 'Practitioner', 'PractitionerRole', 'Device', 'HealthcareService'];

/** A sub-extension of as-ext-data-trace, on the resource or in its meta. */
const dataTrace = (part: string): string => {
  const path = `extension.where(url='${ANNUAIRE_EXTENSION}/as-ext-data-trace').extension.where(url='${part}').value`;
  return `${path} | meta.${path}`;
};

/** A sub-extension of the CPx card: as-ext-smartcard on Practitioner, as-ext-practitionerrole-smartcard on PractitionerRole. */
const smartCard = (part: string): string =>
  `Practitioner.extension.where(url='${ANNUAIRE_EXTENSION}/as-ext-smartcard').extension.where(url='${part}').value`
  + ` | PractitionerRole.extension.where(url='${ANNUAIRE_EXTENSION}/as-ext-practitionerrole-smartcard').extension.where(url='${part}').value`;

export const NATIONAL_SEARCH_PARAMETERS: readonly SearchParameterDefinition[] = [
  // IHE PDQm (ITI-78 §2:3.78.4.1.2.1): a Patient Demographics Supplier "shall be capable of processing" mothersMaidenName,
  // the search parameter HL7 publishes with the patient-mothersMaidenName extension.
  {
    url: 'http://hl7.org/fhir/SearchParameter/patient-extensions-Patient-mothersMaidenName',
    code: 'mothersMaidenName',
    base: ['Patient'],
    type: 'string',
    expression: "Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName').value",
    description: 'Nom de naissance de la mère / mother\'s maiden name (PDQm).',
  },
  // Annuaire Santé (https://interop.esante.gouv.fr/ig/fhir/annuaire, input/fsh/SearchParameters/): the directory's searches.
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-mailbox-mss',
    code: 'mailbox-mss',
    base: ['Organization', 'Practitioner', 'PractitionerRole'],
    type: 'string',
    expression: 'Organization.telecom.value | Practitioner.telecom.value | PractitionerRole.telecom.value',
    description: 'Organisation, praticien ou situation d\'exercice par adresse MSSanté (AsMailboxMssSearchParameter).',
    modifier: ['contains', 'exact'],
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-mailbox-mss-type',
    code: 'mailbox-mss-type',
    base: ['Organization', 'Practitioner', 'PractitionerRole'],
    type: 'token',
    expression: "telecom.extension.where(url='https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata').extension.where(url='type').value",
    description: 'Type de BAL MSSanté (TRE_R257: PER, ORG, APP, CAB) (AsMailboxMssTypeSearchParameter).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-qualification-code',
    code: 'qualification-code',
    base: ['Practitioner'],
    type: 'token',
    expression: 'Practitioner.qualification.code',
    description: 'Diplôme, exercice professionnel (JDV_J106 : TRE_G15, TRE_R94, TRE_R95, TRE_R291) et savoir-faire (AsQualificationCodeSearchParameter).',
  },
  {
    // The Annuaire CapabilityStatement lists identifier-type on Practitioner,
    // PractitionerRole and Organization without a SearchParameter resource
    // ("to be replaced by identifier:of-type"): hence a Socle canonical.
    url: 'urn:socle:SearchParameter:directory-identifier-type',
    code: 'identifier-type',
    base: ['Organization', 'Practitioner', 'PractitionerRole'],
    type: 'token',
    expression: 'Organization.identifier.type | Practitioner.identifier.type | PractitionerRole.identifier.type',
    description: 'Type d\'identifiant (fr-core-cs-v2-0203: IDNPS, RPPS, IDNST, FINEG, FINEJ, SIRET…), AsServerDPCapabilityStatement.',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-address-line',
    code: 'address-line',
    base: ['Organization'],
    type: 'string',
    expression: 'Organization.address.line',
    description: 'Ligne d\'adresse de la structure (AsAddressLineSearchParameter).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-insee-code',
    code: 'address-insee',
    base: ['Organization'],
    type: 'string',
    // The guide's expression ends at the extension's value, a Coding (TRE_R13 commune), which a string parameter
    // cannot search (search.html#string): its code is the string searched.
    expression: "Organization.address.extension.where(url='https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code').value.code",
    description: 'Code INSEE de la commune de l\'adresse de la structure (AsInseeCode).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-organization-period',
    code: 'period',
    base: ['Organization'],
    type: 'date',
    // The guide reads the extension on the address; its own examples put it on the Organization: both are read.
    expression: "Organization.extension.where(url='http://hl7.org/fhir/StructureDefinition/organization-period').value | Organization.address.extension.where(url='http://hl7.org/fhir/StructureDefinition/organization-period').value",
    description: 'Période d\'activité de la structure (AsOrganiationPeriodSearchParameter).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-pharmacy-licence',
    code: 'pharmacy-licence',
    base: ['Organization'],
    type: 'string',
    expression: "Organization.extension('https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-organization-pharmacy-licence').value",
    description: 'Numéro de licence d\'exploitation d\'une officine (AsPharmacyLicenceSearchParameter).',
  },
  // The data trace (as-ext-data-trace): the guide's SearchParameters read it on the resource
  // (extension…), its DP profiles put it in meta.extension (rule set rs-as-core): both are searched.
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-data-information-system',
    code: 'data-information-system',
    base: DATA_TRACE_BASES,
    type: 'token',
    expression: dataTrace('systeme-information'),
    description: 'Système d\'information d\'où viennent les données (RPPS, FINESS, MSS, CG) (AsDataInformationSystemSearchParameter).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-data-registration-authority',
    code: 'data-registration-authority',
    base: DATA_TRACE_BASES,
    type: 'token',
    expression: dataTrace('autorite-enregistrement'),
    description: 'Autorité d\'enregistrement des données (JDV_J83) (AsDataRegistrationAuthoritySearchParameter).',
  },
  // The smart card (CPx): the guide's SearchParameters name PractitionerRole and an extension it does not
  // define (as-ext-practitionerrole-smartcard); its CapabilityStatement lists them on Practitioner, which
  // carries the card (as-ext-smartcard, context Practitioner). Both readings are indexed.
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-number-smartcard',
    code: 'number-smartcard',
    base: ['Practitioner', 'PractitionerRole'],
    type: 'string',
    expression: smartCard('number'),
    description: 'Numéro de carte CPx du professionnel (AsNumberSmartCardSearchParameter).',
  },
  {
    url: 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-type-smartcard',
    code: 'type-smartcard',
    base: ['Practitioner', 'PractitionerRole'],
    type: 'token',
    expression: smartCard('type'),
    description: 'Type de carte CPx du professionnel (JDV_J128: CPS, CPF, CPE, CPA) (AsTypeSmartCardSearchParameter).',
  },
];
