/**
 * Re-pointing the references of a resource from one Patient to another
 * (http://hl7.org/fhir/R4/references.html: a literal reference, relative or
 * absolute on this server's base, possibly version-specific), and putting them
 * back. A reference on another server's base names a patient there, not the
 * source (fhir/rest/local-reference.ts): it is left as it is.
 * Every change is recorded with its path, so that undoing changes only what
 * was changed and only if it is still as the merge left it.
 */
import type { MovedReference } from './merge-log.js';
import { patientIdOf, type Json } from './parameters.js';

type Path = (string | number)[];

function walk(node: unknown, path: Path, visit: (holder: Json, path: Path) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, [...path, i], visit));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as Json;
  if (typeof object.reference === 'string') visit(object, path);
  for (const [key, value] of Object.entries(object)) {
    // A contained resource's references are its own; the Patient links to itself are not references to move.
    if (key === 'contained' || (key === 'link' && object.resourceType === 'Patient')) continue;
    walk(value, [...path, key], visit);
  }
}

/** Rewrites, in place, every reference to the local Patient/`from` into one to Patient/`to`; returns what changed. */
export function repointReferences(resource: Json, from: string, to: string, baseUrl: string): MovedReference[] {
  const moved: MovedReference[] = [];
  walk(resource, [], (holder, path) => {
    const before = holder.reference as string;
    if (patientIdOf(before, baseUrl) !== from) return;
    // Same form as before (relative or absolute), without a version: the target's current one is meant.
    const after = before.replace(/Patient\/[^/]+(\/_history\/[^/]+)?$/, `Patient/${to}`);
    holder.reference = after;
    moved.push({ path: [...path, 'reference'], before, after });
  });
  return moved;
}

function holderAt(resource: Json, path: readonly (string | number)[]): Json | undefined {
  let node: unknown = resource;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node !== null && typeof node === 'object' ? (node as Json) : undefined;
}

/** Puts back the references a merge moved, where they are still as it left them; returns how many. */
export function restoreReferences(resource: Json, moved: readonly MovedReference[]): number {
  let restored = 0;
  for (const change of moved) {
    const holder = holderAt(resource, change.path);
    if (holder && holder.reference === change.after) {
      holder.reference = change.before;
      restored++;
    }
  }
  return restored;
}
