/**
 * Requests Node's HTTP parser refuses before Fastify sees them: a URL and
 * headers beyond its limit (431), a request line or header it cannot read
 * (400), a request that does not arrive in time (408). They are answered, like
 * every other error, with an OperationOutcome (in French, the default: the
 * headers that would choose the language were not read), and the connection is
 * closed. https://nodejs.org/api/http.html#event-clienterror
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { fail, type FhirError } from '../../core/errors.js';
import { operationOutcome } from '../../core/operation-outcome.js';

function clientFailure(code: string | undefined): FhirError {
  if (code === 'HPE_HEADER_OVERFLOW') return fail('request.headers-too-large', { limit: maxHeaderSize });
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return fail('request.timeout');
  return fail('request.malformed');
}

/** Fastify's `clientErrorHandler`. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A connection reset: nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const failure = clientFailure(error.code);
    const body = JSON.stringify(operationOutcome(failure.issues));
    socket.write(`HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status] ?? ''}\r\nContent-Type: application/fhir+json; charset=utf-8\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
