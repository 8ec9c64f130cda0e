/**
 * The default log destination is buffered, yet no line waits long: an error
 * line is written before the call returns, and any line within about a
 * second, even when the process is then killed without a chance to flush
 * (kill -9). The child says when it has logged; it is killed right then, or a
 * few seconds later.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const LOGGER = new URL('./logger.ts', import.meta.url).pathname;

/** Runs a child that logs, tells stderr "logged", then idles; resolves with its stdout once it is killed `afterMs` after "logged". */
function logThenKill(script: string, afterMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const code = `import { createLogger } from ${JSON.stringify(LOGGER)};\n${script}\nprocess.stderr.write('logged\\n');\nsetInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('logged')) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

test('an error line is on stdout before the call returns, even if the process is killed right after', async () => {
  const out = await logThenKill("const log = createLogger('info'); await new Promise((r) => setTimeout(r, 200)); log.error({ code: 'x' }, 'boom');", 0);
  assert.match(out, /"msg":"boom"/);
});

test('an ordinary line is on stdout within about a second, buffered or not', async () => {
  const out = await logThenKill("const log = createLogger('info'); await new Promise((r) => setTimeout(r, 200)); log.info('quiet');", 3000);
  assert.match(out, /"msg":"quiet"/);
});
