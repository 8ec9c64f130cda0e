import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carryDecimals, cloneJson, decimalText, parseJson, stringifyJson } from './decimal-json.js';

test('decimals keep their written form through parse and stringify', () => {
  const text = '{"a":1.50,"b":[1.0,2,3e2,-0],"c":{"d":12345678901234567890,"e":0.1},"f":100}';
  assert.equal(stringifyJson(parseJson(text)), text);
});

test('a value equal to JSON.parse of the text, whatever the form', () => {
  const text = '{"a":1.50,"b":[1.0,2.5e-3],"c":{"d":"1.50"},"e":true,"f":null,"g":"x\\"y\\u00e9"}';
  assert.deepEqual(parseJson(text), JSON.parse(text));
});

test('pretty printing keeps the written form', () => {
  assert.equal(stringifyJson(parseJson('{"a": [1.50]}'), 2), '{\n  "a": [\n    1.50\n  ]\n}');
});

test('a number changed after parsing is written as JavaScript writes it', () => {
  const value = parseJson('{"a":1.50,"b":2.0}') as { a: number; b: number };
  value.a = 2.25;
  assert.equal(stringifyJson(value), '{"a":2.25,"b":2.0}');
});

test('text that only looks like a decimal inside a string is left alone', () => {
  const text = '{"a":"x:1.0, 2e5","b":1.5}';
  assert.equal(stringifyJson(parseJson(text)), text);
});

test('a member named __proto__ stays a member, as JSON.parse makes it', () => {
  const value = parseJson('{"__proto__":{"x":1.0},"y":1.0}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__', 'y']);
  assert.equal(stringifyJson(value), '{"__proto__":{"x":1.0},"y":1.0}');
});

test('a copy keeps the decimals; a rebuilt holder keeps them when carried', () => {
  const value = parseJson('{"q":{"value":1.50},"n":3.10}') as Record<string, unknown>;
  assert.equal(stringifyJson(cloneJson(value)), '{"q":{"value":1.50},"n":3.10}');
  const rebuilt = { id: 'x', ...value };
  assert.equal(stringifyJson(rebuilt), '{"id":"x","q":{"value":1.50},"n":3.1}');
  carryDecimals(value, rebuilt);
  assert.equal(stringifyJson(rebuilt), '{"id":"x","q":{"value":1.50},"n":3.10}');
  assert.equal(decimalText(rebuilt, 'n'), '3.10');
});

test('nesting deeper than the stack still parses, as JSON.parse does', () => {
  const depth = 200_000;
  const text = `${'['.repeat(depth)}1.50${']'.repeat(depth)}`;
  const value = parseJson(text);
  assert.ok(Array.isArray(value));
});

test('numbers below 1e-6 keep their written form', () => {
  assert.equal(stringifyJson(parseJson('{"a":0.0000001,"b":-0.00000025}')), '{"a":0.0000001,"b":-0.00000025}');
});

test('a repeated key leaves the last value, and no stale note of an earlier one', () => {
  assert.equal(stringifyJson(parseJson('{"v":1.50,"v":1.5}')), '{"v":1.5}');
  assert.equal(stringifyJson(parseJson('{"v":1.50,"v":"x","w":2.0}')), '{"v":"x","w":2.0}');
});

test('a noted value attached deep inside a value parsed without any keeps its form', () => {
  const root = parseJson('{"a":{"b":{}}}') as { a: { b: Record<string, unknown> } };
  root.a.b.q = parseJson('{"value":1.50}');
  assert.equal(stringifyJson(root), '{"a":{"b":{"q":{"value":1.50}}}}');
});

test('a run of millions of digits in a string is no error: the value is JSON.parse’s', () => {
  const text = `{"s":":${'1'.repeat(6_000_000)}"}`;
  assert.equal((parseJson(text) as { s: string }).s.length, 6_000_001);
});
