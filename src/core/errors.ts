/**
 * The one catalogue of Socle's errors. Each entry names a message of the i18n
 * catalogue, the HTTP status it answers with, and the FHIR issue type
 * (http://hl7.org/fhir/R4/valueset-issue-type.html). The mapping to an
 * OperationOutcome lives in operation-outcome.ts and nowhere else.
 */
import type { MessageKey } from './i18n/messages.js';
import type { MessageParams } from './i18n/translate.js';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

import type { CatalogueEntry, IssueType } from './catalogue/entry.js';
import { auditErrors } from './catalogue/audit.js';
import { bulkErrors } from './catalogue/bulk.js';
import { authErrors } from './catalogue/auth.js';
import { directoryErrors } from './catalogue/directory.js';
import { identityErrors } from './catalogue/identity.js';
import { terminologyErrors } from './catalogue/terminology.js';

export type { IssueType } from './catalogue/entry.js';

const coreErrors = {
  'body.invalid-json': { status: 400, type: 'structure' },
  'body.duplicate-property': { status: 400, type: 'structure' },
  'body.missing': { status: 400, type: 'required' },
  'validation.mode-invalid': { status: 400, type: 'value' },
  'validation.delete-needs-id': { status: 400, type: 'required' },
  'body.not-a-resource': { status: 400, type: 'structure' },
  'body.too-large': { status: 413, type: 'too-long' },
  'body.invalid-utf8': { status: 400, type: 'structure' },
  'request.headers-too-large': { status: 431, type: 'too-long' },
  'request.malformed': { status: 400, type: 'structure' },
  'request.timeout': { status: 408, type: 'timeout' },
  'media.unsupported': { status: 415, type: 'not-supported' },
  'media.unsupported-charset': { status: 415, type: 'not-supported' },
  'media.not-acceptable': { status: 406, type: 'not-supported' },
  'type.unknown': { status: 404, type: 'not-supported' },
  'type.mismatch': { status: 400, type: 'invalid' },
  'id.invalid': { status: 400, type: 'value' },
  'id.mismatch': { status: 400, type: 'invalid' },
  'id.missing-in-update': { status: 400, type: 'required' },
  'resource.not-found': { status: 404, type: 'not-found' },
  'resource.version-not-found': { status: 404, type: 'not-found' },
  'resource.deleted': { status: 410, type: 'deleted' },
  'version.conflict': { status: 409, type: 'conflict' },
  'version.concurrent-update': { status: 409, type: 'conflict' },
  'version.mismatch': { status: 412, type: 'conflict' },
  'version.exists': { status: 412, type: 'duplicate' },
  'version.if-match-invalid': { status: 400, type: 'value' },
  'version.required': { status: 428, type: 'required' },
  'conditional.multiple-matches': { status: 412, type: 'multiple-matches' },
  'conditional.no-criteria': { status: 400, type: 'required' },
  'conditional.id-mismatch': { status: 400, type: 'invalid' },
  'conditional.id-exists': { status: 409, type: 'conflict' },
  'conditional.criteria-invalid': { status: 400, type: 'value' },
  'search.unknown-parameter': { status: 400, type: 'not-supported' },
  'search.invalid-value': { status: 400, type: 'value' },
  'search.unsupported-modifier': { status: 400, type: 'not-supported' },
  'search.unsupported-prefix': { status: 400, type: 'not-supported' },
  'search.chain-too-deep': { status: 400, type: 'not-supported' },
  'search.chain-invalid': { status: 400, type: 'invalid' },
  'search.invalid-sort': { status: 400, type: 'not-supported' },
  'search.invalid-include': { status: 400, type: 'invalid' },
  'search.invalid-cursor': { status: 400, type: 'invalid' },
  'search.invalid-control': { status: 400, type: 'value' },
  'search.too-costly': { status: 400, type: 'too-costly' },
  'search.too-many-values': { status: 400, type: 'too-costly' },
  'search.functional-list-unsupported': { status: 400, type: 'not-supported' },
  'search.ambiguous-reference': { status: 400, type: 'multiple-matches' },
  'bundle.invalid-type': { status: 400, type: 'invalid' },
  'bundle.entry-invalid': { status: 400, type: 'invalid' },
  'bundle.entry-failed': { status: 400, type: 'processing' },
  'bundle.duplicate-fullurl': { status: 400, type: 'duplicate' },
  'bundle.unresolved-reference': { status: 400, type: 'not-found' },
  'bundle.conditional-reference': { status: 412, type: 'multiple-matches' },
  'bundle.conditional-reference-none': { status: 412, type: 'not-found' },
  'bundle.batch-interdependent': { status: 400, type: 'business-rule' },
  'bundle.batch-conditional-reference': { status: 400, type: 'business-rule' },
  'reference.conditional-outside-transaction': { status: 400, type: 'business-rule' },
  'bundle.same-resource-twice': { status: 400, type: 'business-rule' },
  'operation.unknown': { status: 404, type: 'not-supported' },
  'operation.parameters-required': { status: 400, type: 'invalid' },
  'operation.parameter-repeated': { status: 400, type: 'invalid' },
  'operation.parameter-unsupported': { status: 400, type: 'not-supported' },
  'operation.parameter-required': { status: 400, type: 'required' },
  'operation.restricted': { status: 403, type: 'forbidden' },
  'patch.invalid': { status: 422, type: 'invalid' },
  'patch.narrative-unsafe': { status: 422, type: 'business-rule' },
  'patch.unsupported-type': { status: 415, type: 'not-supported' },
  'method.not-allowed': { status: 405, type: 'not-supported' },
  'metadata.mode-invalid': { status: 400, type: 'value' },
  'route.not-found': { status: 404, type: 'not-found' },
  'history.invalid-since': { status: 400, type: 'value' },
  'history.invalid-at': { status: 400, type: 'value' },
  'history.unknown-parameter': { status: 400, type: 'not-supported' },
  'binary.too-large': { status: 413, type: 'too-long' },
  'binary.security-context-invalid': { status: 400, type: 'value' },
  'server.internal': { status: 500, type: 'exception' },
  'server.unavailable': { status: 503, type: 'transient' },
  'server.timeout': { status: 503, type: 'timeout' },
} as const satisfies Partial<Record<MessageKey, CatalogueEntry>>;

/** Every error of Socle: the core's and each service area's (catalogue/). */
export const errorCatalogue = { ...coreErrors, ...identityErrors, ...directoryErrors, ...authErrors, ...auditErrors, ...terminologyErrors, ...bulkErrors };

export type ErrorKey = keyof typeof errorCatalogue;

/** One problem found, located by FHIRPath where it concerns content. */
export interface Issue {
  readonly severity: IssueSeverity;
  readonly type: IssueType;
  readonly message: MessageKey;
  readonly params?: MessageParams;
  /** FHIRPath expressions locating the problem, e.g. Patient.name[0].given[1]. */
  readonly expression?: readonly string[];
}

/**
 * The single error type of Socle. Everything that can go wrong for a client
 * becomes one; anything else thrown is a bug and answers 500 with no detail.
 */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issues: readonly Issue[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(issues[0]?.message ?? 'error');
    this.name = 'FhirError';
  }
}

export interface FailOptions {
  readonly expression?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** Builds the catalogued error for `key`. */
export function fail(key: ErrorKey, params: MessageParams = {}, options: FailOptions = {}): FhirError {
  const entry: CatalogueEntry = errorCatalogue[key];
  const issue: Issue = {
    severity: entry.status >= 500 ? 'fatal' : 'error',
    type: entry.type,
    message: key,
    params,
    ...(options.expression ? { expression: options.expression } : {}),
  };
  return new FhirError(entry.status, [issue], options.headers);
}

/** Validation problems: 400 when the content is not FHIR at all, 422 when FHIR rules are broken. */
export function validationFailure(issues: readonly Issue[]): FhirError {
  const structural = issues.some((i) => i.severity === 'error' && (i.type === 'structure' || i.type === 'value'));
  return new FhirError(structural ? 400 : 422, issues);
}

export function isFhirError(value: unknown): value is FhirError {
  return value instanceof FhirError;
}
