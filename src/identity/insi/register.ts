/**
 * The national reference register of insured people, as the INSi teleservice
 * sees it (reference §1.4, open points §2): one document per INS in the
 * module's own collection, never a FHIR resource, so that no search, read or
 * export can reach it. Access is unitary only: a retrieval by traits answers
 * at most one identity, a verification answers a verdict.
 *
 * Matching rules of a traits search (our model of INSi's, documented in
 * normalise.ts): birth name exact after folding, birth date exact, sex exact,
 * the first names asked for are the register's first k birth first names in
 * order, and the birth place, when given, narrows. Several hits answer 02,
 * as INSi does ("Plusieurs identites trouvees"). A verification compares the
 * same way but wants the whole list of first names.
 */
import type { StoreReader } from '../../storage/contract.js';
import type { Collection, CollectionOptions } from '../../storage/collection.js';
import type { InsTraits } from '../fr-core.js';
import type { InsiIdentity, InsiLookup, InsiRetrieval, InsiVerification, TraitName } from './contract.js';
import { givenListEquals, givenMatches, normaliseName, traitsKey } from './normalise.js';
import { fail } from '../../core/errors.js';
import { identityFromPatient, identityProblem } from './reference-identity.js';

/** The collection's name: module "identity", documents "insi". */
export const REGISTER_COLLECTION = 'identity.insi';

/** Homonyms sharing birth name, date and sex read at once; far above any real count. */
const CANDIDATE_LIMIT = 500;

/** Lookups of a register document: the three exact traits of a traits search. */
export const registerLookups: CollectionOptions<InsiIdentity> = {
  lookups: (identity) => ({ traits: traitsKey(identity.traits.family, identity.traits.birthDate, identity.traits.gender) }),
};

export type RetrievalTraits = Parameters<InsiLookup['retrieve']>[0];

function sameBirthPlace(asked: string | undefined, reference: string | undefined): boolean {
  return asked === undefined || asked.toUpperCase() === reference?.toUpperCase();
}

/**
 * The traits of `asked` that differ from the register's `reference` (an absent
 * birth place is not compared). First names must be the whole list of birth
 * first names: "Chiara" does not verify an INS whose list is "CHIARA MARIA".
 */
export function differingTraits(reference: InsTraits, asked: InsTraits): TraitName[] {
  const differing: TraitName[] = [];
  if (normaliseName(reference.family) !== normaliseName(asked.family)) differing.push('family');
  if (!givenListEquals(asked.given, reference.given)) differing.push('given');
  if (reference.gender !== asked.gender) differing.push('gender');
  if (reference.birthDate !== asked.birthDate) differing.push('birthdate');
  if (!sameBirthPlace(asked.birthPlace, reference.birthPlace)) differing.push('birthplace');
  return differing;
}

export class InsiRegister implements InsiLookup {
  /** `collection` must have been opened with `registerLookups`. */
  constructor(private readonly collection: Collection<InsiIdentity>) {}

  /** Opens the register through a collection factory (ModuleContext.collection, or a CLI's own). */
  static open(collection: (name: string, options: CollectionOptions<InsiIdentity>) => Collection<InsiIdentity>): InsiRegister {
    return new InsiRegister(collection(REGISTER_COLLECTION, registerLookups));
  }

  /** Adds (or replaces) one reference identity; throws the catalogued problem when it is not one. */
  async add(identity: InsiIdentity): Promise<void> {
    const problem = identityProblem(identity);
    if (problem) throw problem;
    await this.collection.put(identity.ins.toUpperCase(), identity);
  }

  /** Adds identities already checked (identityFromPatient or identityProblem) in one durable unit. */
  async addMany(identities: readonly InsiIdentity[]): Promise<void> {
    if (identities.length === 0) return;
    await this.collection.putMany(identities.map((identity) => [identity.ins.toUpperCase(), identity] as const));
  }

  /** INSi's traits search: 00 with the one identity, 01 none, 02 several (the identities themselves are never returned then). */
  async retrieve(asked: RetrievalTraits): Promise<InsiRetrieval> {
    const candidates = await this.collection.find('traits', traitsKey(asked.family, asked.birthDate, asked.gender), CANDIDATE_LIMIT);
    const matches = candidates.filter(({ value }) =>
      givenMatches(asked.given, value.traits.given) && sameBirthPlace(asked.birthPlace, value.traits.birthPlace));
    if (matches.length === 0) return { result: '01' };
    if (matches.length > 1) return { result: '02' };
    return { result: '00', identity: matches[0]!.value };
  }

  /** Checks an INS (and its OID when given) against traits: valid when the INS is known and no trait differs; an unknown INS is the mismatch "ins". */
  async verify(ins: string, traits: InsTraits, system?: string, reader?: StoreReader): Promise<InsiVerification> {
    const reference = await this.collection.get(ins.toUpperCase(), reader);
    // An INS sent under another authority's OID (a NIA given as a NIR) is not the register's INS.
    if (!reference || (system !== undefined && system !== reference.system)) return { valid: false, mismatches: ['ins'] };
    const mismatches = differingTraits(reference.traits, traits);
    return { valid: mismatches.length === 0, mismatches };
  }
}

export interface LoadReport {
  loaded: number;
  readonly rejections: { readonly index: number; readonly error: Error }[];
}

/**
 * Loads reference identities (fr-core-patient-ins Patients by default) into
 * the register in batches: what the demo generator uses. Each one is checked
 * (identityFromPatient); a rejected one, or an INS seen earlier in the same
 * load, is reported with its index and the rest still load.
 */
export async function loadReferenceIdentities(
  register: InsiRegister,
  items: Iterable<unknown> | AsyncIterable<unknown>,
  read: (item: unknown) => InsiIdentity = identityFromPatient,
  batchSize = 500,
): Promise<LoadReport> {
  const report: LoadReport = { loaded: 0, rejections: [] };
  const seen = new Map<string, number>();
  let batch: InsiIdentity[] = [];
  let index = 0;
  for await (const item of items) {
    try {
      const identity = read(item);
      const earlier = seen.get(identity.ins);
      if (earlier !== undefined) throw fail('insi.reference-duplicate', { line: earlier + 1 });
      seen.set(identity.ins, index);
      batch.push(identity);
    } catch (error) {
      report.rejections.push({ index, error: error as Error });
    }
    index += 1;
    if (batch.length >= batchSize) {
      await register.addMany(batch);
      report.loaded += batch.length;
      batch = [];
    }
  }
  await register.addMany(batch);
  report.loaded += batch.length;
  return report;
}
