/**
 * Principals of tokens already verified, until their expiry: a signature
 * check (ES256, ~100 µs) happens once per token, not once per request. The
 * map is bounded; the oldest entries go first (insertion order).
 */
import type { Principal } from '../../core/principal.js';

const LIMIT = 20_000;

export class TokenCache {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly expiresAt: number }>();

  get(token: string, now: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAt: number): void {
    if (this.entries.size >= LIMIT) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { principal: Object.freeze(principal), expiresAt });
  }
}
