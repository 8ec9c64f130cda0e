import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression, UnsupportedExpression } from './parse-expression.js';
import { splitUnion } from './compile-path.js';

describe('parseExpression', () => {
  it('reads a path as nested member accesses on a leading type name', () => {
    assert.deepEqual(parseExpression('Patient.name.given'), {
      kind: 'member', name: 'given', target: { kind: 'member', name: 'name', target: { kind: 'identifier', name: 'Patient' } },
    });
  });

  it('binds `and` looser than `!=`, and `!=` looser than function calls', () => {
    const parsed = parseExpression('Patient.deceased.exists() and Patient.deceased != false');
    assert.equal(parsed.kind, 'binary');
    assert.ok(parsed.kind === 'binary' && parsed.op === 'and' && parsed.right.kind === 'binary' && parsed.right.op === '!=');
  });

  it('binds `|` tighter than `=` and looser than `as`', () => {
    const parsed = parseExpression('a as Quantity | b = c');
    assert.ok(parsed.kind === 'binary' && parsed.op === '=' && parsed.left.kind === 'binary' && parsed.left.op === '|'
      && parsed.left.left.kind === 'type');
  });

  it('reads type arguments, indexers, literals, $this and %resource', () => {
    assert.deepEqual(parseExpression('value.ofType(FHIR.Quantity)'), {
      kind: 'call', name: 'ofType', target: { kind: 'identifier', name: 'value' }, args: [{ kind: 'identifier', name: 'FHIR.Quantity' }],
    });
    assert.deepEqual(parseExpression('Bundle.entry[0]'), { kind: 'index', index: 0, target: { kind: 'member', name: 'entry', target: { kind: 'identifier', name: 'Bundle' } } });
    assert.deepEqual(parseExpression("where(system='e\\'mail')"), {
      kind: 'call', name: 'where', target: null,
      args: [{ kind: 'binary', op: '=', left: { kind: 'identifier', name: 'system' }, right: { kind: 'literal', value: "e'mail" } }],
    });
    assert.deepEqual(parseExpression('$this'), { kind: 'this' });
    assert.deepEqual(parseExpression('%resource.id'), { kind: 'member', name: 'id', target: { kind: 'variable', name: 'resource' } });
    assert.deepEqual(parseExpression('`div`'), { kind: 'identifier', name: 'div' });
  });

  it('rejects what it does not support, for the caller to fall back', () => {
    for (const expression of ['a + b', 'a.b > 2', 'a implies b', "a ~ 'x'", 'a[b]', 'a.', '(a', "'open", '$index', '%`vs`', '@2020-01-01']) {
      assert.throws(() => parseExpression(expression), UnsupportedExpression, expression);
    }
  });
});

describe('splitUnion', () => {
  it('splits at top-level bars only', () => {
    assert.deepEqual(splitUnion('A.b | (A.c | A.d).e | A.f.where(g=\'x|y\')'), ['A.b', '(A.c | A.d).e', "A.f.where(g='x|y')"]);
  });
});
