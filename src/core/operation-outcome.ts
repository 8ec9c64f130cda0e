/**
 * The one place where errors and issues become FHIR OperationOutcome resources
 * (http://hl7.org/fhir/R4/operationoutcome.html).
 * details.text speaks the negotiated language; the other language rides along in
 * the FHIR translation extension, and diagnostics always carries English for logs
 * and developers. details.coding carries the stable message key.
 */
import type { Issue, IssueSeverity, IssueType } from './errors.js';
import { LANGUAGES, translate, type Language } from './i18n/translate.js';
import type { MessageKey } from './i18n/messages.js';
import type { MessageParams } from './i18n/translate.js';

export const SOCLE_MESSAGE_SYSTEM = 'urn:socle:message';
const TRANSLATION_URL = 'http://hl7.org/fhir/StructureDefinition/translation';

export interface OperationOutcomeJson {
  resourceType: 'OperationOutcome';
  issue: Record<string, unknown>[];
}

function issueToJson(issue: Issue, language: Language): Record<string, unknown> {
  const other = LANGUAGES.filter((l) => l !== language);
  const text = translate(issue.message, issue.params, language);
  const json: Record<string, unknown> = {
    severity: issue.severity,
    code: issue.type,
    details: {
      coding: [{ system: SOCLE_MESSAGE_SYSTEM, code: issue.message }],
      text,
      _text: {
        extension: other.map((lang) => ({
          url: TRANSLATION_URL,
          extension: [
            { url: 'lang', valueCode: lang },
            { url: 'content', valueString: translate(issue.message, issue.params, lang) },
          ],
        })),
      },
    },
    diagnostics: translate(issue.message, issue.params, 'en'),
  };
  if (issue.expression && issue.expression.length > 0) json.expression = [...issue.expression];
  return json;
}

export function operationOutcome(issues: readonly Issue[], language: Language = 'fr'): OperationOutcomeJson {
  return { resourceType: 'OperationOutcome', issue: issues.map((i) => issueToJson(i, language)) };
}

/** An informational outcome, e.g. for a successful delete or $validate. */
export function informationOutcome(message: MessageKey, params: MessageParams = {}, language: Language = 'fr'): OperationOutcomeJson {
  return operationOutcome([{ severity: 'information', type: 'informational', message, params }], language);
}
