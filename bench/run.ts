/**
 * `npm run bench`: Socle's figures beside a bare node:http server measured in
 * the same run with the same load generator (wrk, 1 thread, 10 connections),
 * as ../shared/bench/README.md describes. Writes docs/PERFORMANCE.md.
 *
 * Options: --patients N (default 100000), --duration S (default 10),
 * --backend sqlite|postgres (default sqlite; postgres needs SOCLE_BENCH_PG_URL
 * or a local server), --no-write (do not touch docs/PERFORMANCE.md),
 * --workloads a,b (only these HTTP workloads, in the usual order, and no
 * service figures: for investigating one figure; implies --no-write).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAccessCostBench } from './access-cost.js';
import { runDirectoryImportBench } from './directory-import.js';
import { matchingReport, runMatchingBench } from './matching.js';
import { benchPatient, NIR_SYSTEM, random, SURNAMES } from './patients.js';
import { writePerformanceReport, writeReportBlock, type Figure } from './report.js';

const { values: options } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'sqlite' },
    'no-write': { type: 'boolean', default: false },
    workloads: { type: 'string' },
    'directory-lines': { type: 'string', default: '20000' },
    'matching-persons': { type: 'string', default: '10000' },
  },
});
const PATIENTS = Number(options.patients);
const DURATION = Number(options.duration);
const BATCH = 500;

/** Node's arguments for the server as `npm start` runs it (package.json), V8 flags included: the benchmark measures that process. */
function startArguments(): string[] {
  const start = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start should run node, not: ${start}`);
  // For investigating a figure, e.g. SOCLE_BENCH_SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses --cpu-prof).
  const extra = process.env.SOCLE_BENCH_SERVER_ARGS?.trim();
  return extra ? [...extra.split(/\s+/), ...args] : args;
}

function step(message: string): void {
  process.stderr.write(`\n▶ ${message}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer in time`);
}

interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

function toMs(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function wrk(url: string, script: string, args: string[], seconds: number, connections = 10): WrkResult {
  const result = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url, '--', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { requestsPerSecond: rps, p50, p99, errors };
}

async function loadPatients(base: string, count: number): Promise<{ ids: string[]; identifiers: string[]; rate: number }> {
  const next = random(42);
  const ids: string[] = [];
  const identifiers: string[] = [];
  const started = performance.now();
  let done = 0;
  const batches = Math.ceil(count / BATCH);
  const concurrency = 2;
  let cursor = 0;
  const worker = async (): Promise<void> => {
    while (cursor < batches) {
      const batchIndex = cursor;
      cursor += 1;
      const entries = [];
      for (let i = batchIndex * BATCH; i < Math.min(count, (batchIndex + 1) * BATCH); i += 1) {
        const patient = benchPatient(i, next);
        identifiers.push(patient.identifier);
        entries.push({ resource: patient.resource, request: { method: 'POST', url: 'Patient' } });
      }
      const response = await fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', prefer: 'return=minimal', authorization: `Bearer ${process.env.BENCH_TOKEN ?? ''}` },
        body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: entries }),
      });
      const bundle = (await response.json()) as { entry?: { response?: { status?: string; location?: string } }[] };
      for (const entry of bundle.entry ?? []) {
        const location = entry.response?.location;
        if (!entry.response?.status?.startsWith('201') || !location) throw new Error(`import failed: ${JSON.stringify(entry)}`);
        ids.push(location.split('/')[location.split('/').indexOf('Patient') + 1] as string);
      }
      done += entries.length;
      if (done % 10_000 < BATCH) process.stderr.write(`  ${done.toLocaleString('en')} / ${count.toLocaleString('en')} patients\r`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  return { ids, identifiers, rate: count / seconds };
}

/** Stops the servers and waits until they have exited. */
async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill('SIGTERM');
  await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 30_000))]);
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}`;
}

async function preparePostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.SOCLE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `socle_bench_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function main(): Promise<void> {
  if (spawnSync('wrk', ['--version']).error) {
    console.error('wrk is required: install it with `apt-get install wrk` (Debian package).');
    process.exit(1);
  }
  step('Building (the server runs from dist/, as npm start does)');
  if (spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('npm run build failed');
  const folder = await mkdtemp(join(tmpdir(), 'socle-bench-'));
  const children: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;
  try {
    step('Starting the bare node:http reference and Socle (npm start equivalent)');
    const barePort = await freePort();
    children.push(spawn(process.execPath, [join(import.meta.dirname, 'bare-server.mjs'), String(barePort)], { stdio: 'ignore' }));
    const socklePort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(socklePort), HOST: '127.0.0.1', SOCLE_DATA_DIR: join(folder, 'data'), SOCLE_DEMO: 'off' };
    if (options.backend === 'postgres') {
      const database = await preparePostgres();
      env.SOCLE_DATABASE_URL = database.url;
      dropDatabase = database.drop;
    } else {
      delete env.SOCLE_DATABASE_URL;
    }
    children.push(spawn(process.execPath, startArguments(), { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    const bare = `http://127.0.0.1:${barePort}`;
    const socle = `http://127.0.0.1:${socklePort}`;
    await waitFor(bare);
    await waitFor(`${socle}/healthz`);
    // As production runs: every request carries an operator's bearer token, minted as README says (socle token --admin).
    const minted = spawnSync(process.execPath, ['bin/socle.js', 'token', '--admin', '--scope', 'system/*.cruds', '--ttl', '7200'], { env, encoding: 'utf8' });
    if (minted.status !== 0) throw new Error(`socle token failed: ${minted.stderr}`);
    process.env.BENCH_TOKEN = minted.stdout.trim();

    step(`Loading ${PATIENTS.toLocaleString('en')} patients through batch Bundles of ${BATCH}`);
    const loaded = await loadPatients(`${socle}/fhir`, PATIENTS);
    console.error(`  import: ${Math.round(loaded.rate).toLocaleString('en')} resources/s`);
    if (env.SOCLE_DATABASE_URL) {
      // What autovacuum does within a minute of a bulk load, done now so that the planner has statistics.
      const client = new pg.Client({ connectionString: env.SOCLE_DATABASE_URL });
      await client.connect();
      await client.query('VACUUM ANALYZE');
      await client.end();
    }

    const next = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const lists = {
      read: Array.from({ length: 20_000 }, () => `/fhir/Patient/${pick(loaded.ids)}`),
      'search-identifier': Array.from({ length: 20_000 }, () => `/fhir/Patient?identifier=${encodeURIComponent(`${NIR_SYSTEM}|${pick(loaded.identifiers)}`)}`),
      'search-name': Array.from({ length: 5_000 }, () => `/fhir/Patient?family=${pick(SURNAMES).slice(0, 4)}&birthdate=ge${1935 + Math.floor(next() * 90)}&_count=20`),
    };
    const figures: Figure[] = [];
    const randomPath = join(import.meta.dirname, 'wrk', 'random-path.lua');
    const createScript = join(import.meta.dirname, 'wrk', 'create-patient.lua');
    const workloads: { name: string; script: string; list?: string[]; target: Figure['target'] }[] = [
      { name: 'read', script: randomPath, list: lists.read, target: { ratio: 0.5 } },
      { name: 'create', script: createScript, target: { ratio: 0.2 } },
      { name: 'search-identifier', script: randomPath, list: lists['search-identifier'], target: { p99Ms: 15 } },
      { name: 'search-name', script: randomPath, list: lists['search-name'], target: { p99Ms: 40 } },
    ];
    const only = options.workloads?.split(',').map((name) => name.trim());
    for (const workload of workloads) {
      if (only && !only.includes(workload.name)) continue;
      step(`Workload ${workload.name}: bare reference, then Socle (${DURATION} s each after a warm-up)`);
      const args: string[] = [];
      if (workload.list) {
        const file = join(folder, `${workload.name}.txt`);
        await writeFile(file, `${workload.list.join('\n')}\n`);
        args.push(file);
      }
      wrk(bare, workload.script, args, 3);
      const reference = wrk(bare, workload.script, args, DURATION);
      wrk(socle, workload.script, args, 3);
      const measured = wrk(socle, workload.script, args, DURATION);
      const lowLoad = wrk(socle, workload.script, args, Math.max(3, DURATION / 2), 2);
      figures.push({ name: workload.name, socle: measured, bare: reference, lowLoad, target: workload.target });
      console.error(`  Socle ${Math.round(measured.requestsPerSecond)} req/s (p99 ${measured.p99.toFixed(2)} ms), bare ${Math.round(reference.requestsPerSecond)} req/s → ratio ${(measured.requestsPerSecond / reference.requestsPerSecond).toFixed(2)}`);
    }
    figures.push({ name: 'import', importRate: loaded.rate, target: { rate: options.backend === 'sqlite' ? 5000 : undefined } });

    const report = writePerformanceReport({ figures, machine: machine(), backend: options.backend ?? 'sqlite', patients: PATIENTS, date: new Date() });
    console.log(`\n${report.table}`);
    let document = report.document;
    if (only) return;
    // The in-process figures below must not share the cores with the servers (Socle's audit writer may still be catching up).
    await stopAll(children);
    if (options.backend !== 'postgres') {
      const httpRead = figures.find((f) => f.name === 'read')?.socle?.requestsPerSecond;
      document = await serviceFigures(document, httpRead);
    }
    if (!options['no-write']) {
      await writeFile(join(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md'), document);
      console.error('\ndocs/PERFORMANCE.md updated.');
    }
  } finally {
    await stopAll(children);
    await dropDatabase?.();
    await rm(folder, { recursive: true, force: true });
  }
}

/** The services' own figures (issues #3 and #4), measured in-process on the embedded store in the same run. */
async function serviceFigures(document: string, httpReadsPerSecond: number | undefined): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  step('Access control and audit on a read (in-process, same engine, alternated)');
  const access = await runAccessCostBench();
  // The same cost in time per read, and as a share of a read over HTTP at the rate wrk measured in this run
  // (the server is bound by its one event loop: a read's time there is 1 / its throughput).
  const costMicros = (1 / access.guarded - 1 / access.bare) * 1e6;
  const httpShare = httpReadsPerSecond ? (costMicros / 1e6) * httpReadsPerSecond : undefined;
  const keepsUp = httpReadsPerSecond === undefined || access.writerRate >= httpReadsPerSecond;
  const verdicts = [
    `${access.overhead <= 0.15 ? '✅' : '❌'} ≤ 15% of the in-process read`,
    ...(httpShare === undefined ? [] : [`${httpShare <= 0.15 ? '✅' : '❌'} of the HTTP read`]),
    `${keepsUp ? '✅' : '❌'} writer keeps up with HTTP reads`,
  ];
  const accessBlock = [
    `### Access control and audit on a read — ${date}`, '',
    '| reads | reads/s without | with access control | with access control and audit | cost of both per read | share of an in-process read | share of an HTTP read | cost of access control alone | audit writer, durable | target |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${access.reads} | ${Math.round(access.bare)} | ${Math.round(access.policyOnly)} | ${Math.round(access.guarded)} | ${costMicros.toFixed(1)} µs | **${(access.overhead * 100).toFixed(1)}%** | ${httpShare === undefined ? '—' : `**${(httpShare * 100).toFixed(1)}%**`} | ${(access.policyOverhead * 100).toFixed(1)}% | ${Math.round(access.writerRate)} records/s | ${verdicts.join('; ')} |`,
    '',
    'The request path pays the policy decision and the hand-over of its trace; the records are built, hashed, appended and flushed on the audit writer\'s thread, whose rate (until every record of the run was on disk) must stay above the rate reads are served at.',
  ].join('\n');
  console.log(`\n${accessBlock}`);
  step(`Directory import: ${Number(options['directory-lines']).toLocaleString('en')} synthetic PS_LibreAcces lines`);
  const directory = await runDirectoryImportBench({ lines: Number(options['directory-lines']), log: (m) => process.stderr.write(`  ${m}\n`) });
  const directoryBlock = [
    `### Directory import (SQLite) — ${date}`, '',
    '| lines | resources | first import | unchanged re-import | engine alone (same resources) | target |',
    '|---|---|---|---|---|---|',
    `| ${directory.lines} | ${directory.resources} | **${directory.firstImportLinesPerSecond} lines/s** | ${directory.reimportLinesPerSecond} lines/s | ${directory.engineResourcesPerSecond} resources/s | ${directory.firstImportLinesPerSecond >= 20_000 ? '✅' : '❌'} ≥ 20,000 lines/s |`,
  ].join('\n');
  console.log(`\n${directoryBlock}`);
  step(`Patient matching quality: ${Number(options['matching-persons']).toLocaleString('en')} generated records with injected errors`);
  const matching = runMatchingBench({ persons: Number(options['matching-persons']), seed: 20241 });
  const certain = matching.bands.find((b) => b.band === 'certain');
  const verdictLine = certain && certain.precision >= 0.99 && certain.recall >= 0.95 ? '✅ certain band: precision ≥ 0.99 at recall ≥ 0.95' : '❌ certain band below precision 0.99 / recall 0.95';
  const matchingBlock = [`### Patient matching — ${date}`, '', matchingReport(matching), '', verdictLine].join('\n');
  console.log(`\n${matchingBlock}`);
  let updated = writeReportBlock(document, 'access', accessBlock);
  updated = writeReportBlock(updated, 'directory', directoryBlock);
  return writeReportBlock(updated, 'matching', matchingBlock);
}

await main();
