/**
 * $ins-retrieve and $ins-verify on a real server per backend: answers by
 * INSi's codes, a valid fr-core-patient-ins Patient on 00, verdicts with the
 * differing traits, catalogued 4xx for bad input, refusals without a
 * professional or system principal, one audit entry per call without any
 * personal data, a per-client rate limit, and no way to list the register.
 * Allowed calls go through the engine with a principal (bearer tokens are
 * not checked by the HTTP layer yet); refusals also go over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditEntry, AuditRecorder } from '../../src/core/audit-entry.js';
import type { Principal } from '../../src/core/principal.js';
import { BIRTH_LIST_GIVEN_NAME, BIRTH_PLACE, INS_SYSTEMS, INSEE_CODE, traitsOf } from '../../src/identity/fr-core.js';
import type { InsiIdentity } from '../../src/identity/insi/contract.js';
import { InsiRegister, loadReferenceIdentities } from '../../src/identity/insi/index.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import type { FhirEngine } from '../../src/fhir/rest/engine.js';
import { internalOnlyGuard } from '../../src/fhir/rest/access-guard.js';
import { careRelationshipPolicy } from '../../src/auth/policy/care-relationship-policy.js';
import { CareRelationships } from '../../src/auth/policy/care-relationships.js';
import { patientPolicy } from '../../src/auth/policy/patient-policy.js';
import { PolicyDecisionPoint } from '../../src/auth/policy/policy-decision-point.js';
import { systemPolicy } from '../../src/auth/policy/system-policy.js';
import { Collection } from '../../src/storage/collection.js';
import { assertOutcome, messageKeys, type OutcomeIssue } from '../support/outcome.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import { DUPONT_MARIE_LOUISE, samplePatients, traitParameters, valuesOf, type Traits } from './insi-sample.js';

const DUPONT = withInsKey('2850335238123');
const PRACTITIONER: Principal = { kind: 'practitioner', subject: '810000000001', clientId: 'lgc-clinic', scopes: ['user/Patient.rs'] };
const SYSTEM: Principal = { kind: 'system', subject: 'hospital-gateway', clientId: 'gateway', scopes: ['system/Patient.rs'] };

/**
 * The engine fails closed (refuses every principal) until the auth module
 * composes the policy decision point into the platform; compose the real one
 * then, so that the scopes above are checked as they will be.
 */
function withPolicyDecisionPoint(engine: FhirEngine): void {
  if (engine.deps.guard !== internalOnlyGuard) return;
  const { compartment, store, clock, schema } = engine.deps;
  engine.deps.guard = new PolicyDecisionPoint([
    systemPolicy,
    patientPolicy(compartment, store),
    careRelationshipPolicy(compartment, store, new CareRelationships(store, compartment, () => clock.now()), schema.resourceTypes),
  ], schema.resourceTypes);
}

async function loadSample(engine: FhirEngine): Promise<void> {
  const { store, clock } = engine.deps;
  const register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(store, name, clock, options));
  const report = await loadReferenceIdentities(register, samplePatients());
  assert.equal(report.loaded, 10);
}

/** Calls an operation through the engine as `principal`; returns status, headers and the JSON body. */
async function call(engine: FhirEngine, operation: string, body: unknown, principal: Principal | null = PRACTITIONER) {
  const response = await engine.handle({
    method: 'POST', path: `Patient/$${operation}`, query: [], headers: { contentType: 'application/fhir+json' }, body,
    baseUrl: 'http://insi.test/fhir', language: 'en', clientAddress: '192.0.2.10', requestId: 'req-insi',
    ...(principal ? { principal } : {}),
  });
  assert.equal(response.body?.kind, 'json');
  return { status: response.status, headers: response.headers, body: (response.body as { value: any }).value };
}

function keysOf(body: { issue?: OutcomeIssue[] }): string[] {
  return messageKeys(body.issue ?? []);
}

forEachBackend('INSi operations', (server: () => TestServer) => {
  let engine: FhirEngine;
  let original: AuditRecorder;
  const entries: AuditEntry[] = [];
  before(async () => {
    engine = server().running.platform.engine;
    withPolicyDecisionPoint(engine);
    await loadSample(engine);
    original = engine.deps.audit;
    engine.deps.audit = { record: (entry) => { entries.push(entry); original.record(entry); }, flush: () => original.flush() };
  });
  after(() => {
    engine.deps.audit = original;
  });

  test('$ins-retrieve: one match answers 00 with a fr-core-patient-ins Patient carrying the INS and the reference traits', async () => {
    const { status, body } = await call(engine, 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, family: 'dupont', birthplace: undefined, given: ['Marie', 'Louise'] }));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.resourceType, 'Parameters');
    assert.deepEqual(valuesOf(body, 'result'), ['00']);
    const patients = valuesOf(body, 'patient');
    assert.equal(patients.length, 1);
    const patient = patients[0];
    assert.equal(engine.deps.validate(patient, 'Patient').valid, true, 'the answer is valid R4');
    assert.deepEqual(patient.identifier, [{
      use: 'official',
      type: { coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'INS-NIR' }] },
      system: INS_SYSTEMS.NIR,
      value: DUPONT,
    }]);
    const official = patient.name.find((n: any) => n.use === 'official');
    assert.deepEqual(official.given, ['Marie']);
    assert.equal(official.extension.find((e: any) => e.url === BIRTH_LIST_GIVEN_NAME).valueString, 'Marie Louise Jeanne');
    assert.deepEqual(traitsOf(patient), { family: 'DUPONT', given: ['Marie', 'Louise', 'Jeanne'], gender: 'female', birthDate: '1985-03-14', birthPlace: '35238' });
    const place = patient.extension.find((e: any) => e.url === BIRTH_PLACE).valueAddress.extension.find((e: any) => e.url === INSEE_CODE);
    assert.equal(place.valueCoding.code, '35238');
  });

  test('$ins-retrieve: a NIA answers with type INS-NIA and use temp; a system principal may call', async () => {
    const { status, body } = await call(engine, 'ins-retrieve', traitParameters({ family: 'Benali', given: ['Yasmina'], gender: 'female', birthdate: '1978-05-05' }), SYSTEM);
    assert.equal(status, 200);
    const [patient] = valuesOf(body, 'patient');
    assert.equal(patient.identifier[0].system, INS_SYSTEMS.NIA);
    assert.equal(patient.identifier[0].use, 'temp');
    assert.equal(patient.identifier[0].type.coding[0].code, 'INS-NIA');
  });

  test('$ins-retrieve: homonyms answer 02 and no match answers 01, neither with any identity', async () => {
    const several = await call(engine, 'ins-retrieve', traitParameters({ family: 'DUPONT', given: ['Marie'], gender: 'female', birthdate: '1985-03-14' }));
    assert.deepEqual(several.body.parameter, [{ name: 'result', valueCode: '02' }]);
    const narrowed = await call(engine, 'ins-retrieve', traitParameters({ family: 'DUPONT', given: ['Marie', 'Anne'], gender: 'female', birthdate: '1985-03-14' }));
    assert.deepEqual(valuesOf(narrowed.body, 'result'), ['00']);
    assert.equal(valuesOf(narrowed.body, 'patient')[0].identifier[0].value, withInsKey('2850329019045'));
    const none = await call(engine, 'ins-retrieve', traitParameters({ family: 'DUPONT', given: ['Marie'], gender: 'female', birthdate: '1985-03-15' }));
    assert.deepEqual(none.body.parameter, [{ name: 'result', valueCode: '01' }]);
  });

  test('$ins-verify: valid when every trait agrees, else one mismatch per differing trait, or ins when unknown', async () => {
    const good = await call(engine, 'ins-verify', traitParameters({ ...DUPONT_MARIE_LOUISE, given: ['Marie', 'Louise', 'Jeanne'] }, DUPONT));
    assert.equal(good.status, 200);
    assert.deepEqual(good.body.parameter, [{ name: 'valid', valueBoolean: true }]);
    const bad = await call(engine, 'ins-verify', traitParameters({ ...DUPONT_MARIE_LOUISE, given: ['Louise'], birthdate: '1985-04-14' }, DUPONT));
    assert.deepEqual(valuesOf(bad.body, 'valid'), [false]);
    assert.deepEqual(valuesOf(bad.body, 'mismatch'), ['given', 'birthdate']);
    const unknown = await call(engine, 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, withInsKey('2850335238999')));
    assert.deepEqual(unknown.body.parameter, [{ name: 'valid', valueBoolean: false }, { name: 'mismatch', valueCode: 'ins' }]);
    const asIdentifier = {
      resourceType: 'Parameters',
      parameter: [{ name: 'ins', valueIdentifier: { system: INS_SYSTEMS.NIA, value: DUPONT } }, ...(traitParameters(DUPONT_MARIE_LOUISE).parameter as object[])],
    };
    assert.deepEqual(valuesOf((await call(engine, 'ins-verify', asIdentifier)).body, 'mismatch'), ['ins'], 'a NIR sent as a NIA is not the register INS');
  });

  const badInputs: [string, string, unknown, number, string][] = [
    ['a body that is not Parameters', 'ins-retrieve', { resourceType: 'Patient' }, 400, 'insi.parameters-required'],
    ['no body', 'ins-retrieve', undefined, 400, 'insi.parameters-required'],
    ['a missing birth name', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, family: undefined }), 400, 'insi.parameter-missing'],
    ['no first name', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, given: [] }), 400, 'insi.parameter-missing'],
    ['an unknown parameter', 'ins-retrieve', { resourceType: 'Parameters', parameter: [...(traitParameters(DUPONT_MARIE_LOUISE).parameter as object[]), { name: 'nir', valueString: DUPONT }] }, 400, 'insi.parameter-unknown'],
    ['a repeated sex', 'ins-retrieve', { resourceType: 'Parameters', parameter: [...(traitParameters(DUPONT_MARIE_LOUISE).parameter as object[]), { name: 'gender', valueCode: 'male' }] }, 400, 'insi.parameter-repeated'],
    ['a birth date as a string', 'ins-retrieve', { resourceType: 'Parameters', parameter: [...(traitParameters({ ...DUPONT_MARIE_LOUISE, birthdate: undefined }).parameter as object[]), { name: 'birthdate', valueString: '1985-03-14' }] }, 400, 'insi.parameter-type'],
    ['a name without letters', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, family: ' - ' }), 422, 'insi.name-invalid'],
    ['an unknown sex', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, gender: 'F' }), 422, 'insi.gender-invalid'],
    ['a day that does not exist', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, birthdate: '1985-02-30' }), 400, 'validation.format'],
    ['a birth place that is no INSEE code', 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, birthplace: 'Rennes' }), 422, 'insi.birthplace-invalid'],
    ['an INS with a wrong key', 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, `${DUPONT.slice(0, 13)}00`), 422, 'insi.ins-invalid'],
    ['a provisional NNP number', 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, withInsKey('7850335238123')), 422, 'insi.ins-invalid'],
    // Well keyed, but month 15 is neither a month nor an INSEE pseudo-month (reference §1.2).
    ['an INS whose month is no month', 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, withInsKey('2851535238123')), 422, 'ins.number-month'],
    ['no INS', 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE), 400, 'insi.parameter-missing'],
    ['an INS under another OID', 'ins-verify', { resourceType: 'Parameters', parameter: [{ name: 'ins', valueIdentifier: { system: 'urn:oid:1.2.250.1.213.1.4.2', value: DUPONT } }, ...(traitParameters(DUPONT_MARIE_LOUISE).parameter as object[])] }, 422, 'insi.ins-system-unknown'],
  ];
  for (const [what, operation, body, status, key] of badInputs) {
    test(`$${operation}: ${what} answers ${status} ${key}`, async () => {
      const before = entries.length;
      const result = await call(engine, operation, body);
      assert.equal(result.status, status, JSON.stringify(result.body));
      assert.equal(result.body.resourceType, 'OperationOutcome');
      assert.ok(keysOf(result.body).includes(key), `${keysOf(result.body).join(', ')}`);
      assert.equal(entries.length, before + 1, 'a refused call is audited too');
      assert.equal(entries.at(-1)?.outcome, '4');
      assert.equal(entries.at(-1)?.outcomeDescription, key);
    });
  }

  test('a Parameters that is not valid FHIR answers 400 from the validator', async () => {
    const result = await call(engine, 'ins-retrieve', { resourceType: 'Parameters', parameter: [{ name: 'family', valueString: 'X', colour: 'red' }] });
    assert.equal(result.status, 400);
    assert.equal(result.body.resourceType, 'OperationOutcome');
  });

  test('a patient principal is refused (403), and so is a call without a principal (401)', async () => {
    const patient: Principal = { kind: 'patient', subject: DUPONT, clientId: 'mes', scopes: ['patient/Patient.rs'], patient: 'p1', fhirUser: 'Patient/p1' };
    for (const operation of ['ins-retrieve', 'ins-verify']) {
      const forbidden = await call(engine, operation, traitParameters(DUPONT_MARIE_LOUISE, DUPONT), patient);
      assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));
      assert.deepEqual(keysOf(forbidden.body), ['insi.principal-forbidden']);
      assert.equal(forbidden.body.issue[0].code, 'forbidden');
      const anonymous = await call(engine, operation, traitParameters(DUPONT_MARIE_LOUISE, DUPONT), null);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.issue[0].code, 'login');
    }
  });

  test('over HTTP, without a bearer token, both operations answer 401 with an OperationOutcome, and GET is not allowed', async () => {
    for (const operation of ['ins-retrieve', 'ins-verify']) {
      const result = await server().anonymous.post(`Patient/$${operation}`, traitParameters(DUPONT_MARIE_LOUISE, DUPONT));
      // Refused by the HTTP layer's bearer check before the operation runs: nothing returned.
      assertOutcome(result, 401);
      assert.ok(result.headers.get('www-authenticate')?.startsWith('Bearer'));
      assert.ok(!result.text.includes(DUPONT));
      // The test server's default token is the operator's (`socle token --admin`): the structure running Socle, admitted.
      const operator = await server().post(`Patient/$${operation}`, operation === 'ins-verify' ? traitParameters(DUPONT_MARIE_LOUISE, DUPONT) : traitParameters(DUPONT_MARIE_LOUISE));
      assert.equal(operator.status, 200, operator.text);
      assert.equal(operator.body.resourceType, 'Parameters');
      assertOutcome(await server().get(`Patient/$${operation}`), 405);
    }
  });

  test('each call is audited once, as an execute with no patient, no entity and no INS or trait', async () => {
    const before = entries.length;
    await call(engine, 'ins-retrieve', traitParameters({ ...DUPONT_MARIE_LOUISE, given: ['Marie', 'Louise'] }));
    await call(engine, 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, DUPONT));
    await call(engine, 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, DUPONT), null);
    const recorded = entries.slice(before);
    assert.deepEqual(recorded.map((e) => [e.action, e.interaction, e.outcome]),
      [['E', 'operation:ins-retrieve', '0'], ['E', 'operation:ins-verify', '0'], ['E', 'operation:ins-verify', '4']]);
    assert.deepEqual(recorded.map((e) => e.principal), [PRACTITIONER, PRACTITIONER, undefined]);
    assert.equal(recorded[2]?.outcomeDescription, 'insi.principal-required');
    for (const entry of recorded) {
      assert.deepEqual([entry.patients, entry.entities], [[], []]);
      assert.equal(entry.sourceAddress, '192.0.2.10');
      assert.equal(entry.requestId, 'req-insi');
      const text = JSON.stringify(entry);
      for (const personal of [DUPONT, 'DUPONT', 'Dupont', 'Marie', '1985-03-14', '35238']) assert.ok(!text.includes(personal), `audit entry holds ${personal}`);
    }
  });

  test('no bulk access: the register is not a FHIR resource, and an answer never holds more than one identity', async () => {
    // One ordinary Patient, so that the searches below are seen to find what the FHIR store holds.
    const local = await engine.handle({
      method: 'POST', path: 'Patient', query: [], headers: {}, baseUrl: 'http://insi.test/fhir', language: 'en',
      body: { resourceType: 'Patient', name: [{ family: 'DUPONT', given: ['Local'] }], gender: 'female', birthDate: '1985-03-14' },
    });
    assert.equal(local.status, 201);
    const queries: [string, [string, string][]][] = [
      ['Patient', [['_count', '1000']]],
      ['Patient', [['identifier', `${INS_SYSTEMS.NIR}|${DUPONT}`]]],
      ['Patient', [['family', 'DUPONT']]],
      ['', [['_count', '1000']]],
    ];
    for (const [path, query] of queries) {
      // No principal: Socle's own in-process work, which no access policy restricts; even that finds no register identity.
      const response = await engine.handle({ method: 'GET', path, query, headers: {}, baseUrl: 'http://insi.test/fhir', language: 'en' });
      assert.equal(response.status, 200, `${path} ${JSON.stringify(response.body)}`);
      const bundle = JSON.parse(response.body?.kind === 'text' ? response.body.text : JSON.stringify((response.body as { value: unknown }).value));
      const found = (bundle.entry ?? []).map((e: any) => e.resource).filter((r: any) => r.resourceType === 'Patient');
      assert.ok(found.every((r: any) => r.name?.[0]?.given?.[0] === 'Local'), `${path} lists a register identity`);
      assert.ok(!JSON.stringify(found).includes(DUPONT));
      if (query[0]?.[0] !== 'identifier') assert.equal(found.length, 1, 'the ordinary Patient is found');
    }
    // Over HTTP as well: an empty searchset now; once bearer tokens are checked, a 401 leaks nothing either.
    const overHttp = await server().get('Patient?_count=1000');
    if (overHttp.status === 200) assert.deepEqual((overHttp.body.entry ?? []).map((e: any) => e.resource.name[0].given[0]), ['Local']);
    else assertOutcome(overHttp, 401);
    const traits: Traits[] = [
      { family: 'DUPONT', given: ['Marie'], gender: 'female', birthdate: '1985-03-14' },
      { family: 'DUPONT', given: ['Marie'], gender: 'female', birthdate: '1985' },
      { family: 'DUPONT', given: ['Marie', 'Louise'], gender: 'female', birthdate: '1985-03-14' },
    ];
    for (const asked of traits) {
      const { status, body } = await call(engine, 'ins-retrieve', traitParameters(asked));
      assert.equal(status, 200);
      assert.ok(valuesOf(body, 'patient').length <= 1);
    }
  });
}, { insiBurst: 1000 });

forEachBackend('INSi rate limit', (server: () => TestServer) => {
  test('a client beyond its burst gets 429 with Retry-After; other clients are not held back', async () => {
    const engine = server().running.platform.engine;
    withPolicyDecisionPoint(engine);
    await loadSample(engine);
    const body = traitParameters(DUPONT_MARIE_LOUISE);
    assert.equal((await call(engine, 'ins-retrieve', body)).status, 200);
    assert.equal((await call(engine, 'ins-verify', traitParameters(DUPONT_MARIE_LOUISE, DUPONT))).status, 200, 'both operations share the bucket');
    const refused = await call(engine, 'ins-retrieve', body);
    assert.equal(refused.status, 429);
    assert.deepEqual(keysOf(refused.body), ['insi.rate-limited']);
    assert.equal(refused.body.issue[0].code, 'throttled');
    const wait = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${refused.headers['retry-after']}`);
    assert.equal((await call(engine, 'ins-retrieve', body, SYSTEM)).status, 200, 'another client has its own bucket');
    // The platform operator (the test server's default token) has no bucket, as for the verifications its writes ask for.
    for (let i = 0; i < 4; i++) assert.equal((await server().post('Patient/$ins-retrieve', body)).status, 200, `operator call ${i}`);
  });
}, { insiRate: 1, insiBurst: 2 });
