/**
 * The signing keys of Socle's OpenID Connect provider and of the tokens it
 * issues, kept in the auth module's own collection (never in the repository):
 * created on first use, rotated after ROTATE_AFTER_DAYS, the previous keys
 * kept for verification until the tokens they signed have expired.
 * The OpenID provider publishes the public halves at /oidc/jwks.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Collection } from '../../storage/collection.js';

export const SIGNING_ALGORITHM = 'ES256';
const ROTATE_AFTER_DAYS = 30;
/** Old keys stay published this long after rotation: longer than any token or session. */
const KEEP_RETIRED_DAYS = 2;
const DAY_MS = 86_400_000;

export interface StoredSigningKey {
  readonly kid: string;
  /** Private JWK (with alg, kid, use). */
  readonly jwk: JWK;
  readonly createdAt: number;
  readonly retiredAt?: number;
}

export class SigningKeyStore {
  constructor(
    private readonly keys: Collection<StoredSigningKey>,
    private readonly now: () => number,
  ) {}

  /** Every key still valid for verification, the signing key first; creates or rotates as due. */
  async activeKeys(): Promise<StoredSigningKey[]> {
    let all = (await this.keys.scan(undefined, 100)).map((e) => e.value);
    const now = this.now();
    const current = all.filter((k) => k.retiredAt === undefined).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!current || now - current.createdAt > ROTATE_AFTER_DAYS * DAY_MS) {
      if (current) await this.keys.put(current.kid, { ...current, retiredAt: now });
      const fresh = await this.generate();
      await this.keys.put(fresh.kid, fresh);
      all = (await this.keys.scan(undefined, 100)).map((e) => e.value);
    }
    const valid = all.filter((k) => k.retiredAt === undefined || now - k.retiredAt < KEEP_RETIRED_DAYS * DAY_MS);
    // The signing key (not retired) first, then the others newest first.
    return valid.sort((a, b) => Number(a.retiredAt !== undefined) - Number(b.retiredAt !== undefined) || b.createdAt - a.createdAt);
  }

  /** Retires the current key now and makes a new one (socle auth rotate-keys, tests). */
  async rotate(): Promise<void> {
    const now = this.now();
    for (const key of (await this.keys.scan(undefined, 100)).map((e) => e.value)) {
      if (key.retiredAt === undefined) await this.keys.put(key.kid, { ...key, retiredAt: now });
    }
    const fresh = await this.generate();
    await this.keys.put(fresh.kid, fresh);
  }

  private async generate(): Promise<StoredSigningKey> {
    const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    return { kid, jwk, createdAt: this.now() };
  }
}

/** The public half of a private JWK (what /oidc/jwks publishes). */
export function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}
