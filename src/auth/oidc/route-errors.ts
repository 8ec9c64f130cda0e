/**
 * The auth module's routes outside the provider answer errors as the rest
 * of Socle does: a catalogued FhirError becomes an OperationOutcome with its
 * status (core/operation-outcome.ts, the one mapping); anything else is a bug,
 * logged without data, answered 500. The routes sit in an encapsulated plugin
 * with this handler, so that they do not depend on what the app sets later.
 */
import type { FastifyInstance } from 'fastify';
import { fail, FhirError, isFhirError } from '../../core/errors.js';
import { pickLanguage } from '../../core/i18n/translate.js';
import { operationOutcome } from '../../core/operation-outcome.js';

export function withCatalogueErrors(app: FastifyInstance, register: (scope: FastifyInstance) => void | Promise<void>): void {
  // Not awaited: an awaited register would load the plugin queue now and fix the root's error handler before buildApp sets it.
  app.register(async (scope) => {
    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const language = pickLanguage(request.headers['accept-language']);
      let known: FhirError | undefined = isFhirError(error) ? error : undefined;
      if (!known && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) known = fail('body.invalid-json', { reason: error.message });
      if (!known) {
        request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unexpected error');
        known = fail('server.internal', { requestId: request.id });
      }
      return reply.code(known.status).headers(known.headers).header('content-type', 'application/fhir+json; charset=utf-8')
        .send(JSON.stringify(operationOutcome(known.issues, language)));
    });
    await register(scope);
  });
}
