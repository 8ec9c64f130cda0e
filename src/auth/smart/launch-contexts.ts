/**
 * SMART launch contexts (SMART App Launch 2.0, "Scopes and Launch Context"):
 * an EHR launch hands the app an opaque `launch` value that stands for a
 * context (the patient, possibly the encounter) the EHR chose; the app sends
 * it back at authorization and the context reaches the token response and
 * the access token. A standalone launch gets its patient from the picker.
 * Contexts live in the auth module's collections: launches for ten minutes,
 * the context of a grant as long as the grant.
 */
import { randomBytes } from 'node:crypto';
import type { Collection } from '../../storage/collection.js';
import type { Sweepable } from '../oidc/sweeper.js';

export interface LaunchContext {
  /** Patient id (not a reference), as SMART's `patient` token parameter. */
  readonly patient?: string;
  readonly encounter?: string;
}

export interface StoredLaunch extends LaunchContext {
  /** The account that created it: only that user may use it. */
  readonly createdBy: string;
  readonly expiresAt: number;
}

const LAUNCH_TTL_MS = 10 * 60_000;
/** As long as the provider keeps a grant (configuration.ts, ttl.Grant). */
const GRANT_TTL_MS = 14 * 86_400_000;

export interface StoredGrantContext extends LaunchContext {
  readonly expiresAt: number;
}

export class LaunchContexts {
  constructor(
    private readonly launches: Collection<StoredLaunch>,
    private readonly grants: Collection<StoredGrantContext>,
    private readonly now: () => number,
  ) {}

  /** Registers an EHR launch context and returns its opaque `launch` value. */
  async create(context: LaunchContext, createdBy: string): Promise<string> {
    const id = randomBytes(18).toString('base64url');
    await this.launches.put(id, { ...context, createdBy, expiresAt: this.now() + LAUNCH_TTL_MS });
    return id;
  }

  /** The context of a `launch` value, when it exists, is fresh and belongs to `accountId`. */
  async resolve(launch: string, accountId: string): Promise<LaunchContext | undefined> {
    const stored = await this.launches.get(launch);
    if (!stored || stored.expiresAt <= this.now() || stored.createdBy !== accountId) return undefined;
    return { ...(stored.patient ? { patient: stored.patient } : {}), ...(stored.encounter ? { encounter: stored.encounter } : {}) };
  }

  bindGrant(grantId: string, context: LaunchContext): Promise<void> {
    return this.grants.put(grantId, { ...context, expiresAt: this.now() + GRANT_TTL_MS });
  }

  async forGrant(grantId: string): Promise<LaunchContext | undefined> {
    const stored = await this.grants.get(grantId);
    if (!stored || stored.expiresAt <= this.now()) return undefined;
    const { expiresAt: _expiry, ...context } = stored;
    return context;
  }

  /** The collections the sweeper cleans. */
  collections(): Sweepable[] {
    return [this.launches, this.grants];
  }
}
