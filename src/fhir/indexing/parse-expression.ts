/**
 * A parser for the subset of FHIRPath (http://hl7.org/fhirpath/N1/) used by
 * the R4 search parameter expressions: paths, function calls, indexers,
 * literals, $this, %variables, and the operators `|`, `is`, `as`, `=`, `!=`,
 * `and`, `or`. Anything else throws UnsupportedExpression, and the caller
 * falls back to the full fhirpath engine.
 */

export type Expression =
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'member'; readonly target: Expression; readonly name: string }
  | { readonly kind: 'call'; readonly target: Expression | null; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: 'index'; readonly target: Expression; readonly index: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'type'; readonly op: 'is' | 'as'; readonly operand: Expression; readonly typeName: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'this' }
  | { readonly kind: 'variable'; readonly name: string };

export type BinaryOperator = '|' | '=' | '!=' | 'and' | 'or';

export class UnsupportedExpression extends Error {
  constructor(expression: string, reason: string) {
    super(`FHIRPath "${expression}": ${reason}`);
    this.name = 'UnsupportedExpression';
  }
}

type Token =
  | { readonly kind: 'identifier'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'variable'; readonly text: string };

const SYMBOLS = ['!=', '(', ')', '[', ']', '.', ',', '|', '='];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'identifier', text: match[0] });
      i += match[0].length;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new UnsupportedExpression(source, 'unterminated `identifier`');
      tokens.push({ kind: 'identifier', text: source.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '%') {
      const match = /^%[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
      if (!match) throw new UnsupportedExpression(source, 'unsupported %variable');
      tokens.push({ kind: 'variable', text: match[0].slice(1) });
      i += match[0].length;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      while (j < source.length && source[j] !== "'") {
        if (source[j] === '\\') {
          const escaped = source[j + 1];
          text += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : (escaped ?? '');
          j += 2;
        } else {
          text += source[j];
          j++;
        }
      }
      if (j >= source.length) throw new UnsupportedExpression(source, 'unterminated string');
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (!symbol) throw new UnsupportedExpression(source, `unsupported symbol "${c}"`);
      tokens.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
    }
  }
  return tokens;
}

/**
 * Recursive descent over the FHIRPath precedence levels we support, from
 * lowest to highest: or, and, equality, union, type (is/as), invocation.
 */
class Parser {
  private position = 0;

  constructor(private readonly source: string, private readonly tokens: readonly Token[]) {}

  parse(): Expression {
    const expression = this.parseOr();
    if (this.position < this.tokens.length) this.fail(`unexpected "${this.peek()?.text}"`);
    return expression;
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.peekKeyword('or')) {
      this.position++;
      left = { kind: 'binary', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseEquality();
    while (this.peekKeyword('and')) {
      this.position++;
      left = { kind: 'binary', op: 'and', left, right: this.parseEquality() };
    }
    return left;
  }

  private parseEquality(): Expression {
    let left = this.parseUnion();
    while (this.peekSymbol('=') || this.peekSymbol('!=')) {
      const op = (this.next() as Token).text as '=' | '!=';
      left = { kind: 'binary', op, left, right: this.parseUnion() };
    }
    return left;
  }

  private parseUnion(): Expression {
    let left = this.parseType();
    while (this.peekSymbol('|')) {
      this.position++;
      left = { kind: 'binary', op: '|', left, right: this.parseType() };
    }
    return left;
  }

  private parseType(): Expression {
    let operand = this.parseInvocation();
    while (this.peekKeyword('is') || this.peekKeyword('as')) {
      const op = (this.next() as Token).text as 'is' | 'as';
      operand = { kind: 'type', op, operand, typeName: this.parseTypeName() };
    }
    return operand;
  }

  private parseTypeName(): string {
    let name = this.expectIdentifier();
    // Qualified names (FHIR.Quantity, System.String) keep their namespace.
    while (this.peekSymbol('.')) {
      this.position++;
      name = `${name}.${this.expectIdentifier()}`;
    }
    return name;
  }

  private parseInvocation(): Expression {
    let target = this.parseTerm();
    for (;;) {
      if (this.peekSymbol('.')) {
        this.position++;
        const name = this.expectIdentifier();
        target = this.peekSymbol('(') ? { kind: 'call', target, name, args: this.parseArguments(name) } : { kind: 'member', target, name };
      } else if (this.peekSymbol('[')) {
        this.position++;
        const index = this.next();
        if (index?.kind !== 'number' || index.text.includes('.')) this.fail('only integer indexers are supported');
        this.expectSymbol(']');
        target = { kind: 'index', target, index: Number(index?.text) };
      } else {
        return target;
      }
    }
  }

  private parseTerm(): Expression {
    const token = this.next();
    if (!token) return this.fail('unexpected end');
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', value: token.text };
      case 'number':
        return { kind: 'literal', value: Number(token.text) };
      case 'variable':
        return { kind: 'variable', name: token.text };
      case 'symbol':
        if (token.text === '(') {
          const inner = this.parseOr();
          this.expectSymbol(')');
          return inner;
        }
        return this.fail(`unexpected "${token.text}"`);
      case 'identifier':
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
        if (token.text === '$this') return { kind: 'this' };
        if (token.text.startsWith('$')) return this.fail(`unsupported ${token.text}`);
        if (this.peekSymbol('(')) return { kind: 'call', target: null, name: token.text, args: this.parseArguments(token.text) };
        return { kind: 'identifier', name: token.text };
    }
  }

  private parseArguments(name: string): Expression[] {
    this.expectSymbol('(');
    const args: Expression[] = [];
    if (this.peekSymbol(')')) {
      this.position++;
      return args;
    }
    // Type-taking functions get their argument as a bare identifier (ofType(Quantity)).
    const typeArgument = name === 'ofType' || name === 'as' || name === 'is';
    for (;;) {
      args.push(typeArgument ? { kind: 'identifier', name: this.parseTypeName() } : this.parseOr());
      if (this.peekSymbol(')')) {
        this.position++;
        return args;
      }
      this.expectSymbol(',');
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    return this.tokens[this.position++];
  }

  private peekSymbol(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.text === text;
  }

  private peekKeyword(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'identifier' && token.text === text;
  }

  private expectSymbol(text: string): void {
    if (!this.peekSymbol(text)) this.fail(`expected "${text}"`);
    this.position++;
  }

  private expectIdentifier(): string {
    const token = this.next();
    if (token?.kind !== 'identifier') return this.fail('expected an identifier');
    return token.text;
  }

  private fail(reason: string): never {
    throw new UnsupportedExpression(this.source, reason);
  }
}

/** Parses one FHIRPath expression of the supported subset, or throws UnsupportedExpression. */
export function parseExpression(source: string): Expression {
  return new Parser(source, tokenize(source)).parse();
}
