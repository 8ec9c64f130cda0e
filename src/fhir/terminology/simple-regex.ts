/**
 * The regular expressions a `regex` filter may use
 * (valueset-filter-operator.html#regex), checked before V8 runs them: V8
 * backtracks, so an ambiguous pattern takes exponential or high polynomial
 * time on a value that almost matches (`(.|.)*#` froze the server for
 * seconds), and a filter is anyone's input, not only a ValueSet writer's.
 *
 * Two rules. First, the shapes that make the number of ways to match grow
 * without bound are refused whatever the value: a group repeated more than
 * once holding an alternation, a repetition or a character class (`(a|b)*`,
 * `(a+)+`, `([ab])+`; write `[ab]*` instead; an optional group such as
 * `(-[GM])?` is one round at most, and allowed), a repetition of a repetition,
 * back-references and lookarounds (also absent from XML Schema patterns,
 * which FHIR's regex types follow). Second, what is left can still multiply
 * choices (`.*a.*b.*`, `(?:a|b)(?:a|b)…`): `paths(length)` bounds how many
 * ways the pattern has to split a value of that length (alternatives add,
 * a sequence multiplies, a repetition offers as many counts as fit), and the
 * caller refuses to test a value whose bound is over its budget.
 */

/** A parsed pattern, reduced to what the bound needs. */
type Node =
  | { readonly kind: 'atom' }
  | { readonly kind: 'sequence'; readonly items: readonly Node[] }
  | { readonly kind: 'choice'; readonly branches: readonly Node[] }
  | { readonly kind: 'repeat'; readonly min: number; readonly max: number | undefined };

export interface SimpleRegex {
  /** Whether the whole value matches. */
  readonly test: (value: string) => boolean;
  /** An upper bound on the ways the pattern can split a value of `length` characters. */
  readonly paths: (length: number) => number;
}

const MAX_PATTERN = 200;

class Refused extends Error {}

/** What a group holds, for the rule on repeated groups. */
interface Content {
  choice: boolean;
  repeat: boolean;
  characterClass: boolean;
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.alternatives({ choice: false, repeat: false, characterClass: false });
    if (this.at < this.text.length) throw new Refused();
    return node;
  }

  private alternatives(content: Content): Node {
    const branches = [this.sequence(content)];
    while (this.text[this.at] === '|') {
      this.at++;
      content.choice = true;
      branches.push(this.sequence(content));
    }
    return branches.length === 1 ? (branches[0] as Node) : { kind: 'choice', branches };
  }

  private sequence(content: Content): Node {
    const items: Node[] = [];
    while (this.at < this.text.length && this.text[this.at] !== '|' && this.text[this.at] !== ')') {
      const inner: Content = { choice: false, repeat: false, characterClass: false };
      const atom = this.atom(inner);
      const repeat = this.quantifier();
      if (repeat) {
        if (this.quantifier()) throw new Refused();
        content.repeat = true;
        if (repeat.kind === 'repeat' && repeat.max !== undefined && repeat.max <= 1) {
          // At most one round (`?`, `{0,1}`, `{1}`): nothing to multiply across rounds, only the group's own ways
          // to match, plus the empty one when the round is optional (`HTA(-[GM])?`).
          items.push(repeat.min === 0 ? { kind: 'choice', branches: [{ kind: 'sequence', items: [] }, atom] } : atom);
        } else {
          // A repeated group that can match in more than one way at each round multiplies the rounds' choices.
          if (inner.choice || inner.repeat || (inner.characterClass && atom.kind !== 'atom')) throw new Refused();
          items.push(repeat);
        }
      } else {
        items.push(atom);
      }
      content.choice ||= inner.choice;
      content.repeat ||= inner.repeat;
      content.characterClass ||= inner.characterClass;
    }
    return { kind: 'sequence', items };
  }

  /** One atom; a group comes back as its content (kind other than 'atom'), a lone character or class as 'atom'. */
  private atom(content: Content): Node {
    const c = this.text[this.at] as string;
    if (c === '(') {
      this.at++;
      if (this.text[this.at] === '?') {
        if (this.text.startsWith('?:', this.at)) this.at += 2;
        else if (/^\?<[A-Za-z_$][\w$]*>/.test(this.text.slice(this.at))) this.at = this.text.indexOf('>', this.at) + 1;
        else throw new Refused(); // lookarounds
      }
      const body = this.alternatives(content);
      if (this.text[this.at] !== ')') throw new Refused();
      this.at++;
      return { kind: 'sequence', items: [body] };
    }
    if (c === '[') {
      content.characterClass = true;
      this.at++;
      if (this.text[this.at] === '^') this.at++;
      if (this.text[this.at] === ']') this.at++;
      while (this.at < this.text.length && this.text[this.at] !== ']') this.at += this.text[this.at] === '\\' ? 2 : 1;
      if (this.text[this.at] !== ']') throw new Refused();
      this.at++;
      return { kind: 'atom' };
    }
    if (c === '\\') {
      const next = this.text[this.at + 1] ?? '';
      if (/[1-9k]/.test(next)) throw new Refused(); // back-references
      this.at += 2;
      // \p{…}, \u{…}: the braces belong to the escape, not to a quantifier.
      if (/[pPu]/.test(next) && this.text[this.at] === '{') {
        const close = this.text.indexOf('}', this.at);
        if (close < 0) throw new Refused();
        this.at = close + 1;
      }
      return { kind: 'atom' };
    }
    if ('*+?{'.includes(c)) throw new Refused(); // nothing to repeat
    this.at++;
    return { kind: 'atom' };
  }

  /** A quantifier at the cursor (and its lazy `?`), as the repeat it makes; undefined if none. */
  private quantifier(): Node | undefined {
    const c = this.text[this.at];
    let min: number;
    let max: number | undefined;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      [min, max] = c === '*' ? [0, undefined] : c === '+' ? [1, undefined] : [0, 1];
    } else {
      const bounds = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.text.slice(this.at));
      if (!bounds) return undefined;
      this.at += bounds[0].length;
      min = Number(bounds[1]);
      max = bounds[2] === undefined ? min : bounds[3] === '' ? undefined : Number(bounds[3]);
      if (max !== undefined && max < min) throw new Refused();
    }
    if (this.text[this.at] === '?') this.at++;
    return { kind: 'repeat', min, max };
  }
}

function paths(node: Node, length: number): number {
  switch (node.kind) {
    case 'atom': return 1;
    case 'sequence': return node.items.reduce((product, item) => product * paths(item, length), 1);
    case 'choice': return node.branches.reduce((sum, branch) => sum + paths(branch, length), 0);
    case 'repeat': return Math.max(1, Math.min(node.max ?? length, length) - node.min + 1);
  }
}

/** The whole-value expression of `pattern` (as XML Schema patterns match), or undefined when it is refused. */
export function simpleRegex(pattern: string): SimpleRegex | undefined {
  if (pattern.length > MAX_PATTERN) return undefined;
  let tree: Node;
  let regex: RegExp;
  try {
    tree = new Parser(pattern).parse();
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
  return { test: (value) => regex.test(value), paths: (length) => paths(tree, length) };
}
