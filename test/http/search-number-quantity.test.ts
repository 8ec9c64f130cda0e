/**
 * number, quantity, uri and composite search parameters
 * (http://hl7.org/fhir/R4/search.html#number, #quantity, #uri, #composite).
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, type Scope } from '../support/search.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const q = encodeURIComponent;

forEachBackend('search: number, quantity, uri and composite parameters', (server) => {
  const risk = (s: Scope, prediction: Record<string, unknown>) => server().create(s.mark({
    resourceType: 'RiskAssessment', status: 'final', subject: { reference: `Patient/${s.u}` }, prediction: [prediction],
  }));

  test('number: implicit precision of eq, and the comparison prefixes (RiskAssessment probability)', async () => {
    const s = newScope();
    const low = await risk(s, { probabilityDecimal: 0.25 });
    const half = await risk(s, { probabilityDecimal: 0.5 });
    const nearHalf = await risk(s, { probabilityDecimal: 0.502 });
    const high = await risk(s, { probabilityDecimal: 0.75 });
    const range = await risk(s, { probabilityRange: { low: { value: 0.1 }, high: { value: 0.3 } } });
    await risk(s, { qualitativeRisk: { text: 'faible' } });

    // "0.5" means [0.45, 0.55): 0.502 is equal at that precision, not at "0.500".
    await expectIds(server(), `RiskAssessment?probability=0.5&${s.q}`, [half, nearHalf]);
    await expectIds(server(), `RiskAssessment?probability=0.500&${s.q}`, [half]);
    await expectIds(server(), `RiskAssessment?probability=eq0.502&${s.q}`, [nearHalf]);
    await expectIds(server(), `RiskAssessment?probability=5e-1&${s.q}`, [half, nearHalf]);
    await expectIds(server(), `RiskAssessment?probability=ne0.500&${s.q}`, [low, nearHalf, high, range]);
    await expectIds(server(), `RiskAssessment?probability=gt0.5&${s.q}`, [nearHalf, high]);
    await expectIds(server(), `RiskAssessment?probability=ge0.5&${s.q}`, [half, nearHalf, high]);
    await expectIds(server(), `RiskAssessment?probability=lt0.25&${s.q}`, [range]);
    await expectIds(server(), `RiskAssessment?probability=le0.25&${s.q}`, [low, range]);
    await expectIds(server(), `RiskAssessment?probability=gt0.7,lt0.2&${s.q}`, [high, range]);
    await expectIds(server(), `RiskAssessment?probability=ge0.25&probability=le0.5&${s.q}`, [low, half, range]);
  });

  test('number: the range of "10" is [9.5, 10.5), lower bound included, upper excluded', async () => {
    const s = newScope();
    const lowerBound = await risk(s, { probabilityDecimal: 9.5 });
    const inside = await risk(s, { probabilityDecimal: 10.4 });
    await risk(s, { probabilityDecimal: 10.5 });
    await risk(s, { probabilityDecimal: 9.49 });
    await expectIds(server(), `RiskAssessment?probability=10&${s.q}`, [lowerBound, inside]);
  });

  test('number and quantity: an exponent counts its digits as written ("1e2" one significant figure, "1.00e2" three as "100")', async () => {
    // R4 search.html#number: "So 100 and 1.00e2 both have the same number of significant digits - three"; "1e2" has
    // one, so its range is [50, 150), read the same for a quantity.
    const s = newScope();
    // A probability is at most 100 (ras-2): one decade lower, "1e1" is [5, 15), "1.0e1" [9.5, 10.5) as "10", "1.00e1" [9.95, 10.05) as "10.0".
    const six = await risk(s, { probabilityDecimal: 6 });
    const tenPointFour = await risk(s, { probabilityDecimal: 10.4 });
    const ten = await risk(s, { probabilityDecimal: 10 });
    await risk(s, { probabilityDecimal: 15 });
    await risk(s, { probabilityDecimal: 4.99 });
    await expectIds(server(), `RiskAssessment?probability=1e1&${s.q}`, [six, ten, tenPointFour]);
    await expectIds(server(), `RiskAssessment?probability=1.00e1&${s.q}`, [ten]);
    await expectIds(server(), `RiskAssessment?probability=10.0&${s.q}`, [ten]);
    await expectIds(server(), `RiskAssessment?probability=1.0e1&${s.q}`, [ten, tenPointFour]);

    const observation = (value: number) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '2345-7' }] },
      valueQuantity: { value, unit: 'mg', system: UCUM, code: 'mg' },
    }));
    const q60 = await observation(60);
    const q100 = await observation(100);
    const q104 = await observation(104);
    await observation(150);
    await expectIds(server(), `Observation?value-quantity=${q(`1e2|${UCUM}|mg`)}&${s.q}`, [q60, q100, q104]);
    await expectIds(server(), `Observation?value-quantity=${q(`1.00e2|${UCUM}|mg`)}&${s.q}`, [q100]);
    // In canonical units too: 1e-1 g is [0.05, 0.15) g, so 60, 100 and 104 mg.
    await expectIds(server(), `Observation?value-quantity=${q(`1e-1|${UCUM}|g`)}&${s.q}`, [q60, q100, q104]);
  });

  test('number: ap is approximately (10%)', async () => {
    const s = newScope();
    const at = await risk(s, { probabilityDecimal: 40 });
    const near = await risk(s, { probabilityDecimal: 43 });
    await risk(s, { probabilityDecimal: 50 });
    await expectIds(server(), `RiskAssessment?probability=ap40&${s.q}`, [at, near]);
  });

  test('number: the implicit range is exact in decimal, its edges included or excluded as written', async () => {
    const s = newScope();
    const edge = await risk(s, { probabilityDecimal: 0.15 });
    const otherEdge = await risk(s, { probabilityDecimal: 1.15 });
    // In binary, 0.1 + 0.05 is above 0.15 and 0.2 - 0.05 below it: both edges would go wrong.
    await expectIds(server(), `RiskAssessment?probability=0.1&${s.q}`, []);
    await expectIds(server(), `RiskAssessment?probability=0.2&${s.q}`, [edge]);
    await expectIds(server(), `RiskAssessment?probability=1.1&${s.q}`, []);
    await expectIds(server(), `RiskAssessment?probability=1.2&${s.q}`, [otherEdge]);
    await expectIds(server(), `RiskAssessment?probability=ne0.1&${s.q}`, [edge, otherEdge]);
    await expectIds(server(), `RiskAssessment?probability=ne0.2&${s.q}`, [otherEdge]);
    await expectIds(server(), `RiskAssessment?probability=2e-1&${s.q}`, [edge]);
    await expectIds(server(), `RiskAssessment?probability=15e-2&${s.q}`, [edge]);
    await expectIds(server(), `RiskAssessment?probability=ap0.15&${s.q}`, [edge]);
    await expectIds(server(), `RiskAssessment?probability=ge0.15&probability=le0.15&${s.q}`, [edge]);
  });

  test('quantity: value with prefixes, with or without system and code', async () => {
    const s = newScope();
    const observation = (valueQuantity: Record<string, unknown>) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity,
    }));
    const high = await observation({ value: 142, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
    const normal = await observation({ value: 118, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
    const mg = await observation({ value: 5.4, unit: 'mg', system: UCUM, code: 'mg' });
    const unitOnly = await observation({ value: 5.4, unit: 'mg' });
    const otherSystem = await observation({ value: 5.4, unit: 'milligramme', system: 'urn:oid:1.2.250.1.213.1.1.5.1', code: 'mg' });

    await expectIds(server(), `Observation?value-quantity=142&${s.q}`, [high]);
    await expectIds(server(), `Observation?value-quantity=gt120&${s.q}`, [high]);
    await expectIds(server(), `Observation?value-quantity=ge118&${s.q}`, [high, normal]);
    await expectIds(server(), `Observation?value-quantity=lt118&${s.q}`, [mg, unitOnly, otherSystem]);
    await expectIds(server(), `Observation?value-quantity=le118${q(`|${UCUM}|mm[Hg]`)}&${s.q}`, [normal]);
    await expectIds(server(), `Observation?value-quantity=${q(`gt100|${UCUM}|mm[Hg]`)}&${s.q}`, [high, normal]);
    await expectIds(server(), `Observation?value-quantity=${q(`5.4|${UCUM}|mg`)}&${s.q}`, [mg]);
    // No system: the code matches Quantity.code or the human unit.
    await expectIds(server(), `Observation?value-quantity=${q('5.4||mg')}&${s.q}`, [mg, unitOnly, otherSystem]);
    await expectIds(server(), `Observation?value-quantity=${q('5.4||milligramme')}&${s.q}`, [otherSystem]);
    await expectIds(server(), `Observation?value-quantity=${q('5.4||mmHg')}&${s.q}`, []);
    await expectIds(server(), `Observation?value-quantity=${q(`5.4|${UCUM}|g`)}&${s.q}`, []);
    await expectIds(server(), `Observation?value-quantity=${q(`5.4|http://snomed.info/sct|mg`)}&${s.q}`, []);
    await expectIds(server(), `Observation?value-quantity=5.4&${s.q}`, [mg, unitOnly, otherSystem]);
    await expectIds(server(), `Observation?value-quantity=ne5.4&${s.q}`, [high, normal]);
    await expectIds(server(), `Observation?value-quantity=ap140${q(`|${UCUM}|mm[Hg]`)}&${s.q}`, [high]);
  });

  test('quantity: the implicit range is exact in decimal (5.35 is in "5.4", 0.15 in "0.2" and not in "0.1")', async () => {
    const s = newScope();
    const observation = (value: number) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '2345-7' }] },
      valueQuantity: { value, unit: 'mg', system: UCUM, code: 'mg' },
    }));
    const low = await observation(5.35);
    const high = await observation(5.45);
    const small = await observation(0.15);

    await expectIds(server(), `Observation?value-quantity=5.4&${s.q}`, [low]);
    await expectIds(server(), `Observation?value-quantity=${q(`5.4|${UCUM}|mg`)}&${s.q}`, [low]);
    await expectIds(server(), `Observation?value-quantity=5.5&${s.q}`, [high]);
    await expectIds(server(), `Observation?value-quantity=5.3&${s.q}`, []);
    await expectIds(server(), `Observation?value-quantity=0.2&${s.q}`, [small]);
    await expectIds(server(), `Observation?value-quantity=0.1&${s.q}`, []);
    await expectIds(server(), `Observation?value-quantity=ne5.4&${s.q}`, [high, small]);
    await expectIds(server(), `Observation?value-quantity=ne0.1&${s.q}`, [low, high, small]);
    await expectIds(server(), `Observation?value-quantity=ne0.2&${s.q}`, [low, high]);
    await expectIds(server(), `Observation?value-quantity=gt5.35&${s.q}`, [high]);
    await expectIds(server(), `Observation?value-quantity=ge5.35&${s.q}`, [low, high]);
    await expectIds(server(), `Observation?value-quantity=lt5.45&${s.q}`, [low, small]);
    // The same edges inside composites: the value component of the same Observation.
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|2345-7$5.4`)}&${s.q}`, [low]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|2345-7$0.2|${UCUM}|mg`)}&${s.q}`, [small]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|2345-7$0.1`)}&${s.q}`, []);
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|2345-7$ne0.1`)}&${s.q}`, [low, high, small]);

    const panel = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '24326-1' }] },
      component: [
        { code: { coding: [{ system: LOINC, code: '2345-7' }] }, valueQuantity: { value: 5.35, unit: 'mg', system: UCUM, code: 'mg' } },
        { code: { coding: [{ system: LOINC, code: '2951-2' }] }, valueQuantity: { value: 0.15, unit: 'mg', system: UCUM, code: 'mg' } },
      ],
    }));
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|2345-7$5.4`)}&${s.q}`, [panel]);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|2951-2$0.2`)}&${s.q}`, [panel]);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|2951-2$0.1`)}&${s.q}`, []);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|2345-7$ne5.4`)}&${s.q}`, []);
    await expectIds(server(), `Observation?component-value-quantity=0.1&${s.q}`, []);
  });

  test('uri: exact by default, :below and :above by path (ValueSet url)', async () => {
    const s = newScope();
    const root = `http://socle.example.org/fhir/ValueSet/${s.u}`;
    const valueSet = (url: string) => server().create(s.mark({ resourceType: 'ValueSet', status: 'active', url }));
    const top = await valueSet(root);
    const child = await valueSet(`${root}/cardio`);
    const grandChild = await valueSet(`${root}/cardio/hta`);
    const sibling = await valueSet(`http://socle.example.org/fhir/CodeSystem/${s.u}`);

    await expectIds(server(), `ValueSet?url=${q(`${root}/cardio`)}&${s.q}`, [child]);
    await expectIds(server(), `ValueSet?url=${q(`${root}/CARDIO`)}&${s.q}`, []);
    await expectIds(server(), `ValueSet?url=${q(`${root}/card`)}&${s.q}`, []);
    await expectIds(server(), `ValueSet?url:below=${q(root)}&${s.q}`, [top, child, grandChild]);
    await expectIds(server(), `ValueSet?url:below=${q(`${root}/cardio`)}&${s.q}`, [child, grandChild]);
    await expectIds(server(), `ValueSet?url:above=${q(`${root}/cardio/hta/adulte`)}&${s.q}`, [top, child, grandChild]);
    await expectIds(server(), `ValueSet?url:above=${q(`${root}/cardio`)}&${s.q}`, [top, child]);
    void sibling;
  });

  test('uri: a canonical url with |version finds that url at that version (ValueSet url)', async () => {
    const s = newScope();
    const url = `http://example.org/vs4-${s.u}`;
    const valueSet = (version?: string) => server().create(s.mark({
      resourceType: 'ValueSet', status: 'active', url, ...(version !== undefined ? { version } : {}),
    }));
    const beta = await valueSet('V1.0-Beta');
    const second = await valueSet('2.0');
    const unversioned = await valueSet();

    await expectIds(server(), `ValueSet?url=${q(`${url}|V1.0-Beta`)}&${s.q}`, [beta]);
    await expectIds(server(), `ValueSet?url=${q(`${url}|2.0`)}&${s.q}`, [second]);
    await expectIds(server(), `ValueSet?url=${q(`${url}|3.0`)}&${s.q}`, []);
    // ValueSet.version is a string: "If the underlying data type is string then the search is not case sensitive" (search.html#token).
    await expectIds(server(), `ValueSet?url=${q(`${url}|v1.0-beta`)}&${s.q}`, [beta]);
    await expectIds(server(), `ValueSet?url=${q(`${url}|V1.0-Beta,${url}|2.0`)}&${s.q}`, [beta, second]);
    // No version, or an empty one: every version of the url.
    await expectIds(server(), `ValueSet?url=${q(url)}&${s.q}`, [beta, second, unversioned]);
    await expectIds(server(), `ValueSet?url=${q(`${url}|`)}&${s.q}`, [beta, second, unversioned]);
    // Another canonical type, by the shared url parameter and by its own system parameter (CodeSystem.url).
    const codeSystem = await server().create(s.mark({
      resourceType: 'CodeSystem', status: 'active', content: 'not-present', url: `${url}-cs`, version: '1',
    }));
    await expectIds(server(), `CodeSystem?url=${q(`${url}-cs|1`)}&${s.q}`, [codeSystem]);
    await expectIds(server(), `CodeSystem?system=${q(`${url}-cs|1`)}&${s.q}`, [codeSystem]);
    await expectIds(server(), `CodeSystem?url=${q(`${url}-cs|2`)}&${s.q}`, []);
  });

  test('uri: a "|" in a uri that is not a canonical url is part of the value (CarePlan instantiates-uri)', async () => {
    const s = newScope();
    const protocol = `http://socle.example.org/protocoles/${s.u}|2`;
    const plan = await server().create(s.mark({
      resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: `Patient/${s.u}` }, instantiatesUri: [protocol],
    }));
    await expectIds(server(), `CarePlan?instantiates-uri=${q(protocol)}&${s.q}`, [plan]);
    await expectIds(server(), `CarePlan?instantiates-uri=${q(protocol.slice(0, -2))}&${s.q}`, []);
  });

  test('composite code-value-quantity: the code and the value of the same Observation', async () => {
    const s = newScope();
    const observation = (code: string, value: number) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code }] },
      valueQuantity: { value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    }));
    const systolicHigh = await observation('8480-6', 150);
    const systolicLow = await observation('8480-6', 95);
    const diastolicHigh = await observation('8462-4', 105);

    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|8480-6$gt100`)}&${s.q}`, [systolicHigh]);
    await expectIds(server(), `Observation?code-value-quantity=${q('8480-6$lt100')}&${s.q}`, [systolicLow]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`8462-4$gt100|${UCUM}|mm[Hg]`)}&${s.q}`, [diastolicHigh]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|8480-6$gt100,${LOINC}|8462-4$gt100`)}&${s.q}`, [systolicHigh, diastolicHigh]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|8480-6$gt200`)}&${s.q}`, []);
  });

  test('composite component-code-value-quantity: both parts from the same component', async () => {
    const s = newScope();
    const bloodPressure = (systolic: number, diastolic: number) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '85354-9' }] },
      component: [
        { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
        { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: diastolic, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
      ],
    }));
    const hypertensive = await bloodPressure(160, 95);
    // Systolic low, diastolic above 100: "systolic > 100" must not borrow the diastolic value.
    const inverted = await bloodPressure(90, 110);
    const normal = await bloodPressure(120, 80);

    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|8480-6$gt130`)}&${s.q}`, [hypertensive]);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|8480-6$gt100`)}&${s.q}`, [hypertensive, normal]);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|8462-4$gt100`)}&${s.q}`, [inverted]);
    await expectIds(server(), `Observation?component-code-value-quantity=${q(`${LOINC}|8480-6$gt100`)}&component-code-value-quantity=${q(`${LOINC}|8462-4$gt90`)}&${s.q}`, [hypertensive]);
    // The plain component parameters do not tie code and value together.
    await expectIds(server(), `Observation?component-code=8480-6&component-value-quantity=gt100&${s.q}`, [hypertensive, inverted, normal]);
  });
});
