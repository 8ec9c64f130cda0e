/**
 * What a Patient write brings as identity evidence, read against the stored
 * version: the claimed status, the RNIV attributes, the document check, the
 * INS (checked by ins/ against FR Core and the NIR rules, then against the
 * traits) and which traits changed. Everything a client can get wrong here
 * is refused with a catalogued 422 before any INSi call.
 */
import { FhirError, fail, type Issue } from '../../core/errors.js';
import { BIRTH_LIST_GIVEN_NAME, traitsOf, type IdentityStatus, type InsTraits } from '../fr-core.js';
import { normaliseName } from '../insi/normalise.js';
import { checkInsIdentifier, insIssue } from '../ins/check-ins-identifier.js';
import { checkTraitConsistency } from '../ins/check-trait-consistency.js';
import { insKindOf, isActiveIns, isComputedIns, type FhirIdentifier } from '../ins/ins-identifier.js';
import type { InsEvidence, StatusInput } from './next-status.js';
import { readReliability, type Reliability } from './reliability.js';
import { changedTraits } from './trait-changes.js';
import type { TraitName } from '../insi/contract.js';
import { FR_CORE_VALIDATION_MODE_SYSTEM, documentKind } from './validation-modes.js';
import { frenchDay } from '../french-day.js';

type Json = Record<string, unknown>;

const STATUSES: readonly string[] = ['PROV', 'VALI', 'RECUP', 'QUAL'];
const METHOD_COLLECTION_PATH = "Patient.extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability').extension('methodCollection')";
const VALIDATION_DATE_PATH = "Patient.extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability').extension('validationDate')";
/** fr-core-cs-method-collection#AV, Application carte Vitale. */
const APPLI_CARTE_VITALE = 'AV';

export interface WriteEvidence {
  /** The state machine's input, without INSi's verdict yet. */
  readonly input: StatusInput;
  /** The INS the identity would hold: written, or the one kept aside for a RECUP identity. */
  readonly ins?: FhirIdentifier;
  /** INS identifiers of the write marked `old` (kept after a merge). */
  readonly oldIns: readonly FhirIdentifier[];
  readonly traits?: InsTraits;
  /** Warnings of the INS checks (pseudo-month, renumbered birth place, unknown sex). */
  readonly warnings: readonly Issue[];
}

function identifiers(patient: Json): FhirIdentifier[] {
  return Array.isArray(patient.identifier) ? (patient.identifier as FhirIdentifier[]) : [];
}

/** The active INS identifier of a stored Patient. */
export function activeInsOf(patient: Json | undefined): FhirIdentifier | undefined {
  return patient ? identifiers(patient).find(isActiveIns) : undefined;
}

export function sameIns(a: FhirIdentifier | undefined, b: FhirIdentifier | undefined): boolean {
  return a !== undefined && b !== undefined && a.system === b.system && String(a.value).toUpperCase() === String(b.value).toUpperCase();
}

function claimedStatus(reliability: Reliability): IdentityStatus | undefined {
  if (reliability.statuses.length > 1) throw fail('vigilance.reliability-several', { count: reliability.statuses.length });
  const claimed = reliability.statuses[0];
  if (claimed !== undefined && !STATUSES.includes(claimed)) throw fail('vigilance.status-unknown', { code: claimed });
  return claimed as IdentityStatus | undefined;
}

function checkValidationMode(reliability: Reliability): void {
  const mode = reliability.validationMode;
  if (!mode) return;
  const knownSystem = mode.system === undefined || mode.system === FR_CORE_VALIDATION_MODE_SYSTEM;
  if (!knownSystem || documentKind(mode.code) === undefined) throw fail('vigilance.validation-mode-unknown', { code: mode.code });
}

/** The first of the five traits an INS cannot be recorded without (fr-core-patient-ins cardinalities). */
function missingTrait(traits: InsTraits | undefined): string | undefined {
  if (!traits || traits.family.trim() === '') return "Patient.name.where(use = 'official').family";
  if (traits.given.length === 0) return "Patient.name.where(use = 'official').given";
  if (traits.gender !== 'male' && traits.gender !== 'female' && traits.gender !== 'unknown') return 'Patient.gender';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(traits.birthDate)) return 'Patient.birthDate';
  if (traits.birthPlace === undefined) return "Patient.extension('http://hl7.org/fhir/StructureDefinition/patient-birthPlace')";
  return undefined;
}

const OFFICIAL_NAME = "Patient.name.where(use = 'official')";

/**
 * The official name as fr-core-patient-ins shapes it: the birth-list-given-name
 * extension (INSi's list, 1..1) and one given, the first name of that list
 * (given 1..1). Without them the traits the INS was checked against are not
 * the ones shown: "Maria" as given under the list "Chiara Maria" is an edit of
 * a trait, not the same identity.
 */
function officialNameIssues(patient: Json): Issue[] {
  const names = Array.isArray(patient.name) ? (patient.name as Json[]) : [];
  const official = names.find((n) => n.use === 'official');
  if (!official) return [insIssue('ins.official-name-shape', { reason: 'no official name / pas de nom officiel' }, 'Patient.name')];
  const extensions = Array.isArray(official.extension) ? (official.extension as Json[]) : [];
  const lists = extensions.filter((e) => e.url === BIRTH_LIST_GIVEN_NAME);
  // Names in the list are separated by spaces; a compound name keeps its hyphen ("Jean-Pierre Paul").
  const first = typeof lists[0]?.valueString === 'string' ? (lists[0].valueString.trim().split(/\s+/)[0] ?? '') : '';
  if (lists.length !== 1 || normaliseName(first) === '') {
    return [insIssue('ins.official-name-shape', { reason: 'birth-list-given-name' }, `${OFFICIAL_NAME}.extension('${BIRTH_LIST_GIVEN_NAME}')`)];
  }
  const given = Array.isArray(official.given) ? (official.given as unknown[]) : [];
  if (given.length !== 1 || typeof given[0] !== 'string' || normaliseName(given[0]) !== normaliseName(first)) {
    return [insIssue('ins.official-name-shape', { reason: 'given' }, `${OFFICIAL_NAME}.given`)];
  }
  return [];
}

interface WrittenIns {
  readonly active?: FhirIdentifier;
  readonly old: readonly FhirIdentifier[];
  /** Problems of the identifiers themselves (system, use, type, number). */
  readonly form: readonly Issue[];
  /** Disagreements between the active INS and the traits (or traits missing). */
  readonly traits: readonly Issue[];
}

/** A given name moved away from the first birth first name is an edit of the first-names trait, even with the list unchanged. */
function withNameShape(changed: TraitName[], issues: readonly Issue[]): TraitName[] {
  return issues.some((i) => i.message === 'ins.official-name-shape') && !changed.includes('given') ? [...changed, 'given'] : changed;
}

/** The INS identifiers of the write, each checked against FR Core, the NIR rules and the traits. */
function readWrittenIns(patient: Json, traits: InsTraits | undefined): WrittenIns {
  const form: Issue[] = [];
  const consistency: Issue[] = [];
  const active: FhirIdentifier[] = [];
  const old: FhirIdentifier[] = [];
  identifiers(patient).forEach((identifier, index) => {
    if (!insKindOf(identifier)) return;
    const path = `Patient.identifier[${index}]`;
    const check = checkInsIdentifier(identifier, path);
    form.push(...check.issues);
    if (!isActiveIns(identifier)) { old.push(identifier); return; }
    active.push(identifier);
    if (!check.parts) return;
    const missing = missingTrait(traits);
    if (missing) consistency.push(insIssue('ins.traits-missing', { trait: missing }, missing));
    else consistency.push(...officialNameIssues(patient), ...checkTraitConsistency(check.parts, traits!, path));
  });
  if (active.length > 1) form.push(insIssue('ins.several-active', { count: active.length }, 'Patient.identifier'));
  return { ...(active[0] ? { active: active[0] } : {}), old, form, traits: consistency };
}

function hasError(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/**
 * Whether the write's INS was read from the Appli carte Vitale: FR Core's
 * methodCollection AV ("obtention directe de l'INS par scan du QR code ou
 * lecture NFC de l'Application carte Vitale ; l'identité ainsi obtenue est
 * considérée comme qualifiée", RNIV 1 v2.0 §4.3.4). The channel of the INS
 * decides, not validationMode AV: that one names the device the traits were
 * checked against (a high-trust document, validation-modes.ts) and says
 * nothing of where an INS came from, so with another channel the INS is still
 * verified with INSi. 'kept' when the stored version already said AV for the
 * INS it holds; an INS written with AV on a record without it is a new
 * reading. Another INS while the stored AV is kept is refused: the client
 * removes AV (the new INS is then verified with INSi) or, for a new reading
 * of the app giving another INS, records it once the old reading is gone.
 */
function appliCarteVitale(reliability: Reliability, stored: Reliability | undefined, ins: InsEvidence): 'fresh' | 'kept' | undefined {
  if (reliability.methodCollection !== APPLI_CARTE_VITALE) return undefined;
  if (stored?.methodCollection !== APPLI_CARTE_VITALE) return 'fresh';
  // AV carries no date: a write keeping it with another INS cannot be told from the stored
  // record written back with its INS edited, which would then pass for a reading, QUAL without INSi.
  if (ins.kind === 'new') throw fail('vigilance.appli-carte-vitale-ins-changed', {}, { expression: [METHOD_COLLECTION_PATH, 'Patient.identifier'] });
  return 'kept';
}

/**
 * A new document check is dated when it was made: not after today (the
 * newest day on French territory, french-day.ts: a check is dated by the local
 * day, which in La Réunion is hours ahead of Paris's) nor before the person
 * was born. Either is a check that cannot have happened, and the status
 * would rest on it. Compared at the precision written (a FHIR date may be a
 * year or a month).
 */
function checkValidationDate(validationDate: string | undefined, today: string, birthDate: unknown): void {
  if (validationDate === undefined) return;
  const born = typeof birthDate === 'string' ? birthDate : undefined;
  const afterToday = validationDate > today.slice(0, validationDate.length);
  const beforeBirth = born !== undefined && validationDate < born.slice(0, validationDate.length);
  if (afterToday || beforeBirth) throw fail('vigilance.validation-date-invalid', { date: validationDate }, { expression: [VALIDATION_DATE_PATH] });
}

/**
 * A doubtful (DOUT) or fictitious (FICT) identity cannot be validated (RNIV;
 * reference §1.3): a check made while the doubt stood vouches for nothing
 * once it is lifted. The write lifting the doubt may record the check that
 * lifted it, but not one the stored version under doubt already carried
 * (kept from before this rule), nor one dated before that version was
 * written (the French day of its lastUpdated): that check was made under
 * doubt, and re-sending it would validate on it.
 */
function checkDoubtLifted(stored: Reliability, sameCheck: boolean, validationDate: string | undefined, current: Json): void {
  if (!stored.comments.includes('DOUT') && !stored.comments.includes('FICT')) return;
  const attribute = stored.comments.includes('DOUT') ? 'DOUT' : 'FICT';
  const lastUpdated = (current.meta as Json | undefined)?.lastUpdated;
  const doubtDay = typeof lastUpdated === 'string' ? frenchDay(Date.parse(lastUpdated)) : undefined;
  if (sameCheck || (validationDate !== undefined && doubtDay !== undefined && validationDate < doubtDay)) {
    throw fail('vigilance.document-under-doubt', { attribute }, { expression: [VALIDATION_DATE_PATH] });
  }
}

/**
 * Reads the evidence of a Patient write. `current` is the stored version,
 * `aside` the INS kept aside for a RECUP identity (pending-ins.ts), `today`
 * the day a new check may be dated at the latest (latestFrenchDay).
 */
export function gatherEvidence(resource: Json, current: Json | undefined, aside: FhirIdentifier | undefined, today?: string): WriteEvidence {
  const reliability = readReliability(resource);
  const claimed = claimedStatus(reliability);
  checkValidationMode(reliability);
  const traits = traitsOf(resource);
  const written = readWrittenIns(resource, traits);

  const stored = current ? readReliability(current) : undefined;
  const previous = current ? ((stored?.statuses[0] as IdentityStatus | undefined) ?? 'PROV') : undefined;
  const held = previous === 'QUAL' ? activeInsOf(current) : previous === 'RECUP' ? aside : undefined;

  // Broken identifiers are always refused. A new INS that the traits
  // contradict is refused too; the held one, re-sent with edited traits it no
  // longer fits, simply stops being evidence (the identity drops, a review opens).
  if (hasError(written.form)) throw new FhirError(422, [...written.form, ...written.traits]);
  let ins: InsEvidence = { kind: 'none' };
  if (written.active && !sameIns(written.active, held)) {
    if (hasError(written.traits)) throw new FhirError(422, written.traits);
    ins = { kind: 'new' };
  } else if (written.active) {
    ins = hasError(written.traits) ? { kind: 'kept', verified: false } : { kind: 'kept' };
  } else if (held) {
    ins = { kind: previous === 'RECUP' ? 'kept' : 'removed' };
  }

  const mode = reliability.validationMode;
  const appli = appliCarteVitale(reliability, stored, ins);
  const sameCheck = mode !== undefined && stored?.validationMode?.code === mode.code && stored.validationDate === reliability.validationDate;
  const doubtful = reliability.comments.includes('DOUT');
  const fictitious = reliability.comments.includes('FICT');
  if (mode !== undefined && !doubtful && !fictitious && current && stored) checkDoubtLifted(stored, sameCheck, reliability.validationDate, current);
  if (mode !== undefined && !sameCheck && today !== undefined) checkValidationDate(reliability.validationDate, today, resource.birthDate);
  const input: StatusInput = {
    ...(previous ? { previous } : {}),
    ...(claimed ? { claimed } : {}),
    doubtful,
    fictitious,
    document: mode === undefined ? 'none' : sameCheck ? 'kept' : 'fresh',
    ...(mode ? { documentMode: mode.code } : {}),
    changedTraits: current ? withNameShape(changedTraits(traitsOf(current), traits), written.traits) : [],
    ins,
    ...(appli ? { appliCarteVitale: appli } : {}),
  };
  const insToHold = written.active ?? (ins.kind === 'kept' ? held : undefined);
  const warnings = [...written.form, ...written.traits].filter((i) => i.severity === 'warning');
  // An INS-C is kept as fr-core-patient allows, and the client told it counts for nothing here.
  identifiers(resource).forEach((identifier, index) => {
    if (isComputedIns(identifier)) warnings.push(insIssue('ins.computed-not-ins', {}, `Patient.identifier[${index}]`, 'warning'));
  });
  return { input, ...(insToHold ? { ins: insToHold } : {}), oldIns: written.old, ...(traits ? { traits } : {}), warnings };
}
