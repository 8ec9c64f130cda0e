/**
 * A module's own documents, kept beside the FHIR resources: accounts, the
 * INSi register, OpenID Connect grants. Each module
 * names its collections and declares the lookups it finds documents by; no
 * module reads another's collection (ARCHITECTURE.md, "Module data").
 *
 * Writes are durable when the returned promise resolves (one store unit), or
 * part of an enclosing transaction when a WriteTransaction is passed, so that a
 * document and the FHIR resources it goes with commit together.
 */
import type { Clock } from '../core/clock.js';
import type { Store, StoreReader, WriteTransaction } from './contract.js';

export interface CollectionEntry<T> {
  readonly key: string;
  readonly value: T;
  readonly updatedAt: number;
}

export interface CollectionOptions<T> {
  /** Lookup values of a document: name → one value or several. */
  readonly lookups?: (value: T) => Readonly<Record<string, string | readonly string[] | undefined>>;
}

export class Collection<T> {
  constructor(
    private readonly store: Store,
    readonly name: string,
    private readonly clock: Clock,
    private readonly options: CollectionOptions<T> = {},
  ) {}

  async get(key: string, reader: StoreReader = this.store): Promise<T | undefined> {
    const document = await reader.documentGet(this.name, key);
    return document ? (JSON.parse(document.value) as T) : undefined;
  }

  async find(lookup: string, value: string, limit = 100, reader: StoreReader = this.store): Promise<CollectionEntry<T>[]> {
    const documents = await reader.documentFind(this.name, lookup, value, limit);
    return documents.map((d) => ({ key: d.key, value: JSON.parse(d.value) as T, updatedAt: d.updatedAt }));
  }

  /** Documents in key order, a page at a time. */
  async scan(afterKey: string | undefined, limit: number, reader: StoreReader = this.store): Promise<CollectionEntry<T>[]> {
    const documents = await reader.documentScan(this.name, afterKey, limit);
    return documents.map((d) => ({ key: d.key, value: JSON.parse(d.value) as T, updatedAt: d.updatedAt }));
  }

  /** Writes a document; inside `tx` when given, else as its own durable unit. */
  put(key: string, value: T, tx?: WriteTransaction): Promise<void> {
    const document = { key, value: JSON.stringify(value), lookups: this.lookupsOf(value), updatedAt: this.clock.now() };
    if (tx) return tx.documentPut(this.name, document);
    return this.store.transaction((unit) => unit.documentPut(this.name, document));
  }

  /** Writes many documents in one durable unit (bulk loads). */
  putMany(entries: readonly (readonly [key: string, value: T])[]): Promise<void> {
    const updatedAt = this.clock.now();
    return this.store.transaction(async (unit) => {
      for (const [key, value] of entries) {
        await unit.documentPut(this.name, { key, value: JSON.stringify(value), lookups: this.lookupsOf(value), updatedAt });
      }
    });
  }

  delete(key: string, tx?: WriteTransaction): Promise<boolean> {
    if (tx) return tx.documentDelete(this.name, key);
    return this.store.transaction((unit) => unit.documentDelete(this.name, key));
  }

  private lookupsOf(value: T): [string, string][] {
    const declared = this.options.lookups?.(value) ?? {};
    const pairs: [string, string][] = [];
    for (const [name, values] of Object.entries(declared)) {
      if (values === undefined) continue;
      for (const v of typeof values === 'string' ? [values] : values) pairs.push([name, v]);
    }
    return pairs;
  }
}
