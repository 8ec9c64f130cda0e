/** The shape of an error catalogue entry: the HTTP status and the FHIR issue type it answers with. */
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'invariant'
  | 'security' | 'login' | 'unknown' | 'expired' | 'forbidden' | 'suppressed' | 'processing' | 'not-supported'
  | 'duplicate' | 'multiple-matches' | 'not-found' | 'deleted' | 'too-long'
  | 'code-invalid' | 'extension' | 'too-costly' | 'business-rule' | 'conflict'
  | 'transient' | 'lock-error' | 'no-store' | 'exception' | 'timeout' | 'incomplete' | 'throttled' | 'informational';

export interface CatalogueEntry {
  readonly status: number;
  readonly type: IssueType;
}
