/**
 * The patients of a Group/[id]/$export (https://hl7.org/fhir/uv/bulkdata/export.html#endpoint---group-of-patients):
 * the Group's active members that are Patients (group.html: member.entity,
 * member.inactive), named relatively or on this server's base. Other members
 * (a Practitioner, a nested Group) are reported, not followed.
 */
import { isValidId } from '../../core/ids.js';

export interface GroupMembers {
  /** Patient ids, each once, in the Group's order. */
  readonly patients: readonly string[];
  /** References of members that are not Patients. */
  readonly others: readonly string[];
}

interface GroupJson {
  member?: { entity?: { reference?: unknown }; inactive?: unknown }[];
}

export function groupMembers(group: unknown, baseUrl: string): GroupMembers {
  const patients = new Set<string>();
  const others: string[] = [];
  for (const member of (group as GroupJson).member ?? []) {
    if (member.inactive === true) continue;
    const reference = member.entity?.reference;
    if (typeof reference !== 'string') continue;
    const relative = reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
    const match = /^Patient\/([^/]+)(\/_history\/[^/]+)?$/.exec(relative);
    if (match && isValidId(match[1] as string)) patients.add(match[1] as string);
    else others.push(reference);
  }
  return { patients: [...patients], others };
}
