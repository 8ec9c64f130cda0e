/**
 * Throughput of `directory import` (issue #3: at least 20,000 directory lines
 * per second on SQLite; the national personne-activité extract has about two
 * million lines). Generates N synthetic lines in the published
 * PS_LibreAcces layout (professionals with one to three practice situations,
 * practices shared by several professionals, a third at FINESS sites), imports
 * them in-process through the FHIR engine into a fresh store, then imports
 * the same file again (the unchanged re-import of a daily extract).
 *
 * Run alone: `node --import tsx bench/directory-import.ts [--lines N] [--backend sqlite|postgres]`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { importFile } from '../src/cli/import-command.js';
import type { Config } from '../src/config/settings.js';
import { mapPersonGroup } from '../src/directory/map-extracts.js';
import { parsePsActivite, PS_ACTIVITE_REQUIRED, type PsActivite } from '../src/directory/ps-activite.js';
import { columnMap } from '../src/directory/ps-columns.js';
import { publicBaseUrl } from '../src/platform/create-engine.js';
import type { Platform } from '../src/platform/create-platform.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { directoryModule, findDirectoryModule } from '../src/directory/index.js';
import { luhnValid } from '../src/directory/identifiers.js';
import { r4Schema } from '../src/fhir/definitions/schema.js';
import { createPlatform } from '../src/platform/create-platform.js';
import { createLogger } from '../src/server/observability/logger.js';
import { openStore } from '../src/storage/open-store.js';

export interface DirectoryBenchOptions {
  readonly lines?: number;
  /** A PostgreSQL URL; SQLite in a temporary folder when absent. */
  readonly databaseUrl?: string;
  readonly log?: (message: string) => void;
}

export interface DirectoryBenchResult {
  readonly lines: number;
  readonly resources: number;
  readonly firstImportLinesPerSecond: number;
  readonly reimportLinesPerSecond: number;
  /** The same resources loaded by `socle import` (NDJSON, one PUT each) into a fresh store: the engine's own pace. */
  readonly engineResourcesPerSecond: number;
  /** firstImportLinesPerSecond × resources per line ÷ engineResourcesPerSecond: 1 means the import adds nothing to the engine's cost. */
  readonly engineShare: number;
}

const HEADER = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|";
const FAMILIES = ['MARTIN', 'BERNARD', 'THOMAS', 'PETIT', 'ROBERT', 'RICHARD', 'DURAND', 'DUBOIS', 'MOREAU', 'LAURENT', 'SIMON', 'MICHEL'];
const GIVEN = ['Camille', 'Léa', 'Hugo', 'Louis', 'Chloé', 'Jules', 'Inès', 'Adam', 'Manon', 'Lucas'];
const PROFESSIONS: readonly [string, string][] = [['10', 'Médecin'], ['60', 'Infirmier'], ['70', 'Masseur-Kinésithérapeute'], ['21', 'Pharmacien'], ['50', 'Sage-Femme']];
const CITIES: readonly [string, string, string][] = [['69003', '69383', 'Lyon'], ['13008', '13208', 'Marseille'], ['59000', '59350', 'Lille'], ['44000', '44109', 'Nantes']];

/** The digit that makes `body + digit` pass the Luhn check. */
function withKey(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

function structureFields(n: number): string[] {
  const [postal, insee, city] = CITIES[n % CITIES.length]!;
  const atFiness = n % 3 === 0;
  const siret = withKey(`8${String(n).padStart(12, '0')}`);
  const finess = atFiness ? withKey(`69${String(n).padStart(6, '0')}`) : '';
  const name = atFiness ? `CENTRE HOSPITALIER ${n}` : `CABINET ${n}`;
  return [siret, siret.slice(0, 9), finess, atFiness ? withKey('69000000') : '', atFiness ? `F${finess}` : `C${siret}`, name, name, '', '', String(1 + (n % 90)), '', 'R', 'Rue',
    `DE LA REPUBLIQUE ${n}`, '', `${postal} ${city.toUpperCase()}`, postal, insee, city, '', '', `04${String(n).padStart(8, '0')}`, '', '', '', postal.slice(0, 2), '',
    atFiness ? `1${finess}` : `3${siret}`, 'ARS/ARS/ARS', atFiness ? 'SA01' : 'SA08', atFiness ? 'Etablissement public de santé' : 'Cabinet de groupe', '', ''];
}

/** N lines of a synthetic personne-activité extract. */
export function syntheticExtract(lines: number): string {
  const out = [HEADER];
  const structures = Math.max(1, Math.floor(lines / 4));
  let person = 0;
  while (out.length - 1 < lines) {
    const rpps = withKey(`1${String(person).padStart(9, '0')}`);
    const [profession, label] = PROFESSIONS[person % PROFESSIONS.length]!;
    const situations = 1 + (person % 3);
    for (let s = 0; s < situations && out.length - 1 < lines; s++) {
      const specialty = profession === '10' ? ['S', 'Spécialité ordinale', 'SM54', 'Médecine générale'] : ['', '', '', ''];
      const fields = ['8', rpps, `8${rpps}`, profession === '10' ? 'DR' : '', profession === '10' ? 'Docteur' : '', 'M', 'Monsieur',
        FAMILIES[person % FAMILIES.length]!, GIVEN[person % GIVEN.length]!, profession, label, 'C', 'Civil', ...specialty,
        s === 0 ? 'L' : 'S', s === 0 ? 'Libéral' : 'Salarié', ...structureFields((person * 7 + s * 13) % structures)];
      out.push(`${fields.join('|')}|`);
    }
    person += 1;
  }
  return `${out.join('\n')}\n`;
}

/** The resources the import makes of an extract, as NDJSON (for the engine reference run). */
function resourcesNdjson(extract: string): string {
  const [header = '', ...rows] = extract.trimEnd().split('\n');
  const columns = columnMap(header, PS_ACTIVITE_REQUIRED, 'bench');
  const byPerson = new Map<string, PsActivite[]>();
  for (const row of rows) {
    const parsed = parsePsActivite(columns.split(row), columns);
    if (parsed.ok) byPerson.set(parsed.record.idNatPs, [...(byPerson.get(parsed.record.idNatPs) ?? []), parsed.record]);
  }
  const unique = new Map<string, string>();
  for (const group of byPerson.values()) for (const r of mapPersonGroup(group)) unique.set(`${String(r.resourceType)}/${String(r.id)}`, JSON.stringify(r));
  return `${[...unique.values()].join('\n')}\n`;
}

async function withPlatform<T>(databaseUrl: string | undefined, work: (platform: Platform, folder: string, config: Config) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'socle-directory-bench-'));
  let database: string | undefined;
  let url = '';
  if (databaseUrl) {
    // A fresh database per run, as the tests do.
    database = `socle_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const u = new URL(databaseUrl);
    u.pathname = `/${database}`;
    url = u.toString();
  }
  const config = loadConfig({}, { dataDir: folder, databaseUrl: url, logLevel: 'silent', demo: 'off' });
  const store = await openStore(config);
  const platform = await createPlatform({ config, store, schema: r4Schema(), clock: systemClock, logger: createLogger('silent') }, [directoryModule]);
  try {
    return await work(platform, folder, config);
  } finally {
    await platform.close();
    await store.close();
    await rm(folder, { recursive: true, force: true });
    if (database && databaseUrl) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }
}

/** Imports a synthetic extract twice into a fresh store, and its resources once through `socle import` into another. */
export async function runDirectoryImportBench(options: DirectoryBenchOptions = {}): Promise<DirectoryBenchResult> {
  const lines = options.lines ?? 50_000;
  const log = options.log ?? ((m: string) => console.error(m));
  const extract = syntheticExtract(lines);
  const runs = await withPlatform(options.databaseUrl, async (platform, folder) => {
    const file = join(folder, 'PS_LibreAcces_Personne_activite_bench.txt');
    await writeFile(file, extract);
    const directory = findDirectoryModule(platform.modules);
    const first = await directory.importExtract(file);
    log(`directory import: ${lines} lines, ${first.counts.created} resources in ${first.seconds.toFixed(1)} s`);
    const second = await directory.importExtract(file);
    log(`directory re-import (unchanged): ${second.seconds.toFixed(1)} s`);
    return { first, second };
  });
  const engineSeconds = await withPlatform(options.databaseUrl, async (platform, folder, config) => {
    const file = join(folder, 'directory-resources.ndjson');
    await writeFile(file, resourcesNdjson(extract));
    const started = performance.now();
    // No principal: the engine's own pace, without access control or audit per resource, as the directory's bulk PUT.
    const report = await importFile(platform.engine, file, publicBaseUrl(config), { principal: null });
    if (report.rejected > 0) throw new Error(`engine reference: ${report.rejected} resources rejected, first: ${report.rejections[0]?.reason ?? '?'}`);
    return (performance.now() - started) / 1000;
  });
  const resources = runs.first.counts.created;
  const engineResourcesPerSecond = Math.round(resources / engineSeconds);
  log(`engine reference (socle import of the same ${resources} resources): ${engineSeconds.toFixed(1)} s`);
  const firstImportLinesPerSecond = Math.round(lines / runs.first.seconds);
  return {
    lines, resources, firstImportLinesPerSecond,
    reimportLinesPerSecond: Math.round(lines / runs.second.seconds),
    engineResourcesPerSecond,
    engineShare: Number(((firstImportLinesPerSecond * (resources / lines)) / engineResourcesPerSecond).toFixed(2)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '50000' }, backend: { type: 'string', default: 'sqlite' } } });
  const databaseUrl = values.backend === 'postgres' ? (process.env.SOCLE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : undefined;
  const result = await runDirectoryImportBench({ lines: Number(values.lines), ...(databaseUrl ? { databaseUrl } : {}) });
  console.log(`${result.firstImportLinesPerSecond} lines/s (first import, ${result.resources} resources), ${result.reimportLinesPerSecond} lines/s (unchanged re-import); ` +
    `engine alone ${result.engineResourcesPerSecond} resources/s, directory import at ${result.engineShare} of the engine's pace`);
}
