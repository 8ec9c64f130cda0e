/**
 * What every INSi-like call goes through before and after its own work
 * (reference §1.4: unitary calls by an authenticated professional or
 * structure): the caller must be a professional or a system, the client's
 * rate is limited, and the call is audited once, whatever its outcome, with
 * neither the INS nor any trait in the entry (the register holds no FHIR
 * Patient, so `patients` and `entities` stay empty). The engine records every
 * request that carries a principal (fhir/rest/audit-trail.ts: an operation's
 * path names no entity, its answer touches no stored resource); a call
 * without one never reaches the engine's trail, so it is recorded here.
 */
import { fail } from '../../core/errors.js';
import { SYSTEM_PRINCIPAL, type Principal, type PrincipalKind } from '../../core/principal.js';
import type { OperationContext } from '../../fhir/rest/operations.js';
import type { FhirResponse } from '../../fhir/rest/types.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * The caller, when it may use the teleservice: a professional (CPx card) or a
 * structure's system (legal-entity certificate), as INSi admits (reference
 * §1.4), and the platform operator, whose token is a system token of the
 * structure running Socle (`socle token --admin`, the README's first call).
 * 401 without a principal; 403 for a patient, who has no teleservice access.
 */
const CALLERS: ReadonlySet<PrincipalKind> = new Set(['practitioner', 'system', 'operator']);

export function checkCaller(principal: Principal | undefined): Principal {
  if (!principal) throw fail('insi.principal-required');
  if (!CALLERS.has(principal.kind)) throw fail('insi.principal-forbidden');
  return principal;
}

/** The operator's administration and Socle's own work are not a care structure's calls: no bucket (README, SOCLE_INSI_RATE). */
function unlimited(principal: Principal): boolean {
  return principal === SYSTEM_PRINCIPAL || principal.kind === 'operator';
}

/**
 * The gate of a verification a Patient write makes on its author's behalf
 * (identity-vigilance): the same bucket as the client's $ins-* calls, so that
 * writes are no way round the limit, and no INSi verdict for a patient's own
 * token. Socle's own work (no principal, or SYSTEM_PRINCIPAL: demo data, `socle import`) and the
 * platform operator's administration are not INSi calls of a care structure
 * and pass.
 */
export function writeVerificationGate(limiter: RateLimiter): (principal: Principal | undefined) => void {
  return (principal) => {
    if (!principal || unlimited(principal)) return;
    checkCaller(principal);
    const wait = limiter.take(principal.clientId);
    if (wait !== undefined) throw fail('insi.rate-limited', { retryAfter: wait }, { headers: { 'retry-after': String(wait) } });
  };
}

/** The audit entry of a call refused for want of a principal: no one to name, nothing touched. */
function recordAnonymous(context: OperationContext, name: string): void {
  const { deps, request } = context;
  deps.audit.record({
    action: 'E',
    interaction: `operation:${name}`,
    outcome: '4',
    outcomeDescription: 'insi.principal-required',
    patients: [],
    entities: [],
    recorded: deps.clock.now(),
    ...(request.clientAddress !== undefined ? { sourceAddress: request.clientAddress } : {}),
    ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
  });
}

/**
 * Runs one call of operation `name`: caller check, rate limit, then `work`
 * (which returns the answer's Parameters). A call without a principal is
 * refused (401) and audited here; every other outcome is audited by the engine.
 */
export async function insiCall(context: OperationContext, limiter: RateLimiter, name: string, work: () => Promise<Record<string, unknown>>): Promise<FhirResponse> {
  if (!context.request.principal) recordAnonymous(context, name);
  const principal = checkCaller(context.request.principal);
  const wait = unlimited(principal) ? undefined : limiter.take(principal.clientId);
  if (wait !== undefined) throw fail('insi.rate-limited', { retryAfter: wait }, { headers: { 'retry-after': String(wait) } });
  const parameters = await work();
  return { status: 200, headers: {}, interaction: `operation:${name}`, body: { kind: 'json', value: parameters } };
}
