/**
 * The care-date window of Patient/[id]/$everything: its `start` and `end`
 * "relate to care dates, not record currency dates"; without start, all
 * records prior to the end date are in scope, without end, all records
 * subsequent to the start date (OperationDefinition Patient-everything,
 * http://hl7.org/fhir/R4/patient-operation-everything.html).
 *
 * Which date is a resource's care date. R4 defines one, generically, for
 * seventeen types: the search parameter they share, clinical-date (code
 * `date`, http://hl7.org/fhir/SearchParameter/clinical-date in R4's registry:
 * Observation.effective, Encounter.period, Procedure.performed…). It is read
 * from the model, not copied here. For the other Patient-compartment types R4
 * names no clinical date, so the table below picks, for each type with a
 * date of care among its R4 search parameters, that parameter, following the
 * choices clinical-date makes itself: the time the care took place (an
 * administration, a collection, an appointment's start), the authoring date
 * of a request (as SupplyRequest.authoredOn) and the recording date of an
 * assertion (as AllergyIntolerance.recordedDate, hence Condition's
 * recorded-date rather than its onset, which may be decades before the care).
 * Types whose dates are only those of the record, of billing or of
 * administration (Claim, Coverage, Account, Invoice, Provenance, AuditEvent,
 * Basic, Schedule…) have none and are never narrowed, nor is the Patient.
 *
 * A resource is kept when its care date overlaps the window: it does not end
 * before the start (`eb`, ends before) nor start after the end (`sa`, starts
 * after), each bound a whole day, month or year, inclusive. The `ge` and `le`
 * prefixes would not do: by search.html#prefix, `le2020-12-20` leaves out a
 * period that begins that day and ends later. A resource without a care date
 * is kept too (nothing places it outside the window, and leaving it out would
 * hide part of the record without saying so): having no value, it neither
 * ends before nor starts after anything. Every care date named here is a 0..1
 * element, so "no value outside" is "its value overlaps". The window is a
 * storage condition, so pages and totals come from the database like any
 * search's.
 */
import type { Condition } from '../../../storage/query.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { parseParameter, type ParameterContext } from '../../search/parse-parameter.js';

const CLINICAL_DATE = 'http://hl7.org/fhir/SearchParameter/clinical-date';

/** The care date of the compartment types clinical-date leaves out: an R4 date search parameter of each. */
export const OTHER_CARE_DATES: Readonly<Record<string, string>> = {
  AdverseEvent: 'date', // AdverseEvent.date: when the event occurred
  Appointment: 'date', // Appointment.start
  ChargeItem: 'occurrence', // when the charged service was applied
  Communication: 'sent',
  CommunicationRequest: 'authored',
  Condition: 'recorded-date',
  DetectedIssue: 'identified',
  DeviceRequest: 'authored-on',
  DocumentReference: 'period', // context.period, the time of service documented (`date` is the reference's creation)
  Goal: 'start-date',
  ImagingStudy: 'started',
  ImmunizationEvaluation: 'date',
  ImmunizationRecommendation: 'date',
  Media: 'created', // when the media was collected
  MedicationAdministration: 'effective-time',
  MedicationDispense: 'whenhandedover',
  MedicationRequest: 'authoredon', // MedicationRequest's `date` is a dosage timing event, not a care date
  MedicationStatement: 'effective',
  NutritionOrder: 'datetime',
  QuestionnaireResponse: 'authored',
  RequestGroup: 'authored',
  ServiceRequest: 'authored',
  Specimen: 'collected',
  Task: 'authored-on',
  VisionPrescription: 'datewritten',
};

/** The code of the date search parameter holding a resource type's care date, if it has one. */
export function careDateParameter(schema: FhirSchema, type: string): string | undefined {
  const clinical = schema.searchParameterByUrl(CLINICAL_DATE);
  if (clinical?.base.includes(type)) return clinical.code;
  return OTHER_CARE_DATES[type];
}

export interface CareWindow {
  /** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive. */
  readonly start?: string;
  readonly end?: string;
}

/** Resources of `types` whose care date overlaps the window, or which have none. */
export function careWindowCondition(types: readonly string[], window: CareWindow, context: ParameterContext): Condition {
  const undated: string[] = [];
  const any: Condition[] = [];
  for (const type of types) {
    const code = careDateParameter(context.schema, type);
    if (code === undefined) {
      undated.push(type);
      continue;
    }
    const outside: Condition[] = [];
    if (window.start !== undefined) outside.push(parseParameter(type, code, `eb${window.start}`, context));
    if (window.end !== undefined) outside.push(parseParameter(type, code, `sa${window.end}`, context));
    any.push({ kind: 'and', all: [{ kind: 'type', types: [type] }, ...outside.map((condition): Condition => ({ kind: 'not', condition }))] });
  }
  if (undated.length > 0) any.push({ kind: 'type', types: undated });
  return { kind: 'or', any };
}
