/**
 * What the rest of Socle may ask of the INSi-like reference register
 * (reference §1.4, open points §2): a unitary retrieval by traits and a
 * unitary verification of an INS against traits. No bulk access exists.
 */
import type { StoreReader } from '../../storage/contract.js';
import type { InsTraits } from '../fr-core.js';

/** INSi's answer codes for a retrieval: one identity, none, several. */
export type InsiResultCode = '00' | '01' | '02';

export type TraitName = 'family' | 'given' | 'gender' | 'birthdate' | 'birthplace';

export interface InsiIdentity {
  /** The 15-character INS. */
  readonly ins: string;
  /** The OID system of the INS (NIR, NIA, test or demo). */
  readonly system: string;
  readonly traits: InsTraits;
}

export interface InsiRetrieval {
  readonly result: InsiResultCode;
  readonly identity?: InsiIdentity;
}

export interface InsiVerification {
  readonly valid: boolean;
  /** Traits that differ from the register (empty when valid); 'ins' alone when the INS is unknown. */
  readonly mismatches: readonly (TraitName | 'ins')[];
}

export interface InsiLookup {
  retrieve(traits: Omit<InsTraits, 'birthPlace'> & { birthPlace?: string }): Promise<InsiRetrieval>;
  /**
   * `reader`: the write transaction of a caller that holds one (a write hook),
   * so that the lookup does not wait for a second connection of a pool its own
   * transaction may be exhausting.
   */
  verify(ins: string, traits: InsTraits, system?: string, reader?: StoreReader): Promise<InsiVerification>;
}
