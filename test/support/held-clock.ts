/**
 * A clock a test can hold at an instant (a write at 00:30 in Paris) and let
 * go again: between holds it is the system's, so that tokens, signing keys
 * and timeouts behave as usual.
 */
import type { Clock } from '../../src/core/clock.js';

export class HeldClock implements Clock {
  private held: number | undefined;

  now(): number {
    return this.held ?? Date.now();
  }

  /** Runs `body` with the time held at `instant` (ISO 8601). */
  async at<T>(instant: string, body: () => Promise<T>): Promise<T> {
    this.held = Date.parse(instant);
    try {
      return await body();
    } finally {
      this.held = undefined;
    }
  }
}
