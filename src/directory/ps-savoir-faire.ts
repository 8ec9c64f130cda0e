/**
 * One line of "PS_LibreAcces_SavoirFaire" (Annuaire Santé public extraction):
 * one savoir-faire (ordinal specialty, competence, capacity…: JDV_J107,
 * typed by TRE_R04) of one professional.
 */
import { checkIdNatPs } from './ps-activite.js';
import { problem, type Parsed } from './line-problem.js';
import type { ColumnMap } from './ps-columns.js';

export const PS_SAVOIR_FAIRE_REQUIRED = [
  "Type d'identifiant PP", 'Identifiant PP', 'Identification nationale PP', 'Code type savoir-faire', 'Code savoir-faire',
] as const;

export interface PsSavoirFaire {
  readonly idNatPs: string;
  readonly type: string;
  readonly code: string;
  readonly display?: string;
}

export function parsePsSavoirFaire(fields: readonly string[], c: ColumnMap): Parsed<PsSavoirFaire> {
  if (fields.length !== c.count) return problem('directory.line.field-count', { found: fields.length, expected: c.count });
  const id = checkIdNatPs(c.get(fields, "Type d'identifiant PP"), c.get(fields, 'Identifiant PP'), c.get(fields, 'Identification nationale PP'));
  if (!id.ok) return id;
  const type = c.get(fields, 'Code type savoir-faire');
  if (!/^[A-Z]{1,6}$/.test(type)) return problem('directory.line.invalid-code', { field: 'Code type savoir-faire', value: type });
  const code = c.get(fields, 'Code savoir-faire');
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(code)) return problem('directory.line.invalid-code', { field: 'Code savoir-faire', value: code });
  const display = c.get(fields, 'Libellé savoir-faire');
  return { ok: true, record: { idNatPs: id.record, type, code, ...(display ? { display } : {}) } };
}
