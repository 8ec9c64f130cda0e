import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEntry } from '../core/audit-entry.js';
import { r4Schema } from '../fhir/definitions/schema.js';
import { ResourceIndexer, type IndexSet } from '../fhir/indexing/index.js';
import { validateResource } from '../fhir/validation/index.js';
import { auditEvents } from './audit-event.js';
import { auditEventIndex } from './audit-index.js';

const BASE = 'http://socle.test/fhir';
const schema = r4Schema();
const indexer = new ResourceIndexer(schema, { baseUrl: BASE });

/** Rows in a stable order, the texts left out (the audit index does not fill them). */
function rows(index: IndexSet): string[] {
  const { text: _text, ...tables } = index;
  return Object.entries(tables).flatMap(([table, list]) => (list as object[]).map((row) => `${table} ${JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))))}`)).sort();
}

const entries: AuditEntry[] = [
  { action: 'R', interaction: 'read', outcome: '0', principal: { kind: 'operator', subject: 'admin', clientId: 'console', scopes: [], display: 'Admin' }, patients: ['p1'], entities: ['Patient/p1/_history/3'], recorded: 1_700_000_000_123, sourceAddress: '10.0.0.1', requestId: 'r1' },
  { action: 'E', interaction: 'search-type', outcome: '0', principal: { kind: 'practitioner', subject: '810000000017', clientId: 'app', scopes: [], fhirUser: 'Practitioner/doc', nationalId: '810000000017', display: 'Dr Curie' }, patients: ['p1', 'p2'], entities: ['Observation/o1/_history/1', 'Observation/o2/_history/2'], query: 'code=x', recorded: 1_700_000_000_456, sourceAddress: '::1' },
  { action: 'R', interaction: 'read', outcome: '0', principal: { kind: 'practitioner', subject: 'x', clientId: 'app', scopes: [], fhirUser: 'Practitioner/doc', nationalId: 'x' }, patients: ['p1'], entities: ['Observation/o1/_history/1'], recorded: 1_700_000_001_000 },
  { action: 'R', interaction: 'read', outcome: '0', principal: { kind: 'patient', subject: 'ins', clientId: 'portal', scopes: [], patient: 'p1' }, patients: ['p1'], entities: ['Condition/c1/_history/1'], recorded: 1_700_000_002_000, purposeOfUse: 'PATADMIN' },
  { action: 'R', interaction: 'read', outcome: '4', outcomeDescription: 'auth.token-missing', patients: [], entities: ['Patient/p9'], recorded: 1_700_000_003_000, sourceAddress: '127.0.0.1' },
  { action: 'E', interaction: 'operation:ins-retrieve', outcome: '0', principal: { kind: 'system', subject: 's', clientId: 's', scopes: [] }, patients: [], entities: [], recorded: 1_700_000_004_000 },
];

test('the audit index has exactly the rows the generic indexer computes, for every shape of AuditEvent', () => {
  let n = 0;
  for (const entry of entries) {
    const details = entry.principal?.fhirUser ? { profession: { system: 'https://mos.esante.gouv.fr/NOS/TRE_G15', code: '10', display: 'Médecin' }, organization: { reference: 'Organization/o', display: 'CH Lens' } } : undefined;
    for (const event of auditEvents(entry, details, () => `id-${(n += 1)}`)) {
      assert.deepEqual(rows(auditEventIndex(event, BASE)), rows(indexer.index(event, BASE)), JSON.stringify(event));
    }
  }
});

test('the AuditEvents written are valid R4 resources', () => {
  for (const entry of entries) {
    for (const event of auditEvents(entry, { organization: { reference: 'Organization/o', display: 'CH' }, profession: { system: 's', code: '10' } }, () => 'x')) {
      const result = validateResource(schema, event, { expectedType: 'AuditEvent' });
      assert.deepEqual(result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), [], JSON.stringify(event));
    }
  }
});
