/**
 * The patients of a Group/[id]/$export (https://hl7.org/fhir/uv/bulkdata/export.html#endpoint---group-of-patients):
 * the Group's current members that are Patients (group.html: member.entity;
 * not member.inactive, and now within member.period), named relatively or on
 * this server's base. Other members (a Practitioner, a nested Group) are
 * reported, not followed.
 */
import { isValidId } from '../../core/ids.js';
import { dateRange } from '../indexing/values.js';

export interface GroupMembers {
  /** Patient ids, each once, in the Group's order. */
  readonly patients: readonly string[];
  /** References of members that are not Patients. */
  readonly others: readonly string[];
}

interface GroupJson {
  member?: { entity?: { reference?: unknown }; inactive?: unknown; period?: { start?: unknown; end?: unknown } }[];
}

/** Whether `now` is within a member's period, each bound at its own precision (an end of 2020-01-01 lasts the whole day). */
function withinPeriod(period: { start?: unknown; end?: unknown } | undefined, now: number): boolean {
  const start = typeof period?.start === 'string' ? dateRange(period.start) : undefined;
  const end = typeof period?.end === 'string' ? dateRange(period.end) : undefined;
  return (start === undefined || start.low <= now) && (end === undefined || end.high >= now);
}

export function groupMembers(group: unknown, baseUrl: string, now: number): GroupMembers {
  const patients = new Set<string>();
  const others: string[] = [];
  for (const member of (group as GroupJson).member ?? []) {
    if (member.inactive === true || !withinPeriod(member.period, now)) continue;
    const reference = member.entity?.reference;
    if (typeof reference !== 'string') continue;
    const relative = reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
    const match = /^Patient\/([^/]+)(\/_history\/[^/]+)?$/.exec(relative);
    if (match && isValidId(match[1] as string)) patients.add(match[1] as string);
    else others.push(reference);
  }
  return { patients: [...patients], others };
}
