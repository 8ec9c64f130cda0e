/**
 * Rate limit of login attempts per client address (issue #4: "login attempts
 * rate-limited"), beside the per-account lockout: one address may not try
 * more than LIMIT logins or codes in WINDOW_MS, whatever the accounts
 * named, which slows password spraying across many accounts. The limit is
 * generous because a hospital puts many users behind one address. Kept in
 * memory: a restart resets it, which only the operator can cause.
 */
const LIMIT = 60;
const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

export class AddressLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number, private readonly limit = LIMIT) {}

  /** Records an attempt; false when the address is over its limit (the attempt must be refused). */
  attempt(address: string): boolean {
    const now = this.now();
    const recent = (this.hits.get(address) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= this.limit) {
      this.hits.set(address, recent);
      return false;
    }
    recent.push(now);
    // Oldest addresses are forgotten first (Map keeps insertion order).
    this.hits.delete(address);
    this.hits.set(address, recent);
    if (this.hits.size > MAX_TRACKED) this.hits.delete(this.hits.keys().next().value as string);
    return true;
  }
}
