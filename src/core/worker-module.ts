/**
 * Starts a worker thread on a module beside the caller's: the `.js` file once
 * built, the `.ts` file when running from the sources (tests, through tsx).
 * From the sources a worker does not inherit tsx's loader hooks (Node 20), so
 * it registers them before loading its module.
 */
import { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const moduleUrl = new URL(`./${baseName}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(moduleUrl, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
