/**
 * Binary resources are not in any compartment: their access follows the
 * resource named by Binary.securityContext (http://hl7.org/fhir/R4/binary.html#security):
 * "the server SHALL apply the same access rules to the Binary as to the
 * referenced resource". A Binary without one is for unrestricted principals only.
 */
import type { Principal } from '../../core/principal.js';
import type { StoreReader, StoredVersion } from '../../storage/contract.js';
import { referenceParts } from './access-policy.js';

export async function binaryVisible(
  reader: StoreReader, principal: Principal, version: StoredVersion,
  visible: (principal: Principal, version: StoredVersion) => Promise<boolean>,
): Promise<boolean> {
  const resource = JSON.parse(version.content ?? '{}') as { securityContext?: { reference?: unknown } };
  const target = referenceParts(resource.securityContext?.reference);
  if (!target || target.type === 'Binary') return false;
  const current = await reader.readCurrent(target.type, target.id);
  return current !== undefined && !current.deleted && visible(principal, current);
}

/** For a Binary being written: its securityContext must be a resource the principal may see. */
export async function binaryWritable(
  reader: StoreReader, principal: Principal, resource: Record<string, unknown>,
  visible: (principal: Principal, version: StoredVersion) => Promise<boolean>,
): Promise<boolean> {
  const target = referenceParts((resource.securityContext as { reference?: unknown } | undefined)?.reference);
  if (!target || target.type === 'Binary') return false;
  const current = await reader.readCurrent(target.type, target.id);
  return current !== undefined && !current.deleted && visible(principal, current);
}
