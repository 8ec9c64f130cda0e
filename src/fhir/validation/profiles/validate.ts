/**
 * Validation of a resource against a profile (http://hl7.org/fhir/R4/profiling.html),
 * driven by the compiled snapshot (compile.ts) and nothing else: per element,
 * cardinality, fixed[x] and pattern[x] (match.ts), the types a choice may
 * take, required bindings (when the server's terminology can expand the
 * value set: otherwise a warning "not checked"), the profile's own error
 * invariants (invariants.ts, the engine the base validation uses), slicing
 * (slices.ts) and the profiles of extensions and data types. It runs after the
 * base validation, which it does not repeat. What it cannot check is said as
 * an issue naming the construct, never passed over in silence.
 */
import type { Issue, IssueSeverity, IssueType } from '../../../core/errors.js';
import type { MessageKey } from '../../../core/i18n/messages.js';
import type { MessageParams } from '../../../core/i18n/translate.js';
import type { FhirSchema } from '../../definitions/schema.js';
import { bindingViolation, type CodeSet } from '../bindings.js';
import { schemaIndex } from '../element-index.js';
import { invariantEngine } from '../invariants.js';
import type { CompiledProfile, ElementNode } from './compile.js';
import { matchesPattern, sameValue, shownValue } from './match.js';
import { sliceMatcher, type SliceItem } from './slices.js';

export type ProfileLookup =
  | { readonly kind: 'found'; readonly profile: CompiledProfile }
  /** A StructureDefinition without a snapshot: known, but not usable. */
  | { readonly kind: 'no-snapshot' }
  /** The base definition of a type: what the base validation checks, nothing more. */
  | { readonly kind: 'base'; readonly type: string }
  | { readonly kind: 'unknown' };

/** Where a validation finds the profiles it meets (extensions, data types) and the codes of value sets. */
export interface ProfileEnvironment {
  readonly schema: FhirSchema;
  profile(url: string): Promise<ProfileLookup>;
  /** The codes of a value set, or undefined when the server cannot expand it. */
  codeSet(valueSet: string): Promise<CodeSet | undefined>;
}

/** An element's value in the instance, with its primitive extension ("_name") and its location. */
interface Found extends SliceItem {
  readonly ext: unknown;
  readonly path: string;
}

const BINDABLE = new Set(['code', 'Coding', 'CodeableConcept', 'Quantity', 'string', 'uri']);
/** Profiles within profiles (an extension's extension's…): deeper is refused as unsupported. */
const MAX_DEPTH = 32;
/**
 * Values checked and slice tests run by one validation, sub-validations of
 * `profile` discriminators included. A profile naming its own canonical
 * twice as a type profile doubles the work at each of MAX_DEPTH levels, and a
 * stored StructureDefinition is any client's: past this the validation stops
 * with an error (too-costly), as it cannot say the resource conforms.
 */
export const MAX_STEPS = 100_000;

/** What remains of MAX_STEPS, shared by a validation and the walks it starts. */
interface Budget {
  left: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

class ProfileWalk {
  readonly issues: Issue[] = [];
  private depth = 0;

  constructor(private readonly env: ProfileEnvironment, private readonly resource: unknown, readonly budget: Budget = { left: MAX_STEPS }) {}

  /** Counts one step; false once the budget is spent (the caller stops there). */
  private step(): boolean {
    this.budget.left--;
    return this.budget.left >= 0;
  }

  /** Issues already said: a profile met again at the same place (a repeated type profile) says them once. */
  private readonly said = new Set<string>();

  private add(severity: IssueSeverity, type: IssueType, message: MessageKey, params: MessageParams, expression: string): void {
    const key = JSON.stringify([severity, message, params, expression]);
    if (this.said.has(key)) return;
    this.said.add(key);
    this.issues.push({ severity, type, message, params, expression: [expression] });
  }

  /** `value` (at `path`) against a whole profile: its root's own rules, then its elements. */
  async profile(value: unknown, typeCode: string, profile: CompiledProfile, path: string): Promise<void> {
    if (!this.step()) return;
    if (this.depth >= MAX_DEPTH) {
      this.add('warning', 'not-supported', 'profile.unsupported', { construct: 'profiles nested too deeply', name: path, profile: profile.url }, path);
      return;
    }
    this.depth++;
    for (const { construct, at } of profile.unsupported) {
      this.add('information', 'informational', 'profile.unsupported', { construct, name: at, profile: profile.url }, path);
    }
    await this.checks({ value, ext: undefined, typeCode, path }, profile.root, profile.url, true);
    this.depth--;
  }

  private async object(value: Record<string, unknown>, node: ElementNode, path: string, profile: string): Promise<void> {
    for (const child of node.children) await this.element(value, child, path, profile);
  }

  /** The values of one element of `object`: a choice's one form, or the array or single value with its "_name". */
  private found(object: Record<string, unknown>, node: ElementNode, path: string): Found[] {
    const items: Found[] = [];
    const keys: [string, string | undefined][] = [];
    if (node.name.endsWith('[x]')) {
      const stem = node.name.slice(0, -3);
      for (const key of Object.keys(object)) {
        if (key.length > stem.length && key.startsWith(stem) && /[A-Z]/.test(key.charAt(stem.length))) {
          const suffix = key.slice(stem.length);
          const lower = suffix.charAt(0).toLowerCase() + suffix.slice(1);
          keys.push([key, this.env.schema.isPrimitive(lower) ? lower : suffix]);
        }
      }
    } else {
      keys.push([node.name, undefined]);
    }
    for (const [key, typeCode] of keys) {
      const values = list(object[key]);
      const exts = list(object[`_${key}`]);
      const many = Array.isArray(object[key]) || Array.isArray(object[`_${key}`]);
      const count = Math.max(values.length, exts.length);
      for (let i = 0; i < count; i++) {
        const value = values[i] ?? undefined;
        const resourceType = isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : undefined;
        items.push({ value, ext: exts[i] ?? undefined, typeCode: typeCode ?? resourceType, path: many ? `${path}.${key}[${i}]` : `${path}.${key}` });
      }
    }
    return items;
  }

  private async element(object: Record<string, unknown>, node: ElementNode, path: string, profile: string): Promise<void> {
    const items = this.found(object, node, path);
    const name = node.name.endsWith('[x]') ? node.name.slice(0, -3) : node.name;
    const at = `${path}.${name}`;
    if (items.length < node.min) this.add('error', 'required', 'validation.min', { name, min: node.min }, at);
    if (items.length > node.max) this.add('error', 'invalid', 'validation.max', { name, count: items.length, max: node.max }, at);
    // An absent element still misses its required slices (the heart rate's vital-signs category).
    const sliced = node.slicing !== undefined && node.slices.length > 0 && (items.length > 0 || node.slices.some((s) => s.min > 0));
    const slices = sliced ? await this.slicing(items, node, at, profile) : [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Found;
      await this.checks(item, node, profile, false);
      const slice = slices[i];
      if (slice) await this.checks(item, slice, profile, false);
    }
  }

  /** The slice of each item (undefined: none), after the slices' cardinalities, closed and ordered slicing are checked. */
  private async slicing(items: readonly Found[], node: ElementNode, at: string, profile: string): Promise<(ElementNode | undefined)[]> {
    const matcher = sliceMatcher(node, (value, url) => this.conforms(value, url));
    const name = node.name;
    if ('unsupported' in matcher) {
      this.add('warning', 'not-supported', 'profile.unsupported', { construct: matcher.unsupported, name: node.id, profile }, at);
      return [];
    }
    const assigned: number[] = [];
    for (const item of items) {
      let index = -1;
      for (let s = 0; s < matcher.tests.length && index < 0 && this.step(); s++) if (await (matcher.tests[s] as (i: SliceItem) => Promise<boolean>)(item)) index = s;
      assigned.push(index);
    }
    node.slices.forEach((slice, s) => {
      const count = assigned.filter((a) => a === s).length;
      const sliceName = slice.sliceName ?? slice.id;
      if (count < slice.min) this.add('error', 'required', 'profile.slice-min', { slice: sliceName, name, min: slice.min, count, profile }, at);
      if (count > slice.max) this.add('error', 'invalid', 'profile.slice-max', { slice: sliceName, name, max: slice.max, count, profile }, at);
    });
    if (node.slicing?.rules === 'closed') {
      assigned.forEach((a, i) => {
        if (a < 0) this.add('error', 'invalid', 'profile.slice-closed', { name, profile }, (items[i] as Found).path);
      });
    }
    if (node.slicing?.ordered === true) {
      const matched = assigned.filter((a) => a >= 0);
      if (matched.some((a, i) => i > 0 && a < (matched[i - 1] as number))) this.add('error', 'invalid', 'profile.slice-order', { name, profile }, at);
    }
    return assigned.map((a) => (a >= 0 ? node.slices[a] : undefined));
  }

  /** Whether a value conforms to a profile (a `profile` discriminator): validated apart, no error. */
  private async conforms(value: unknown, url: string): Promise<boolean> {
    const found = await this.env.profile(url);
    if (found.kind === 'base') return isObject(value) && (value.resourceType === undefined || value.resourceType === found.type);
    if (found.kind !== 'found') return false;
    const walk = new ProfileWalk(this.env, this.resource, this.budget);
    walk.depth = this.depth + 1;
    await walk.profile(value, found.profile.type, found.profile, found.profile.type);
    return !walk.issues.some((i) => i.severity === 'error');
  }

  /** One value against one element definition (or a profile's root): type, value, binding, invariants, then its content. */
  private async checks(item: Found, node: ElementNode, profile: string, root: boolean): Promise<void> {
    if (!this.step()) return;
    const typeCode = item.typeCode ?? (node.typeCodes.length === 1 ? node.typeCodes[0] : undefined);
    const name = node.name;
    if (node.name.endsWith('[x]') && item.typeCode !== undefined && node.typeCodes.length > 0 && !node.typeCodes.includes(item.typeCode)) {
      this.add('error', 'invalid', 'profile.type', { type: item.typeCode, name, allowed: node.typeCodes.join(', '), profile }, item.path);
      return;
    }
    if (node.value) {
      const { kind, key, value } = node.value;
      const ok = kind === 'fixed' ? sameValue(item.value, value) : matchesPattern(item.value, value);
      if (!ok) this.add('error', 'invalid', kind === 'fixed' ? 'profile.fixed' : 'profile.pattern', { name: `${name} (${key})`, expected: shownValue(value), profile }, item.path);
    }
    const binding = node.element.binding;
    if (binding?.strength === 'required' && typeof binding.valueSet === 'string' && typeCode !== undefined && BINDABLE.has(typeCode) && item.value !== undefined) {
      await this.binding(binding.valueSet, typeCode, item, name);
    }
    if (node.constraints.length > 0 && typeCode !== undefined) this.invariants(item, node, typeCode, root);
    // A resource met inside (contained, Bundle.entry.resource) is another resource's business; the root is walked.
    if (isObject(item.value) && (root || item.value.resourceType === undefined)) await this.content(item, node, typeCode, profile);
  }

  private async binding(valueSet: string, typeCode: string, item: Found, name: string): Promise<void> {
    const set = await this.env.codeSet(valueSet);
    if (!set) {
      this.add('warning', 'not-supported', 'profile.binding-unchecked', { valueSet, name }, item.path);
      return;
    }
    const code = bindingViolation(set, typeCode === 'Quantity' ? 'Quantity' : typeCode, item.value);
    if (code !== undefined) this.add('error', 'code-invalid', 'validation.binding', { code, valueSet }, item.path);
  }

  private invariants(item: Found, node: ElementNode, typeCode: string, root: boolean): void {
    const index = schemaIndex(this.env.schema);
    const backbone = typeCode === 'BackboneElement' || typeCode === 'Element';
    // A backbone element's type in the model is its path without slices (Observation.component).
    const base = root ? typeCode : backbone ? node.path : typeCode;
    const type = index.type(base) ?? (this.env.schema.isPrimitive(typeCode) ? typeCode : undefined);
    if (type === undefined) return;
    const engine = invariantEngine(this.env.schema);
    const env = { resource: this.resource, rootResource: this.resource };
    for (const invariant of engine.prepare(node.constraints, base, typeof type === 'string' ? type : type.name)) {
      if (engine.holds(invariant, { value: item.value, ext: item.ext, type }, env)) continue;
      const { key, human } = invariant.constraint;
      this.add('error', 'invariant', 'validation.invariant', { key, human }, item.path);
    }
  }

  /** What is inside a complex value: the elements the snapshot unrolls, else the profiles its type names. */
  private async content(item: Found, node: ElementNode, typeCode: string | undefined, profile: string): Promise<void> {
    const value = item.value as Record<string, unknown>;
    if (node.children.length > 0) {
      await this.object(value, node, item.path, profile);
      return;
    }
    const type = (node.element.type ?? []).find((t) => t.code === typeCode);
    for (const url of type?.profile ?? []) {
      const found = await this.env.profile(url);
      if (found.kind === 'found') {
        await this.profile(value, typeCode ?? found.profile.type, found.profile, item.path);
      } else if (found.kind === 'base') {
        continue;
      } else if (found.kind === 'no-snapshot') {
        this.add('error', 'not-supported', 'profile.no-snapshot', { profile: url }, item.path);
      } else if (typeCode === 'Extension') {
        this.add('warning', 'not-supported', 'profile.extension-unknown', { url }, item.path);
      } else {
        this.add('warning', 'not-supported', 'profile.unsupported', { construct: `unknown type profile ${url}`, name: node.id, profile }, item.path);
      }
    }
  }

  /** Entry for a resource: its root element, whose children are the resource's elements. */
  async resourceAgainst(profile: CompiledProfile, path: string): Promise<void> {
    await this.profile(this.resource, profile.type, profile, path);
  }
}

/**
 * The issues of `resource` against `profile` (one whose type is the
 * resource's, checked by the caller). Never throws on any JSON value.
 */
export async function validateAgainstProfile(env: ProfileEnvironment, resource: unknown, profile: CompiledProfile): Promise<Issue[]> {
  const type = isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : profile.type;
  const walk = new ProfileWalk(env, resource);
  await walk.resourceAgainst(profile, type);
  if (walk.budget.left < 0) {
    walk.issues.push({ severity: 'error', type: 'too-costly', message: 'profile.too-costly', params: { profile: profile.url, limit: MAX_STEPS }, expression: [type] });
  }
  return walk.issues;
}
