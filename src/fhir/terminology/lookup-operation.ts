/**
 * CodeSystem/$lookup (http://hl7.org/fhir/R4/codesystem-operation-lookup.html):
 * a code's details, from system+code(+version) or a coding, at type level or
 * on a stored CodeSystem (CodeSystem/[id]/$lookup, where the system is the
 * instance's). Returns name, version, display, designations and properties:
 * definition, parent and child (with their displays as descriptions),
 * inactive, and the concept's own properties; `property` narrows them to
 * those named ("If no properties are specified, the server chooses what to
 * return"). An unknown code system or code is a 404 OperationOutcome.
 */
import { fail } from '../../core/errors.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import { propertyValueElement, type CodeSystemIndex, type IndexedConcept } from './code-system-index.js';
import { conceptEntry } from './expanded-code.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { parametersResponse, targetCodeSystem, terminologySource } from './operation-target.js';
import type { Designation, Json } from './types.js';

const OPERATION = '$lookup';

function designationParameter(designation: Designation): Json {
  return {
    name: 'designation',
    part: [
      ...(designation.language !== undefined ? [{ name: 'language', valueCode: designation.language }] : []),
      ...(designation.use !== undefined ? [{ name: 'use', valueCoding: designation.use }] : []),
      { name: 'value', valueString: designation.value ?? '' },
    ],
  };
}

function propertyParameter(code: string, value: Json, description?: string): Json {
  const valuePart = Object.keys(value).length > 0 ? [{ name: 'value', ...value }] : [];
  return {
    name: 'property',
    part: [{ name: 'code', valueCode: code }, ...valuePart, ...(description !== undefined ? [{ name: 'description', valueString: description }] : [])],
  };
}

function properties(index: CodeSystemIndex, concept: IndexedConcept, wanted: (name: string) => boolean): Json[] {
  const out: Json[] = [];
  const { definition } = concept;
  if (definition.definition !== undefined && wanted('definition')) out.push(propertyParameter('definition', { valueString: definition.definition }));
  for (const [name, codes] of [['parent', concept.parents], ['child', concept.children]] as const) {
    if (!wanted(name)) continue;
    for (const code of codes) out.push(propertyParameter(name, { valueCode: code }, index.get(code)?.definition.display));
  }
  if (wanted('inactive')) out.push(propertyParameter('inactive', { valueBoolean: index.isInactive(concept) }));
  for (const property of definition.property ?? []) {
    if (property.code === undefined || ['parent', 'child', 'inactive'].includes(property.code) || !wanted(property.code)) continue;
    out.push(propertyParameter(property.code, propertyValueElement(property)));
  }
  return out;
}

export function lookupOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    if (input.has('date')) throw fail('operation.parameter-unsupported', { operation: OPERATION, name: 'date' });
    const code = input.string('code');
    const coding = input.coding('coding');
    if ((code === undefined) === (coding === undefined)) throw fail('terminology.parameter-one-of', { operation: OPERATION, names: 'code, coding' });
    const wantedCode = code ?? coding?.code;
    if (wantedCode === undefined) throw fail('terminology.parameter-missing', { operation: OPERATION, name: 'coding.code' });
    const system = code !== undefined ? input.string('system') : coding?.system;
    const version = code !== undefined ? input.string('version') : coding?.version;
    const source = terminologySource(hl7, context);
    const index = await targetCodeSystem(context, source, system, version, input, code !== undefined ? 'system' : 'coding.system');
    const concept = index.get(wantedCode);
    if (!concept) throw fail('terminology.code-unknown', { code: wantedCode, system: index.url });
    const asked = input.strings('property');
    const wanted = (name: string): boolean => asked.length === 0 || asked.includes(name);
    const displayLanguage = input.string('displayLanguage');
    const display = conceptEntry(index, concept, displayLanguage !== undefined ? { displayLanguage } : {}).display ?? concept.code;
    const { resource } = index;
    return parametersResponse('lookup', [
      { name: 'name', valueString: resource.title ?? resource.name ?? index.url },
      ...(index.version !== undefined ? [{ name: 'version', valueString: index.version }] : []),
      { name: 'display', valueString: display },
      ...(wanted('designation') ? (concept.definition.designation ?? []).map(designationParameter) : []),
      ...properties(index, concept, wanted),
    ]);
  }
  return {
    name: 'lookup',
    definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup',
    types: ['CodeSystem'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
