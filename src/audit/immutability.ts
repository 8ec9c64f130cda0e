/**
 * AuditEvents are append-only (issue #4; IHE BALP: an audit repository does
 * not let records change): no create, update, patch or delete of an
 * AuditEvent through any API — REST, batch, transaction or import. Socle's
 * own recorder writes them straight to the store (chained-recorder.ts).
 */
import { fail } from '../core/errors.js';
import type { WriteHook } from '../fhir/rest/write-hooks.js';

/** A 405 names what the address still serves (RFC 9110 §15.5.6): reading and searching. */
const READ_ONLY = { headers: { allow: 'GET, HEAD' } };

export const auditEventsImmutable: WriteHook = {
  types: ['AuditEvent'],
  async beforeWrite() {
    throw fail('audit.immutable', {}, READ_ONLY);
  },
  async beforeDelete() {
    throw fail('audit.immutable', {}, READ_ONLY);
  },
};
