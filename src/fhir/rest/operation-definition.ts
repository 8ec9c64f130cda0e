/**
 * The OperationDefinition (http://hl7.org/fhir/R4/operationdefinition.html)
 * of an operation Socle defines itself ($ins-retrieve, $unmerge…): built from
 * the operation's declaration and the description its module gives, served
 * read-only at [base]/OperationDefinition/socle-[name] and named by the
 * CapabilityStatement, so that a client tool can learn its parameters from
 * the server as it does for HAPI's. Operations the specification or an IG
 * defines point to their published definition instead.
 */
import type { FhirOperation } from './operations.js';

export interface OperationParameterDescription {
  readonly name: string;
  readonly use: 'in' | 'out';
  readonly min: number;
  /** "1", "*"… */
  readonly max: string;
  /** A FHIR type; absent for a parameter made of parts. */
  readonly type?: string;
  readonly documentation: string;
  readonly part?: readonly OperationParameterDescription[];
}

export interface OperationDescription {
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly OperationParameterDescription[];
}

/** Prefix of the ids of Socle's own definitions: a client's OperationDefinition of the same id would shadow one. */
const ID_PREFIX = 'socle-';

export function operationDefinitionId(operation: Pick<FhirOperation, 'name'>): string {
  return `${ID_PREFIX}${operation.name}`;
}

/** Where the definition of a described operation is read: its canonical URL on this server. */
export function operationDefinitionUrl(operation: Pick<FhirOperation, 'name'>, baseUrl: string): string {
  return `${baseUrl}/OperationDefinition/${operationDefinitionId(operation)}`;
}

/** "ins-retrieve" → "InsRetrieve" (OperationDefinition.name must be machine-processable). */
function computableName(code: string): string {
  return code.split(/[^A-Za-z0-9]+/).filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
}

function parameterJson(parameter: OperationParameterDescription): Record<string, unknown> {
  return {
    name: parameter.name,
    use: parameter.use,
    min: parameter.min,
    max: parameter.max,
    documentation: parameter.documentation,
    ...(parameter.type !== undefined ? { type: parameter.type } : {}),
    ...(parameter.part ? { part: parameter.part.map(parameterJson) } : {}),
  };
}

/**
 * The definition of every declaration of one described operation (several
 * may share a name at different levels: they share one definition).
 */
export function operationDefinition(
  declarations: readonly FhirOperation[], description: OperationDescription, baseUrl: string, softwareVersion: string,
): Record<string, unknown> {
  const [first] = declarations;
  if (!first) throw new Error('operationDefinition: no declaration');
  const types = [...new Set(declarations.flatMap((op) => op.types ?? []))];
  const writes = declarations.some((op) => (op.access ?? (op.methods.includes('POST') ? 'write' : 'read')) === 'write');
  return {
    resourceType: 'OperationDefinition',
    id: operationDefinitionId(first),
    url: operationDefinitionUrl(first, baseUrl),
    version: softwareVersion,
    name: computableName(first.name),
    title: description.title,
    status: 'active',
    kind: 'operation',
    publisher: 'Socle',
    description: description.description,
    // Only a GET-less operation may change data (operations.html#request): affectsState tells clients which is which.
    affectsState: writes,
    code: first.name,
    ...(types.length > 0 ? { resource: types } : {}),
    system: declarations.some((op) => op.system === true),
    type: declarations.some((op) => op.types !== undefined && op.instanceOnly !== true),
    instance: declarations.some((op) => op.instance === true),
    parameter: description.parameters.map(parameterJson),
  };
}
