/**
 * The service modules of Socle, in the order they are composed and seed their
 * demo data (the directory before the patients, the patients before the
 * accounts that point to them).
 */
import { auditModule } from '../audit/index.js';
import { accessModule } from '../auth/policy/index.js';
import { identityModule } from '../identity/index.js';
import { authModule } from '../auth/index.js';
import { withFederation } from '../auth/federation/with-federation.js';
import { demoModule } from '../demo/index.js';
import { directoryModule } from '../directory/index.js';
import { bulkExportModule } from '../fhir/bulk/index.js';
import type { ModuleFactory } from './module.js';

export const MODULE_FACTORIES: readonly ModuleFactory[] = [
  // First: the engine records every access and asks the access policy from the start.
  auditModule,
  accessModule,
  directoryModule,
  identityModule,
  demoModule,
  // Login last: its demo accounts point to the demo people; federation with an upstream provider when configured.
  withFederation(authModule),
  // Closed first (modules close in reverse order): running exports stop before the audit trail they write to.
  bulkExportModule,
];
