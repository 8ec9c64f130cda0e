/**
 * The default log destination is buffered, yet no line waits long: a line is
 * on stdout within about a second, and an error line at once, even when the
 * process is then killed without a chance to flush (kill -9).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const LOGGER = new URL('./logger.ts', import.meta.url).pathname;

/** Runs a child that logs, then waits to be killed; resolves with what it wrote to stdout before SIGKILL after `killAfterMs`. */
function logThenKill(script: string, killAfterMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createLogger } from ${JSON.stringify(LOGGER)};\n${script}\nsetInterval(() => undefined, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('exit', () => resolve(out));
    setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
}

test('an error line is written at once, before anything could flush it', async () => {
  const out = await logThenKill("const log = createLogger('info'); setTimeout(() => log.error({ code: 'x' }, 'boom'), 300);", 600);
  assert.match(out, /"msg":"boom"/);
});

test('an ordinary line is written within about a second, buffered or not', async () => {
  const out = await logThenKill("const log = createLogger('info'); setTimeout(() => log.info('quiet'), 300);", 2000);
  assert.match(out, /"msg":"quiet"/);
});
