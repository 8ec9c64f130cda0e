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
}

export type EnrichmentPart = keyof Enrichment;

const codings = (element: Json): { system?: string }[] => ((element.code as { coding?: { system?: string }[] } | undefined)?.coding ?? []);
const isSavoirFaire = (qualification: Json): boolean => codings(qualification).some((c) => c.system === CODE_SYSTEM.savoirFaireType);
const isMssMailbox = (telecom: Json): boolean =>
  ((telecom.extension as { url?: string; valueCoding?: { code?: string } }[] | undefined) ?? []).some((e) => e.url === EXTENSION.emailType && e.valueCoding?.code === 'MSSANTE');

/** The resource with its savoir-faire and MSSanté mailboxes replaced by the enrichment's (parts absent are left alone). */
export function applyEnrichment(resource: Json, enrichment: Enrichment): Json {
  const out: Json = { ...resource };
  if (enrichment.savoirFaire && resource.resourceType === 'Practitioner') {
    const built = buildPractitioner({ idNatPs: 'x', family: 'x', professionCode: '00', savoirFaire: enrichment.savoirFaire });
    const added = (built.qualification as Json[]).filter(isSavoirFaire);
    const kept = ((resource.qualification as Json[] | undefined) ?? []).filter((q) => !isSavoirFaire(q));
    out.qualification = [...kept, ...added];
  }
  if (enrichment.mailboxes) {
    const kept = ((resource.telecom as Json[] | undefined) ?? []).filter((t) => !isMssMailbox(t));
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
