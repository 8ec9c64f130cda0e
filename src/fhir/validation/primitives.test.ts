import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../definitions/schema.js';
import { isBase64, primitiveCheck } from './primitives.js';
import { assertIssue, assertValid, patient, validate, weight } from './test-fixtures.js';

function check(type: string, value: unknown): string {
  const definition = r4Schema().primitive(type);
  assert.ok(definition, type);
  return primitiveCheck(definition)(value)?.kind ?? 'ok';
}

describe('primitive lexical forms (datatypes.html#primitive)', () => {
  test('date accepts year, year-month and full dates, and rejects month 13 and February 30', () => {
    for (const ok of ['2020', '2020-02', '2020-02-29', '1905-08-23']) assert.equal(check('date', ok), 'ok', ok);
    for (const bad of ['2020-13-01', '2021-02-29', '2020-02-30', '2020-1-1', '20-01-01', '2020-01-01T10:00:00Z']) assert.equal(check('date', bad), 'format', bad);
  });

  test('dateTime with a time requires a timezone', () => {
    assert.equal(check('dateTime', '2020-01-01T10:00:00Z'), 'ok');
    assert.equal(check('dateTime', '2020-01-01T10:00:00.123+02:00'), 'ok');
    assert.equal(check('dateTime', '2020-01-01'), 'ok');
    assert.equal(check('dateTime', '2020-01-01T10:00:00'), 'format');
    assert.equal(check('dateTime', '2020-01-01T10:00Z'), 'format');
  });

  test('instant needs seconds and a timezone', () => {
    assert.equal(check('instant', '2020-01-01T10:00:00Z'), 'ok');
    assert.equal(check('instant', '2020-01-01T10:00Z'), 'format');
    assert.equal(check('instant', '2020-01-01'), 'format');
  });

  test('time is hh:mm:ss', () => {
    assert.equal(check('time', '10:00:00'), 'ok');
    assert.equal(check('time', '24:00:00'), 'format');
    assert.equal(check('time', '10:00'), 'format');
  });

  test('id is 1 to 64 of A-Z a-z 0-9 - .', () => {
    assert.equal(check('id', 'a-B.9'), 'ok');
    assert.equal(check('id', 'x'.repeat(64)), 'ok');
    assert.equal(check('id', 'x'.repeat(65)), 'format');
    assert.equal(check('id', 'a_b'), 'format');
    assert.equal(check('id', 'a b'), 'format');
  });

  test('integers are 32-bit, positiveInt from 1, unsignedInt from 0', () => {
    assert.equal(check('integer', -2147483648), 'ok');
    assert.equal(check('integer', 2147483647), 'ok');
    assert.equal(check('integer', 2147483648), 'format');
    assert.equal(check('integer', 1.5), 'format');
    assert.equal(check('integer', '1'), 'type');
    assert.equal(check('positiveInt', 0), 'format');
    assert.equal(check('positiveInt', 1), 'ok');
    assert.equal(check('unsignedInt', 0), 'ok');
    assert.equal(check('unsignedInt', -1), 'format');
  });

  test('decimal is any finite JSON number', () => {
    assert.equal(check('decimal', 1e-30), 'ok');
    assert.equal(check('decimal', -0.5), 'ok');
    assert.equal(check('decimal', Number.NaN), 'format');
    assert.equal(check('decimal', Number.POSITIVE_INFINITY), 'format');
  });

  test('boolean is a JSON boolean, not the string "true"', () => {
    assert.equal(check('boolean', false), 'ok');
    assert.equal(check('boolean', 'true'), 'type');
  });

  test('code has no leading, trailing or double whitespace', () => {
    assert.equal(check('code', 'final'), 'ok');
    assert.equal(check('code', 'a b'), 'ok');
    assert.equal(check('code', ' final'), 'format');
    assert.equal(check('code', 'a  b'), 'format');
  });

  test('strings follow XML Schema whitespace: a non-breaking space is allowed, control characters are not', () => {
    assert.equal(check('string', 'Jean\u00a0Dupont'), 'ok');
    assert.equal(check('string', 'line 1\nline 2\tend'), 'ok');
    assert.equal(check('string', 'bell\u0007'), 'format');
    assert.equal(check('string', ''), 'empty');
  });

  test('strings are Unicode characters: half of a surrogate pair is refused, a whole pair (an emoji, a rare CJK character) is fine', () => {
    assert.equal(check('string', 'a\ud800b'), 'format');
    assert.equal(check('string', 'a\udc00'), 'format');
    assert.equal(check('string', '\ud800'), 'format');
    assert.equal(check('string', 'Zoé 🩺 𠀀'), 'ok');
    assert.equal(check('markdown', 'x\udfff'), 'format');
  });

  test('strings are limited to 1 MB', () => {
    assert.equal(check('string', 'a'.repeat(1024 * 1024)), 'ok');
    assert.equal(check('string', 'a'.repeat(1024 * 1024 + 1)), 'format');
    assert.equal(check('string', 'é'.repeat(600 * 1024)), 'format');
  });

  test('uri has no whitespace; oid and uuid follow their patterns', () => {
    assert.equal(check('uri', 'http://example.org/a'), 'ok');
    assert.equal(check('uri', 'http://example.org/a b'), 'format');
    assert.equal(check('oid', 'urn:oid:1.2.250.1.213'), 'ok');
    assert.equal(check('oid', '1.2.250'), 'format');
    assert.equal(check('uuid', 'urn:uuid:2f6d6c1a-8a3e-4a57-9c55-0c1f4c1e2a01'), 'ok');
    assert.equal(check('uuid', 'urn:uuid:2F6D'), 'format');
  });

  test('base64Binary is checked in linear time, even on megabytes', () => {
    assert.equal(isBase64('SGVsbG8='), true);
    assert.equal(isBase64('SGVs\nbG8h'), true);
    assert.equal(isBase64('SGVsbG8'), false);
    assert.equal(isBase64('SGV$bG8='), false);
    assert.equal(isBase64('SG=sbG8='), false);
    const large = 'QUJD'.repeat(2_000_000) + 'QUJ';
    const start = performance.now();
    assert.equal(check('base64Binary', large), 'format');
    assert.ok(performance.now() - start < 500);
  });

  test('xhtml must be a div without script', () => {
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><p>Jean Dupont</p></div>'), 'ok');
    assert.equal(check('xhtml', '<p>Jean</p>'), 'format');
    assert.equal(check('xhtml', '<div><script>alert(1)</script></div>'), 'format');
  });

  test('xhtml links and images that would run script are refused', () => {
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:alert(1)">x</a></div>'), 'format');
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><a href = \' VBScript:x\'>x</a></div>'), 'format');
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><img src="data:text/html,x"/></div>'), 'format');
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><a href="https://example.org/javascript:">x</a><img src="#photo"/></div>'), 'ok');
    // Written the ways a browser still reads as javascript: character references, tabs and line breaks.
    for (const disguised of ['&#106;avascript:x', '&#x6A;avascript:x', 'java&#x09;script:x', 'java&#10;script:x', 'java\tscript:x', 'java&Tab;script:x', ' \u0001javascript:x']) {
      assert.equal(check('xhtml', `<div xmlns="http://www.w3.org/1999/xhtml"><a href="${disguised}">x</a></div>`), 'format', disguised);
    }
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><a title="a>b" href="javascript:x">x</a></div>'), 'format');
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><a href=javascript:x>x</a></div>'), 'format');
    // Prose about such links is not a link.
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><p>href="javascript: is a scheme"</p></div>'), 'ok');
    assert.equal(check('xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><img src="data:image/png;base64,AAAA"/></div>'), 'ok');
  });
});

describe('primitive values in resources', () => {
  test('a date with month 13 is a value error at its location', () => {
    const issue = assertIssue({ ...patient(), birthDate: '2020-13-01' }, { message: 'validation.format', type: 'value', expression: 'Patient.birthDate' });
    assert.deepEqual(issue.params, { value: '2020-13-01', type: 'date' });
  });

  test('a dateTime without timezone is a value error', () => {
    assertIssue({ ...weight(), effectiveDateTime: '2020-01-01T10:00:00' }, { message: 'validation.format', type: 'value', expression: 'Observation.effectiveDateTime' });
  });

  test('an instant without seconds is a value error', () => {
    assertIssue({ ...weight(), issued: '2020-01-01T10:00Z' }, { message: 'validation.format', type: 'value', expression: 'Observation.issued' });
  });

  test('the resource id is an id, not any string (resource.html#id)', () => {
    assertIssue({ ...patient(), id: 'not valid!' }, { message: 'validation.format', type: 'value', expression: 'Patient.id' });
    assertValid({ ...patient(), id: 'a1-b2.c3' });
  });

  test('an integer out of range is a value error', () => {
    assertIssue({ ...patient(), multipleBirthInteger: 3_000_000_000 }, { message: 'validation.format', type: 'value', expression: 'Patient.multipleBirthInteger' });
  });

  test('a decimal beyond what JSON numbers hold (1e400) is a value error quoting it as written, not as "null"', () => {
    const resource = JSON.parse('{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1e400}}');
    const issue = assertIssue(resource, { message: 'validation.format', type: 'value', expression: 'Observation.valueQuantity.value' });
    assert.equal(issue.params?.value, 'Infinity');
  });

  test('a repeated primitive is located with its index', () => {
    const resource = patient();
    resource.name = [{ family: 'Dupont', given: ['Jean', 12] }];
    assertIssue(resource, { message: 'validation.type', type: 'structure', expression: 'Patient.name[0].given[1]' });
  });

  test('a narrative div with a script is rejected', () => {
    const resource = { ...patient(), text: { status: 'generated', div: '<div><script>x</script></div>' } };
    assertIssue(resource, { message: 'validation.format', type: 'value', expression: 'Patient.text.div' });
    assert.equal(validate({ ...patient(), text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Jean</div>' } }).valid, true);
  });
});
