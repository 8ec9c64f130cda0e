/**
 * Password hashing with argon2id (RFC 9106), the memory-hard function OWASP's
 * Password Storage Cheat Sheet recommends first: 19 MiB, 2 passes, 1 lane is
 * its minimum configuration; we use 19 MiB and 3 passes.
 */
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum the runtime cannot import)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 3, parallelism: 1 } as const;

/** Shortest and longest passwords accepted (NIST SP 800-63B §5.1.1.2: at least 8, at least 64 allowed). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** The argon2id PHC string of `password`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Constant-time check of `password` against a PHC string; false on any malformed hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (password.length === 0 || password.length > PASSWORD_MAX) return false;
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the login names no
 * account: the answer then takes as long as for a real one (no account
 * enumeration by timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}
