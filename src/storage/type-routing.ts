/**
 * Resource types served from somewhere other than the resources table: a
 * module owning a type that is written on every request and read rarely (the
 * audit module's AuditEvents, kept in the audit log) supplies a TypeSource,
 * and the engine reads through a store wrapped here, so that read, vread,
 * search, history, _include and _revinclude of that type go to the source
 * while everything else reaches the store unchanged.
 *
 * A search or history across several types (system level, _type, a
 * compartment's "*") reads the resources table only: a routed type is
 * searched on its own.
 */
import type { Store, StoredVersion, StoreReader, WriteTransaction } from './contract.js';
import type { HistoryPage, HistoryQuery, IncludeRequest, RevIncludeRequest, SearchPage, SearchPlan } from './query.js';

/** What a routed type supports, as the CapabilityStatement declares it: R4 interaction codes and search parameter codes. */
export interface TypeCapability {
  readonly interactions: readonly string[];
  readonly searchParams: readonly string[];
}

export interface TypeSource {
  readonly resourceType: string;
  /** Narrower than a stored type's (every interaction, every parameter): the CapabilityStatement says so. */
  readonly capability?: TypeCapability;
  readCurrent(id: string): Promise<StoredVersion | undefined>;
  readVersion(id: string, versionId: number): Promise<StoredVersion | undefined>;
  readMany(ids: readonly string[]): Promise<StoredVersion[]>;
  search(plan: SearchPlan): Promise<SearchPage>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** Targets of the source's own resources' references (they live in `main`). */
  includes(request: IncludeRequest, main: StoreReader): Promise<StoredVersion[]>;
  /** The source's resources pointing at the given targets (request.sourceType is this type). */
  revIncludes(request: RevIncludeRequest): Promise<StoredVersion[]>;
}

type Routed = Pick<StoreReader, 'readCurrent' | 'readVersion' | 'readMany' | 'search' | 'history' | 'includes' | 'revIncludes'>;

function routedReads(inner: StoreReader, sources: ReadonlyMap<string, TypeSource>): Routed {
  const only = (types: readonly string[] | undefined): TypeSource | undefined => (types?.length === 1 ? sources.get(types[0] as string) : undefined);
  return {
    readCurrent: (type, id) => sources.get(type)?.readCurrent(id) ?? inner.readCurrent(type, id),
    readVersion: (type, id, versionId) => sources.get(type)?.readVersion(id, versionId) ?? inner.readVersion(type, id, versionId),
    async readMany(refs) {
      const local = refs.filter((r) => !sources.has(r.resourceType));
      const results = local.length > 0 ? await inner.readMany(local) : [];
      for (const [type, source] of sources) {
        const ids = refs.filter((r) => r.resourceType === type).map((r) => r.id);
        if (ids.length > 0) results.push(...(await source.readMany(ids)));
      }
      return results;
    },
    search: (plan: SearchPlan) => only(plan.resourceTypes)?.search(plan) ?? inner.search(plan),
    history: (query: HistoryQuery) => (query.resourceType !== undefined ? sources.get(query.resourceType)?.history(query) : undefined) ?? inner.history(query),
    async includes(request) {
      const local = request.sources.filter((s) => !sources.has(s.resourceType));
      const results = local.length > 0 ? await inner.includes({ ...request, sources: local }) : [];
      for (const [type, source] of sources) {
        const own = request.sources.filter((s) => s.resourceType === type);
        if (own.length > 0) results.push(...(await source.includes({ ...request, sources: own }, inner)));
      }
      return results;
    },
    revIncludes: (request) => sources.get(request.sourceType)?.revIncludes(request) ?? inner.revIncludes(request),
  };
}

function routedReader<T extends StoreReader>(inner: T, sources: ReadonlyMap<string, TypeSource>): T {
  const routed = routedReads(inner, sources);
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (Object.hasOwn(routed, property)) return routed[property as keyof Routed];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `store` with the given types read from their sources (in its transactions too). */
export function routeTypes(store: Store, sources: readonly TypeSource[]): Store {
  if (sources.length === 0) return store;
  const byType = new Map(sources.map((s) => [s.resourceType, s]));
  const reader = routedReader(store, byType);
  return new Proxy(reader, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return <T>(work: (tx: WriteTransaction) => Promise<T>) => store.transaction((tx) => work(routedReader(tx, byType)));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
