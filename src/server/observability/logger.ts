/**
 * Structured JSON logs (pino). What may appear is decided here, once: method,
 * route path without its query string (search values can name patients),
 * status, duration, interaction and request id. Never bodies, never queries,
 * never headers that identify people.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** How long a buffered line may wait before it is written. */
const FLUSH_INTERVAL_MS = 1000;
/** pino's level of `error`: such lines are written at once. */
const ERROR_LEVEL = 50;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  // Buffered: one write per 4 KiB of lines rather than one per line, flushed every second,
  // at once after an error line (a crash must not take the line explaining it), and on exit.
  const buffered = destination ? undefined : pino.destination({ sync: false, minLength: 4096 });
  // SonicBoom refuses to flush before its file descriptor is open: nothing to write yet then.
  const flush = (): void => {
    try {
      buffered?.flush();
    } catch {
      // not ready yet
    }
  };
  // An error line is written before the call returns: a crash right after it must not take it.
  const flushNow = (): void => {
    try {
      buffered?.flushSync();
    } catch {
      flush();
    }
  };
  if (buffered) setInterval(flush, FLUSH_INTERVAL_MS).unref();
  return pino(
    {
      level,
      base: { service: 'socle' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // No request serializer: request objects are never logged whole, only the fields named above.
      serializers: { req: () => undefined, res: () => undefined },
      ...(buffered ? {
        hooks: {
          logMethod(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, logLevel: number) {
            method.apply(this, args);
            if (logLevel >= ERROR_LEVEL) flushNow();
          },
        },
      } : {}),
    },
    destination ?? buffered,
  );
}

/** The path of a URL without its query string. */
export function pathOnly(url: string): string {
  const question = url.indexOf('?');
  return question < 0 ? url : url.slice(0, question);
}

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const METHODS: readonly LogMethod[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * A request's logger, made only when the request logs something other than
 * its access line: Fastify would otherwise build a pino child on every request.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= parent.child(bindings));
  const lazy: Record<string, unknown> = {
    child: (more: Record<string, unknown>) => real().child(more),
    get level() {
      return parent.level;
    },
    set level(value: string) {
      real().level = value;
    },
    isLevelEnabled: (level: string) => parent.isLevelEnabled(level),
    flush: () => parent.flush?.(),
  };
  for (const method of METHODS) {
    lazy[method] = (...args: unknown[]) => {
      if (!parent.isLevelEnabled(method)) return;
      (real()[method] as (...a: unknown[]) => void)(...args);
    };
  }
  return lazy as unknown as Logger;
}
