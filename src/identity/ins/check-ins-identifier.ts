/**
 * Checks one INS identifier as FR Core and the NIR rules define it:
 * system ↔ use ↔ type (fr-core-patient-ins slices), then the number itself
 * (reference §1.2: 13-character body + key = 97 − (body mod 97), Corsica
 * 2A/2B read as 19/18, provisional 7/8 numbers never an INS, months 01–12
 * or INSEE's pseudo-months 20–42 and 50 with a warning).
 */
import type { Issue } from '../../core/errors.js';
import { errorCatalogue, type ErrorKey } from '../../core/errors.js';
import type { MessageParams } from '../../core/i18n/translate.js';
import { INS_KIND_RULES, frTypeCodes, insKindOf, type FhirIdentifier } from './ins-identifier.js';
import { parseInsNumber, type InsNumberParts } from './nir.js';

/** INSEE's pseudo-months for an incomplete civil status (reference §1.2, UNCONFIRMED for the INS). */
export function isPseudoMonth(month: string): boolean {
  const n = Number(month);
  return (n >= 20 && n <= 42) || n === 50;
}

export function isCalendarMonth(month: string): boolean {
  const n = Number(month);
  return n >= 1 && n <= 12;
}

/** A catalogued issue: an error with the catalogue's type, or a warning. */
export function insIssue(key: ErrorKey, params: MessageParams, expression: string | readonly string[], severity: 'error' | 'warning' = 'error'): Issue {
  return { severity, type: errorCatalogue[key].type, message: key, params, expression: typeof expression === 'string' ? [expression] : expression };
}

export interface InsIdentifierCheck {
  readonly issues: readonly Issue[];
  /** The parts of the number when its form and key are right. */
  readonly parts?: InsNumberParts;
}

/**
 * Checks an identifier already known to be an INS (insKindOf). `path` is its
 * FHIRPath location, e.g. Patient.identifier[0]. No value appears in the
 * issues: an INS is personal data.
 */
export function checkInsIdentifier(identifier: FhirIdentifier, path = 'Patient.identifier[0]'): InsIdentifierCheck {
  const kind = insKindOf(identifier);
  if (!kind) return { issues: [insIssue('ins.not-an-ins', { system: identifier.system ?? '-' }, `${path}.system`)] };
  const rule = INS_KIND_RULES[kind];
  const issues: Issue[] = [];
  if (!identifier.use || !rule.uses.includes(identifier.use)) {
    issues.push(insIssue('ins.use-invalid', { kind: rule.typeCode, expected: rule.uses.join(' | '), actual: identifier.use ?? '-' }, `${path}.use`));
  }
  const types = frTypeCodes(identifier);
  if (types.some((code) => code !== rule.typeCode)) {
    issues.push(insIssue('ins.type-invalid', { expected: rule.typeCode, actual: types.join(', ') }, `${path}.type`));
  }
  const value = typeof identifier.value === 'string' ? identifier.value : '';
  const parsed = parseInsNumber(value);
  if (!parsed.ok) {
    issues.push(insIssue(`ins.number-${parsed.problem}`, {}, `${path}.value`));
    return { issues };
  }
  const { month } = parsed.parts;
  if (isPseudoMonth(month)) issues.push(insIssue('ins.pseudo-month', { month }, `${path}.value`, 'warning'));
  else if (!isCalendarMonth(month)) issues.push(insIssue('ins.number-month', { month }, `${path}.value`));
  return { issues, parts: parsed.parts };
}
