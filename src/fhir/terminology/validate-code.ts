/**
 * What ValueSet/$validate-code and CodeSystem/$validate-code share
 * (valueset-operation-validate-code.html, codesystem-operation-validate-code.html):
 * reading the coded value (code with its system, a coding, or a
 * codeableConcept: "one (and only one)"), checking a display, and the
 * Parameters answer (result, message, display).
 *
 * A display that does not match is result = false, with a message giving the
 * expected one: the operation says "result: True if the concept details
 * supplied are valid", and the display is one of the details supplied (R4
 * has no separate warning channel for it). The comparison ignores case and
 * runs of whitespace ("Whether displays are case sensitive is code system
 * dependent", and R4 code systems do not say), and accepts any designation.
 */
import { fail } from '../../core/errors.js';
import { translate, type Language, type MessageParams } from '../../core/i18n/translate.js';
import type { MessageKey } from '../../core/i18n/messages.js';
import type { FhirResponse } from '../rest/types.js';
import type { ExpandedCode } from './expanded-code.js';
import type { OperationInput } from './operation-input.js';
import { parametersResponse } from './operation-target.js';
import type { Coding, Json } from './types.js';

export interface Verdict {
  readonly valid: boolean;
  readonly message?: string;
  readonly display?: string;
}

/**
 * The codings of the request (one, or a codeableConcept's: valid when one of
 * them is); `systemName`: the parameter giving the system of a bare code, if any.
 */
export function codedValue(input: OperationInput, systemName: string | undefined, versionName: string): Coding[] {
  const code = input.string('code');
  const coding = input.coding('coding');
  const concept = input.codeableConcept('codeableConcept');
  const given = [code, coding, concept].filter((v) => v !== undefined).length;
  if (given !== 1) throw fail('terminology.parameter-one-of', { operation: input.operation, names: 'code, coding, codeableConcept' });
  const display = input.string('display');
  if (code !== undefined) {
    const system = systemName === undefined ? undefined : input.string(systemName);
    // "If a code is provided, a system … must be provided".
    if (systemName !== undefined && system === undefined) throw fail('terminology.parameter-missing', { operation: input.operation, name: systemName });
    const version = input.string(versionName);
    return [{ code, ...(system !== undefined ? { system } : {}), ...(version !== undefined ? { version } : {}), ...(display !== undefined ? { display } : {}) }];
  }
  if (coding !== undefined) {
    if (coding.code === undefined) throw fail('terminology.parameter-missing', { operation: input.operation, name: 'coding.code' });
    return [display !== undefined && coding.display === undefined ? { ...coding, display } : coding];
  }
  const codings = (concept?.coding ?? []).filter((c) => c.code !== undefined);
  if (codings.length === 0) throw fail('terminology.parameter-missing', { operation: input.operation, name: 'codeableConcept.coding.code' });
  return codings;
}

function folded(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether `display` names the code: its display or one of its designations. */
export function displayMatches(display: string, entry: ExpandedCode): boolean {
  const wanted = folded(display);
  const names = [entry.display, ...(entry.designation ?? []).map((d) => d.value)].filter((n): n is string => n !== undefined);
  return names.length === 0 || names.some((n) => folded(n) === wanted);
}

/** The verdict on a code found where it was looked for: valid unless abstract where refused, or displayed wrongly. */
export function verdictOnMember(entry: ExpandedCode, coding: Coding, abstractAllowed: boolean, language: Language): Verdict {
  const shown = entry.display !== undefined ? { display: entry.display } : {};
  const params = { system: entry.system, code: entry.code };
  if (entry.abstract && !abstractAllowed) return { valid: false, message: translate('terminology.validate.abstract', params, language), ...shown };
  if (coding.display !== undefined && !displayMatches(coding.display, entry)) {
    return {
      valid: false,
      message: translate('terminology.validate.display-wrong', { ...params, display: coding.display, expected: entry.display ?? '' }, language),
      ...shown,
    };
  }
  return { valid: true, ...shown };
}

export function invalid(key: MessageKey, params: MessageParams, language: Language): Verdict {
  return { valid: false, message: translate(key, params, language) };
}

/** The answer: valid if one coding is; the messages of the failures otherwise. */
export function validationResponse(verdicts: readonly Verdict[]): FhirResponse {
  const valid = verdicts.find((v) => v.valid);
  const chosen = valid ?? verdicts.find((v) => v.display !== undefined);
  const messages = valid ? [] : verdicts.flatMap((v) => (v.message !== undefined ? [v.message] : []));
  const parameter: Json[] = [{ name: 'result', valueBoolean: valid !== undefined }];
  if (messages.length > 0) parameter.push({ name: 'message', valueString: messages.join(' ') });
  if (chosen?.display !== undefined) parameter.push({ name: 'display', valueString: chosen.display });
  return parametersResponse('validate-code', parameter);
}
