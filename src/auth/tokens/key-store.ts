/**
 * The signing keys of Socle's OpenID Connect provider and of the tokens it
 * issues, kept in the auth module's own collection (never in the repository):
 * created on first use, rotated after ROTATE_AFTER_DAYS, the previous keys
 * kept for verification until the tokens they signed have expired.
 * The OpenID provider publishes the public halves at /oidc/jwks.
 *
 * One key per algorithm of KEY_ALGORITHMS: ES256 signs the access tokens
 * (small, fast to check on every FHIR request); RS256 signs ID tokens, as
 * SMART App Launch 2.x ("The EHR SHALL support Signing ID Tokens with RSA
 * SHA-256") and OpenID Connect Discovery ("RS256 MUST be included") require.
 * A store made when there was only the EC key gets its RSA key on next use.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Collection } from '../../storage/collection.js';

/** The algorithm of Socle's access tokens. */
export const SIGNING_ALGORITHM = 'ES256';
/** The algorithms the store keeps a key for; ID tokens may be signed with any of them (configuration.ts). */
export const KEY_ALGORITHMS = [SIGNING_ALGORITHM, 'RS256'] as const;
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

  /**
   * Every key still valid for verification: the current key of each algorithm
   * first, the access tokens' (SIGNING_ALGORITHM) at the head, then retired
   * keys newest first. Creates or rotates keys as due.
   */
  async activeKeys(): Promise<StoredSigningKey[]> {
    let all = await this.all();
    const now = this.now();
    let changed = false;
    for (const alg of KEY_ALGORITHMS) {
      const current = all.filter((k) => k.retiredAt === undefined && algorithmOf(k) === alg).sort((a, b) => b.createdAt - a.createdAt)[0];
      if (current && now - current.createdAt <= ROTATE_AFTER_DAYS * DAY_MS) continue;
      if (current) await this.keys.put(current.kid, { ...current, retiredAt: now });
      const fresh = await this.generate(alg);
      await this.keys.put(fresh.kid, fresh);
      changed = true;
    }
    if (changed) all = await this.all();
    const valid = all.filter((k) => k.retiredAt === undefined || now - k.retiredAt < KEEP_RETIRED_DAYS * DAY_MS);
    const rank = (k: StoredSigningKey): number => (k.retiredAt !== undefined ? 2 : algorithmOf(k) === SIGNING_ALGORITHM ? 0 : 1);
    return valid.sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);
  }

  /** Retires the current keys now and makes new ones (socle auth rotate-keys, tests). */
  async rotate(): Promise<void> {
    const now = this.now();
    for (const key of await this.all()) {
      if (key.retiredAt === undefined) await this.keys.put(key.kid, { ...key, retiredAt: now });
    }
    for (const alg of KEY_ALGORITHMS) {
      const fresh = await this.generate(alg);
      await this.keys.put(fresh.kid, fresh);
    }
  }

  private async all(): Promise<StoredSigningKey[]> {
    return (await this.keys.scan(undefined, 100)).map((e) => e.value);
  }

  private async generate(alg: (typeof KEY_ALGORITHMS)[number]): Promise<StoredSigningKey> {
    // RSA: 2048 bits, the size RFC 7518 §3.3 requires at least and jose's default.
    const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
    return { kid, jwk, createdAt: this.now() };
  }
}

/** A key's algorithm (every stored key has one; the first keys were all ES256). */
function algorithmOf(key: StoredSigningKey): string {
  return key.jwk.alg ?? SIGNING_ALGORITHM;
}

/** The public half of a private JWK (what /oidc/jwks publishes). */
export function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}
