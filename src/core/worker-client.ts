/**
 * Requests to a worker thread and their answers, for the jobs Socle moves off
 * the event loop (the audit writer, SQLite checkpoints). The thread starts
 * with the first request and runs the module beside the caller's (see
 * `answerRequests`, worker-answers.ts, for its side). Requests are answered in
 * the order sent. An idle thread does not keep the process alive. If the
 * thread cannot start its job or dies, every request it held is rejected and
 * the next request starts a new thread. `close` lets the requests sent so far
 * finish, then stops the thread; later requests are rejected.
 */
import { Worker } from 'node:worker_threads';

export interface ErrorShape {
  readonly name: string;
  readonly message: string;
}

export type ToWorker<Body> = { readonly kind: 'request'; readonly id: number; readonly body: Body } | { readonly kind: 'close' };

export type FromWorker<Answer> =
  | { readonly kind: 'done'; readonly id: number; readonly answer: Answer }
  | { readonly kind: 'failed'; readonly id: number; readonly error: ErrorShape }
  /** The job could not start (its module threw, its connection could not open). */
  | { readonly kind: 'fatal'; readonly error: ErrorShape };

interface Waiting<Answer> {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

function asError(error: ErrorShape): Error {
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * A worker on the module `baseName` beside `callerUrl`: the `.js` file once
 * built, the `.ts` file when running from the sources (tests, through tsx).
 * From the sources a worker does not inherit tsx's loader hooks (Node 20), so
 * it registers them before loading its module.
 */
function startWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const moduleUrl = new URL(`./${baseName}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(moduleUrl, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class WorkerClient<Body, Answer> {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting<Answer>>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  /** `callerUrl` is the caller's import.meta.url; `workerData` must survive structured cloning. */
  constructor(
    private readonly callerUrl: string,
    private readonly baseName: string,
    private readonly workerData: unknown,
  ) {}

  request(body: Body): Promise<Answer> {
    if (this.closing) return Promise.reject(new Error(`${this.baseName} closed`));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ kind: 'request', id, body } satisfies ToWorker<Body>);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private start(): Worker {
    const worker = startWorker(this.callerUrl, this.baseName, this.workerData);
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: FromWorker<Answer>) => this.receive(worker, message));
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`${this.baseName} thread exited (code ${code})`)));
    return worker;
  }

  private receive(worker: Worker, message: FromWorker<Answer>): void {
    if (message.kind === 'fatal') {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(asError(message.error));
      void worker.terminate();
      return;
    }
    const waiting = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    // Idle, the thread must not keep the process alive; closing, it must until it has exited.
    if (this.waiting.size === 0 && !this.closing) worker.unref();
    if (message.kind === 'done') waiting?.resolve(message.answer);
    else waiting?.reject(asError(message.error));
  }

  private failAll(error: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of all) entry.reject(error);
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWorker<Body>);
    await exited;
  }
}
