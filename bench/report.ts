/**
 * Formats benchmark figures and writes them into docs/PERFORMANCE.md between
 * markers (one block per backend), leaving the hand-written analysis around them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measured {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface Figure {
  readonly name: string;
  readonly socle?: Measured;
  readonly bare?: Measured;
  readonly lowLoad?: Measured;
  readonly importRate?: number;
  readonly target: { readonly ratio?: number; readonly p99Ms?: number; readonly rate?: number | undefined };
}

export interface ReportInput {
  readonly figures: readonly Figure[];
  readonly machine: string;
  readonly backend: string;
  readonly patients: number;
  readonly date: Date;
}

const round = (value: number): string => Math.round(value).toLocaleString('en');

function verdict(figure: Figure): string {
  const { target } = figure;
  if (figure.importRate !== undefined) return target.rate === undefined ? '—' : figure.importRate >= target.rate ? `✅ ≥ ${round(target.rate)}/s` : `❌ < ${round(target.rate)}/s`;
  if (!figure.socle || !figure.bare) return '—';
  if (figure.socle.errors > 0) return `❌ ${figure.socle.errors} errors`;
  if (target.ratio !== undefined) {
    const ratio = figure.socle.requestsPerSecond / figure.bare.requestsPerSecond;
    return ratio >= target.ratio ? `✅ ratio ≥ ${target.ratio}` : `❌ ratio < ${target.ratio}`;
  }
  if (target.p99Ms !== undefined) return figure.socle.p99 <= target.p99Ms ? `✅ p99 ≤ ${target.p99Ms} ms` : `❌ p99 > ${target.p99Ms} ms`;
  return '—';
}

function bar(ratio: number): string {
  const width = Math.max(0, Math.min(40, Math.round(ratio * 40)));
  return `${'█'.repeat(width)}${'░'.repeat(40 - width)} ${ratio.toFixed(2)}`;
}

export function writePerformanceReport(input: ReportInput): { table: string; document: string } {
  const rows = input.figures.map((f) => {
    if (f.importRate !== undefined) return `| ${f.name} | ${round(f.importRate)} resources/s | — | — | — | — | ${verdict(f)} |`;
    const socle = f.socle as Measured;
    const bare = f.bare as Measured;
    const ratio = socle.requestsPerSecond / bare.requestsPerSecond;
    return `| ${f.name} | ${round(socle.requestsPerSecond)} req/s | ${round(bare.requestsPerSecond)} req/s | **${ratio.toFixed(2)}** | ${socle.p50.toFixed(2)} / ${socle.p99.toFixed(2)} ms | ${f.lowLoad ? `${f.lowLoad.p50.toFixed(2)} / ${f.lowLoad.p99.toFixed(2)} ms` : '—'} | ${verdict(f)} |`;
  });
  const table = [
    '| workload | Socle | bare node:http | ratio | p50 / p99 (10 conn.) | p50 / p99 (2 conn.) | target |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const chart = input.figures
    .filter((f) => f.socle && f.bare)
    .map((f) => `${f.name.padEnd(18)} ${bar((f.socle as Measured).requestsPerSecond / (f.bare as Measured).requestsPerSecond)}`)
    .join('\n');
  const block = [
    `<!-- bench:${input.backend}:start -->`,
    `### ${input.backend === 'sqlite' ? 'Embedded store (SQLite)' : 'PostgreSQL'} — ${input.date.toISOString().slice(0, 10)}`,
    '',
    `Machine: ${input.machine}. Data: ${round(input.patients)} patients loaded through the API. Load: wrk, 1 thread, 10 connections (2 for the low-load latency), after a warm-up; the bare reference ran in the same run with the same scripts.`,
    '',
    table,
    '',
    'Throughput as a share of the bare server (1.00 = as fast as a server that does nothing):',
    '',
    '```',
    chart,
    '```',
    `<!-- bench:${input.backend}:end -->`,
  ].join('\n');

  const file = join(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
  let document = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n\n<!-- bench:sqlite:start -->\n<!-- bench:sqlite:end -->\n';
  const pattern = new RegExp(`<!-- bench:${input.backend}:start -->[\\s\\S]*?<!-- bench:${input.backend}:end -->`);
  document = pattern.test(document) ? document.replace(pattern, block) : `${document.trimEnd()}\n\n${block}\n`;
  return { table, document };
}

/** Replaces (or appends) the block between <!-- bench:<name>:start --> and its end marker. */
export function writeReportBlock(document: string, name: string, markdown: string): string {
  const block = `<!-- bench:${name}:start -->\n${markdown}\n<!-- bench:${name}:end -->`;
  const pattern = new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*?<!-- bench:${name}:end -->`);
  return pattern.test(document) ? document.replace(pattern, block) : `${document.trimEnd()}\n\n${block}\n`;
}
