/**
 * ValueSet/$expand (http://hl7.org/fhir/R4/valueset-operation-expand.html) on
 * HL7's R4 value sets and on stored ones: definitions with filters and
 * imports, the text filter, paging, flags, inline value sets by POST, the
 * errors (unknown value set or code system, missing or invalid parameters),
 * and a stored definition winning over HL7's. On both backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CARDIO, pathologies } from '../../src/fhir/terminology/test-fixtures.js';
import { messageKeys } from '../support/search.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const q = encodeURIComponent;
const GENDER_VS = 'http://hl7.org/fhir/ValueSet/administrative-gender';
const CARDIAC_VS = 'http://socle.example/ValueSet/cardiaque';

const cardiac = {
  resourceType: 'ValueSet', url: CARDIAC_VS, version: '1', name: 'Cardiaque', status: 'active',
  compose: { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'CV' }] }], exclude: [{ system: CARDIO, concept: [{ code: 'CV' }] }] },
};

async function expand(server: TestServer, query: string): Promise<Json> {
  const result = await server.get(`ValueSet/$expand?${query}`);
  assert.equal(result.status, 200, result.text.slice(0, 600));
  assert.equal(result.body.resourceType, 'ValueSet');
  return result.body;
}

const codes = (valueSet: Json): string[] => (valueSet.expansion?.contains ?? []).map((c: Json) => c.code);

async function outcome(server: TestServer, method: 'GET' | 'POST', path: string, status: number, body?: unknown): Promise<string[]> {
  const result = await server.request(method, path, body !== undefined ? { body } : {});
  assert.equal(result.status, status, `${path} → ${result.status} ${result.text.slice(0, 500)}`);
  assert.equal(result.body.resourceType, 'OperationOutcome');
  return messageKeys(result.body);
}

forEachBackend('terminology: ValueSet/$expand', (server) => {
  let storedValueSet: Json;

  before(async () => {
    await server().create(pathologies);
    storedValueSet = await server().create(cardiac);
  });

  test('HL7 administrative-gender expands to exactly male, female, other and unknown', async () => {
    const valueSet = await expand(server(), `url=${q(GENDER_VS)}`);
    assert.deepEqual(codes(valueSet), ['male', 'female', 'other', 'unknown']);
    assert.equal(valueSet.url, GENDER_VS);
    assert.equal(valueSet.expansion.total, 4);
    assert.match(valueSet.expansion.identifier, /^urn:uuid:/);
    assert.ok(!Number.isNaN(Date.parse(valueSet.expansion.timestamp)));
    assert.deepEqual(valueSet.expansion.contains[1], { system: 'http://hl7.org/fhir/administrative-gender', version: '4.0.1', code: 'female', display: 'Female' });
    assert.equal(valueSet.compose, undefined);
    // The answer is a valid R4 ValueSet.
    const verdict = await server().post('ValueSet/$validate', valueSet);
    assert.equal(verdict.status, 200, verdict.text);
    assert.deepEqual(verdict.body.issue.filter((i: Json) => i.severity === 'error' || i.severity === 'fatal'), []);
  });

  test('a stored value set with an is-a filter and an exclude, by url and on its instance', async () => {
    const expected = ['HTA', 'HTA-G', 'HTA-M', 'ICC', 'ICC-A', 'HTA-R'];
    assert.deepEqual(codes(await expand(server(), `url=${q(CARDIAC_VS)}`)), expected);
    assert.deepEqual(codes(await expand(server(), `url=${q(`${CARDIAC_VS}|1`)}`)), expected);
    assert.deepEqual(codes(await expand(server(), `url=${q(CARDIAC_VS)}&valueSetVersion=1`)), expected);
    const instance = await server().get(`ValueSet/${storedValueSet.id}/$expand`);
    assert.equal(instance.status, 200, instance.text);
    assert.deepEqual(codes(instance.body), expected);
    assert.equal(instance.body.id, storedValueSet.id);
    const withDefinition = await expand(server(), `url=${q(CARDIAC_VS)}&includeDefinition=true`);
    assert.deepEqual(withDefinition.compose, cardiac.compose);
  });

  test('filter matches words of the display, ignoring case and accents, and is echoed', async () => {
    const valueSet = await expand(server(), `url=${q(CARDIAC_VS)}&filter=${q('INSUF aigue')}`);
    assert.deepEqual(codes(valueSet), ['ICC-A']);
    assert.equal(valueSet.expansion.total, 1);
    assert.deepEqual(valueSet.expansion.parameter, [{ name: 'filter', valueString: 'INSUF aigue' }]);
    assert.deepEqual(codes(await expand(server(), `url=${q(GENDER_VS)}&filter=fem`)), ['female']);
    // An empty parameter is no parameter.
    const unfiltered = await expand(server(), `url=${q(GENDER_VS)}&filter=&count=`);
    assert.equal(unfiltered.expansion.total, 4);
    assert.equal(unfiltered.expansion.parameter, undefined);
  });

  test('count and offset page through the whole expansion; count=0 gives the total only', async () => {
    const page = await expand(server(), `url=${q(CARDIAC_VS)}&offset=2&count=3`);
    assert.deepEqual(codes(page), ['HTA-M', 'ICC', 'ICC-A']);
    assert.equal(page.expansion.total, 6);
    assert.equal(page.expansion.offset, 2);
    assert.deepEqual(page.expansion.parameter, [{ name: 'offset', valueInteger: 2 }, { name: 'count', valueInteger: 3 }]);
    const last = await expand(server(), `url=${q(CARDIAC_VS)}&offset=5&count=3`);
    assert.deepEqual(codes(last), ['HTA-R']);
    const none = await expand(server(), `url=${q(CARDIAC_VS)}&count=0`);
    assert.equal(none.expansion.total, 6);
    assert.equal(none.expansion.contains, undefined);
  });

  test('activeOnly, includeDesignations, displayLanguage; abstract and inactive codes are flagged', async () => {
    const all = { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: CARDIO, concept: [{ code: 'CV' }, { code: 'HTA' }, { code: 'BPCO' }] }] } };
    const post = (extra: Json[]) => server().post('ValueSet/$expand', { resourceType: 'Parameters', parameter: [{ name: 'valueSet', resource: all }, ...extra] });
    const flagged = await post([]);
    assert.equal(flagged.status, 200, flagged.text);
    assert.deepEqual(flagged.body.expansion.contains.map((c: Json) => [c.code, c.abstract ?? false, c.inactive ?? false]), [['CV', true, false], ['HTA', false, false], ['BPCO', false, true]]);
    const active = await post([{ name: 'activeOnly', valueBoolean: true }]);
    assert.deepEqual(codes(active.body), ['CV', 'HTA']);
    // excludeNotForUI leaves out the codes for grouping only, and is echoed; designation (a choice of designations) is refused, not ignored.
    const forComputers = await post([{ name: 'excludeNotForUI', valueBoolean: true }]);
    assert.deepEqual(codes(forComputers.body), ['HTA', 'BPCO']);
    assert.deepEqual(forComputers.body.expansion.parameter, [{ name: 'excludeNotForUI', valueBoolean: true }]);
    assert.deepEqual(codes((await post([{ name: 'excludeNotForUI', valueBoolean: false }])).body), ['CV', 'HTA', 'BPCO']);
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q(CARDIAC_VS)}&excludeNotForUI=oui`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q(CARDIAC_VS)}&designation=${q('urn:ietf:bcp:47|en')}`, 400), ['operation.parameter-unsupported']);
    const english = await post([{ name: 'displayLanguage', valueCode: 'en' }, { name: 'includeDesignations', valueBoolean: true }]);
    const hta = english.body.expansion.contains.find((c: Json) => c.code === 'HTA');
    assert.equal(hta.display, 'High blood pressure');
    assert.deepEqual(hta.designation, [{ language: 'en', value: 'High blood pressure' }]);
  });

  test('unknown value set 404, unknown code system 4xx naming it, missing or invalid parameters 400', async () => {
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q('http://socle.example/ValueSet/absent')}`, 404), ['terminology.value-set-unknown']);
    assert.deepEqual(await outcome(server(), 'GET', 'ValueSet/inconnu/$expand', 404), ['resource.not-found']);
    // HL7's use-context exists but imports usps-state, which R4 does not publish: the value set cannot be expanded (422), it is not unknown (404).
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q('http://hl7.org/fhir/ValueSet/use-context')}`, 422), ['terminology.import-unknown']);
    assert.deepEqual(await outcome(server(), 'GET', 'ValueSet/$expand', 400), ['terminology.parameter-one-of']);
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q(GENDER_VS)}&count=beaucoup`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q(GENDER_VS)}&offset=-1`, 400), ['terminology.parameter-invalid']);
    // A count sent as a string names what was sent, not "undefined".
    const asString = await server().post('ValueSet/$expand', { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: GENDER_VS }, { name: 'count', valueString: '1' }] }, { 'accept-language': 'en' });
    assert.equal(asString.status, 400, asString.text);
    assert.match(asString.body.issue[0].diagnostics, /count: "1" \(expected: valueInteger ≥ 0\)/);
    assert.deepEqual(await outcome(server(), 'GET', `ValueSet/$expand?url=${q(GENDER_VS)}&date=2020-01-01`, 400), ['operation.parameter-unsupported']);
    assert.deepEqual(await outcome(server(), 'POST', 'ValueSet/$expand', 400, { resourceType: 'Patient' }), ['operation.parameters-required']);
    const loinc = { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://loinc.org', filter: [{ property: 'COMPONENT', op: '=', value: 'Glucose' }] }] } };
    const unknown = await server().post('ValueSet/$expand', { resourceType: 'Parameters', parameter: [{ name: 'valueSet', resource: loinc }] });
    assert.equal(unknown.status, 422, unknown.text);
    assert.deepEqual(messageKeys(unknown.body), ['terminology.expansion-system-unknown']);
    assert.match(unknown.body.issue[0].diagnostics, /http:\/\/loinc\.org/);
    // HL7's SNOMED CT code system has no concepts: a SNOMED value set cannot be expanded here.
    const snomed = await server().get(`ValueSet/$expand?url=${q('http://hl7.org/fhir/ValueSet/clinical-findings')}`);
    assert.equal(snomed.status, 422);
    assert.match(snomed.body.issue[0].diagnostics, /http:\/\/snomed\.info\/sct/);
  });

  test('a regex filter that could backtrack for seconds is refused at once, by $expand and by $validate-code', async () => {
    const risky = { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://hl7.org/fhir/reference-version-rules', filter: [{ property: 'display', op: 'regex', value: '(.|.)*#' }] }] } };
    const started = Date.now();
    assert.deepEqual(await outcome(server(), 'POST', 'ValueSet/$expand', 422, { resourceType: 'Parameters', parameter: [{ name: 'valueSet', resource: risky }] }), ['terminology.filter-unsupported']);
    assert.deepEqual(await outcome(server(), 'POST', 'ValueSet/$validate-code', 422, { resourceType: 'Parameters', parameter: [
      { name: 'valueSet', resource: risky }, { name: 'system', valueUri: 'http://hl7.org/fhir/reference-version-rules' }, { name: 'code', valueCode: 'either' },
    ] }), ['terminology.filter-unsupported']);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  test('stored value sets importing one another ten times per level expand and validate at once', async () => {
    await server().create({ resourceType: 'ValueSet', url: 'http://socle.example/ValueSet/fx-0', status: 'active', compose: { include: [{ system: CARDIO, concept: [{ code: 'HTA' }] }] } });
    for (let i = 1; i <= 6; i++) {
      await server().create({ resourceType: 'ValueSet', url: `http://socle.example/ValueSet/fx-${i}`, status: 'active', compose: { include: [{ valueSet: Array.from({ length: 10 }, () => `http://socle.example/ValueSet/fx-${i - 1}`) }] } });
    }
    const started = Date.now();
    assert.deepEqual(codes(await expand(server(), `url=${q('http://socle.example/ValueSet/fx-6')}`)), ['HTA']);
    const verdict = await server().get(`ValueSet/$validate-code?url=${q('http://socle.example/ValueSet/fx-6')}&system=${q(CARDIO)}&code=HTA`);
    assert.equal(verdict.body.parameter[0].valueBoolean, true, verdict.text);
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
  });

  test('the CapabilityStatement lists the terminology operations', async () => {
    const statement = (await server().get('metadata')).body;
    const operations = (type: string): string[] => statement.rest[0].resource.find((r: Json) => r.type === type).operation.map((o: Json) => o.name);
    assert.ok(operations('ValueSet').includes('expand'));
    assert.ok(operations('ValueSet').includes('validate-code'));
    assert.ok(operations('CodeSystem').includes('lookup'));
    assert.ok(operations('CodeSystem').includes('subsumes'));
    assert.ok(operations('ConceptMap').includes('translate'));
  });

  test('metadata?mode=terminology answers a valid TerminologyCapabilities naming HL7\'s code systems; full and normal the CapabilityStatement; another mode 400', async () => {
    const terminology = await server().get('metadata?mode=terminology');
    assert.equal(terminology.status, 200, terminology.text);
    assert.equal(terminology.body.resourceType, 'TerminologyCapabilities');
    const gender = terminology.body.codeSystem.find((cs: Json) => cs.uri === 'http://hl7.org/fhir/administrative-gender');
    assert.deepEqual(gender.version, [{ code: '4.0.1', isDefault: true }]);
    assert.ok(terminology.body.codeSystem.some((cs: Json) => cs.uri === 'http://terminology.hl7.org/CodeSystem/v3-ActCode'));
    assert.ok(terminology.body.expansion.parameter.some((p: Json) => p.name === 'filter'));
    const verdict = await server().request('POST', 'TerminologyCapabilities/$validate', { body: terminology.body });
    assert.equal(verdict.status, 200, verdict.text);
    for (const mode of ['full', 'normative']) assert.equal((await server().get(`metadata?mode=${mode}`)).body.resourceType, 'CapabilityStatement');
    assert.deepEqual(await outcome(server(), 'GET', 'metadata?mode=xml', 400), ['metadata.mode-invalid']);
  });

  test('a stored value set wins over HL7 one of the same url', async () => {
    const local = await server().create({ resourceType: 'ValueSet', url: GENDER_VS, status: 'active', compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender', concept: [{ code: 'female', display: 'Femme' }] }] } });
    try {
      const valueSet = await expand(server(), `url=${q(GENDER_VS)}`);
      assert.deepEqual(valueSet.expansion.contains.map((c: Json) => [c.code, c.display]), [['female', 'Femme']]);
    } finally {
      await server().delete(`ValueSet/${local.id}`);
    }
    assert.deepEqual(codes(await expand(server(), `url=${q(GENDER_VS)}`)), ['male', 'female', 'other', 'unknown']);
  });
});
