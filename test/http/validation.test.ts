/**
 * Validation on writes (http://hl7.org/fhir/R4/validation.html): every write
 * that breaks the base R4 rules answers 400 (not FHIR JSON) or 422 (FHIR rules
 * broken) with one issue per problem, located by a FHIRPath expression; and
 * $validate (resource-operation-validate.html) gives the same verdict without writing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { assertOutcome, countOf, expressions, messageKeys, uniqueSystem, type OutcomeIssue } from '../support/outcome.js';

interface Case {
  readonly name: string;
  readonly type: string;
  readonly resource: (system: string) => Record<string, unknown>;
  readonly status: 400 | 422;
  /** Expected issues: message key and FHIRPath, one each. */
  readonly issues: readonly { readonly message: string; readonly expression: string }[];
}

const CODE = { coding: [{ system: 'http://loinc.org', code: '29463-7' }] };

const CASES: readonly Case[] = [
  {
    name: 'unknown element',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], nickname: 'Mimi' }),
    status: 400,
    issues: [{ message: 'validation.unknown-element', expression: 'Patient.nickname' }],
  },
  {
    name: 'wrong datatype',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], active: 'yes' }),
    status: 400,
    issues: [{ message: 'validation.type', expression: 'Patient.active' }],
  },
  {
    name: 'bad date',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], birthDate: '1990-13-45' }),
    status: 400,
    issues: [{ message: 'validation.format', expression: 'Patient.birthDate' }],
  },
  {
    name: 'code outside a required binding',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], gender: 'robot' }),
    status: 422,
    issues: [{ message: 'validation.binding', expression: 'Patient.gender' }],
  },
  {
    name: 'missing required elements',
    type: 'Observation',
    resource: (system) => ({ resourceType: 'Observation', identifier: [{ system, value: 'x' }] }),
    status: 422,
    issues: [
      { message: 'validation.min', expression: 'Observation.status' },
      { message: 'validation.min', expression: 'Observation.code' },
    ],
  },
  {
    name: 'an array where the maximum cardinality is 1',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], birthDate: ['1990-01-01'] }),
    status: 400,
    issues: [{ message: 'validation.array-not-allowed', expression: 'Patient.birthDate' }],
  },
  {
    name: 'a repeating element given as a single value',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: { system, value: 'x' } }),
    status: 400,
    issues: [{ message: 'validation.not-array', expression: 'Patient.identifier' }],
  },
  {
    name: 'minimum cardinality of a backbone element',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], link: [{ type: 'seealso' }] }),
    status: 422,
    issues: [{ message: 'validation.min', expression: 'Patient.link[0].other' }],
  },
  {
    name: 'invariant obs-6 (dataAbsentReason with a value)',
    type: 'Observation',
    resource: (system) => ({
      resourceType: 'Observation', identifier: [{ system, value: 'x' }], status: 'final', code: CODE,
      valueQuantity: { value: 72, unit: 'kg' }, dataAbsentReason: { text: 'not measured' },
    }),
    status: 422,
    issues: [{ message: 'validation.invariant', expression: 'Observation' }],
  },
  {
    name: 'invalid contained resource',
    type: 'Observation',
    resource: (system) => ({
      resourceType: 'Observation', identifier: [{ system, value: 'x' }], status: 'final', code: CODE,
      contained: [{ resourceType: 'Patient', id: 'p1', gender: 'robot' }],
      subject: { reference: '#p1' },
    }),
    status: 422,
    issues: [{ message: 'validation.binding', expression: 'Observation.contained[0].gender' }],
  },
  {
    name: 'contained resource that itself contains resources (dom-2)',
    type: 'Observation',
    resource: (system) => ({
      resourceType: 'Observation', identifier: [{ system, value: 'x' }], status: 'final', code: CODE,
      contained: [{ resourceType: 'Patient', id: 'p1', contained: [{ resourceType: 'Organization', id: 'o1', name: 'Clinique' }] }],
      subject: { reference: '#p1' },
    }),
    status: 422,
    issues: [
      { message: 'validation.contained-nested', expression: 'Observation.contained[0]' },
      // The nested Organization is referred to by nothing either (dom-3).
      { message: 'validation.invariant', expression: 'Observation.contained[0].contained[0]' },
    ],
  },
  {
    name: 'contained resource referred to by nothing (dom-3)',
    type: 'Observation',
    resource: (system) => ({
      resourceType: 'Observation', identifier: [{ system, value: 'x' }], status: 'final', code: CODE,
      contained: [{ resourceType: 'Patient', id: 'p1' }],
    }),
    status: 422,
    issues: [{ message: 'validation.invariant', expression: 'Observation.contained[0]' }],
  },
  {
    name: 'several problems, one issue each',
    type: 'Patient',
    resource: (system) => ({ resourceType: 'Patient', identifier: [{ system, value: 'x' }], gender: 'robot', birthDate: 'hier', nickname: 'x', active: 1 }),
    status: 400,
    issues: [
      { message: 'validation.binding', expression: 'Patient.gender' },
      { message: 'validation.format', expression: 'Patient.birthDate' },
      { message: 'validation.unknown-element', expression: 'Patient.nickname' },
      { message: 'validation.type', expression: 'Patient.active' },
    ],
  },
];

function errorIssues(issues: readonly OutcomeIssue[]): OutcomeIssue[] {
  return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** The issues as comparable "message @ expression" strings, sorted. */
function signature(issues: readonly OutcomeIssue[]): string[] {
  return errorIssues(issues).map((i) => `${messageKeys([i]).join(',')} @ ${(i.expression ?? []).join(',')}`).sort();
}

function assertIssues(issues: readonly OutcomeIssue[], expected: Case['issues'], context: string): void {
  const errors = errorIssues(issues);
  assert.equal(errors.length, expected.length, `${context}: one issue per problem, got ${JSON.stringify(signature(issues))}`);
  for (const { message, expression } of expected) {
    assert.ok(
      errors.some((i) => messageKeys([i]).includes(message) && (i.expression ?? []).includes(expression)),
      `${context}: expected ${message} at ${expression}, got ${JSON.stringify(signature(issues))}`,
    );
  }
  for (const issue of errors) assert.ok((issue.expression ?? []).length > 0, `${context}: every issue is located`);
}

async function assertNotStored(server: TestServer, type: string, system: string): Promise<void> {
  assert.equal(await countOf(server, `${type}?identifier=${encodeURIComponent(`${system}|`)}`), 0, `no ${type} was written`);
}

forEachBackend('validation on writes', (server) => {
  for (const c of CASES) {
    test(`create: ${c.name} → ${c.status}`, async () => {
      const system = uniqueSystem('val');
      const result = await server().post(c.type, c.resource(system));
      const issues = assertOutcome(result, c.status);
      assertIssues(issues, c.issues, c.name);
      await assertNotStored(server(), c.type, system);
    });
  }

  test('update gives the same verdict as create and leaves the stored version untouched', async () => {
    const system = uniqueSystem('val-update');
    const stored = await server().create({ resourceType: 'Patient', identifier: [{ system, value: 'x' }] });
    for (const c of CASES.filter((k) => k.type === 'Patient')) {
      const resource = { ...c.resource(system), id: stored.id };
      const result = await server().put(`Patient/${stored.id}`, resource);
      assertIssues(assertOutcome(result, c.status), c.issues, `update: ${c.name}`);
    }
    const read = await server().get(`Patient/${stored.id}`);
    assert.equal(read.body.meta.versionId, '1');
  });

  test('a patch producing an invalid resource is refused and leaves it untouched', async () => {
    const stored = await server().create({ resourceType: 'Patient', gender: 'female' });
    const result = await server().request('PATCH', `Patient/${stored.id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/gender', value: 'robot' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assertIssues(assertOutcome(result, 422), [{ message: 'validation.binding', expression: 'Patient.gender' }], 'patch');
    assert.equal((await server().get(`Patient/${stored.id}`)).body.gender, 'female');
  });

  for (const c of CASES) {
    test(`$validate gives the same verdict without writing: ${c.name}`, async () => {
      const system = uniqueSystem('val-op');
      const write = await server().post(c.type, c.resource(system));
      const writeIssues = assertOutcome(write, c.status);
      await assertNotStored(server(), c.type, system);

      const direct = await server().post(`${c.type}/$validate`, c.resource(system));
      assert.equal(direct.status, 200, direct.text);
      assert.equal(direct.body.resourceType, 'OperationOutcome');
      assert.deepEqual(signature(direct.body.issue), signature(writeIssues), 'the resource as the body');

      const wrapped = await server().post(`${c.type}/$validate`, { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: c.resource(system) }] });
      assert.equal(wrapped.status, 200, wrapped.text);
      assert.deepEqual(signature(wrapped.body.issue), signature(writeIssues), 'the resource in a Parameters');

      await assertNotStored(server(), c.type, system);
    });
  }

  test('$validate of a valid resource says so, and writes nothing', async () => {
    const system = uniqueSystem('val-ok');
    const resource = { resourceType: 'Observation', identifier: [{ system, value: 'x' }], status: 'final', code: CODE, valueQuantity: { value: 72, unit: 'kg' } };
    for (const body of [resource, { resourceType: 'Parameters', parameter: [{ name: 'resource', resource }] }]) {
      const result = await server().post('Observation/$validate', body);
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.resourceType, 'OperationOutcome');
      assert.deepEqual(errorIssues(result.body.issue), []);
      assert.equal(result.body.issue[0].severity, 'information');
    }
    await assertNotStored(server(), 'Observation', system);
  });

  test('$validate of a resource of another type than the URL is an error', async () => {
    const result = await server().post('Observation/$validate', { resourceType: 'Patient' });
    assert.ok(result.status === 200 || result.status === 400, result.text);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.ok(errorIssues(result.body.issue).length > 0, 'a Patient is not a valid Observation');
  });

  test('$validate applies the write rules of a type too (identity-vigilance on Patient), writing nothing', async () => {
    const system = uniqueSystem('val-ins');
    // A NIR whose key is wrong: structurally a valid Patient, refused by the INS rules on a write.
    const patient = {
      resourceType: 'Patient', identifier: [{ system, value: 'x' }, { use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.8', value: '185057800608499' }],
      name: [{ use: 'official', family: 'MARTIN', given: ['JEAN'] }], gender: 'male', birthDate: '1985-05-12',
    };
    const write = await server().post('Patient', patient);
    assertOutcome(write, 422);
    const validated = await server().post('Patient/$validate', patient);
    assert.equal(validated.status, 200, validated.text);
    assert.deepEqual(messageKeys(errorIssues(validated.body.issue)).sort(), messageKeys(errorIssues(write.body.issue)).sort(), 'the same issues as the write');
    await assertNotStored(server(), 'Patient', system);
  });

  test('$validate takes mode and profile: an unknown mode is a 400, a profile it cannot check is an error, update needs an id', async () => {
    const observation = { resourceType: 'Observation', status: 'final', code: CODE };
    assertOutcome(await server().post('Observation/$validate?mode=peut-etre', observation), 400);
    const profiled = await server().post('Observation/$validate?profile=http://example.org/StructureDefinition/mine', observation);
    assert.deepEqual(messageKeys(errorIssues(profiled.body.issue)), ['validation.profile-unsupported']);
    const base = await server().post('Observation/$validate?profile=http://hl7.org/fhir/StructureDefinition/Observation', observation);
    assert.deepEqual(errorIssues(base.body.issue), []);
    const update = await server().post('Observation/$validate', { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'update' }, { name: 'resource', resource: observation }] });
    assert.deepEqual(messageKeys(errorIssues(update.body.issue)), ['id.missing-in-update']);
    const instance = await server().post('Observation/abc/$validate', { ...observation, id: 'xyz' });
    assert.deepEqual(messageKeys(errorIssues(instance.body.issue)), ['id.mismatch']);
  });

  test('$validate in delete mode nominates a resource: on an instance it answers 200, at type level 400', async () => {
    const created = await server().create({ resourceType: 'Observation', status: 'final', code: CODE });
    const mode = { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'delete' }] };
    const onInstance = await server().post(`Observation/${created.id}/$validate`, mode);
    assert.equal(onInstance.status, 200, onInstance.text);
    assert.deepEqual(errorIssues(onInstance.body.issue), []);
    assertOutcome(await server().post('Observation/$validate', mode), 400, 'validation.delete-needs-id');
  });

  test('$validate without a resource is a 400', async () => {
    const result = await server().request('POST', 'Patient/$validate', { rawBody: '', headers: { 'content-type': 'application/fhir+json' } });
    assertOutcome(result, 400);
  });

  test('every issue of a write carries a FHIRPath expression', async () => {
    const result = await server().post('Observation', { resourceType: 'Observation', status: 'done', code: { coding: [{ system: 5 }] }, subject: 'Patient/1' });
    const issues = assertOutcome(result, [400, 422]);
    assert.ok(expressions(issues).length >= errorIssues(issues).length);
    for (const expression of expressions(issues)) assert.match(expression, /^Observation(\.|$|\[)/);
  });
});
