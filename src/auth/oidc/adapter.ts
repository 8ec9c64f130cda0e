/**
 * oidc-provider's storage adapter (its "Adapter" contract, see
 * node_modules/oidc-provider/lib/adapters/memory_adapter.js) over the auth
 * module's collections, so that sessions, grants, codes, refresh tokens and
 * interactions survive a restart and live in the same store as everything
 * else, on both backends. One collection per model ("auth.oidc.<Model>"),
 * with the lookups the provider searches by; expiry is checked on read, so a
 * row that outlived its time is never handed back even before it is swept.
 */
import type { Collection, CollectionOptions } from '../../storage/collection.js';

type Payload = Record<string, unknown>;

export interface StoredModel {
  readonly payload: Payload;
  /** Epoch ms after which the entry is gone; undefined = no expiry. */
  readonly expiresAt?: number;
}

export type CollectionFactory = <T>(name: string, options?: CollectionOptions<T>) => Collection<T>;

/** The lookups of every model: sessions by uid, tokens by grant, device codes by user code. */
export const MODEL_LOOKUPS: CollectionOptions<StoredModel> = {
  lookups: (stored) => {
    const p = stored.payload;
    return {
      uid: typeof p.uid === 'string' ? p.uid : undefined,
      grantId: typeof p.grantId === 'string' ? p.grantId : undefined,
      userCode: typeof p.userCode === 'string' ? p.userCode : undefined,
    };
  },
};

export class CollectionAdapter {
  constructor(
    private readonly documents: Collection<StoredModel>,
    private readonly now: () => number,
  ) {}

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? this.now() + expiresIn * 1000 : undefined;
    await this.documents.put(id, expiresAt === undefined ? { payload } : { payload, expiresAt });
  }

  async find(id: string): Promise<Payload | undefined> {
    return this.live(await this.documents.get(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.first('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.first('userCode', userCode);
  }

  /** Marks a code or token as used: a second use is then refused (and revokes the grant). */
  async consume(id: string): Promise<void> {
    const stored = await this.documents.get(id);
    if (!stored) return;
    await this.documents.put(id, { ...stored, payload: { ...stored.payload, consumed: Math.floor(this.now() / 1000) } });
  }

  async destroy(id: string): Promise<void> {
    await this.documents.delete(id);
  }

  /** Revocation of a grant removes every token issued under it (RFC 7009 §2.1). */
  async revokeByGrantId(grantId: string): Promise<void> {
    for (;;) {
      const entries = await this.documents.find('grantId', grantId, 100);
      if (entries.length === 0) return;
      for (const entry of entries) await this.documents.delete(entry.key);
    }
  }

  private async first(lookup: string, value: string): Promise<Payload | undefined> {
    const [entry] = await this.documents.find(lookup, value, 1);
    return entry ? this.live(entry.value) : undefined;
  }

  private live(stored: StoredModel | undefined): Payload | undefined {
    if (!stored) return undefined;
    if (stored.expiresAt !== undefined && stored.expiresAt <= this.now()) return undefined;
    return stored.payload;
  }
}

/** The adapter factory oidc-provider calls once per model name; `collections()` lists those made so far (sweeper.ts). */
export function collectionAdapterFactory(collection: CollectionFactory, now: () => number): ((model: string) => CollectionAdapter) & { collections(): Collection<StoredModel>[] } {
  const adapters = new Map<string, { adapter: CollectionAdapter; documents: Collection<StoredModel> }>();
  const factory = (model: string): CollectionAdapter => {
    let entry = adapters.get(model);
    if (!entry) {
      const documents = collection<StoredModel>(`auth.oidc.${model}`, MODEL_LOOKUPS);
      entry = { adapter: new CollectionAdapter(documents, now), documents };
      adapters.set(model, entry);
    }
    return entry.adapter;
  };
  return Object.assign(factory, { collections: () => [...adapters.values()].map((e) => e.documents) });
}
