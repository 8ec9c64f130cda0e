/**
 * The second factor: time-based one-time codes (RFC 6238, TOTP) as the e-CPS
 * app and common authenticator apps produce them: SHA-1, 6 digits, 30-second
 * steps, one step of clock drift allowed either way (RFC 6238 §5.2), and a
 * step once accepted never accepted again (replay).
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

function totpOf(secret: string, label = 'Socle'): TOTP {
  return new TOTP({ issuer: 'Socle', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** A new random 160-bit secret in base32 (RFC 4226 §4 recommends 160 bits). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The time step the code belongs to when it is valid at `nowMs` and newer than
 * `lastStep`; undefined otherwise.
 */
export function acceptTotp(secret: string, code: string, nowMs: number, lastStep?: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 1000 / PERIOD) + delta;
  if (lastStep !== undefined && step <= lastStep) return undefined;
  return step;
}

/** The code of `secret` at `nowMs` (tests, `socle account`). */
export function totpCode(secret: string, nowMs: number): string {
  return totpOf(secret).generate({ timestamp: nowMs });
}

/** The otpauth:// URI an authenticator app scans (Key Uri Format). */
export function totpUri(secret: string, login: string): string {
  return totpOf(secret, login).toString();
}
