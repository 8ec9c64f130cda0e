/**
 * Operators (administrators) and system clients: they hold `system/` scopes
 * (SMART App Launch 2.0, "system" context: backend services) and see every
 * resource those scopes name, without compartment restriction.
 */
import type { AccessPolicy } from './access-policy.js';

export const systemPolicy: AccessPolicy = {
  name: 'system',
  appliesTo: (principal) => principal.kind === 'operator' || principal.kind === 'system',
  restricts: () => false,
  visible: async () => true,
  mayWrite: async () => true,
  searchConditions: async () => undefined,
};
