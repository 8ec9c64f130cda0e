/**
 * Patient/$match (http://hl7.org/fhir/R4/patient-operation-match.html): the
 * patients that may be the person described by the Patient in `resource`,
 * each with search.score and the match-grade extension
 * (http://hl7.org/fhir/StructureDefinition/match-grade). `onlyCertainMatches`
 * keeps the certain matches, and none at all when more than one is certain
 * (the specification: with several potential matches, the server does not
 * return results when this flag is set); `count` limits the number returned.
 * Also IHE PDQm's Patient Demographics Match [ITI-119]
 * (https://profiles.ihe.net/ITI/PDQm/ITI-119.html).
 */
import { fail, validationFailure } from '../../core/errors.js';
import type { FhirOperation, OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import { recordMpiAccess } from './audit.js';
import { findCandidates, type ScoredCandidate } from './find-candidates.js';
import { postedParameters, single, type Json, type Parameter } from './parameters.js';

export const MATCH_GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';
/** Socle's own extension: why a candidate scored what it did (trait:reason similarity …). */
export const MATCH_EXPLANATION = 'urn:socle:match-explanation';

/**
 * The operation's parameters. PDQm [ITI-119] §2:3.119.4.1.2 lets a consumer
 * that uses neither onlyCertainMatches nor count post the Patient itself,
 * unwrapped: the same as a Parameters holding it alone as `resource`.
 */
function parametersOf(context: OperationContext): Parameter[] {
  const body = context.request.body as Json | null | undefined;
  if (body && typeof body === 'object' && body.resourceType === 'Patient') return [{ name: 'resource', part: { name: 'resource', resource: body } }];
  return postedParameters(context);
}

function readInput(context: OperationContext): { patient: Json; onlyCertain: boolean; count: number | undefined } {
  const list = parametersOf(context);
  const resources = list.filter((p) => p.name === 'resource');
  if (resources.length > 1) throw fail('mpi.parameter-invalid', { name: 'resource', reason: 'repeated' });
  const patient = resources[0]?.part.resource as Json | undefined;
  if (!patient || typeof patient !== 'object' || patient.resourceType !== 'Patient') throw fail('mpi.match.resource-required');
  const result = context.deps.validate(patient, 'Patient');
  if (!result.valid) throw validationFailure(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'));
  const hasName = Array.isArray(patient.name) && patient.name.length > 0;
  const hasIdentifier = Array.isArray(patient.identifier) && patient.identifier.length > 0;
  if (!hasName && typeof patient.birthDate !== 'string' && !hasIdentifier) throw fail('mpi.match.traits-required');
  const onlyCertain = single<boolean>(list, 'onlyCertainMatches', 'Boolean') ?? false;
  const count = single<number>(list, 'count', 'Integer');
  if (count !== undefined && count < 1) throw fail('mpi.parameter-invalid', { name: 'count', reason: 'a positive integer is expected' });
  return { patient, onlyCertain, count };
}

function explanationText(candidate: ScoredCandidate): string {
  return candidate.explanation.map((e) => `${e.trait}:${e.reason}=${e.similarity}`).join(' ');
}

function entryOf(baseUrl: string, candidate: ScoredCandidate): Json {
  return {
    fullUrl: `${baseUrl}/Patient/${String(candidate.patient.id)}`,
    resource: candidate.patient,
    search: {
      extension: [
        { url: MATCH_GRADE, valueCode: candidate.grade },
        { url: MATCH_EXPLANATION, valueString: explanationText(candidate) },
      ],
      mode: 'match',
      score: candidate.score,
    },
  };
}

async function invoke(context: OperationContext): Promise<FhirResponse> {
  const { patient, onlyCertain, count } = readInput(context);
  let found = await findCandidates(context.dispatch, context.request, patient);
  if (onlyCertain) {
    found = found.filter((c) => c.grade === 'certain');
    if (found.length > 1) found = [];
  }
  if (count !== undefined) found = found.slice(0, count);
  recordMpiAccess(context, 'E', 'operation:match', found.map((c) => String(c.patient.id)));
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: found.length,
    link: [{ relation: 'self', url: `${context.request.baseUrl}/Patient/$match` }],
    entry: found.map((c) => entryOf(context.request.baseUrl, c)),
  };
  return { status: 200, headers: {}, body: { kind: 'json', value: bundle }, interaction: 'operation:match' };
}

export const matchOperation: FhirOperation = {
  name: 'match',
  definition: 'http://hl7.org/fhir/OperationDefinition/Patient-match',
  types: ['Patient'],
  methods: ['POST'],
  // Reads only: it must not need write scopes.
  access: 'read',
  invoke,
};
