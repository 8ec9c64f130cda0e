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
import { canonicalText, splitCanonical, type Coding, type ConceptMapResource, type Json } from './types.js';
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

/** The matches of `code` of `system` in one map. */
export function matchesIn(map: ConceptMapResource, system: string, code: string, direction: Direction): Match[] {
  const found: Match[] = [];
  const source = map.url !== undefined ? { source: canonicalText(map.url, map.version) } : {};
  for (const group of map.group ?? []) {
    const [from, to] = direction.reverse ? [group.target, group.source] : [group.source, group.target];
    if (from !== system || (direction.targetSystem !== undefined && to !== direction.targetSystem)) continue;
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
    const matches: Match[] = [];
    for (const { system, code } of codings) {
      if (system === undefined) throw fail('terminology.parameter-missing', { operation: OPERATION, name: 'system' });
      const maps = named ? [named] : await candidateMaps(context, source, system, input, reverse);
      for (const map of maps) matches.push(...matchesIn(map, system, code as string, direction));
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
