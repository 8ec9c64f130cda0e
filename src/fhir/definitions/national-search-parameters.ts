/**
 * Search parameters the French guides add to R4 (FR Core, Annuaire Santé…),
 * in the shape of the official ones: the schema merges them, so indexing,
 * search and the CapabilityStatement treat them exactly like R4's own.
 * Each entry cites the SearchParameter resource it reproduces.
 */
import type { SearchParameterDefinition } from './model.js';

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
    description: 'Diplôme, exercice professionnel (TRE_G15) et savoir-faire (AsQualificationCodeSearchParameter).',
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
];
