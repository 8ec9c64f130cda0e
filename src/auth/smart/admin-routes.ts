/**
 * The auth module's own small API, beside the OpenID provider:
 *   POST /auth/clients  register an application (operators only)
 *   GET  /auth/clients  list applications, without secrets (operators only)
 *   POST /auth/launch   create an EHR launch context (professionals, operators):
 *                       {"patient": "<id>", "encounter"?: "<id>"} → {"launch": "…"}
 *                       for the app's launch URL
 * Callers present a Socle access token (Authorization: Bearer); errors are
 * catalogued OperationOutcomes like every other Socle error.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { FhirLookup } from '../accounts/fhir-lookup.js';
import type { ClientRegistry } from '../oidc/clients.js';
import type { LaunchContexts } from './launch-contexts.js';

export interface AdminRouteDeps {
  readonly clients: ClientRegistry;
  readonly launches: LaunchContexts;
  readonly lookup: FhirLookup;
  /** Verifies a Socle access token (signature, issuer, audience, expiry, revocation). */
  readonly verify: (token: string) => Promise<Principal | undefined>;
}

/** The subject reference of an Encounter, when it exists. */
async function encounterOf(lookup: FhirLookup, id: string): Promise<string | undefined> {
  const encounter = await lookup.get(`Encounter/${id}`);
  const reference = (encounter as { subject?: { reference?: unknown } } | undefined)?.subject?.reference;
  return typeof reference === 'string' ? reference : undefined;
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  async function principalOf(request: FastifyRequest): Promise<Principal> {
    const match = /^Bearer ([\w.~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    const principal = match ? await deps.verify(match[1]!) : undefined;
    if (!principal) throw fail('auth.token-missing', {}, { headers: { 'www-authenticate': 'Bearer' } });
    return principal;
  }

  async function operator(request: FastifyRequest): Promise<Principal> {
    const principal = await principalOf(request);
    if (principal.kind !== 'operator') throw fail('auth.operator-required');
    return principal;
  }

  function jsonBody(request: FastifyRequest): Record<string, unknown> {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('body.not-a-resource');
    return body as Record<string, unknown>;
  }

  app.post('/auth/clients', async (request, reply) => {
    await operator(request);
    const metadata = await deps.clients.register(jsonBody(request));
    return reply.code(201).header('cache-control', 'no-store').send(metadata);
  });

  app.get('/auth/clients', async (request, reply) => {
    await operator(request);
    return reply.header('cache-control', 'no-store').send({ clients: await deps.clients.list() });
  });

  app.post('/auth/launch', async (request, reply) => {
    const principal = await principalOf(request);
    if (principal.kind !== 'practitioner' && principal.kind !== 'operator') throw fail('auth.launch-invalid', { reason: 'only professionals and operators launch apps' });
    const body = jsonBody(request);
    const patient = body.patient;
    if (typeof patient !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(patient) || !(await deps.lookup.get(`Patient/${patient}`))) {
      throw fail('auth.launch-invalid', { reason: 'patient must be the id of an existing Patient' });
    }
    const encounter = body.encounter;
    // The encounter must be one of this patient's: the app gets it as the context of the patient it was given.
    if (encounter !== undefined && !(typeof encounter === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(encounter) && (await encounterOf(deps.lookup, encounter)) === `Patient/${patient}`)) {
      throw fail('auth.launch-invalid', { reason: 'encounter must be the id of an existing Encounter of the patient' });
    }
    const launch = await deps.launches.create({ patient, ...(typeof encounter === 'string' ? { encounter } : {}) }, principal.subject);
    return reply.code(201).header('cache-control', 'no-store').send({ launch });
  });
}
