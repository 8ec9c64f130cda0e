/**
 * Binary resources are not in any compartment: their access follows the
 * resource named by Binary.securityContext (http://hl7.org/fhir/R4/binary.html#security):
 * "the server SHALL apply the same access rules to the Binary as to the
 * referenced resource". A Binary without one is for unrestricted principals
 * only, and so is one whose securityContext is on another server's base: the
 * rules of a resource this server does not hold cannot be applied here, and
 * those of the local resource with the same type and id are not its rules.
 */
import type { Principal } from '../../core/principal.js';
import type { StoreReader, StoredVersion } from '../../storage/contract.js';
import { referenceParts } from './access-policy.js';

type Visible = (principal: Principal, version: StoredVersion, baseUrl: string) => Promise<boolean>;

export async function binaryVisible(reader: StoreReader, principal: Principal, version: StoredVersion, baseUrl: string, visible: Visible): Promise<boolean> {
  const resource = JSON.parse(version.content ?? '{}') as { securityContext?: { reference?: unknown } };
  return contextVisible(reader, principal, resource.securityContext?.reference, baseUrl, visible);
}

/** For a Binary being written: its securityContext must be a resource the principal may see. */
export async function binaryWritable(reader: StoreReader, principal: Principal, resource: Record<string, unknown>, baseUrl: string, visible: Visible): Promise<boolean> {
  const reference = (resource.securityContext as { reference?: unknown } | undefined)?.reference;
  return contextVisible(reader, principal, reference, baseUrl, visible);
}

async function contextVisible(reader: StoreReader, principal: Principal, reference: unknown, baseUrl: string, visible: Visible): Promise<boolean> {
  const target = referenceParts(reference, baseUrl);
  if (!target || target.type === 'Binary') return false;
  const current = await reader.readCurrent(target.type, target.id);
  return current !== undefined && !current.deleted && visible(principal, current, baseUrl);
}
