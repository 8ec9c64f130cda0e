/**
 * Realistic resources for the indexing tests, shaped after the R4 examples
 * (http://hl7.org/fhir/R4/downloads.html) with French identifiers. They cover
 * the datatypes search parameters land on: HumanName, Address, ContactPoint,
 * Identifier, Coding, CodeableConcept, code with a required binding, boolean,
 * date/dateTime/instant, Period, Timing, Quantity, Age, Range, Money,
 * Reference (relative, absolute, logical), canonical, uri, and the choice
 * elements of Observation, Condition and MedicationRequest.
 */
export type Resource = Record<string, unknown>;

export const patient: Resource = {
  resourceType: 'Patient',
  id: 'pat-1',
  meta: {
    versionId: '3',
    lastUpdated: '2024-05-01T10:00:00.000Z',
    source: 'http://hopital.example.fr/dpi',
    profile: ['http://interopsante.org/fhir/StructureDefinition/FrPatient|1.1'],
    tag: [{ system: 'http://socle.example/tags', code: 'import', display: 'Imported' }],
    security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }],
  },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hélène <b>LEFÈVRE</b>, née le 29/02/1980 &amp; suivie à Paris</p></div>' },
  identifier: [
    {
      use: 'official',
      type: { coding: [{ system: 'http://interopsante.org/CodeSystem/v2-0203', code: 'INS-NIR' }, { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }], text: 'NIR' },
      system: 'urn:oid:1.2.250.1.213.1.4.8',
      value: '280027512345678',
    },
    { system: 'http://hopital.example.fr/ipp', value: 'IPP-000123' },
  ],
  active: true,
  name: [
    { use: 'official', family: 'Lefèvre', given: ['Hélène', 'Marie-Œnone'], prefix: ['Mme'] },
    { use: 'usual', text: 'Hélène Martin', family: 'Martin', given: ['Hélène'] },
  ],
  telecom: [
    { system: 'phone', value: '+33 6 12 34 56 78', use: 'mobile' },
    { system: 'email', value: 'helene.lefevre@example.fr' },
  ],
  gender: 'female',
  birthDate: '1980-02-29',
  deceasedBoolean: false,
  address: [{ use: 'home', line: ['12 rue de la Paix', 'Bâtiment B'], city: 'Paris', postalCode: '75002', state: 'Île-de-France', country: 'FR' }],
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fr-FR' }] } }],
  generalPractitioner: [{ reference: 'Practitioner/pr-1' }, { reference: 'http://127.0.0.1:8080/fhir/Organization/org-1' }],
  managingOrganization: { reference: 'Organization/org-1', display: 'Hôpital Saint-Louis' },
  link: [{ other: { reference: 'Patient/pat-0' }, type: 'replaces' }],
};

export const practitioner: Resource = {
  resourceType: 'Practitioner',
  id: 'pr-1',
  identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810002909371', type: { coding: [{ system: 'http://interopsante.org/CodeSystem/fr-v2-0203', code: 'IDNPS' }] } }],
  active: true,
  name: [{ family: 'Dubois', given: ['Jean-François'], prefix: ['Dr'], suffix: ['PhD'] }],
  telecom: [{ system: 'email', value: 'jf.dubois@mssante.example.fr' }, { system: 'phone', value: '01 40 00 00 00', use: 'work' }],
  address: [{ city: 'Lyon', postalCode: '69003', country: 'FR', district: 'Rhône' }],
  gender: 'male',
  communication: [{ coding: [{ system: 'urn:ietf:bcp:47', code: 'fr' }] }],
};

export const organization: Resource = {
  resourceType: 'Organization',
  id: 'org-1',
  identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1750000000' }],
  active: true,
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
  name: 'Hôpital Saint-Louis',
  alias: ['HSL', 'AP-HP Saint-Louis'],
  address: [{ line: ['1 avenue Claude Vellefaux'], city: 'Paris', postalCode: '75010', country: 'FR' }],
  partOf: { reference: 'Organization/aphp' },
  endpoint: [{ reference: 'Endpoint/ep-1' }],
};

export const observation: Resource = {
  resourceType: 'Observation',
  id: 'bp-1',
  identifier: [{ system: 'http://hopital.example.fr/obs', value: 'OBS-42' }],
  basedOn: [{ reference: 'ServiceRequest/sr-1' }],
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Tension artérielle' },
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  effectivePeriod: { start: '2024-05-01T09:30:00+02:00', end: '2024-05-01T09:35:00+02:00' },
  issued: '2024-05-01T09:40:12.345+02:00',
  performer: [{ reference: 'Practitioner/pr-1' }, { reference: 'Organization/org-1' }],
  valueQuantity: { value: 120.5, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  method: { coding: [{ system: 'http://snomed.info/sct', code: '37931006' }] },
  device: { reference: 'Device/dev-1' },
  hasMember: [{ reference: 'Observation/hr-1' }],
  derivedFrom: [{ reference: 'Media/m-1' }],
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed' }] },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8357-6' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '271649006' }], text: 'Normal' },
    },
  ],
};

export const observationText: Resource = {
  resourceType: 'Observation',
  id: 'note-1',
  status: 'preliminary',
  code: { text: 'Commentaire' },
  subject: { reference: 'Group/g-1' },
  focus: [{ reference: 'Patient/pat-1' }],
  effectiveDateTime: '2024-05',
  valueString: 'Patiente calme',
  specimen: { reference: 'Specimen/sp-1' },
};

export const encounter: Resource = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
  type: [{ coding: [{ system: 'http://snomed.info/sct', code: '183807002' }] }],
  subject: { reference: 'Patient/pat-1' },
  participant: [
    { type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] }], individual: { reference: 'Practitioner/pr-1' } },
    { individual: { reference: 'RelatedPerson/rp-1' } },
  ],
  period: { start: '2024-04-28T08:00:00+02:00', end: '2024-05-02' },
  length: { value: 4, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
  reasonCode: [{ text: 'Douleur thoracique' }],
  diagnosis: [{ condition: { reference: 'Condition/cond-1' }, rank: 1 }],
  hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home' }] } },
  location: [{ location: { reference: 'Location/loc-1' }, period: { start: '2024-04-28T08:00:00+02:00' } }],
  serviceProvider: { reference: 'Organization/org-1' },
};

export const conditionDateTime: Resource = {
  resourceType: 'Condition',
  id: 'cond-1',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  severity: { coding: [{ system: 'http://snomed.info/sct', code: '24484000', display: 'Severe' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I21.9', display: 'Infarctus aigu du myocarde' }] },
  bodySite: [{ coding: [{ system: 'http://snomed.info/sct', code: '80891009' }] }],
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  onsetDateTime: '2024-04-28T07:15:00+02:00',
  abatementString: 'en rémission',
  recordedDate: '2024-04-28',
  recorder: { reference: 'Practitioner/pr-1' },
  evidence: [{ code: [{ coding: [{ system: 'http://snomed.info/sct', code: '29857009' }] }], detail: [{ reference: 'Observation/bp-1' }] }],
};

export const conditionPeriod: Resource = {
  resourceType: 'Condition',
  id: 'cond-2',
  code: { text: 'Asthme' },
  subject: { reference: 'Patient/pat-1' },
  onsetPeriod: { start: '2010' },
  abatementAge: { value: 30, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' },
  stage: [{ summary: { coding: [{ system: 'http://snomed.info/sct', code: '786005' }] } }],
};

export const conditionAge: Resource = {
  resourceType: 'Condition',
  id: 'cond-3',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001' }] },
  subject: { reference: 'Patient/pat-1' },
  onsetAge: { value: 12, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' },
  abatementRange: { low: { value: 20, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' } },
};

export const medicationRequest: Resource = {
  resourceType: 'MedicationRequest',
  id: 'mr-1',
  identifier: [{ system: 'http://hopital.example.fr/rx', value: 'RX-9' }],
  status: 'active',
  intent: 'order',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'outpatient' }] }],
  priority: 'routine',
  medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'B01AC06', display: 'Acide acétylsalicylique' }] },
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  authoredOn: '2024-05-02T11:00:00+02:00',
  requester: { reference: 'Practitioner/pr-1' },
  performer: { reference: 'Practitioner/pr-1' },
  dosageInstruction: [{ timing: { repeat: { boundsPeriod: { start: '2024-05-02', end: '2024-06-02' }, frequency: 1, period: 1, periodUnit: 'd' } } }],
  dispenseRequest: { performer: { reference: 'Organization/pharma-1' }, numberOfRepeatsAllowed: 2 },
};

export const auditEvent: Resource = {
  resourceType: 'AuditEvent',
  id: 'ae-1',
  type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' },
  subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
  action: 'R',
  period: { start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:00:01Z' },
  recorded: '2024-05-01T10:00:01.123Z',
  outcome: '0',
  agent: [
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser' }] }, who: { reference: 'Practitioner/pr-1', identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810002909371' } }, altId: 'jdubois', requestor: true, network: { address: '10.0.0.12', type: '2' }, policy: ['http://socle.example/policy/dmp'] },
    { who: { reference: 'Patient/pat-1' }, requestor: false },
  ],
  source: { site: 'Paris', observer: { reference: 'Device/dev-1' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4' }] },
  entity: [{ what: { reference: 'Patient/pat-1' }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1' }, name: 'Dossier patient' }],
};

export const bundle: Resource = {
  resourceType: 'Bundle',
  id: 'doc-1',
  identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' },
  type: 'document',
  timestamp: '2024-05-02T12:00:00+02:00',
  entry: [
    { fullUrl: 'http://127.0.0.1:8080/fhir/Composition/comp-1', resource: { resourceType: 'Composition', id: 'comp-1', status: 'final', type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] }, subject: { reference: 'Patient/pat-1' }, date: '2024-05-02', author: [{ reference: 'Practitioner/pr-1' }], title: 'Compte rendu' } },
    { fullUrl: 'http://127.0.0.1:8080/fhir/Patient/pat-1', resource: { resourceType: 'Patient', id: 'pat-1' } },
  ],
};

export const immunization: Resource = {
  resourceType: 'Immunization',
  id: 'imm-1',
  status: 'completed',
  vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '207' }] },
  patient: { reference: 'Patient/pat-1' },
  occurrenceDateTime: '2021-06-15',
  lotNumber: 'FF1234',
  location: { reference: 'Location/loc-1' },
  manufacturer: { reference: 'Organization/pfizer' },
  performer: [{ actor: { reference: 'Practitioner/pr-1' } }],
  reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '840539006' }] }],
  protocolApplied: [{ series: 'Primo', doseNumberPositiveInt: 2, targetDisease: [{ coding: [{ system: 'http://snomed.info/sct', code: '840539006' }] }] }],
  reaction: [{ date: '2021-06-16', detail: { reference: 'Observation/reac-1' } }],
};

export const procedure: Resource = {
  resourceType: 'Procedure',
  id: 'proc-1',
  instantiatesCanonical: ['http://socle.example/PlanDefinition/angioplastie|2'],
  instantiatesUri: ['http://socle.example/protocoles/angio.pdf'],
  status: 'completed',
  category: { coding: [{ system: 'http://snomed.info/sct', code: '387713003' }] },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '415070008' }] },
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  performedPeriod: { start: '2024-04-28T09:00:00+02:00', end: '2024-04-28T10:30:00+02:00' },
  performer: [{ actor: { reference: 'Practitioner/pr-1' } }],
  location: { reference: 'Location/loc-1' },
  reasonReference: [{ reference: 'Condition/cond-1' }],
};

export const appointment: Resource = {
  resourceType: 'Appointment',
  id: 'app-1',
  status: 'booked',
  serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124' }] }],
  specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394579002' }] }],
  appointmentType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code: 'FOLLOWUP' }] },
  start: '2024-06-01T09:00:00+02:00',
  end: '2024-06-01T09:30:00+02:00',
  basedOn: [{ reference: 'ServiceRequest/sr-1' }],
  participant: [
    { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/pr-1' }, status: 'accepted', type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] }] },
    { actor: { reference: 'Location/loc-1' }, status: 'tentative' },
  ],
};

export const documentReference: Resource = {
  resourceType: 'DocumentReference',
  id: 'docref-1',
  masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.1.1.7' },
  status: 'current',
  type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
  subject: { reference: 'Patient/pat-1' },
  date: '2024-05-02T12:00:00.000+02:00',
  author: [{ reference: 'Practitioner/pr-1' }],
  relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/docref-0' } }],
  description: 'Compte rendu d’hospitalisation',
  securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] }],
  content: [{ attachment: { contentType: 'application/pdf', language: 'fr-FR', url: 'http://127.0.0.1:8080/fhir/Binary/bin-1', title: 'CRH' }, format: { system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3', code: 'urn:ihe:pcc:xds-ms:2007' } }],
  context: { encounter: [{ reference: 'Encounter/enc-1' }], period: { start: '2024-04-28', end: '2024-05-02' }, facilityType: { coding: [{ system: 'http://snomed.info/sct', code: '22232009' }] }, related: [{ reference: 'Procedure/proc-1' }] },
};

export const group: Resource = {
  resourceType: 'Group',
  id: 'g-1',
  identifier: [{ system: 'http://socle.example/groups', value: 'cohorte-1' }],
  type: 'person',
  actual: true,
  code: { text: 'Cohorte insuffisance cardiaque' },
  characteristic: [
    { code: { coding: [{ system: 'http://snomed.info/sct', code: '84114007' }] }, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '373066001' }] }, exclude: false },
    { code: { text: 'Actif' }, valueBoolean: true, exclude: false },
    { code: { text: 'Age' }, valueRange: { low: { value: 18, unit: 'a' } }, exclude: false },
  ],
  member: [{ entity: { reference: 'Patient/pat-1' } }],
  managingEntity: { reference: 'Organization/org-1' },
};

export const valueSet: Resource = {
  resourceType: 'ValueSet',
  id: 'vs-1',
  url: 'http://socle.example/ValueSet/motifs',
  identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.2' }],
  version: '1.0.0',
  name: 'Motifs',
  title: 'Motifs de consultation',
  status: 'active',
  date: '2024-01-15',
  publisher: 'Socle',
  description: 'Les *motifs* de consultation',
  useContext: [
    { code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' }, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '394814009' }] } },
    { code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'age' }, valueRange: { low: { value: 18, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' }, high: { value: 65, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' } } },
    { code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'program' }, valueQuantity: { value: 3 } },
  ],
  jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'FR' }] }],
  compose: { include: [{ system: 'http://snomed.info/sct', concept: [{ code: '1' }, { code: '2' }] }, { valueSet: ['http://socle.example/ValueSet/autres|2'] }] },
  expansion: { identifier: 'urn:uuid:6a1c', timestamp: '2024-01-15T00:00:00Z', contains: [{ system: 'http://snomed.info/sct', code: '1' }] },
};

export const carePlan: Resource = {
  resourceType: 'CarePlan',
  id: 'cp-1',
  instantiatesCanonical: ['http://socle.example/PlanDefinition/rehab'],
  status: 'active',
  intent: 'plan',
  category: [{ coding: [{ system: 'http://snomed.info/sct', code: '736373009' }] }],
  subject: { reference: 'Patient/pat-1' },
  period: { start: '2024-05-02' },
  careTeam: [{ reference: 'CareTeam/ct-1' }],
  goal: [{ reference: 'Goal/goal-1' }],
  activity: [
    { detail: { code: { coding: [{ system: 'http://snomed.info/sct', code: '229065009' }] }, status: 'scheduled', scheduledTiming: { event: ['2024-05-10T10:00:00+02:00', '2024-05-17'], repeat: { boundsPeriod: { start: '2024-05-10', end: '2024-07-10' } } }, performer: [{ reference: 'Practitioner/pr-1' }] } },
    { detail: { status: 'not-started', scheduledString: 'tous les matins' } },
    { detail: { status: 'not-started', scheduledPeriod: { start: '2024-06-01', end: '2024-06-30' } }, reference: { reference: 'ServiceRequest/sr-1' } },
  ],
};

export const riskAssessment: Resource = {
  resourceType: 'RiskAssessment',
  id: 'ra-1',
  status: 'final',
  subject: { reference: 'Patient/pat-1' },
  occurrenceDateTime: '2024-05-02T08:00:00Z',
  method: { coding: [{ system: 'http://socle.example/methods', code: 'score-grace' }] },
  performer: { reference: 'Practitioner/pr-1' },
  prediction: [
    { outcome: { text: 'Décès à 6 mois' }, probabilityDecimal: 0.12 },
    { outcome: { text: 'Réhospitalisation' }, probabilityRange: { low: { value: 0.2 }, high: { value: 0.35 } } },
  ],
};

export const chargeItem: Resource = {
  resourceType: 'ChargeItem',
  id: 'ci-1',
  status: 'billable',
  code: { coding: [{ system: 'http://socle.example/ccam', code: 'DDAF001' }] },
  subject: { reference: 'Patient/pat-1' },
  occurrencePeriod: { start: '2024-04-28' },
  quantity: { value: 1 },
  factorOverride: 0.8,
  priceOverride: { value: 1234.56, currency: 'EUR' },
  enteredDate: '2024-04-29T12:00:00+02:00',
  account: [{ reference: 'Account/acc-1' }],
};

export const molecularSequence: Resource = {
  resourceType: 'MolecularSequence',
  id: 'ms-1',
  type: 'dna',
  coordinateSystem: 0,
  patient: { reference: 'Patient/pat-1' },
  referenceSeq: { chromosome: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/chromosome-human', code: '1' }] }, referenceSeqId: { coding: [{ system: 'http://www.ncbi.nlm.nih.gov/nuccore', code: 'NC_000001.11' }] }, windowStart: 22125500, windowEnd: 22125510 },
  variant: [{ start: 22125503, end: 22125504, observedAllele: 'C', referenceAllele: 'T' }],
};

export const person: Resource = {
  resourceType: 'Person',
  id: 'per-1',
  name: [{ family: 'Lefèvre', given: ['Hélène'] }],
  telecom: [{ system: 'email', value: 'helene@example.fr' }],
  birthDate: '1980-02-29',
  link: [{ target: { reference: 'Patient/pat-1' } }, { target: { reference: 'Practitioner/pr-1' } }, { target: { reference: 'RelatedPerson/rp-1' } }],
};

export const consent: Resource = {
  resourceType: 'Consent',
  id: 'cons-1',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/pat-1' },
  dateTime: '2024-05-01T10:00:00+02:00',
  organization: [{ reference: 'Organization/org-1' }],
  sourceAttachment: { contentType: 'application/pdf', url: 'http://127.0.0.1:8080/fhir/Binary/consent-1' },
  policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
  provision: { period: { start: '2024-05-01' }, actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP' }] }, reference: { reference: 'Organization/org-1' } }], action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }] }], securityLabel: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }], purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }], data: [{ meaning: 'related', reference: { reference: 'Observation/bp-1' } }] },
};

/** Every fixture, for the tests that run over all of them. */
export const ALL_RESOURCES: readonly Resource[] = [
  patient, practitioner, organization, observation, observationText, encounter, conditionDateTime, conditionPeriod,
  conditionAge, medicationRequest, auditEvent, bundle, immunization, procedure, appointment, documentReference,
  group, valueSet, carePlan, riskAssessment, chargeItem, molecularSequence, person, consent,
];
