/**
 * Structured JSON logs (pino). What may appear is decided here, once: method,
 * route path without its query string (search values can name patients),
 * status, duration, interaction and request id. Never bodies, never queries,
 * never headers that identify people.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'socle' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: even if some code logs a request object, these never come out.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'body', 'query', 'resource', '*.body', '*.query'], remove: true },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

/** The path of a URL without its query string. */
export function pathOnly(url: string): string {
  const question = url.indexOf('?');
  return question < 0 ? url : url.slice(0, question);
}
