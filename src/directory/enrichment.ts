/**
 * What the savoir-faire and MSSanté extracts add to resources another extract
 * owns: the savoir-faire qualifications of a Practitioner, the MSSanté
 * mailboxes of a Practitioner or Organization. Kept per resource in the
 * module's collection "directory.enrichment" (key "Type/id"), applied at
 * once to the stored resource, and applied again by the personne-activité and
 * FINESS imports to what they write, so that a re-import of those never drops
 * what the other extracts said.
 */
import type { Collection } from '../storage/collection.js';
import { CODE_SYSTEM, EXTENSION } from './code-systems.js';
import { buildPractitioner, publishedMailboxes, type MailboxMssInput, type SavoirFaireInput } from './fhir-builders.js';

type Json = Record<string, unknown>;

export interface Enrichment {
  readonly savoirFaire?: readonly SavoirFaireInput[];
  readonly mailboxes?: readonly MailboxMssInput[];
  /** What personne-activité says of a FINESS site that FINESS does not (shared-sites.ts). */
  readonly rppsSite?: RppsSiteSlots;
}

/**
 * The elements of a FINESS-numbered Organization that only personne-activité knows: the RPPS technical id
 * (RPPSRG) and SIREN identifiers, the activity sector (TRE_R02 type), the structure's e-mail. FINESS writes none
 * of them, so replacing them never touches what FINESS wrote.
 */
export interface RppsSiteSlots {
  readonly identifier: readonly Json[];
  readonly type: readonly Json[];
  readonly telecom: readonly Json[];
}

export type EnrichmentPart = keyof Enrichment;

const codings = (element: Json): { system?: string }[] => ((element.code as { coding?: { system?: string }[] } | undefined)?.coding ?? []);
const isSavoirFaire = (qualification: Json): boolean => codings(qualification).some((c) => c.system === CODE_SYSTEM.savoirFaireType);
const isMssMailbox = (telecom: Json): boolean =>
  ((telecom.extension as { url?: string; valueCoding?: { code?: string } }[] | undefined) ?? []).some((e) => e.url === EXTENSION.emailType && e.valueCoding?.code === 'MSSANTE');

const identifierTypes = (identifier: Json): string[] => ((identifier.type as { coding?: { code?: string }[] } | undefined)?.coding ?? []).map((c) => String(c.code));
const isRppsIdentifier = (identifier: Json): boolean => identifierTypes(identifier).some((code) => code === 'RPPSRG' || code === 'SIREN');
const isRppsType = (type: Json): boolean => ((type.coding as { system?: string }[] | undefined) ?? []).some((c) => c.system === CODE_SYSTEM.activitySector);
const isRppsTelecom = (telecom: Json): boolean => telecom.system === 'email' && !isMssMailbox(telecom);

/** The RPPS-only elements of an Organization built from personne-activité. */
export function rppsSiteSlots(organization: Json): RppsSiteSlots {
  const list = (name: string): Json[] => (organization[name] as Json[] | undefined) ?? [];
  return { identifier: list('identifier').filter(isRppsIdentifier), type: list('type').filter(isRppsType), telecom: list('telecom').filter(isRppsTelecom) };
}

/** The Organization with its RPPS-only elements replaced by `slots` (appended after what the owner wrote). */
function withRppsSlots(resource: Json, slots: RppsSiteSlots): Json {
  const out: Json = { ...resource };
  const replace = (name: string, isSlot: (element: Json) => boolean, added: readonly Json[]): void => {
    const list = [...((resource[name] as Json[] | undefined) ?? []).filter((e) => !isSlot(e)), ...added];
    if (list.length > 0) out[name] = list;
    else delete out[name];
  };
  replace('identifier', isRppsIdentifier, slots.identifier);
  replace('type', isRppsType, slots.type);
  replace('telecom', isRppsTelecom, slots.telecom);
  return out;
}

/**
 * The resource with its savoir-faire, MSSanté mailboxes and RPPS site elements replaced by the enrichment's (parts
 * absent are left alone). The site elements go first and the mailboxes last, so that any order of the imports
 * gives the same arrays.
 */
export function applyEnrichment(resource: Json, enrichment: Enrichment): Json {
  let out: Json = { ...resource };
  if (enrichment.rppsSite && resource.resourceType === 'Organization') out = withRppsSlots(out, enrichment.rppsSite);
  if (enrichment.savoirFaire && resource.resourceType === 'Practitioner') {
    const built = buildPractitioner({ idNatPs: 'x', family: 'x', professionCode: '00', savoirFaire: enrichment.savoirFaire });
    const added = (built.qualification as Json[]).filter(isSavoirFaire);
    const kept = ((resource.qualification as Json[] | undefined) ?? []).filter((q) => !isSavoirFaire(q));
    out.qualification = [...kept, ...added];
  }
  if (enrichment.mailboxes) {
    const kept = ((out.telecom as Json[] | undefined) ?? []).filter((t) => !isMssMailbox(t));
    const added = publishedMailboxes(enrichment.mailboxes, resource.resourceType === 'Practitioner' ? 'Practitioner' : resource.resourceType === 'PractitionerRole' ? 'PractitionerRole' : 'Organization');
    const telecom = [...kept, ...added];
    if (telecom.length > 0) out.telecom = telecom;
    else delete out.telecom;
  }
  return out;
}

/** A stored resource made ready to PUT again: without its version metadata. */
export function withoutVersion(resource: Json): Json {
  const { meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = (meta ?? {}) as Json;
  return { ...rest, ...(Object.keys(metaRest).length > 0 ? { meta: metaRest } : {}) };
}

/** Every enrichment, by resource key (loaded once per owned import). */
export async function loadEnrichments(collection: Collection<Enrichment>): Promise<Map<string, Enrichment>> {
  const all = new Map<string, Enrichment>();
  let after: string | undefined;
  for (;;) {
    const page = await collection.scan(after, 1000);
    for (const entry of page) all.set(entry.key, entry.value);
    if (page.length < 1000) break;
    after = page[page.length - 1]?.key;
  }
  return all;
}
