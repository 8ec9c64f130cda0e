/**
 * SMART App Launch 2.0 discovery (https://hl7.org/fhir/smart-app-launch/conformance.html):
 * the JSON document at [FHIR base]/.well-known/smart-configuration, also
 * served at the server root for clients that look there. It points to the
 * OpenID provider's endpoints and says what Socle supports.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CLIENT_ASSERTION_ALGS, TOKEN_ENDPOINT_AUTH_METHODS } from '../oidc/clients.js';
import { OIDC_SCOPES } from './scopes.js';
import { registerSmartStyle } from './smart-style.js';

/**
 * The CapabilityStatement's rest.security for SMART on FHIR: the service code
 * and the oauth-uris extension (SMART App Launch 1.0 §conformance, still read
 * by clients that look at /metadata before .well-known).
 */
export function smartCapabilitySecurity(issuer: string): Record<string, unknown> {
  return {
    cors: true,
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }], text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)' }],
    extension: [{
      url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
      extension: [
        { url: 'authorize', valueUri: `${issuer}/auth` },
        { url: 'token', valueUri: `${issuer}/token` },
        { url: 'revoke', valueUri: `${issuer}/token/revocation` },
        { url: 'introspect', valueUri: `${issuer}/token/introspection` },
      ],
    }],
  };
}

export function smartConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    introspection_endpoint: `${issuer}/token/introspection`,
    revocation_endpoint: `${issuer}/token/revocation`,
    end_session_endpoint: `${issuer}/session/end`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    scopes_supported: [...OIDC_SCOPES, 'patient/*.rs', 'patient/*.cruds', 'user/*.rs', 'user/*.cruds', 'system/*.rs', 'system/*.cruds', 'patient/*.read', 'user/*.read', 'system/*.read'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr', 'launch-standalone',
      'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
      'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient', 'context-banner', 'context-style',
      'sso-openid-connect', 'authorize-post',
      'permission-offline', 'permission-online', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2',
    ],
  };
}

export function registerSmartConfiguration(app: FastifyInstance, issuer: () => string): void {
  const handler = async (_request: unknown, reply: FastifyReply) => reply
    .header('cache-control', 'public, max-age=3600')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(smartConfiguration(issuer())));
  app.get('/fhir/.well-known/smart-configuration', handler);
  app.get('/.well-known/smart-configuration', handler);
  registerSmartStyle(app);
}
