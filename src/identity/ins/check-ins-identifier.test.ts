import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTIFIER_TYPE_SYSTEM, INS_SYSTEMS } from '../fr-core.js';
import { checkInsIdentifier } from './check-ins-identifier.js';
import { insKindOf, isActiveIns } from './ins-identifier.js';
import { withInsKey } from './nir.js';

const NIR = withInsKey('1850578006084');
const type = (code: string) => ({ coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code }] });
const keys = (value: ReturnType<typeof checkInsIdentifier>) => value.issues.map((i) => `${i.severity}:${i.message}`);

test('the four FR Core INS slices are recognised with their use and type; the NSS (type NH) is not an INS', () => {
  assert.equal(insKindOf({ system: INS_SYSTEMS.NIR, use: 'official', value: NIR }), 'NIR');
  assert.equal(insKindOf({ system: INS_SYSTEMS.NIA, use: 'temp', value: NIR }), 'NIA');
  assert.equal(insKindOf({ system: INS_SYSTEMS.TEST }), 'TEST');
  assert.equal(insKindOf({ system: INS_SYSTEMS.DEMO }), 'DEMO');
  assert.equal(insKindOf({ system: INS_SYSTEMS.NIR, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] } }), undefined);
  assert.equal(insKindOf({ system: 'urn:oid:1.2.250.1.213.1.4.2' }), undefined, 'INS-C is not an INS');
  assert.equal(isActiveIns({ system: INS_SYSTEMS.NIR, use: 'old' }), false);
});

test('well-formed identifiers of every kind pass, with or without their type', () => {
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'official', value: NIR, type: type('INS-NIR') })), []);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'old', value: NIR })), []);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIA, use: 'temp', value: NIR, type: type('INS-NIA') })), []);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.TEST, use: 'official', value: NIR, type: type('INS-NIR-TEST') })), []);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.DEMO, use: 'official', value: NIR })), []);
  assert.equal(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'official', value: NIR }).parts?.birthPlace, '78006');
});

test('use: NIR, test and demo official, NIA temp; old (kept after a merge) for every kind', () => {
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIA, use: 'old', value: NIR })), []);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'temp', value: NIR })), ['error:ins.use-invalid']);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, value: NIR })), ['error:ins.use-invalid']);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIA, use: 'official', value: NIR })), ['error:ins.use-invalid']);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.TEST, use: 'temp', value: NIR })), ['error:ins.use-invalid']);
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.DEMO, use: 'usual', value: NIR })), ['error:ins.use-invalid']);
});

test('a type that contradicts the system is refused', () => {
  assert.deepEqual(keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'official', value: NIR, type: type('INS-NIA') })), ['error:ins.type-invalid']);
});

test('number problems: format, provisional (NNP), key, month', () => {
  const at = (value: string) => keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'official', value }));
  assert.deepEqual(at('12345'), ['error:ins.number-format']);
  assert.deepEqual(at(''), ['error:ins.number-format']);
  assert.deepEqual(at(withInsKey('7850578006084').replace(/^7/, '7')), ['error:ins.number-provisional']);
  assert.deepEqual(at(`${NIR.slice(0, 13)}${NIR.slice(13) === '01' ? '02' : '01'}`), ['error:ins.number-key']);
  assert.deepEqual(at(withInsKey('1851578006084')), ['error:ins.number-month']);
  assert.deepEqual(at(withInsKey('1850078006084')), ['error:ins.number-month']);
});

test('INSEE pseudo-months 20–42 and 50 are accepted with a warning; 43–49 and 51+ are refused', () => {
  const at = (m: string) => keys(checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'official', value: withInsKey(`185${m}78006084`) }));
  for (const m of ['20', '31', '42', '50']) assert.deepEqual(at(m), ['warning:ins.pseudo-month'], m);
  for (const m of ['13', '19', '43', '49', '51', '99']) assert.deepEqual(at(m), ['error:ins.number-month'], m);
});

test('issues locate the element and never carry the number', () => {
  const result = checkInsIdentifier({ system: INS_SYSTEMS.NIR, use: 'temp', value: `${NIR.slice(0, 13)}00` }, 'Patient.identifier[2]');
  assert.deepEqual(result.issues.map((i) => i.expression?.[0]), ['Patient.identifier[2].use', 'Patient.identifier[2].value']);
  assert.ok(!JSON.stringify(result.issues).includes(NIR.slice(0, 13)));
});
