/**
 * The OperationDefinitions of the operations Socle defines itself
 * ($ins-retrieve, $unmerge…): the CapabilityStatement names each by a URL on
 * this server, that URL reads a valid OperationDefinition, and what it
 * declares is what the operation takes and answers.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, type TestServer } from '../support/test-server.js';

const SYSTEM = { kind: 'system' as const, subject: 'definitions-test', scopes: ['system/*.cruds'] };

forEachBackend('OperationDefinitions of Socle\'s own operations', (server: () => TestServer) => {
  let patientOperations: { name: string; definition: string }[];
  const definition = async (name: string): Promise<any> => {
    const entry = patientOperations.find((op) => op.name === name);
    assert.ok(entry, name);
    const { status, body } = await server().as(SYSTEM).get(entry.definition);
    assert.equal(status, 200, entry.definition);
    return body;
  };

  before(async () => {
    const { body } = await server().get('metadata');
    patientOperations = body.rest[0].resource.find((r: any) => r.type === 'Patient').operation;
  });

  test('every Patient operation names a definition; Socle\'s own resolve on this server', async () => {
    const own = patientOperations.filter((op) => op.definition.startsWith(server().base));
    assert.deepEqual(own.map((op) => op.name).sort(), ['duplicates', 'ins-retrieve', 'ins-verify', 'not-duplicate', 'unmerge']);
    assert.ok(patientOperations.every((op) => /^https?:\/\//.test(op.definition)), JSON.stringify(patientOperations));
    for (const op of own) {
      const body = await definition(op.name);
      assert.equal(body.resourceType, 'OperationDefinition');
      assert.equal(body.url, op.definition);
      assert.equal(body.code, op.name);
      assert.deepEqual(body.resource, ['Patient']);
      assert.equal(body.meta.versionId, '1');
      const validation = await server().post('OperationDefinition/$validate', body);
      assert.equal(validation.status, 200, JSON.stringify(validation.body));
      assert.ok(!validation.body.issue.some((i: any) => i.severity === 'error' || i.severity === 'fatal'), JSON.stringify(validation.body));
    }
  });

  test('every operation the CapabilityStatement lists, at any level, names its definition by an http(s) URL', async () => {
    const { body } = await server().get('metadata');
    const listed = [...body.rest[0].operation, ...body.rest[0].resource.flatMap((r: any) => r.operation ?? [])];
    assert.ok(listed.length > 10);
    for (const op of listed) assert.match(op.definition, /^https?:\/\//, op.name);
    // The Bulk Data status and file endpoints are reached through the kick-off's answer, not listed.
    assert.ok(!listed.some((op: any) => op.name === 'export-status' || op.name === 'export-file'));
  });

  test('a write operation says it affects state, a reading one that it does not', async () => {
    assert.equal((await definition('unmerge')).affectsState, true);
    assert.equal((await definition('not-duplicate')).affectsState, true);
    assert.equal((await definition('ins-retrieve')).affectsState, false);
    assert.equal((await definition('duplicates')).affectsState, false);
  });

  test('$ins-retrieve takes every "in" parameter its definition declares and answers only declared "out" ones', async () => {
    const body = await definition('ins-retrieve');
    const values: Record<string, unknown> = { family: { valueString: 'DEFINI' }, given: { valueString: 'Paul' }, gender: { valueCode: 'male' }, birthdate: { valueDate: '1970-01-01' }, birthplace: { valueCode: '59350' } };
    const inputs = body.parameter.filter((p: any) => p.use === 'in');
    assert.deepEqual(inputs.map((p: any) => p.name).sort(), Object.keys(values).sort());
    const parameters = { resourceType: 'Parameters', parameter: inputs.map((p: any) => ({ name: p.name, ...(values[p.name] as object) })) };
    const answer = await server().as(SYSTEM).post('Patient/$ins-retrieve', parameters);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const outs = new Set(body.parameter.filter((p: any) => p.use === 'out').map((p: any) => p.name));
    for (const p of answer.body.parameter) assert.ok(outs.has(p.name), p.name);
    // And a parameter it does not declare is refused, as the operation reads strictly.
    const extra = { ...parameters, parameter: [...parameters.parameter, { name: 'nickname', valueString: 'Popol' }] };
    assert.equal((await server().as(SYSTEM).post('Patient/$ins-retrieve', extra)).status, 400);
  });

  test('$duplicates answers only the "out" parameters its definition declares', async () => {
    const body = await definition('duplicates');
    const answer = await server().as(SYSTEM).get('Patient/$duplicates?grade=possible&_count=5');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const outs = new Set(body.parameter.filter((p: any) => p.use === 'out').map((p: any) => p.name));
    for (const p of answer.body.parameter) assert.ok(outs.has(p.name), p.name);
  });

  test('an id that names no operation is not found; Socle\'s own are read-only and read as version 1', async () => {
    assert.equal((await server().get('OperationDefinition/socle-no-such-operation')).status, 404);
    const own = { resourceType: 'OperationDefinition', id: 'socle-unmerge', status: 'draft', kind: 'operation', name: 'Mine', code: 'mine', system: true, type: false, instance: false };
    assert.equal((await server().put('OperationDefinition/socle-unmerge', own)).status, 405);
    assert.equal((await server().request('DELETE', 'OperationDefinition/socle-unmerge')).status, 405);
    const read = await server().get('OperationDefinition/socle-unmerge');
    assert.equal(read.body.code, 'unmerge');
    // Its ETag does not follow the content across versions of the code: never a 304.
    assert.equal((await server().get('OperationDefinition/socle-unmerge', { 'if-none-match': 'W/"1"' })).status, 200);
    const vread = await server().get('OperationDefinition/socle-unmerge/_history/1');
    assert.equal(vread.status, 200);
    assert.deepEqual(vread.body, read.body);
    // A transaction cannot write it either.
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: own, request: { method: 'PUT', url: 'OperationDefinition/socle-unmerge' } }] };
    assert.equal((await server().post('', bundle)).status, 405);
    // Another id is the client's own.
    assert.equal((await server().put('OperationDefinition/mine', { ...own, id: 'mine' })).status, 201);
  });
});
