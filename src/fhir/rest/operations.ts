/**
 * FHIR operations ($name, http://hl7.org/fhir/R4/operations.html) that the
 * service modules add to the engine: each declares where it may be invoked
 * (system, type or instance level, which types) and with which methods. The
 * engine routes to it; the module owns the logic. Recipe: one file per
 * operation, opening with its specification link, exporting a FhirOperation;
 * the module lists it in its `operations` (platform/module.ts).
 */
import type { DataAccess, EngineDeps } from './context.js';
import { operationDefinitionId, type OperationDescription } from './operation-definition.js';
import type { FhirRequest, FhirResponse } from './types.js';

export interface OperationTarget {
  readonly type?: string;
  readonly id?: string;
  /** An operation on one version: [type]/[id]/_history/[versionId]/$name. */
  readonly versionId?: string;
}

export interface OperationContext {
  readonly deps: EngineDeps;
  readonly access: DataAccess;
  readonly request: FhirRequest;
  readonly target: OperationTarget;
  /** Runs another interaction through the engine (same access: inside a transaction when there is one). */
  readonly dispatch: (request: FhirRequest) => Promise<FhirResponse>;
}

export interface FhirOperation {
  /** The name without "$", e.g. "ins-retrieve". */
  readonly name: string;
  /** Canonical URL of the OperationDefinition, for the CapabilityStatement. */
  readonly definition?: string;
  /**
   * For an operation Socle defines itself (no `definition`): what its
   * OperationDefinition says, served at [base]/OperationDefinition/socle-[name]
   * (operation-definition.ts).
   */
  readonly description?: OperationDescription;
  /** Left out of the CapabilityStatement: an endpoint clients are sent to, not an operation they look for (a Bulk Data status URL). */
  readonly unlisted?: boolean;
  /** A CapabilityStatement the server follows by serving this operation (CapabilityStatement.instantiates). */
  readonly instantiates?: string;
  readonly system?: boolean;
  /** Types it can be invoked on at type level (and at instance level when `instance`). */
  readonly types?: readonly string[];
  readonly instance?: boolean;
  /** Only at instance level: not on the types themselves (Patient/[id]/$everything). */
  readonly instanceOnly?: boolean;
  /** Also invocable on one version of an instance (…/_history/[vid]/$name). */
  readonly version?: boolean;
  /** DELETE only for what is not FHIR data (cancelling a Bulk Data export: its status URL). */
  readonly methods: readonly ('GET' | 'POST' | 'DELETE')[];
  /**
   * What the operation does to data, for the access guard: "read" needs read
   * (instance) or search (type, system) scopes, "write" update or create
   * scopes. Default: read for GET, write for POST.
   */
  readonly access?: 'read' | 'write';
  invoke(context: OperationContext): Promise<FhirResponse>;
}

/** Operations by name; several may share a name at different levels or on different types. */
export class OperationRegistry {
  private readonly byName = new Map<string, FhirOperation[]>();

  add(operation: FhirOperation): void {
    const list = this.byName.get(operation.name) ?? [];
    list.push(operation);
    this.byName.set(operation.name, list);
  }

  /** The operation that serves `name` at this target, if any. */
  find(name: string, target: OperationTarget): FhirOperation | undefined {
    return this.byName.get(name)?.find((op) => {
      if (target.type === undefined) return op.system === true;
      if (!op.types?.includes(target.type)) return false;
      if (target.versionId !== undefined) return op.version === true;
      return target.id === undefined ? op.instanceOnly !== true : op.instance === true;
    });
  }

  /** Every declaration of the described operation whose OperationDefinition has this id. */
  describedBy(definitionId: string): { declarations: FhirOperation[]; description: OperationDescription } | undefined {
    for (const list of this.byName.values()) {
      const description = list.find((op) => op.description !== undefined && op.definition === undefined)?.description;
      if (description && definitionId === operationDefinitionId(list[0]!)) return { declarations: list, description };
    }
    return undefined;
  }

  all(): FhirOperation[] {
    return [...this.byName.values()].flat();
  }
}
