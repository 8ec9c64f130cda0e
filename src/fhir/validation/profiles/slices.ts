/**
 * Which slice an item of a sliced element belongs to, by the slicing's
 * discriminators (http://hl7.org/fhir/R4/profiling.html#discriminator):
 * `value` and `pattern` (the fixed or pattern value the slice sets at the
 * discriminator's path, extensions by their `url`, which a slice typed
 * Extension(profile) fixes to the profile's canonical), `exists`, `type` and
 * `profile`. A discriminator whose path is a FHIRPath function (resolve(),
 * extension('…'), ofType()) or whose slices set no value to compare is
 * reported as unsupported: the slicing is then not checked at all rather
 * than checked wrongly.
 */
import type { ElementNode } from './compile.js';
import { matchesPattern, sameValue, valuesAt } from './match.js';
import type { Discriminator } from './types.js';

export interface SliceItem {
  readonly value: unknown;
  /** The item's type when the JSON says it (a choice's suffix, a resource's resourceType). */
  readonly typeCode: string | undefined;
}

export type SliceTest = (item: SliceItem) => Promise<boolean>;

/** Whether a value conforms to a profile (for `profile` discriminators). */
export type Conforms = (value: unknown, profile: string) => Promise<boolean>;

export type SliceMatcher = { readonly tests: readonly SliceTest[] } | { readonly unsupported: string };

function segmentsOf(path: string | undefined): string[] | undefined {
  if (path === undefined || path === '' || path === '$this') return [];
  const trimmed = path.startsWith('$this.') ? path.slice(6) : path;
  // Plain element names only: functions (resolve(), extension('…'), ofType()) are not evaluated here.
  if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(trimmed)) return undefined;
  return trimmed.split('.');
}

function childNamed(node: ElementNode, name: string): ElementNode | undefined {
  return node.children.find((c) => c.name === name || (c.name.endsWith('[x]') && name.startsWith(c.name.slice(0, -3))));
}

/** The element a path names within a slice's definition. */
function nodeAt(slice: ElementNode, segments: readonly string[]): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  for (const segment of segments) node = node ? childNamed(node, segment) : undefined;
  return node;
}

interface Expected {
  readonly kind: 'fixed' | 'pattern';
  readonly values: readonly unknown[];
}

/**
 * The value(s) a slice sets at the discriminator's path: the first fixed or
 * pattern met going down the path, read further at what remains of it.
 */
function expectedAt(slice: ElementNode, segments: readonly string[]): Expected | undefined {
  let node = slice;
  for (let i = 0; ; i++) {
    if (node.value) return { kind: node.value.kind, values: valuesAt(node.value.value, segments.slice(i)) };
    if (i === segments.length) return undefined;
    const segment = segments[i] as string;
    const child = childNamed(node, segment);
    if (!child) {
      // An extension slice is seldom unrolled: its url is the canonical of its type's profile (extensibility.html).
      const profile = node.element.type?.[0]?.profile?.[0];
      if (segment === 'url' && i === segments.length - 1 && node.typeCodes[0] === 'Extension' && typeof profile === 'string') {
        return { kind: 'fixed', values: [profile.split('|')[0]] };
      }
      return undefined;
    }
    node = child;
  }
}

function valueTest(slice: ElementNode, segments: readonly string[]): SliceTest | undefined {
  const expected = expectedAt(slice, segments);
  if (!expected || expected.values.length === 0) return undefined;
  const compare = expected.kind === 'fixed' ? sameValue : matchesPattern;
  return async (item) => {
    const found = valuesAt(item.value, segments);
    return expected.values.every((wanted) => found.some((value) => compare(value, wanted)));
  };
}

function existsTest(slice: ElementNode, segments: readonly string[]): SliceTest | undefined {
  const node = nodeAt(slice, segments);
  if (!node || segments.length === 0) return undefined;
  if (node.min >= 1) return async (item) => valuesAt(item.value, segments).length > 0;
  if (node.max === 0) return async (item) => valuesAt(item.value, segments).length === 0;
  return undefined;
}

function typeTest(slice: ElementNode, segments: readonly string[]): SliceTest | undefined {
  const node = nodeAt(slice, segments);
  if (!node || node.typeCodes.length === 0) return undefined;
  const codes = node.typeCodes;
  if (segments.length === 0) return async (item) => item.typeCode !== undefined && codes.includes(item.typeCode);
  // Below the item, only a resource says its type in the JSON.
  return async (item) => valuesAt(item.value, segments).some((value) => {
    const type = (value as { resourceType?: unknown }).resourceType;
    return typeof type === 'string' && codes.includes(type);
  });
}

function profileTest(slice: ElementNode, segments: readonly string[], conforms: Conforms): SliceTest | undefined {
  const node = nodeAt(slice, segments);
  const profiles = (node?.element.type ?? []).flatMap((t) => t.profile ?? []);
  if (profiles.length === 0) return undefined;
  return async (item) => {
    for (const value of valuesAt(item.value, segments)) {
      for (const profile of profiles) if (await conforms(value, profile)) return true;
    }
    return false;
  };
}

function discriminatorTest(slice: ElementNode, discriminator: Discriminator, conforms: Conforms): SliceTest | undefined {
  const segments = segmentsOf(discriminator.path);
  if (segments === undefined) return undefined;
  switch (discriminator.type) {
    case 'value':
    case 'pattern':
      return valueTest(slice, segments);
    case 'exists':
      return existsTest(slice, segments);
    case 'type':
      return typeTest(slice, segments);
    case 'profile':
      return profileTest(slice, segments, conforms);
    default:
      return undefined;
  }
}

/** One test per slice of `node` (all its discriminators hold), or what makes the slicing unsupported. */
export function sliceMatcher(node: ElementNode, conforms: Conforms): SliceMatcher {
  const discriminators = node.slicing?.discriminator ?? [];
  if (discriminators.length === 0) return { unsupported: 'slicing without discriminator' };
  const tests: SliceTest[] = [];
  for (const slice of node.slices) {
    const parts: SliceTest[] = [];
    for (const discriminator of discriminators) {
      const test = discriminatorTest(slice, discriminator, conforms);
      if (!test) return { unsupported: `discriminator ${discriminator.type ?? '?'}:${discriminator.path ?? '?'} of slice ${slice.sliceName ?? slice.id}` };
      parts.push(test);
    }
    tests.push(async (item) => {
      for (const part of parts) if (!(await part(item))) return false;
      return true;
    });
  }
  return { tests };
}
