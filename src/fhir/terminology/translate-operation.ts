/**
 * ConceptMap/$translate (http://hl7.org/fhir/R4/conceptmap-operation-translate.html):
 * the codes a code maps to, from the stored ConceptMaps and HL7's R4 ones.
 * The map is the instance, the one `url` (+conceptMapVersion) names, one
 * POSTed whole (conceptMap), or else every map with a group from the code's
 * system (to its target with reverse), narrowed by `source`/`target` (the
 * maps' value sets) and `targetsystem`; HL7's experimental example maps are
 * left out of that search. `reverse` reads the maps backwards, its
 * equivalences turned round (wider ↔ narrower, subsumes ↔ specializes).
 * result is true when one match is neither unmatched nor disjoint.
 * `dependency` is refused: Socle does not evaluate dependsOn.
 *
 * A source code that no element of a group maps (conceptmap-definitions.html#ConceptMap.group.unmapped;
 * not one mapped as unmatched) takes the group's `unmapped`: `provided`, the
 * code itself in the target system; `fixed`, the group's code (and display);
 * `other-map`, the matches of the ConceptMap `unmapped.url` names, followed
 * as far as it leads but never twice. R4 gives these no equivalence: the
 * code itself is taken as `equivalent`, a fixed code as `wider` (a catch-all
 * such as "other" covers more than the source). It applies forward only: it
 * says nothing of target codes.
 */
import { fail } from '../../core/errors.js';
import { translate } from '../../core/i18n/translate.js';
import type { FhirOperation, OperationContext } from '../rest/operations.js';
import type { FhirResponse } from '../rest/types.js';
import type { Hl7Terminology } from './hl7-terminology.js';
import { OperationInput } from './operation-input.js';
import { canonicalOf, parametersResponse, terminologySource } from './operation-target.js';
import { readStored, searchStored } from './stored-resources.js';
import type { TerminologySource } from './terminology-source.js';
import { canonicalText, splitCanonical, type Coding, type ConceptMapGroup, type ConceptMapResource, type Json } from './types.js';
import { codedValue } from './validate-code.js';

const OPERATION = '$translate';
const REVERSED: Readonly<Record<string, string>> = { wider: 'narrower', narrower: 'wider', subsumes: 'specializes', specializes: 'subsumes' };
const NO_MATCH = new Set(['unmatched', 'disjoint']);

export interface Match {
  readonly equivalence: string;
  readonly concept?: Coding;
  readonly source?: string;
}

interface Direction {
  readonly reverse: boolean;
  readonly targetSystem?: string;
}

function coding(system: string | undefined, version: string | undefined, code: string | undefined, display: string | undefined): Coding | undefined {
  if (code === undefined) return undefined;
  return { ...(system !== undefined ? { system } : {}), ...(version !== undefined ? { version } : {}), code, ...(display !== undefined ? { display } : {}) };
}

/** The ConceptMap an `other-map` names, for matchesIn; undefined when unknown. */
export type OtherMap = (canonical: string) => Promise<ConceptMapResource | undefined>;

function mapLabel(map: ConceptMapResource): string {
  return map.url !== undefined ? canonicalText(map.url, map.version) : 'ConceptMap';
}

/** The match of a source code that no element of `group` maps, by its `unmapped` (forward only); other-map is left to the caller. */
function unmappedMatch(group: ConceptMapGroup, code: string, source: { source?: string }): Match | undefined {
  const unmapped = group.unmapped;
  if (unmapped?.mode === 'provided') return { equivalence: 'equivalent', concept: coding(group.target, group.targetVersion, code, undefined) as Coding, ...source };
  if (unmapped?.mode === 'fixed' && unmapped.code !== undefined) {
    return { equivalence: 'wider', concept: coding(group.target, group.targetVersion, unmapped.code, unmapped.display) as Coding, ...source };
  }
  return undefined;
}

/**
 * The matches of `code` of `system` in one map, and through the maps its
 * groups' `unmapped` name (`otherMap` finds them; `seen`, the maps already
 * on the way, stops a cycle).
 */
export async function matchesIn(
  map: ConceptMapResource, system: string, code: string, direction: Direction, otherMap: OtherMap = async () => undefined, seen: ReadonlySet<string> = new Set(),
): Promise<Match[]> {
  const found: Match[] = [];
  const label = mapLabel(map);
  const on = new Set([...seen, label]);
  const source = map.url !== undefined ? { source: label } : {};
  for (const group of map.group ?? []) {
    const [from, to] = direction.reverse ? [group.target, group.source] : [group.source, group.target];
    if (from !== system || (direction.targetSystem !== undefined && to !== direction.targetSystem)) continue;
    if (!direction.reverse && !(group.element ?? []).some((e) => e.code === code)) {
      const fallback = unmappedMatch(group, code, source);
      if (fallback) found.push(fallback);
      else if (group.unmapped?.mode === 'other-map' && group.unmapped.url !== undefined) found.push(...await viaOtherMap(group.unmapped.url, system, code, direction, otherMap, on));
      continue;
    }
    for (const element of group.element ?? []) {
      for (const target of element.target ?? []) {
        const equivalence = target.equivalence ?? 'equivalent';
        if (!direction.reverse && element.code === code) {
          const concept = coding(group.target, group.targetVersion, target.code, target.display);
          found.push({ equivalence, ...(concept ? { concept } : {}), ...source });
        } else if (direction.reverse && target.code === code) {
          const concept = coding(group.source, group.sourceVersion, element.code, element.display);
          found.push({ equivalence: REVERSED[equivalence] ?? equivalence, ...(concept ? { concept } : {}), ...source });
        }
      }
    }
  }
  return found;
}

async function viaOtherMap(canonical: string, system: string, code: string, direction: Direction, otherMap: OtherMap, seen: ReadonlySet<string>): Promise<Match[]> {
  const other = await otherMap(canonical);
  if (!other) throw fail('terminology.concept-map-unknown', { url: canonical });
  return seen.has(mapLabel(other)) ? [] : matchesIn(other, system, code, direction, otherMap, seen);
}

function mapValueSet(canonical: string | undefined, uri: string | undefined): string | undefined {
  const value = canonical ?? uri;
  return value === undefined ? undefined : splitCanonical(value).url;
}

/** The maps to search when none is named: stored ones first, HL7's non-experimental ones after. */
async function candidateMaps(context: OperationContext, source: TerminologySource, system: string, input: OperationInput, reverse: boolean): Promise<ConceptMapResource[]> {
  const stored = (await searchStored(context.dispatch, context.request, 'ConceptMap', [[reverse ? 'target-system' : 'source-system', system]])) as ConceptMapResource[];
  const storedUrls = new Set(stored.map((m) => m.url));
  const builtIn = source.builtInConceptMaps().filter((m) => m.experimental !== true && !storedUrls.has(m.url));
  const wantedSource = input.string('source');
  const wantedTarget = input.string('target');
  return [...stored, ...builtIn].filter((map) => {
    const [mapSource, mapTarget] = [mapValueSet(map.sourceCanonical, map.sourceUri), mapValueSet(map.targetCanonical, map.targetUri)];
    const [from, to] = reverse ? [mapTarget, mapSource] : [mapSource, mapTarget];
    return (wantedSource === undefined || from === splitCanonical(wantedSource).url) && (wantedTarget === undefined || to === splitCanonical(wantedTarget).url);
  });
}

async function namedMap(context: OperationContext, source: TerminologySource, input: OperationInput): Promise<ConceptMapResource | undefined> {
  if (context.target.id !== undefined) return (await readStored(context.dispatch, context.request, 'ConceptMap', context.target.id)) as ConceptMapResource;
  const inline = input.resource<ConceptMapResource>('conceptMap', 'ConceptMap');
  const url = input.string('url');
  if (inline !== undefined && url !== undefined) throw fail('terminology.parameter-one-of', { operation: OPERATION, names: 'url, conceptMap' });
  if (inline !== undefined || url === undefined) return inline;
  const canonical = canonicalOf(input, 'url', url, input.string('conceptMapVersion'));
  const found = await source.conceptMap(canonical.url, canonical.version);
  if (!found) throw fail('terminology.concept-map-unknown', { url: canonicalText(canonical.url, canonical.version) });
  return found;
}

function matchParameter(match: Match): Json {
  return {
    name: 'match',
    part: [
      { name: 'equivalence', valueCode: match.equivalence },
      ...(match.concept ? [{ name: 'concept', valueCoding: match.concept }] : []),
      ...(match.source !== undefined ? [{ name: 'source', valueUri: match.source }] : []),
    ],
  };
}

export function translateOperation(hl7: Hl7Terminology): FhirOperation {
  async function invoke(context: OperationContext): Promise<FhirResponse> {
    const input = OperationInput.read(context, OPERATION);
    if (input.has('dependency')) throw fail('operation.parameter-unsupported', { operation: OPERATION, name: 'dependency' });
    const codings = codedValue(input, 'system', 'version');
    const reverse = input.boolean('reverse') === true;
    const targetSystem = input.string('targetsystem');
    const direction: Direction = { reverse, ...(targetSystem !== undefined ? { targetSystem } : {}) };
    const source = terminologySource(hl7, context);
    const named = await namedMap(context, source, input);
    const otherMap: OtherMap = (canonical) => {
      const { url, version } = splitCanonical(canonical);
      return source.conceptMap(url, version);
    };
    const matches: Match[] = [];
    for (const { system, code } of codings) {
      if (system === undefined) throw fail('terminology.parameter-missing', { operation: OPERATION, name: 'system' });
      const maps = named ? [named] : await candidateMaps(context, source, system, input, reverse);
      for (const map of maps) matches.push(...await matchesIn(map, system, code as string, direction, otherMap));
    }
    const result = matches.some((m) => !NO_MATCH.has(m.equivalence));
    const first = codings[0] as Coding;
    return parametersResponse('translate', [
      { name: 'result', valueBoolean: result },
      ...(result ? [] : [{ name: 'message', valueString: translate('terminology.translate.none', { system: first.system, code: first.code }, context.request.language) }]),
      ...matches.map(matchParameter),
    ]);
  }
  return {
    name: 'translate',
    definition: 'http://hl7.org/fhir/OperationDefinition/ConceptMap-translate',
    types: ['ConceptMap'],
    instance: true,
    methods: ['GET', 'POST'],
    access: 'read',
    invoke,
  };
}
