/**
 * Which invariants of a StructureDefinition stored on this server are run.
 * Anyone who may write a StructureDefinition writes the FHIRPath every write
 * declaring it then runs, and fhirpath.js has no budget and cannot be
 * interrupted: ten-item literals nested in seven select() took 35 s, during
 * which nothing else was served. So a stored profile's invariant runs only
 * when it keeps to the bounded FHIRPath a FHIRPath Patch path keeps to
 * (rest/interactions/fhirpath-patch-limits.ts: navigation, where/exists/all,
 * comparisons and logic, at most 32 steps; no select(), repeat(), union,
 * matches()), whose cost is in proportion to the resource. The others are
 * said as not checked (profile.unsupported), never silently passed. HL7's own
 * definitions, read from the package the server ships, run whole.
 */
import fhirpath from 'fhirpath';
import { MAX_PATH_LENGTH, pathRefusal, type AstNode } from '../../rest/interactions/fhirpath-patch-limits.js';

/** Whether an invariant of a stored profile may run: short, parsable, within the bounded subset. */
export function boundedExpression(expression: string): boolean {
  if (expression.length > MAX_PATH_LENGTH) return false;
  try {
    return pathRefusal(fhirpath.parse(expression) as AstNode) === undefined;
  } catch {
    return false;
  }
}
