/**
 * One line of the MSSanté mailbox extract of the directory
 * ("Extraction_Correspondance_MSSante"): a mailbox (address, type of
 * TRE_R257 / JDV_J139: PER, ORG, APP, CAB) and its holder, a professional
 * (PER, CAB: idNat_PS) or a structure (ORG, APP: structure identifier), with
 * the service it belongs to (reference §2.4, §5). The column list is the one
 * the directory publishes (31 columns); how "Type identifiant structure" and
 * "Identification Structure" combine into idNat_Struct is UNCONFIRMED: we
 * accept an identifier already prefixed by its type, else prefix it.
 */
import type { MailboxType } from './fhir-builders.js';
import { organizationId, practitionerId } from './identifiers.js';
import { problem, type Parsed } from './line-problem.js';
import type { ColumnMap } from './ps-columns.js';

export const MSSANTE_REQUIRED = ['Type de BAL', 'Adresse BAL', 'Identification nationale PP', 'Type identifiant structure', 'Identification Structure'] as const;

export interface MssMailbox {
  /** "Practitioner/<id>" or "Organization/<id>": the resource whose telecom lists the mailbox. */
  readonly holder: string;
  readonly address: string;
  readonly type: MailboxType;
  readonly service?: string;
}

const TYPES: readonly string[] = ['PER', 'ORG', 'APP', 'CAB'];
// RFC 5322 in its common form: local@domain with a dot in the domain.
const ADDRESS = /^[^\s@|]+@[^\s@|]+\.[^\s@|]+$/;

/** Length of each TRE_G08 type's own identifier: ADELI rang, FINESS, SIREN, SIRET, RPPS rang (reference §0). */
const RAW_LENGTH: Readonly<Record<string, number>> = { '0': 11, '1': 9, '2': 9, '3': 14, '4': 13 };

/**
 * The structure's idNat_Struct: its identifier prefixed by its type, unless it is prefixed already. Told apart
 * by length, not by the first character: a FINESS number of the departments 10 to 19 starts with "1" as its
 * prefix does (130786049 is 1130786049), a SIRET often with "3".
 */
export function idNatStruct(kind: string, id: string): string {
  if (kind === '') return id;
  if (id.length === RAW_LENGTH[kind]) return kind + id;
  return id.startsWith(kind) ? id : kind + id;
}

export function parseMssMailbox(fields: readonly string[], c: ColumnMap): Parsed<MssMailbox> {
  if (fields.length !== c.count) return problem('directory.line.field-count', { found: fields.length, expected: c.count });
  const type = c.get(fields, 'Type de BAL');
  if (!TYPES.includes(type)) return problem('directory.line.invalid-code', { field: 'Type de BAL', value: type });
  const address = c.get(fields, 'Adresse BAL');
  if (!ADDRESS.test(address)) return problem('directory.line.invalid-code', { field: 'Adresse BAL', value: address });
  const service = c.get(fields, 'Service de rattachement');
  let holder: string;
  if (type === 'PER' || type === 'CAB') {
    const idNatPs = c.get(fields, 'Identification nationale PP');
    if (!/^[0-9][0-9A-Za-z]{8,20}$/.test(idNatPs)) return problem('directory.line.missing-field', { field: 'Identification nationale PP' });
    holder = `Practitioner/${practitionerId(idNatPs)}`;
  } else {
    const kind = c.get(fields, 'Type identifiant structure');
    const id = c.get(fields, 'Identification Structure');
    if (!/^[0-9A-Za-z]{6,40}$/.test(id)) return problem('directory.line.missing-field', { field: 'Identification Structure' });
    holder = `Organization/${organizationId(idNatStruct(kind, id))}`;
  }
  return { ok: true, record: { holder, address, type: type as MailboxType, ...(service ? { service } : {}) } };
}
