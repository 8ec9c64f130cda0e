/**
 * Quality of patient matching (issue #3): precision and recall of each grade
 * of scoreCandidate on generated identities with injected errors
 * (src/identity/matching/synthetic-identities.ts). Candidates come from the
 * same blocking keys $match searches with, read in memory, so blocking losses
 * count against recall. Not a timing benchmark.
 *
 * Run alone: `node --import tsx bench/matching.ts [--persons N] [--seed S]`.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { blockingQueries, blockMatches, indexedNamesOf, type BlockingQuery, type IndexedNames } from '../src/identity/matching/blocking.js';
import { scoreCandidate } from '../src/identity/matching/score.js';
import { generateIdentities, type ErrorKind } from '../src/identity/matching/synthetic-identities.js';
import { matchTraitsOf, type MatchTraits } from '../src/identity/matching/traits.js';

export type Band = 'certain' | 'probable' | 'possible';
const BANDS: readonly Band[] = ['certain', 'probable', 'possible'];

export interface BandFigures {
  /** This grade or a better one. */
  readonly band: Band;
  /** Pairs (query, candidate) graded so. */
  readonly predicted: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
}

export interface MatchingBenchResult {
  readonly persons: number;
  /** Records in the base: `persons`, and the pairs of syllable namesakes added to them. */
  readonly records: number;
  readonly seed: number;
  readonly queries: number;
  /** Queries that have a true match in the base. */
  readonly duplicates: number;
  /** Share of duplicates whose true match the blocking searches bring back. */
  readonly blockingRecall: number;
  /** Average number of candidates scored per query. */
  readonly candidatesPerQuery: number;
  readonly bands: readonly BandFigures[];
  /** Recall of "certain" for duplicates carrying each kind of error. */
  readonly certainRecallByError: Readonly<Partial<Record<ErrorKind | 'none', number>>>;
}

interface Record_ {
  readonly id: string;
  readonly names: IndexedNames;
  readonly traits: MatchTraits;
}

const rank: Record<Band, number> = { certain: 0, probable: 1, possible: 2 };

/**
 * Records by a condition every blocking query implies (its birth date or
 * year, or its first-name prefix), so that each query is checked against a
 * bucket instead of the whole base; blockMatches still decides.
 */
class BlockingIndex {
  private readonly byDate = new Map<string, Record_[]>();
  private readonly byGiven = new Map<string, Record_[]>();

  constructor(records: readonly Record_[]) {
    for (const record of records) {
      const date = record.names.birthDate ?? '';
      for (const key of new Set([date, date.slice(0, 4)])) this.add(this.byDate, key, record);
      const prefixes = new Set(record.names.givens.flatMap((g) => [g.slice(0, 2), g.slice(0, 3)]));
      for (const key of prefixes) this.add(this.byGiven, key, record);
    }
  }

  private add(map: Map<string, Record_[]>, key: string, record: Record_): void {
    const list = map.get(key) ?? [];
    list.push(record);
    map.set(key, list);
  }

  candidates(queries: readonly BlockingQuery[]): Record_[] {
    const found = new Set<Record_>();
    for (const query of queries) {
      const bucket = query.birthdate !== undefined ? this.byDate.get(query.birthdate) : query.givenPrefix !== undefined ? this.byGiven.get(query.givenPrefix) : undefined;
      for (const record of bucket ?? []) if (blockMatches(query, record.names)) found.add(record);
    }
    return [...found];
  }
}

export function runMatchingBench(options: { persons: number; seed: number }): MatchingBenchResult {
  const set = generateIdentities(options);
  const records: Record_[] = set.records.map((r) => ({ id: r.id as string, names: indexedNamesOf(r), traits: matchTraitsOf(r) }));
  const index = new BlockingIndex(records);
  const predicted = { certain: 0, probable: 0, possible: 0 };
  const truePositives = { certain: 0, probable: 0, possible: 0 };
  const byError = new Map<string, { total: number; certain: number }>();
  let duplicates = 0;
  let blocked = 0;
  let scored = 0;
  for (const query of set.queries) {
    const traits = matchTraitsOf(query.patient);
    const candidates = index.candidates(blockingQueries(traits));
    scored += candidates.length;
    let truthGrade: Band | undefined;
    for (const candidate of candidates) {
      const { grade } = scoreCandidate(traits, candidate.traits);
      if (grade === undefined) continue;
      const isTruth = candidate.id === query.truth;
      if (isTruth) truthGrade = grade;
      for (const band of BANDS) {
        if (rank[grade] > rank[band]) continue;
        predicted[band]++;
        if (isTruth) truePositives[band]++;
      }
    }
    if (query.truth === undefined) continue;
    duplicates++;
    if (candidates.some((c) => c.id === query.truth)) blocked++;
    for (const kind of query.errors.length > 0 ? query.errors : ['none']) {
      const entry = byError.get(kind) ?? { total: 0, certain: 0 };
      entry.total++;
      if (truthGrade === 'certain') entry.certain++;
      byError.set(kind, entry);
    }
  }
  const round = (n: number): number => Math.round(n * 10000) / 10000;
  return {
    persons: options.persons,
    records: set.records.length,
    seed: options.seed,
    queries: set.queries.length,
    duplicates,
    blockingRecall: round(blocked / duplicates),
    candidatesPerQuery: round(scored / set.queries.length),
    bands: BANDS.map((band) => ({
      band,
      predicted: predicted[band],
      truePositives: truePositives[band],
      precision: round(predicted[band] === 0 ? 1 : truePositives[band] / predicted[band]),
      recall: round(truePositives[band] / duplicates),
    })),
    certainRecallByError: Object.fromEntries([...byError].map(([k, v]) => [k, round(v.certain / v.total)])),
  };
}

/** The figures as Markdown lines, for the terminal and docs/PERFORMANCE.md. */
export function matchingReport(result: MatchingBenchResult): string {
  const lines = [
    `Patient matching quality: ${result.records} records, ${result.queries} queries (${result.duplicates} duplicates), seed ${result.seed}`,
    `Blocking recall ${result.blockingRecall}, ${result.candidatesPerQuery} candidates scored per query`,
    '',
    '| Grade (or better) | Pairs | True | Precision | Recall |',
    '|---|---|---|---|---|',
    ...result.bands.map((b) => `| ${b.band} | ${b.predicted} | ${b.truePositives} | ${b.precision} | ${b.recall} |`),
    '',
    '| Error injected | Recall of "certain" |',
    '|---|---|',
    ...Object.entries(result.certainRecallByError).map(([k, v]) => `| ${k} | ${v} |`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { persons: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20241' } } });
  const started = Date.now();
  const result = runMatchingBench({ persons: Number(values.persons), seed: Number(values.seed) });
  process.stdout.write(`${matchingReport(result)}\n\n(${Date.now() - started} ms)\n`);
}
