/**
 * Unique, valid national identifiers for the demo: FINESS with the
 * department prefix real numbers carry, SIREN/SIRET and RPPS, all completed
 * with their Luhn key (open-points-resolved §3), never twice the same.
 */
import { withLuhnKey } from './check-digits.js';
import type { Random } from './random.js';

export class IdentifierFactory {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random, reserved: Iterable<string> = []) {
    for (const value of reserved) this.used.add(value);
  }

  /**
   * FINESS: department (2) + 6 digits + key. Corsica (2A/2B) gets the former
   * department number 20, since the key rule of lettered numbers is unconfirmed;
   * overseas departments (971…) keep their first two digits, as real numbers do.
   */
  finess(department: string): string {
    const prefix = /^2[AB]$/i.test(department) ? '20' : department.slice(0, 2);
    return this.unique(() => withLuhnKey(`${prefix}${this.random.digits(6)}`));
  }

  /** SIREN: 8 digits (not starting with 0) + key; never La Poste's 356000000, whose SIRET rule differs. */
  siren(): string {
    return this.unique(() => withLuhnKey(`${this.random.int(1, 9)}${this.random.digits(7)}`), (v) => v !== '356000000');
  }

  /** SIRET of an establishment of a SIREN: SIREN + NIC (4 digits) + key over the 14 digits. */
  siret(siren: string = this.siren()): string {
    return this.unique(() => withLuhnKey(`${siren}${this.random.digits(4)}`));
  }

  /** RPPS: "10" + 8 digits + key, as real numbers begin. */
  rpps(): string {
    return this.unique(() => withLuhnKey(`10${this.random.digits(8)}`));
  }

  private unique(make: () => string, accept: (value: string) => boolean = () => true): string {
    for (;;) {
      const value = make();
      if (this.used.has(value) || !accept(value)) continue;
      this.used.add(value);
      return value;
    }
  }
}
