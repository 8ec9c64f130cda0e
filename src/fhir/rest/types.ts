/**
 * The FHIR engine's own request and response: plain data, no HTTP library.
 * The HTTP server adapts to these; batch entries, tests and the CLI build them
 * directly, so every path goes through the same code.
 */
import type { Language } from '../../core/i18n/translate.js';
import type { Principal } from '../../core/principal.js';
import type { BinaryPayload, StoredVersion } from '../../storage/contract.js';

export type FhirMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface FhirRequest {
  readonly method: FhirMethod;
  /** Path below the FHIR base, without leading slash: "", "metadata", "Patient/123/_history/2"… */
  readonly path: string;
  /** Query parameters in order, repeated names kept (AND semantics in search). */
  readonly query: readonly (readonly [string, string])[];
  readonly headers: FhirRequestHeaders;
  /** Parsed JSON body (resource, Bundle, Parameters or JSON Patch). */
  readonly body?: unknown;
  /** Raw payload of a Binary sent in its own content type. */
  readonly binary?: BinaryPayload & { readonly contentType: string };
  /** Public base URL of the FHIR API, e.g. http://127.0.0.1:8080/fhir */
  readonly baseUrl: string;
  readonly language: Language;
  /** Who asks, once the HTTP layer has checked the token; undefined for an anonymous request. */
  readonly principal?: Principal;
  /** The client's network address, for the audit trail. */
  readonly clientAddress?: string;
  /** The request id of the HTTP exchange, for the audit trail. */
  readonly requestId?: string;
}

export interface FhirRequestHeaders {
  readonly contentType?: string;
  readonly accept?: string;
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifNoneExist?: string;
  readonly prefer?: string;
  /** X-Security-Context of a raw Binary upload. */
  readonly securityContext?: string;
}

export type FhirBody =
  /** A resource or Bundle to serialise. */
  | { readonly kind: 'json'; readonly value: unknown }
  /** JSON text already serialised (a stored resource, an assembled Bundle). */
  | { readonly kind: 'text'; readonly text: string }
  /** Raw bytes of a Binary, streamed. */
  | { readonly kind: 'binary'; readonly contentType: string; readonly stream: AsyncIterable<Buffer> };

export interface FhirResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: FhirBody;
  /** For metrics and logs: the FHIR interaction served (read, search-type, transaction…). */
  readonly interaction: string;
  /** The versions this interaction read or wrote, for the audit trail (never sent). */
  readonly touched?: readonly StoredVersion[];
  /** What the audit record keeps as the request's query when the URL's is not all of it (an operation's posted parameters). */
  readonly auditQuery?: string;
}
