/**
 * The answer a browser gets when a federated login is refused: the login
 * pages' own error page (DSFR, French unless the user chose English, the
 * catalogue's status). Clients that do not ask for HTML get the same error as
 * an OperationOutcome from the app's error handler, with its stable key.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorKey, FhirError } from '../../core/errors.js';
import { languageOf, sendErrorPage } from '../oidc/page-context.js';

export function wantsHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

export function sendRefusalPage(request: FastifyRequest, reply: FastifyReply, error: FhirError): FastifyReply {
  const issue = error.issues[0]!;
  // Every refusal here comes from fail(), whose keys are catalogued errors.
  return sendErrorPage(reply, issue.message as ErrorKey, languageOf(request), issue.params ?? {});
}
