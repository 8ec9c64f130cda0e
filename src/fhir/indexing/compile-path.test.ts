/**
 * The compiled paths select exactly what the reference FHIRPath engine (the
 * fhirpath package) selects, node for node and type for type, for every
 * search parameter of the fixture resources; and the fallback to that engine
 * stays the exception.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { r4Schema } from '../definitions/schema.js';
import type { JsonObject } from './compile-expression.js';
import { compilePath, splitUnion } from './compile-path.js';
import { ALL_RESOURCES } from './test-resources.js';
import { TypeModel } from './type-model.js';

const schema = r4Schema();
const model = new TypeModel(schema);

const SYSTEM_TYPES: Record<string, string> = { 'System.Boolean': 'boolean', 'System.String': 'string', 'System.Integer': 'integer', 'System.Decimal': 'decimal' };

/**
 * `resolve()` needs a server in the fhirpath package (it is asynchronous).
 * Every reference in the fixtures is relative, for which "resolve() is T"
 * means "the reference starts with T/", which the engine can evaluate.
 */
function withoutResolve(expression: string): string {
  return expression.replace(/\.where\(resolve\(\) is ([A-Za-z]+)\)/g, ".where(reference.startsWith('$1/'))");
}

/** What the fhirpath package selects, as sorted JSON of [value, type]. */
function reference(focus: unknown, expression: string, base: string | undefined, resource: JsonObject): string[] {
  const path = base ? { base, expression: withoutResolve(expression) } : withoutResolve(expression);
  const items = fhirpath.evaluate(focus, path, { resource, rootResource: resource }, r4Model, { resolveInternalTypes: false }) as unknown[];
  return items.flatMap((item) => {
    const node = item as { data?: unknown; fhirNodeDataType?: string; path?: string };
    if (node && typeof node === 'object' && 'fhirNodeDataType' in node) {
      if (node.data === null || node.data === undefined) return [];
      // Elements the definitions type as System.String (Resource.id, Extension.url) are FHIR strings in the model.
      const declared = node.fhirNodeDataType ?? '';
      const type = declared === 'BackboneElement' ? node.path : (SYSTEM_TYPES[declared] ?? declared);
      return [JSON.stringify([node.data, type])];
    }
    const type = SYSTEM_TYPES[fhirpath.types([item])[0] ?? ''] ?? 'unknown';
    return [JSON.stringify([fhirpath.resolveInternalTypes(item), type])];
  }).filter((v, i, all) => all.indexOf(v) === i).sort();
}

/** What the compiled path selects, as sorted JSON of [value, type] (duplicates dropped, as FHIRPath's union does). */
function compiled(out: unknown[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < out.length; i += 2) pairs.push(JSON.stringify([out[i], out[i + 1]]));
  return [...new Set(pairs)].sort();
}

describe('compiled search parameter paths', () => {
  let checked = 0;
  let nonEmpty = 0;
  for (const resource of ALL_RESOURCES) {
    const type = resource.resourceType as string;
    it(`select the same nodes and types as the fhirpath package on ${type}/${resource.id as string}`, () => {
      const mismatches: string[] = [];
      const check = (actual: string[], expected: string[], what: string) => {
        try {
          assert.deepEqual(actual, expected);
        } catch {
          mismatches.push(`${what}\n  compiled: ${actual.join(' ')}\n  fhirpath: ${expected.join(' ')}`);
        }
      };
      for (const parameter of schema.searchParameters(type).values()) {
        if (!parameter.expression) continue;
        const path = compilePath(model, parameter.expression, type);
        const out: unknown[] = [];
        path.select(resource, type, resource, out);
        const mine = compiled(out);
        check(mine, reference(resource, parameter.expression, undefined, resource), `${type} ${parameter.code}: ${parameter.expression}`);
        checked++;
        if (mine.length > 0) nonEmpty++;
        for (const [index, component] of (parameter.component ?? []).entries()) {
          const componentPath = compilePath(model, component.expression, type, path.types);
          for (let i = 0; i < out.length; i += 2) {
            const componentOut: unknown[] = [];
            componentPath.select(out[i], out[i + 1] as string, resource, componentOut);
            const base = out[i] === resource ? undefined : (out[i + 1] as string);
            check(compiled(componentOut), reference(out[i], component.expression, base, resource),
              `${type} ${parameter.code}$${index}: ${component.expression}`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }

  it('were compared on many parameters that select something', () => {
    assert.ok(checked > 550, `only ${checked} parameters compared`);
    assert.ok(nonEmpty > 300, `only ${nonEmpty} parameters selected something`);
  });

  it('narrow resolve() is T to references of that type, from the reference or from Reference.type', () => {
    const encounter = {
      resourceType: 'AuditEvent',
      agent: [
        { who: { reference: 'Patient/1' } },
        { who: { reference: 'http://other.example/fhir/Patient/2/_history/1' } },
        { who: { type: 'Patient', identifier: { value: 'x' } } },
        { who: { type: 'http://hl7.org/fhir/StructureDefinition/Patient', identifier: { value: 'y' } } },
        { who: { reference: 'Practitioner/3' } },
        { who: { identifier: { value: 'z' } } },
      ],
    };
    const path = compilePath(model, 'AuditEvent.agent.who.where(resolve() is Patient)', 'AuditEvent');
    const out: unknown[] = [];
    path.select(encounter, 'AuditEvent', encounter, out);
    assert.equal(out.length / 2, 4);
    assert.ok(out.every((item, i) => i % 2 === 1 || JSON.stringify(item) !== JSON.stringify({ reference: 'Practitioner/3' })));
  });

  it('skip the union branches about other resource types at compile time', () => {
    const parameter = schema.searchParameter('Observation', 'patient');
    assert.ok(parameter?.expression && splitUnion(parameter.expression).length > 20);
    const path = compilePath(model, parameter.expression, 'Observation');
    assert.deepEqual(path.types, ['Reference']);
    assert.deepEqual(path.fallbacks, []);
  });

  it('know the type a path lands on, through choices, backbones and content references', () => {
    assert.deepEqual(compilePath(model, 'Observation.value.ofType(Quantity)', 'Observation').types, ['Quantity']);
    assert.deepEqual(compilePath(model, 'Condition.onset.ofType(Quantity)', 'Condition').types, ['Age']);
    assert.deepEqual(compilePath(model, 'Observation.component', 'Observation').types, ['Observation.component']);
    assert.deepEqual(compilePath(model, 'Questionnaire.item.item.code', 'Questionnaire').types, ['Coding']);
    assert.deepEqual(compilePath(model, 'Patient.gender', 'Patient').valueSets, ['http://hl7.org/fhir/ValueSet/administrative-gender']);
    assert.deepEqual(compilePath(model, '(Observation.value as CodeableConcept).text', 'Observation').types, ['string']);
    assert.deepEqual(compilePath(model, 'Observation.value.as(Period).start', 'Observation').types, ['dateTime']);
    assert.deepEqual(compilePath(model, "Patient.extension('http://x').value.ofType(Coding)", 'Patient').types, ['Coding']);
  });
});

describe('the fallback to the fhirpath package', () => {
  it('is used by no more than 3 of the expressions of the R4 definitions, components included', () => {
    const fallbacks: string[] = [];
    let compiledCount = 0;
    for (const type of schema.resourceTypes) {
      for (const parameter of schema.searchParameters(type).values()) {
        if (!parameter.expression) continue;
        const path = compilePath(model, parameter.expression, type);
        compiledCount++;
        fallbacks.push(...path.fallbacks.map((f) => `${type}.${parameter.code}: ${f.reason}`));
        for (const component of parameter.component ?? []) {
          fallbacks.push(...compilePath(model, component.expression, type, path.types).fallbacks.map((f) => `${type}.${parameter.code} component: ${f.reason}`));
        }
      }
    }
    assert.ok(compiledCount > 2500);
    // Today the list is empty: every R4 search parameter expression compiles.
    assert.ok(fallbacks.length <= 3, `fallbacks:\n${fallbacks.join('\n')}`);
  });

  it('evaluates the expressions outside the compiled subset, with the types of the selected nodes', () => {
    const patient = { resourceType: 'Patient', name: [{ family: 'Martin', given: ['Anne', 'Lise'] }, { family: 'Durand' }] };
    const path = compilePath(model, "Patient.name.select(given.first()) | Patient.name.where(family.startsWith('Ma'))", 'Patient');
    assert.equal(path.fallbacks.length, 2);
    const out: unknown[] = [];
    path.select(patient, 'Patient', patient, out);
    assert.deepEqual(out, ['Anne', 'string', { family: 'Martin', given: ['Anne', 'Lise'] }, 'HumanName']);
  });

  it('keeps the compiled branches of a union compiled when another branch falls back', () => {
    const path = compilePath(model, 'Patient.birthDate | Patient.name.select(family)', 'Patient');
    assert.equal(path.fallbacks.length, 1);
    assert.deepEqual(path.types, ['date']);
  });
});
