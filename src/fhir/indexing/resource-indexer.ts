/**
 * Computes the search index values of a resource
 * (http://hl7.org/fhir/R4/search.html) from the search parameters of the
 * official definitions. Each parameter's expression is compiled once per
 * resource type, on first use, into closures that walk the JSON
 * (compile-path.ts); the rows are shaped per parameter type and element
 * datatype (extract-values.ts).
 */
import type { SearchParamType, SearchParameterDefinition } from '../definitions/model.js';
import type { FhirSchema } from '../definitions/schema.js';
import type { JsonObject } from './compile-expression.js';
import type { CompiledPath } from './compile-path.js';
import { compilePath } from './compile-path.js';
import type { Extractor } from './extract-values.js';
import { extractorFor, NAME_PARTS_BY_WORD, SEARCHABLE_TYPES, tokenFoldsCase } from './extract-values.js';
import { IndexCollector } from './index-collector.js';
import type { IndexSet, StringIndex } from './index-set.js';
import { branchTypes, plainBranches, stringCoverage } from './string-coverage.js';
import { contentText, narrativeText } from './text-content.js';
import { TypeModel } from './type-model.js';

export interface IndexingOptions {
  /** This server's base URL (e.g. "http://127.0.0.1:8080/fhir"): absolute references under it are local. */
  readonly baseUrl?: string;
}

/**
 * Stored as columns of the resource row, not as index rows; `_text`,
 * `_content` and `_query` have no expression (the first two are computed
 * by text-content.ts, `_query` names a named query).
 */
const NOT_INDEXED = new Set(['_id', '_lastUpdated', '_text', '_content', '_query']);

/** Drops the rows a covered parameter holds already (same value, outside composites): see string-coverage.ts. */
function withoutCovered(rows: StringIndex[], coverage: ReadonlyMap<string, readonly string[]>): StringIndex[] {
  if (coverage.size === 0 || rows.length < 2) return rows;
  // A resource has a few dozen string rows at most: pairwise comparison, no keys built.
  let kept: StringIndex[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as StringIndex;
    const covered = row.group === undefined ? coverage.get(row.param) : undefined;
    let held = false;
    if (covered !== undefined) {
      for (const other of rows) {
        if (other.group === undefined && other.norm === row.norm && other.exact === row.exact && other.part === row.part
          && other !== row && covered.includes(other.param)) {
          held = true;
          break;
        }
      }
    }
    if (held) kept ??= rows.slice(0, i);
    else kept?.push(row);
  }
  return kept ?? rows;
}

/** The index row name of component `index` (0-based, in definition order) of composite parameter `code`. */
export function componentParamName(code: string, index: number): string {
  return `${code}$${index}`;
}

export interface ComponentPlan {
  /** Row name, "<code>$<index>". */
  readonly param: string;
  /** The component's parameter type, corrected when the definitions give one its datatypes cannot have. */
  readonly type: SearchParamType;
  readonly path: CompiledPath;
  readonly extract: Extractor;
  /** A token component whose values are matched case-insensitively (extract-values.ts, tokenFoldsCase). */
  readonly foldsCase: boolean;
}

export interface ParameterPlan {
  readonly definition: SearchParameterDefinition;
  readonly path: CompiledPath;
  readonly extract: Extractor;
  readonly components?: readonly ComponentPlan[];
  /** A token parameter whose values are matched case-insensitively (extract-values.ts, tokenFoldsCase). */
  readonly foldsCase: boolean;
}

/** The parameter type that can index these datatypes, for a component whose declared type cannot. */
function inferParamType(declared: SearchParamType, types: readonly string[]): SearchParamType {
  const fits = (type: SearchParamType) => types.some((t) => SEARCHABLE_TYPES[type]?.has(t));
  if (types.length === 0 || fits(declared)) return declared;
  const candidates: SearchParamType[] = ['token', 'reference', 'quantity', 'date', 'number', 'string', 'uri'];
  return candidates.find(fits) ?? declared;
}

export class ResourceIndexer {
  private readonly model: TypeModel;
  private readonly plans = new Map<string, readonly ParameterPlan[]>();
  private readonly coverage = new Map<string, ReadonlyMap<string, readonly string[]>>();
  private readonly systemsByValueSet = new Map<string, ReadonlyMap<string, string | null>>();
  /** Reused between calls (index() is synchronous): the (value, type) pairs a path selected. */
  private readonly selected: unknown[] = [];
  /** One per component position, likewise reused. */
  private readonly componentSelections: unknown[][] = [];

  constructor(readonly schema: FhirSchema, private readonly options: IndexingOptions = {}) {
    this.model = new TypeModel(schema);
  }

  /**
   * The index rows of `resource` for every search parameter of its type,
   * including _tag, _profile, _security and _source (from meta), plus the
   * _text and _content texts. An unknown resource type yields an empty set.
   */
  /** The bases references are local to during the current index() call. */
  private bases: readonly string[] = [];

  /**
   * `requestBaseUrl`: the base the request arrived on; absolute references to
   * it are local, as are those to the configured base.
   */
  index(resource: Record<string, unknown>, requestBaseUrl?: string): IndexSet {
    this.bases = [this.options.baseUrl, requestBaseUrl].filter((b): b is string => b !== undefined && b !== '');
    const rows = new IndexCollector();
    const resourceType = resource.resourceType;
    if (typeof resourceType !== 'string' || !this.schema.isResourceType(resourceType)) return rows.rows;
    const selected = this.selected;
    let group = 0;
    for (const plan of this.plansFor(resourceType)) {
      const param = plan.definition.code;
      rows.startParameter();
      // Truncating an array is a runtime call: skip it when nothing was selected, the common case.
      if (selected.length !== 0) selected.length = 0;
      plan.path.select(resource, resourceType, resource, selected);
      if (plan.components) {
        for (let i = 0; i < selected.length; i += 2) {
          group++;
          this.indexComposite(rows, plan.components, group, selected[i], selected[i + 1] as string, resource);
        }
      } else {
        for (let i = 0; i < selected.length; i += 2) plan.extract(rows, param, selected[i], selected[i + 1] as string);
      }
    }
    if (selected.length !== 0) selected.length = 0;
    const string = withoutCovered(rows.rows.string, this.coverageFor(resourceType));
    return { ...rows.rows, string, text: { narrative: narrativeText(resource), content: contentText(resource) } };
  }

  /**
   * The index rows of a resource as stored (its JSON text): what a reindex
   * writes. The meta the server sets on each version (versionId,
   * lastUpdated) is left out, as it was not there yet when the write indexed
   * the resource. References are local when under the configured base only:
   * the base a write's request arrived on is not recorded.
   */
  indexStored(content: string): IndexSet {
    const resource = JSON.parse(content) as Record<string, unknown>;
    const meta = resource.meta as Record<string, unknown> | undefined;
    if (meta && typeof meta === 'object') {
      const { versionId: _versionId, lastUpdated: _lastUpdated, ...rest } = meta;
      if (Object.keys(rest).length > 0) resource.meta = rest;
      else delete resource.meta;
    }
    return this.index(resource);
  }

  /**
   * Whether a search on token parameter `param` ("code", or "code$i" for a
   * composite's component) matches case-insensitively: its values are stored
   * lower-cased, and the search lower-cases the code it looks for
   * (extract-values.ts, tokenFoldsCase).
   */
  tokenFoldsCase(resourceType: string, param: string): boolean {
    const dollar = param.indexOf('$');
    const code = dollar < 0 ? param : param.slice(0, dollar);
    const plan = this.plansFor(resourceType).find((p) => p.definition.code === code);
    if (!plan) return false;
    if (dollar < 0) return plan.foldsCase;
    return plan.components?.find((c) => c.param === param)?.foldsCase ?? false;
  }

  /**
   * Whether uri parameter `code` reads canonical elements (`_profile`:
   * meta.profile), whose values may end with "|version": a search by the url
   * alone then matches every version (search.html#versions). Other uri values
   * keep a "|" as part of the value.
   */
  uriReadsCanonicals(resourceType: string, code: string): boolean {
    const plan = this.plansFor(resourceType).find((p) => p.definition.code === code);
    return plan !== undefined && plan.definition.type === 'uri' && plan.path.types.includes('canonical');
  }

  /**
   * The string parameters whose rows a search on `code` must read too: those
   * it covers, whose values it holds and whose rows stand for its own
   * (string-coverage.ts). Codes, not qualified.
   */
  coveredParams(resourceType: string, code: string): readonly string[] {
    return this.coverageFor(resourceType).get(code) ?? [];
  }

  private coverageFor(resourceType: string): ReadonlyMap<string, readonly string[]> {
    let coverage = this.coverage.get(resourceType);
    if (!coverage) {
      const parameters = this.plansFor(resourceType)
        .filter((plan) => plan.definition.type === 'string' && !plan.components && plan.definition.expression)
        .map((plan) => ({ code: plan.definition.code, branches: plainBranches(plan.definition.expression as string, resourceType) }));
      coverage = stringCoverage(parameters, branchTypes((branch) => compilePath(this.model, branch, resourceType)));
      this.coverage.set(resourceType, coverage);
    }
    return coverage;
  }

  /**
   * One element of a composite parameter: each component's values, all in
   * the same group. A composite search needs every component to match, so
   * the group is skipped when a component selects nothing (checked before
   * any row is made), or dropped when its values yield no row.
   */
  private indexComposite(rows: IndexCollector, components: readonly ComponentPlan[], group: number,
    value: unknown, type: string, resource: JsonObject): void {
    const selections = this.componentSelections;
    for (let c = 0; c < components.length; c++) {
      let selected = selections[c];
      if (!selected) {
        selected = [];
        selections[c] = selected;
      } else if (selected.length !== 0) {
        selected.length = 0;
      }
      (components[c] as ComponentPlan).path.select(value, type, resource, selected);
      if (selected.length === 0) return;
    }
    const before = rows.snapshot();
    rows.group = group;
    for (let c = 0; c < components.length; c++) {
      const component = components[c] as ComponentPlan;
      const selected = selections[c] as unknown[];
      const size = rows.size();
      for (let i = 0; i < selected.length; i += 2) component.extract(rows, component.param, selected[i], selected[i + 1] as string);
      if (rows.size() === size) {
        rows.rollback(before);
        break;
      }
    }
    rows.group = undefined;
  }

  /** The compiled parameters of a resource type, built on first use. */
  plansFor(resourceType: string): readonly ParameterPlan[] {
    let plans = this.plans.get(resourceType);
    if (!plans) {
      plans = this.buildPlans(resourceType);
      this.plans.set(resourceType, plans);
    }
    return plans;
  }

  /** The components of a composite parameter as the indexer writes them, for the query side. */
  compositeComponents(resourceType: string, code: string): readonly { readonly param: string; readonly type: SearchParamType }[] {
    const plan = this.plansFor(resourceType).find((p) => p.definition.code === code);
    return (plan?.components ?? []).map(({ param, type }) => ({ param, type }));
  }

  private buildPlans(resourceType: string): ParameterPlan[] {
    const plans: ParameterPlan[] = [];
    for (const definition of this.schema.searchParameters(resourceType).values()) {
      if (NOT_INDEXED.has(definition.code) || !definition.expression || definition.type === 'special') continue;
      const path = compilePath(this.model, definition.expression, resourceType);
      if (path.empty) continue;
      if (definition.type === 'composite') {
        const components = this.buildComponents(definition, resourceType, path);
        if (components) plans.push({ definition, path, extract: extractorFor('composite'), components, foldsCase: false });
      } else {
        const foldsCase = definition.type === 'token' && tokenFoldsCase(path.types);
        const nameParts = definition.type === 'string' && this.selectsNameParts(definition.expression, resourceType);
        plans.push({ definition, path, extract: this.extractorFor(definition.type, path, foldsCase, nameParts), foldsCase });
      }
    }
    return plans;
  }

  private buildComponents(definition: SearchParameterDefinition, resourceType: string, path: CompiledPath): ComponentPlan[] | undefined {
    const components: ComponentPlan[] = [];
    for (const [index, component] of (definition.component ?? []).entries()) {
      const componentDefinition = this.schema.searchParameterByUrl(component.definition);
      if (!componentDefinition) return undefined;
      const componentPath = compilePath(this.model, component.expression, resourceType, path.types);
      const type = inferParamType(componentDefinition.type, componentPath.types);
      const foldsCase = type === 'token' && tokenFoldsCase(componentPath.types);
      components.push({
        param: componentParamName(definition.code, index),
        type,
        path: componentPath,
        extract: this.extractorFor(type, componentPath, foldsCase),
        foldsCase,
      });
    }
    return components.length > 0 ? components : undefined;
  }

  private extractorFor(type: SearchParamType, path: CompiledPath, foldCase: boolean, nameParts = false): Extractor {
    return extractorFor(type, { systemOfCode: this.systemOfCode(path.valueSets), baseUrls: () => this.bases, foldCase, nameParts });
  }

  /**
   * Whether a string parameter selects family or given names themselves
   * (Patient.name.family): every branch a plain path to such a part of a
   * HumanName. Their values are then indexed as names, word by word as well
   * (extract-values.ts, addName), as they are when a parameter selects the
   * whole HumanName (`name`), so that the rows `name` leaves to `family` and
   * `given` (string-coverage.ts) are the same.
   */
  private selectsNameParts(expression: string, resourceType: string): boolean {
    const branches = plainBranches(expression, resourceType);
    return branches !== undefined && branches.every((branch) => {
      const dot = branch.lastIndexOf('.');
      if (dot < 0 || !NAME_PARTS_BY_WORD.has(branch.slice(dot + 1))) return false;
      const types = compilePath(this.model, branch.slice(0, dot), resourceType).types;
      return types.length === 1 && types[0] === 'HumanName';
    });
  }

  /**
   * The code system of a bound `code` value, so that a token search with a
   * system (gender=http://hl7.org/fhir/administrative-gender|male) matches:
   * looked up in the required value sets of the elements the path lands on;
   * null when the code is not found or belongs to several systems.
   */
  private systemOfCode(valueSets: readonly string[]): (code: string) => string | null {
    if (valueSets.length === 0) return () => null;
    const systems = new Map<string, string | null>();
    for (const url of valueSets) {
      for (const [code, system] of this.systemsOf(url)) {
        const known = systems.get(code);
        systems.set(code, known === undefined || known === system ? system : null);
      }
    }
    return (code) => systems.get(code) ?? null;
  }

  private systemsOf(url: string): ReadonlyMap<string, string | null> {
    let systems = this.systemsByValueSet.get(url);
    if (!systems) {
      const map = new Map<string, string | null>();
      for (const [system, code] of this.schema.valueSet(url)?.codes ?? []) {
        const known = map.get(code);
        map.set(code, known === undefined || known === system ? system : null);
      }
      systems = map;
      this.systemsByValueSet.set(url, systems);
    }
    return systems;
  }
}
