/**
 * The identity documents a validation may rest on: FR Core's
 * fr-core-cs-mode-validation-identity codes, which the identity-reliability
 * extension binds with required strength (so nothing else may be claimed),
 * sorted as RNIV 1 v2.0 sorts them (reference §1.3; sante-ara.fr on the 2024
 * RNIV update):
 *
 * - high-trust devices (§3.3): national identity card, passport, residence
 *   permit, the electronic identity card, La Poste's digital identity and the
 *   Appli carte Vitale;
 * - accepted equivalents for named cases when no such device exists (§3.3.3):
 *   family booklet or birth certificate with a photo Vitale card (EHPAD
 *   residents), birth certificate or family booklet of a minor (with a parent's
 *   or guardian's device), the travel document of a foreign minor.
 *
 * Both kinds validate an identity (the FR Core definitions of VALI and QUAL
 * say "a high-trust device or its equivalent"); the kind goes into the
 * Provenance so that a review can tell them apart.
 */
import { VALIDATION_MODE_SYSTEM } from '../fr-core.js';

/** FR Core's canonical URL of the validation-mode code system (id fr-core-cs-mode-validation-identity), the only one the binding allows. */
export const FR_CORE_VALIDATION_MODE_SYSTEM = VALIDATION_MODE_SYSTEM;

export type DocumentKind = 'high-trust' | 'equivalent';

const KINDS: Readonly<Record<string, DocumentKind>> = {
  CN: 'high-trust',
  PA: 'high-trust',
  CS: 'high-trust',
  eCN: 'high-trust',
  IN: 'high-trust',
  AV: 'high-trust',
  LECV: 'equivalent',
  ANCV: 'equivalent',
  AN: 'equivalent',
  LEP: 'equivalent',
  CC: 'equivalent',
};

/** The kind of a validation-mode code, or undefined when the RNIV does not accept it (codes are case-sensitive). */
export function documentKind(code: string): DocumentKind | undefined {
  return Object.hasOwn(KINDS, code) ? KINDS[code] : undefined;
}
