/** A progress bar on stderr for long commands; plain periodic lines when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, counts: Record<string, number>): void;
  stop(): void;
}

export function createProgress(total: number, unit: string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | {loaded} loaded, {rejected} rejected | {rate} ${unit}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 2000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { loaded: 0, rejected: 0, rate: 0 });
  return {
    update(done, counts) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(done, total), { ...counts, rate: Math.round(((counts.loaded ?? 0) + (counts.rejected ?? 0)) / seconds) });
    },
    stop() {
      bar.update(total);
      bar.stop();
    },
  };
}
