/**
 * The access module: composes the policy decision point the FHIR engine asks
 * at every interaction, with the built-in policies (operators and systems,
 * patients' compartment, professionals' care relationships). Other modules
 * add theirs with `accessPolicies` (they can only narrow access).
 */
import type { ModuleFactory } from '../../platform/module.js';
import type { WriteHook } from '../../fhir/rest/write-hooks.js';
import { careRelationshipPolicy } from './care-relationship-policy.js';
import { CareRelationships } from './care-relationships.js';
import { patientPolicy } from './patient-policy.js';
import { PolicyDecisionPoint } from './policy-decision-point.js';
import { ScopeConstraints } from './scope-constraints.js';
import { systemPolicy } from './system-policy.js';

/** Writing these can change who is in a care relationship with whom. */
const RELATIONSHIP_TYPES = ['Encounter', 'CareTeam', 'Consent', 'PractitionerRole'];

export const accessModule: ModuleFactory = (context) => {
  const { engine, store, schema, clock } = context;
  const compartment = engine.deps.compartment;
  const relationships = new CareRelationships(store, compartment, () => clock.now());
  const allTypes = [...schema.resourceTypes];
  const decisionPoint = new PolicyDecisionPoint([
    systemPolicy,
    patientPolicy(compartment, store),
    careRelationshipPolicy(compartment, store, relationships, allTypes),
  ], allTypes, new ScopeConstraints(engine.deps));
  // Cached relationship sets are forgotten when a link changes (they also expire after a few seconds).
  const forgetRelationships: WriteHook = {
    types: RELATIONSHIP_TYPES,
    async beforeWrite(resource) {
      relationships.forget();
      return resource;
    },
    async beforeDelete() {
      relationships.forget();
    },
  };
  return { name: 'access', accessGuard: decisionPoint, writeHooks: [forgetRelationships] };
};
