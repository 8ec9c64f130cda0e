/**
 * Robustness at the limits of the storage backends: what PostgreSQL or SQLite
 * refuses where the other accepts, and what either refuses past a size. The
 * generators that found bugs (fuzz.test.ts has the general ones):
 * - searches with many values (long OR lists, many parameters, OR lists in
 *   chains and _has, repeated _sort keys), sent through POST _search: query
 *   depth, UNION and stack limits (search-many-values.test.ts);
 * - version numbers around the INTEGER column's range in vread, $meta and
 *   If-Match (version-beyond-column.test.ts);
 * - URLs and headers around the parser's size limit (client-errors.test.ts).
 * Every answer must be a 2xx or a 4xx OperationOutcome. Fixed seed; SOCLE_FUZZ_RUNS
 * scales the runs and SOCLE_FUZZ_SEED replays a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachBackend, type FhirResult } from '../support/test-server.js';

const RUNS = Number(process.env.SOCLE_FUZZ_RUNS ?? 25);
const SEED = process.env.SOCLE_FUZZ_SEED === undefined ? 20261124 : Number(process.env.SOCLE_FUZZ_SEED);
const PARAMETERS: fc.Parameters<unknown> = { numRuns: RUNS, seed: SEED, endOnFailure: true };

function assertNo5xx(result: FhirResult, what: string): void {
  assert.ok(result.status < 500, `${what} answered ${result.status}: ${result.text.slice(0, 500)}`);
  if (result.status >= 400) assert.equal(result.body?.resourceType, 'OperationOutcome', `${what}: an error is an OperationOutcome: ${result.text.slice(0, 300)}`);
}

/** Search parameters by the shape of SQL they become: plain, chained, reverse-chained, negated, composite. */
const MANY_VALUE_PARAMETERS: readonly [string, string, (i: number) => string][] = [
  ['Patient', 'name', (i) => `n${i}`],
  ['Patient', '_id', (i) => `id-${i}`],
  ['Patient', 'birthdate', (i) => `ge19${String(i % 100).padStart(2, '0')}`],
  ['Patient', 'identifier', (i) => `urn:socle-fuzz|${i}`],
  ['Patient', 'gender:not', (i) => `g${i}`],
  ['Patient', '_has:Observation:subject:code', (i) => `c${i}`],
  ['Patient', '_has:Observation:subject:_has:Provenance:target:agent:Practitioner.name', (i) => `p${i}`],
  ['Observation', 'subject:Patient.name', (i) => `n${i}`],
  ['Observation', 'subject:Patient.general-practitioner:Practitioner.name', (i) => `n${i}`],
  ['Observation', 'value-quantity', (i) => `gt${i}`],
  ['Observation', 'code-value-quantity', (i) => `c${i}$lt${i}`],
];

forEachBackend('fuzz: limits of the storage backends', (server) => {
  test('searches with many values, OR-ed and AND-ed, plain and chained', async () => {
    const shape = fc.record({
      parameter: fc.nat({ max: MANY_VALUE_PARAMETERS.length - 1 }),
      // Values per parameter: around SQLite's 500-branch UNION and past it.
      values: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 480, max: 520 }), fc.integer({ min: 900, max: 3000 })),
      repeat: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(fc.asyncProperty(fc.array(shape, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 600 }), async (shapes, sortKeys) => {
      const type = (MANY_VALUE_PARAMETERS[shapes[0]!.parameter] as [string, string, (i: number) => string])[0];
      const form: [string, string][] = [];
      for (const { parameter, values, repeat } of shapes) {
        const [ownType, name, value] = MANY_VALUE_PARAMETERS[parameter] as [string, string, (i: number) => string];
        if (ownType !== type) continue;
        const list = Array.from({ length: values }, (_, i) => value(i)).join(',');
        // The same values as one OR list, or AND-ed parameters of a share each.
        for (let r = 0; r < repeat; r += 1) form.push([name, repeat === 1 ? list : list.split(',').filter((_, i) => i % repeat === r).join(',') || value(0)]);
      }
      if (sortKeys > 0) form.push(['_sort', Array.from({ length: sortKeys }, (_, i) => (i % 2 ? '-_lastUpdated' : '_id')).join(',')]);
      const result = await server().request('POST', `${type}/_search`, {
        rawBody: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assertNo5xx(result, `POST ${type}/_search ${form.map(([n, v]) => `${n}(${v.split(',').length})`).join(' ')}`);
    }), PARAMETERS);
  });

  test('version numbers around the INTEGER column range in vread, $meta and If-Match', async () => {
    const patient = await server().create({ resourceType: 'Patient', active: true });
    const version = fc.oneof(
      fc.constantFrom('2147483647', '2147483648', '4294967296', '9007199254740991', '9007199254740993', '99999999999999999999', '0', '-1', '1e3', '01'),
      fc.bigInt({ min: 2n ** 31n - 2n, max: 2n ** 63n }).map(String),
    );
    await fc.assert(fc.asyncProperty(version, fc.constantFrom('vread', 'meta', 'if-match', 'batch'), async (v, how) => {
      let result: FhirResult;
      if (how === 'vread') result = await server().get(`Patient/${patient.id}/_history/${v}`);
      else if (how === 'meta') result = await server().get(`Patient/${patient.id}/_history/${v}/$meta`);
      else if (how === 'if-match') result = await server().put(`Patient/${patient.id}`, { resourceType: 'Patient', id: patient.id, active: true }, { 'if-match': `W/"${v}"` });
      else {
        result = await server().post('', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${patient.id}/_history/${v}` } }] });
        if (result.status === 200) assert.ok(!/^5/.test(result.body.entry[0].response.status), `batch vread ${v}: ${result.text.slice(0, 300)}`);
      }
      assertNo5xx(result, `${how} version ${v}`);
    }), PARAMETERS);
  });

  test('URLs and headers around the parser size limit', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 15000, max: 18000 }), fc.constantFrom('url', 'header'), async (size, where) => {
      const result = where === 'url'
        ? await server().get(`Patient?name=${'a'.repeat(size)}`)
        : await server().get('Patient?name=a', { 'x-padding': 'b'.repeat(size) });
      assertNo5xx(result, `${where} of ${size} bytes`);
    }), PARAMETERS);
  });
});
