/**
 * Quantities compared in canonical UCUM units
 * (http://hl7.org/fhir/R4/search.html#quantity: "the search processor may
 * choose to perform a search that is based on canonical units (e.g. any value
 * where the units can be converted to a value in mg in the case above)").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, orderedIds, type Scope } from '../support/search.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const q = encodeURIComponent;

forEachBackend('search: quantities in canonical units', (server) => {
  const observation = (s: Scope, code: string, valueQuantity: Record<string, unknown>) => server().create(s.mark({
    resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code }] }, valueQuantity,
  }));

  test('a mass searched in g finds the same mass stored in mg, g, kg and [lb_av], and no other', async () => {
    const s = newScope();
    const milligrams = await observation(s, '29463-7', { value: 5400, unit: 'mg', system: UCUM, code: 'mg' });
    const grams = await observation(s, '29463-7', { value: 5.4, unit: 'g', system: UCUM, code: 'g' });
    const kilograms = await observation(s, '29463-7', { value: 0.0054, unit: 'kg', system: UCUM, code: 'kg' });
    const small = await observation(s, '29463-7', { value: 5.4, unit: 'mg', system: UCUM, code: 'mg' });
    const pounds = await observation(s, '29463-7', { value: 2, unit: 'lb', system: UCUM, code: '[lb_av]' });
    const volume = await observation(s, '29463-7', { value: 5.4, unit: 'mL', system: UCUM, code: 'mL' });
    const otherSystem = await observation(s, '29463-7', { value: 5.4, unit: 'kilo', system: 'urn:other-units', code: 'kg' });

    await expectIds(server(), `Observation?value-quantity=${q(`5.4|${UCUM}|g`)}&${s.q}`, [milligrams, grams, kilograms]);
    await expectIds(server(), `Observation?value-quantity=${q(`5400|${UCUM}|mg`)}&${s.q}`, [milligrams, grams, kilograms]);
    await expectIds(server(), `Observation?value-quantity=${q('5.4||g')}&${s.q}`, [milligrams, grams, kilograms]);
    await expectIds(server(), `Observation?value-quantity=${q(`gt1|${UCUM}|g`)}&${s.q}`, [milligrams, grams, kilograms, pounds]);
    await expectIds(server(), `Observation?value-quantity=${q(`lt1|${UCUM}|g`)}&${s.q}`, [small]);
    await expectIds(server(), `Observation?value-quantity=${q(`ne5.4|${UCUM}|g`)}&${s.q}`, [small, pounds]);
    await expectIds(server(), `Observation?value-quantity=${q(`ap0.9|${UCUM}|kg`)}&${s.q}`, [pounds]);
    await expectIds(server(), `Observation?value-quantity=${q(`5.4|${UCUM}|mL`)}&${s.q}`, [volume]);
    // Without a unit, values compare as written; a unit of another system is not UCUM's.
    await expectIds(server(), `Observation?value-quantity=5.4&${s.q}`, [grams, small, volume, otherSystem]);
    await expectIds(server(), `Observation?value-quantity=${q('5.4|urn:other-units|kg')}&${s.q}`, [otherSystem]);
  });

  test('pressures in mm[Hg] and kPa, and concentrations in mmol/L and umol/L, compare across units', async () => {
    const s = newScope();
    const mmHg = await observation(s, '8480-6', { value: 120, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
    const kPa = await observation(s, '8480-6', { value: 16, unit: 'kPa', system: UCUM, code: 'kPa' });
    const millimoles = await observation(s, '2339-0', { value: 5.5, unit: 'mmol/L', system: UCUM, code: 'mmol/L' });
    const micromoles = await observation(s, '2339-0', { value: 5500, unit: 'umol/L', system: UCUM, code: 'umol/L' });
    const massConcentration = await observation(s, '2339-0', { value: 1, unit: 'g/L', system: UCUM, code: 'g/L' });

    // 120 mm[Hg] is 15.9986 kPa, in "16" ([15.5, 16.5)); 16 kPa is 120.0 mm[Hg].
    await expectIds(server(), `Observation?value-quantity=${q(`16|${UCUM}|kPa`)}&${s.q}`, [mmHg, kPa]);
    await expectIds(server(), `Observation?value-quantity=${q(`120|${UCUM}|mm[Hg]`)}&${s.q}`, [mmHg, kPa]);
    await expectIds(server(), `Observation?value-quantity=${q(`gt15.999|${UCUM}|kPa`)}&${s.q}`, [kPa]);
    await expectIds(server(), `Observation?value-quantity=${q(`5.5|${UCUM}|mmol/L`)}&${s.q}`, [millimoles, micromoles]);
    await expectIds(server(), `Observation?value-quantity=${q(`100|${UCUM}|mg/dL`)}&${s.q}`, [massConcentration]);
    // An amount of substance is not a mass: no g/L for mmol/L.
    await expectIds(server(), `Observation?value-quantity=${q(`gt0|${UCUM}|mmol/L`)}&${s.q}`, [millimoles, micromoles]);
  });

  test('composite code-value-quantity compares the value in canonical units, within the same code', async () => {
    const s = newScope();
    const kilograms = await observation(s, '29463-7', { value: 70.5, unit: 'kg', system: UCUM, code: 'kg' });
    const grams = await observation(s, '29463-7', { value: 70500, unit: 'g', system: UCUM, code: 'g' });
    await observation(s, '8302-2', { value: 70500, unit: 'g', system: UCUM, code: 'g' });

    await expectIds(server(), `Observation?code-value-quantity=${q(`${LOINC}|29463-7$70.5|${UCUM}|kg`)}&${s.q}`, [kilograms, grams]);
    await expectIds(server(), `Observation?code-value-quantity=${q(`29463-7$gt70|${UCUM}|kg`)}&${s.q}`, [kilograms, grams]);
  });

  test('a unit without a canonical form here ({score}, Cel) compares as written only', async () => {
    const s = newScope();
    const score = await observation(s, '72133-2', { value: 5, unit: 'score', system: UCUM, code: '{score}' });
    const percent = await observation(s, '72133-2', { value: 500, unit: '%', system: UCUM, code: '%' });
    const celsius = await observation(s, '8310-5', { value: 37, unit: '°C', system: UCUM, code: 'Cel' });

    await expectIds(server(), `Observation?value-quantity=${q(`5|${UCUM}|{score}`)}&${s.q}`, [score]);
    await expectIds(server(), `Observation?value-quantity=${q(`5|${UCUM}|1`)}&${s.q}`, [percent]);
    await expectIds(server(), `Observation?value-quantity=${q(`37|${UCUM}|Cel`)}&${s.q}`, [celsius]);
  });

  test('_sort orders by the value in canonical units where there is one, else as written; :missing reads the values as written', async () => {
    const s = newScope();
    const kilograms = await observation(s, '29463-7', { value: 70, unit: 'kg', system: UCUM, code: 'kg' });
    const grams = await observation(s, '29463-7', { value: 600, unit: 'g', system: UCUM, code: 'g' });
    const milligrams = await observation(s, '29463-7', { value: 400, unit: 'mg', system: UCUM, code: 'mg' });
    // Not UCUM: no canonical value, sorted by 5 as written.
    const score = await observation(s, '29463-7', { value: 5, unit: 'points', system: 'urn:socle:test-units', code: 'pt' });
    const none = await server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '29463-7' }] } }));
    const order = async (sort: string) => orderedIds((await server().get(`Observation?_sort=${sort}&${s.q}`)).body);
    // 400 mg = 0.4 g, then 5 (as written), 600 g, 70 kg = 70,000 g; a resource without a value comes last either way.
    assert.deepEqual(await order('value-quantity'), [milligrams.id, score.id, grams.id, kilograms.id, none.id]);
    assert.deepEqual(await order('-value-quantity'), [kilograms.id, grams.id, score.id, milligrams.id, none.id]);
    // The keyset pages follow the same order.
    const first = await server().get(`Observation?_sort=value-quantity&_count=2&${s.q}`);
    const next = first.body.link.find((l: { relation: string }) => l.relation === 'next').url as string;
    const second = await server().get(next);
    assert.deepEqual(orderedIds(second.body), [grams.id, kilograms.id]);
    await expectIds(server(), `Observation?value-quantity:missing=true&${s.q}`, [none]);
  });
});
