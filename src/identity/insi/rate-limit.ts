/**
 * A token bucket per client (RFC 6585 §4, 429 Too Many Requests with
 * Retry-After): each client may spend `burst` calls at once, and gets
 * `perMinute` calls back per minute. The INSi-like service is unitary by
 * design; the limit keeps it from being walked through as a bulk directory.
 * In memory: a restart refills the buckets, which errs on the side of callers.
 */
import type { Clock } from '../../core/clock.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones are forgotten (a full bucket is the same as none). */
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(perMinute: number, private readonly burst: number, private readonly clock: Clock) {
    this.perMs = perMinute / 60_000;
  }

  /** Spends one call of `client`: undefined when allowed, else the whole seconds to wait before the next one. */
  take(client: string): number | undefined {
    const now = this.clock.now();
    const bucket = this.refill(this.buckets.get(client), now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.keep(client, bucket);
      return undefined;
    }
    this.keep(client, bucket);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  private refill(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.burst, at: now };
    const tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    return { tokens, at: now };
  }

  private keep(client: string, bucket: Bucket): void {
    this.buckets.set(client, bucket);
    if (this.buckets.size <= MAX_BUCKETS) return;
    const now = this.clock.now();
    for (const [name, held] of this.buckets) {
      if (this.refill(held, now).tokens >= this.burst) this.buckets.delete(name);
    }
  }
}
