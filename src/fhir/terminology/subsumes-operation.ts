/**
 * CodeSystem/$subsumes (http://hl7.org/fhir/R4/codesystem-operation-subsumes.html):
 * how code A relates to code B in one code system's hierarchy: equivalent
 * (the same concept), subsumes (A is above B), subsumed-by (A is below B) or
 * not-subsumed (concept-subsumption-outcome). Codes come as codeA/codeB with
 * system (or on a stored CodeSystem instance) or as codingA/codingB. "If the
 * server is unable to determine the relationship between the codes/Codings,
 * then it returns an error": an unknown code is a 404, codings of two
 * different systems a 422 (Socle knows no relation across code systems).
 */
import { fail } from '../../core/errors.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import type { CodeSystemIndex } from './code-system-index.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { parametersResponse, targetCodeSystem, terminologySource } from './operation-target.js';
import type { Coding } from './types.js';

const OPERATION = '$subsumes';

export type SubsumptionOutcome = 'equivalent' | 'subsumes' | 'subsumed-by' | 'not-subsumed';

/** The relation of a to b; both must be codes of the code system. */
export function subsumption(index: CodeSystemIndex, a: string, b: string): SubsumptionOutcome {
  for (const code of [a, b]) {
    if (!index.get(code)) throw fail('terminology.code-unknown', { code, system: index.url });
  }
  if (index.get(a) === index.get(b)) return 'equivalent';
  if (index.subsumes(a, b)) return 'subsumes';
  if (index.subsumes(b, a)) return 'subsumed-by';
  return 'not-subsumed';
}

function pair(input: OperationInput): { a: Coding; b: Coding } {
  const codeA = input.string('codeA');
  const codeB = input.string('codeB');
  const codingA = input.coding('codingA');
  const codingB = input.coding('codingB');
  if (codeA !== undefined && codeB !== undefined && codingA === undefined && codingB === undefined) return { a: { code: codeA }, b: { code: codeB } };
  if (codingA !== undefined && codingB !== undefined && codeA === undefined && codeB === undefined) {
    for (const [name, coding] of [['codingA', codingA], ['codingB', codingB]] as const) {
      if (coding.code === undefined) throw fail('terminology.parameter-missing', { operation: OPERATION, name: `${name}.code` });
    }
    return { a: codingA, b: codingB };
  }
  throw fail('terminology.parameter-one-of', { operation: OPERATION, names: 'codeA + codeB, codingA + codingB' });
}

export function subsumesOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    const { a, b } = pair(input);
    if (a.system !== undefined && b.system !== undefined && a.system !== b.system) {
      throw fail('terminology.subsumption-across-systems', { systemA: a.system, systemB: b.system });
    }
    const system = input.string('system') ?? a.system ?? b.system;
    for (const given of [a.system, b.system]) {
      if (given !== undefined && system !== undefined && given !== system) throw fail('terminology.system-mismatch', { operation: OPERATION, given, expected: system });
    }
    const source = terminologySource(hl7, context);
    const index = await targetCodeSystem(context, source, system, input.string('version') ?? a.version ?? b.version, input, 'system');
    const outcome = subsumption(index, a.code as string, b.code as string);
    return parametersResponse('subsumes', [{ name: 'outcome', valueCode: outcome }]);
  }
  return {
    name: 'subsumes',
    definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes',
    types: ['CodeSystem'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
