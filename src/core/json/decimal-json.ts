/**
 * JSON parsing and serialisation that keep the written form of decimals.
 *
 * FHIR decimals carry their precision in their digits: 1.50 is not 1.5, and
 * an 18-digit value is not its nearest double (http://hl7.org/fhir/R4/json.html#primitive,
 * datatypes.html#decimal). JSON.parse keeps neither, and Node 20 has no
 * JSON.rawJSON to write a number's text back. So:
 *
 * - `parseJson` runs JSON.parse, and only when the text holds a number whose
 *   shortest JavaScript form differs from how it is written (a trailing zero
 *   after the point, an exponent, too many digits, -0: a quick scan decides)
 *   parses it a second time to note each such number's text against the
 *   object or array that holds it.
 * - `stringifyJson` runs JSON.stringify, and when the value holds noted
 *   numbers writes each one's text back, as long as the value is still the
 *   number that text denotes (a changed value is written as JavaScript would).
 *
 * The notes live in WeakMaps keyed by the holding objects, so they follow the
 * objects through the write pipeline and vanish with them. Code that rebuilds
 * a holder copies its notes with `carryDecimals`; `cloneJson` copies them.
 */

/** holder (object or array) → property name or index → the number's written text. */
const DECIMALS = new WeakMap<object, Map<string, string>>();
/** Every object or array on the path from a parsed root to a noted number. */
const HOLDS_DECIMALS = new WeakSet<object>();

/**
 * A number token (after `:`, `,` or `[`, before a delimiter) whose text
 * JSON.stringify would not give back: a fraction ending in 0, an exponent,
 * 16 characters or more, below 1e-6 (which JavaScript writes 1e-7), -0.
 * It may also match inside a string (rarely: the delimiters must be there
 * too); then the exact parse finds nothing to note.
 */
const SUSPECT = /[:,[]\s*(?:-?\d*\.\d*0(?=[\s,}\]])|-?\d+(?:\.\d+)?[eE][-+]?\d+(?=[\s,}\]])|-?[\d.]{16}(?=[\d.]*[\s,}\]])|-?0\.0{6}|-0(?=[\s,}\]]))/;

/** Written in place of a noted number by the replacer, then swapped for its text. */
const NONCE = `~socle-decimal-${Math.random().toString(36).slice(2, 12)}~`;
const PLACEHOLDER = new RegExp(`"${NONCE}([-+.eE0-9]+)"`, 'g');

export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return value;
  try {
    if (!SUSPECT.test(text)) return value;
    return new NotingParser(text).parse();
  } catch {
    // Only nesting deeper than the stack allows gets here (JSON.parse accepted the text): keep JSON.parse's value.
    return value;
  }
}

export function stringifyJson(value: unknown, space?: number): string {
  if (!mayHoldDecimals(value)) return JSON.stringify(value, null, space);
  return JSON.stringify(value, restoreDecimal, space).replace(PLACEHOLDER, (_match, written: string) => written);
}

/** Set once the process has noted a number: until then no value can hold one, and nothing is walked. */
let anyNoted = false;

/**
 * Whether the value holds a noted number anywhere: a noted object may have
 * been attached deep inside a value parsed without any (a patch adding a
 * Quantity), so the whole value is walked, objects only (~1 µs a resource).
 */
export function mayHoldDecimals(value: unknown): boolean {
  return anyNoted && holdsNote(value, 0);
}

function holdsNote(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (HOLDS_DECIMALS.has(value) || DECIMALS.has(value)) return true;
  // Deeper than any resource may be (the validator refuses them): not worth a stack.
  if (depth > 128) return false;
  if (Array.isArray(value)) {
    for (const member of value) if (typeof member === 'object' && member !== null && holdsNote(member, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null && holdsNote(member, depth + 1)) return true;
  }
  return false;
}

/** The written text of holder[key] when it was noted and still holds that number. */
export function decimalText(holder: object, key: string | number): string | undefined {
  const value = (holder as Record<string, unknown>)[key];
  const text = DECIMALS.get(holder)?.get(String(key));
  return text !== undefined && typeof value === 'number' && Number(text) === value ? text : undefined;
}

/**
 * Notes `text` as the written form of holder[key], where `path` runs from a
 * root to that holder (root first, holder last): what a parse would have
 * noted had the number arrived there in the text (a JSON Patch value).
 */
export function noteDecimal(path: readonly object[], key: string | number, text: string): void {
  const holder = path[path.length - 1];
  if (holder === undefined) return;
  let notes = DECIMALS.get(holder);
  if (!notes) DECIMALS.set(holder, (notes = new Map()));
  notes.set(String(key), text);
  anyNoted = true;
  for (const container of path) HOLDS_DECIMALS.add(container);
}

/** Gives `to` (a rebuilt copy of `from`) the notes of `from`'s own numbers. */
export function carryDecimals(from: object, to: object): void {
  const notes = DECIMALS.get(from);
  if (notes) DECIMALS.set(to, new Map(notes));
  if (HOLDS_DECIMALS.has(from)) HOLDS_DECIMALS.add(to);
}

/** A deep copy of a JSON value, with its noted decimals. */
export function cloneJson<T>(value: T): T {
  if (!mayHoldDecimals(value)) return structuredClone(value);
  return copyNoted(value) as T;
}

function copyNoted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: unknown = Array.isArray(value) ? value.map(copyNoted) : copyObject(value as Record<string, unknown>);
  carryDecimals(value, copy as object);
  return copy;
}

function copyObject(source: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) defineMember(copy, key, copyNoted(source[key]));
  return copy;
}

function restoreDecimal(this: unknown, key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  const text = DECIMALS.get(this as object)?.get(key);
  return text !== undefined && Number(text) === value ? `${NONCE}${text}` : value;
}

/** `__proto__` is a member like any other in JSON, as JSON.parse makes it. */
function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A parser for text JSON.parse has already accepted: it builds the same value and notes the numbers. */
class NotingParser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): unknown {
    return this.value().value;
  }

  /** The value at the cursor, and whether it leads to a noted number. */
  private value(): { value: unknown; noted: boolean } {
    this.skipSpace();
    const c = this.text.charCodeAt(this.at);
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return { value: this.string(), noted: false };
    if (c === 0x74) return this.word(4, true);
    if (c === 0x66) return this.word(5, false);
    if (c === 0x6e) return this.word(4, null);
    return { value: this.number(), noted: false };
  }

  private object(): { value: unknown; noted: boolean } {
    const result: Record<string, unknown> = {};
    let noted = false;
    this.at += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at += 1;
      return { value: result, noted };
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.at += 1; // ':'
      noted = this.member(result, key) || noted;
      this.skipSpace();
      if (this.text.charCodeAt(this.at++) === 0x7d) break; // '}', else ','
    }
    if (noted) HOLDS_DECIMALS.add(result);
    return { value: result, noted };
  }

  private array(): { value: unknown; noted: boolean } {
    const result: unknown[] = [];
    let noted = false;
    this.at += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at += 1;
      return { value: result, noted };
    }
    for (;;) {
      noted = this.member(result, String(result.length)) || noted;
      this.skipSpace();
      if (this.text.charCodeAt(this.at++) === 0x5d) break; // ']', else ','
    }
    if (noted) HOLDS_DECIMALS.add(result);
    return { value: result, noted };
  }

  /** Reads one member into `holder` under `key`; true when it is or leads to a noted number. */
  private member(holder: Record<string, unknown> | unknown[], key: string): boolean {
    this.skipSpace();
    const start = this.at;
    const { value, noted } = this.value();
    if (Array.isArray(holder)) holder.push(value);
    else defineMember(holder, key, value);
    if (typeof value !== 'number') {
      DECIMALS.get(holder)?.delete(key);
      return noted;
    }
    const written = this.text.slice(start, this.at);
    if (JSON.stringify(value) === written) {
      // A repeated key: the last value is the member (as JSON.parse has it), so an earlier note goes.
      DECIMALS.get(holder)?.delete(key);
      return false;
    }
    let notes = DECIMALS.get(holder);
    if (!notes) DECIMALS.set(holder, (notes = new Map()));
    notes.set(key, written);
    anyNoted = true;
    HOLDS_DECIMALS.add(holder);
    return true;
  }

  private string(): string {
    const start = this.at;
    let escaped = false;
    for (this.at += 1; ; this.at += 1) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x5c) {
        escaped = true;
        this.at += 1;
      } else if (c === 0x22) {
        break;
      }
    }
    this.at += 1;
    const raw = this.text.slice(start + 1, this.at - 1);
    return escaped ? (JSON.parse(this.text.slice(start, this.at)) as string) : raw;
  }

  private number(): number {
    const start = this.at;
    while (this.at < this.text.length && NUMBER_CHARS.has(this.text.charCodeAt(this.at))) this.at += 1;
    return Number(this.text.slice(start, this.at));
  }

  private word(length: number, value: boolean | null): { value: unknown; noted: boolean } {
    this.at += length;
    return { value, noted: false };
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at += 1;
    }
  }
}

const NUMBER_CHARS = new Set([...'-+.eE0123456789'].map((c) => c.charCodeAt(0)));
