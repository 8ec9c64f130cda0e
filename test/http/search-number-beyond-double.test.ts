/**
 * A number given with more digits than a double holds
 * (http://hl7.org/fhir/R4/search.html#number: the implicit range of eq is
 * set by the digits given): its range rounds to the value itself, so eq
 * must find that value and ne must not, on number and quantity parameters.
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope } from '../support/search.js';

forEachBackend('search: numbers beyond a double\'s precision', (server) => {
  test('eq with every digit written finds the value, ne leaves it out (number and quantity)', async () => {
    const s = newScope();
    const charge = (factorOverride: number) => server().create(s.mark({
      resourceType: 'ChargeItem', status: 'billable', code: { text: 'acte' }, subject: { reference: `Patient/${s.u}` }, factorOverride,
    }));
    const observation = (value: number) => server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { text: 'mesure' }, valueQuantity: { value, system: 'http://unitsofmeasure.org', code: 'g' },
    }));
    const big = await charge(1000000000000000000);
    const small = await charge(0.5);
    const heavy = await observation(1000000000000000000);
    const light = await observation(2);

    await expectIds(server(), `ChargeItem?factor-override=1000000000000000000&${s.q}`, [big]);
    await expectIds(server(), `ChargeItem?factor-override=ne1000000000000000000&${s.q}`, [small]);
    await expectIds(server(), `Observation?value-quantity=eq1000000000000000000&${s.q}`, [heavy]);
    await expectIds(server(), `Observation?value-quantity=1000000000000000000|http://unitsofmeasure.org|g&${s.q}`, [heavy]);
    await expectIds(server(), `Observation?value-quantity=ne1000000000000000000&${s.q}`, [light]);
  });
});
