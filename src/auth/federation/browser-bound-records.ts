/**
 * Short-lived, single-use records bound to the browser that caused them: the
 * logins sent to the external provider and not yet back (their state, nonce
 * and PKCE verifier: OpenID Connect Core §3.1.2.1, RFC 7636 §4.1), and the
 * logins accepted by the callback and not yet handed to Socle's provider.
 *
 * Binding (Core §3.1.2.1: "binding the value with a browser cookie"): the
 * browser keeps a random value in a cookie and the record only its hash, so
 * a state or ticket that reaches another browser (login CSRF, a leaked URL)
 * is worth nothing there. Single use: the record is deleted when read, and
 * of two racing readers only the one whose delete succeeds proceeds.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Collection } from '../../storage/collection.js';

export interface BoundRecord<T> {
  readonly value: T;
  /** SHA-256 of the browser binding cookie, base64url. */
  readonly browserHash: string;
  readonly expiresAt: number;
}

const SWEEP_BATCH = 50;
const KEY_SHAPE = /^[0-9a-z]{9}\.[A-Za-z0-9_-]{43}$/;

/** 256 bits of randomness, base64url (43 characters; RFC 7636 §4.1 allows 43 to 128 for a verifier). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class BrowserBoundRecords<T> {
  constructor(
    private readonly collection: Collection<BoundRecord<T>>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /**
   * Stores `value` for the browser holding `binding` and returns its key (the
   * OAuth state, or a ticket). Keys start with the expiry time in fixed-width
   * base 36, so they sort by expiry and the sweep reads only the oldest.
   */
  async put(value: T, binding: string): Promise<string> {
    await this.sweep();
    const expiresAt = this.clock.now() + this.ttlMs;
    const key = `${expiresAt.toString(36).padStart(9, '0')}.${randomToken()}`;
    await this.collection.put(key, { value, browserHash: hashOf(binding), expiresAt });
    return key;
  }

  /** Takes the record of `key` away and returns its value if it is unexpired and this browser's; undefined otherwise. */
  async take(key: string, binding: string | undefined): Promise<T | undefined> {
    if (!KEY_SHAPE.test(key)) return undefined;
    const record = await this.collection.get(key);
    if (!record) return undefined;
    if (!(await this.collection.delete(key))) return undefined;
    if (record.expiresAt <= this.clock.now()) return undefined;
    if (binding === undefined || !sameText(hashOf(binding), record.browserHash)) return undefined;
    return record.value;
  }

  /** Deletes expired records, oldest first (abandoned logins would otherwise stay forever). */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const entry of await this.collection.scan(undefined, SWEEP_BATCH)) {
      if (entry.value.expiresAt > now) break;
      await this.collection.delete(entry.key);
    }
  }
}
