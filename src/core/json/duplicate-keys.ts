/**
 * Finds an object that names a property twice in JSON text JSON.parse has
 * accepted. RFC 8259 §4 says names within an object SHOULD be unique and
 * leaves what a repeated one means to each reader; JSON.parse keeps the last
 * value, silently, so a client's mistake ("gender" written twice) would be
 * stored as one of its two meanings. R4's JSON format is built on RFC 8259
 * (http://hl7.org/fhir/R4/json.html), and HL7's reference validator reports a
 * repeated property as an error; the server refuses such a body (build-app.ts).
 *
 * One forward scan, run on every JSON request body, so made cheap: string
 * contents are skipped with indexOf (native), only the characters between
 * strings are looked at one by one, and each open object keeps its names in a
 * short array (a Set once it grows). The path to a repeated name, array
 * indexes included, is worked out by a second, slower scan, run only then.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Names an object holds before they move from an array (a few compares) to a Set. */
const SMALL_OBJECT = 16;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Reads the strings of valid JSON text: where each ends, and its decoded value when it is a name. */
class StringReader {
  /** The next backslash at or after some position already passed: found once, not once per string. */
  private nextBackslash = -1;

  constructor(private readonly text: string) {}

  /** The index of the closing quote of the string opening at `start`. */
  end(start: number): number {
    let from = start + 1;
    for (;;) {
      const quote = this.text.indexOf('"', from);
      let before = quote - 1;
      while (this.text.charCodeAt(before) === BACKSLASH) before -= 1;
      // An even number of backslashes before the quote: it is not escaped.
      if ((quote - 1 - before) % 2 === 0) return quote;
      from = quote + 1;
    }
  }

  /** The string from `start` to its closing quote `end`, escapes decoded. */
  value(start: number, end: number): string {
    if (this.nextBackslash !== -2 && this.nextBackslash < start) this.nextBackslash = this.text.indexOf('\\', start);
    if (this.nextBackslash === -1) this.nextBackslash = -2; // none left in the text
    return this.nextBackslash >= 0 && this.nextBackslash < end
      ? (JSON.parse(this.text.slice(start, end + 1)) as string)
      : this.text.slice(start + 1, end);
  }

  /** Whether the string ending at `end` is a name: a colon follows it. Returns the colon's index, or -1. */
  colonAfter(end: number): number {
    let at = end + 1;
    while (isSpace(this.text.charCodeAt(at))) at += 1;
    return this.text.charCodeAt(at) === COLON ? at : -1;
  }
}

/** Where the first repeated name starts (its opening quote), or -1 when every object names each property once. */
export function firstRepeatedName(text: string): number {
  const strings = new StringReader(text);
  // One entry per open object (its names so far) or array (null).
  const open: (string[] | Set<string> | null)[] = [];
  const length = text.length;
  for (let at = 0; at < length; at += 1) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      const end = strings.end(at);
      const colon = strings.colonAfter(end);
      if (colon >= 0) {
        const name = strings.value(at, end);
        const names = open[open.length - 1];
        if (Array.isArray(names)) {
          if (names.includes(name)) return at;
          names.push(name);
          if (names.length > SMALL_OBJECT) open[open.length - 1] = new Set(names);
        } else if (names) {
          if (names.has(name)) return at;
          names.add(name);
        }
        at = colon;
      } else {
        at = end;
      }
    } else if (c === OPEN_OBJECT) {
      open.push([]);
    } else if (c === OPEN_ARRAY) {
      open.push(null);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
    }
  }
  return -1;
}

/** A path step: a property name, or the index in an array. */
type Step = { name: string | undefined } | { index: number };

/** The path from the root to the name starting at `position`, as FHIRPath writes it: "name[1].family". */
export function pathTo(text: string, position: number): string {
  const strings = new StringReader(text);
  const steps: Step[] = [];
  for (let at = 0; at < position; at += 1) {
    const c = text.charCodeAt(at);
    const top = steps[steps.length - 1];
    if (c === QUOTE) {
      const end = strings.end(at);
      const colon = strings.colonAfter(end);
      if (colon >= 0 && top && 'name' in top) top.name = strings.value(at, end);
      at = colon >= 0 ? colon : end;
    } else if (c === OPEN_OBJECT) {
      steps.push({ name: undefined });
    } else if (c === OPEN_ARRAY) {
      steps.push({ index: 0 });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      steps.pop();
    } else if (c === COMMA && top && 'index' in top) {
      top.index += 1;
    }
  }
  const end = strings.end(position);
  const last = strings.value(position, end);
  let path = '';
  // Each object step names the member its value sits in: the step after it (the innermost names the repeated property).
  for (const step of steps.slice(0, -1)) path += 'index' in step ? `[${step.index}]` : `${path === '' ? '' : '.'}${step.name ?? ''}`;
  return `${path}${path === '' ? '' : '.'}${last}`;
}

/**
 * The FHIRPath of the first property named twice in `text` (JSON that
 * JSON.parse accepted, parsed as `value`), rooted at the resource type when
 * the body is a resource ("Patient.name[1].family",
 * "Bundle.entry[2].resource.gender"); undefined when there is none.
 */
export function repeatedProperty(text: string, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const position = firstRepeatedName(text);
  if (position < 0) return undefined;
  const path = pathTo(text, position);
  const type = (value as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' && !Array.isArray(value) ? `${type}.${path}` : path;
}
