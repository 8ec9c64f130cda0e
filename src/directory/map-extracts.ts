/**
 * From parsed extract lines to FHIR resources (pure). Which source owns what:
 * - personne-activité owns Practitioner, PractitionerRole, and the
 *   Organizations of structures without a FINESS number (practices, SIRET sites);
 * - FINESS owns the Organizations of FINESS establishments (EG) and their legal
 *   entities (EJ): a PractitionerRole at a FINESS site points to the same
 *   deterministic id ("1" + FINESS), so the two imports meet without either
 *   overwriting the other's resource;
 * - savoir-faire and MSSanté enrich resources the others own (enrichment.ts).
 */
import { buildOrganization, buildPractitioner, buildPractitionerRole, type DataTraceInput, type SavoirFaireInput } from './fhir-builders.js';
import type { FinessEstablishment } from './finess-etalab.js';
import { idNatStructFromFiness } from './identifiers.js';
import type { PsActivite } from './ps-activite.js';

type Json = Record<string, unknown>;

/** Everything personne-activité writes comes from the RPPS. */
const RPPS: DataTraceInput = { system: 'RPPS' };

/**
 * A professional's lines in an order of their content alone (profession code, then the whole line), so that
 * what is built does not depend on the order the file lists them in.
 */
function inContentOrder(lines: readonly PsActivite[]): PsActivite[] {
  const keyed = lines.map((line) => ({ line, key: JSON.stringify(line) }));
  keyed.sort((a, b) => a.line.professionCode.localeCompare(b.line.professionCode) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.line);
}

/**
 * The resources of one professional: all the lines of one idNat_PS (the extract lists them together; the import
 * gathers those of a file that does not). The Practitioner carries one profession (FR Core 2.2.0
 * fr-core-practitioner: qualification[exercicePro] 0..1), the lowest code among its lines; each situation's
 * PractitionerRole carries its own, so a second profession is on the roles of its situations.
 */
export function mapPersonGroup(input: readonly PsActivite[]): Json[] {
  const lines = inContentOrder(input);
  const first = lines[0];
  if (!first) return [];
  const savoirFaire: SavoirFaireInput[] = [];
  for (const line of lines) {
    if (line.savoirFaireType && line.savoirFaireCode) {
      savoirFaire.push({ type: line.savoirFaireType, code: line.savoirFaireCode, ...(line.savoirFaireDisplay ? { display: line.savoirFaireDisplay } : {}) });
    }
  }
  const practitioner = buildPractitioner({
    idNatPs: first.idNatPs,
    ...(first.rpps ? { rpps: first.rpps } : {}),
    family: first.family,
    ...(first.given ? { given: first.given } : {}),
    ...(first.practiceCivility ? { practiceCivility: first.practiceCivility } : {}),
    ...(first.civility ? { civility: first.civility } : {}),
    professionCode: first.professionCode,
    ...(first.professionDisplay ? { professionDisplay: first.professionDisplay } : {}),
    ...(first.categoryCode ? { professionCategory: first.categoryCode } : {}),
    savoirFaire,
    dataTrace: RPPS,
  });
  const resources = new Map<string, Json>([[`Practitioner/${String(practitioner.id)}`, practitioner]]);
  for (const line of lines) {
    const structure = line.structure;
    for (const organization of structureOrganizations(line)) resources.set(`Organization/${String(organization.id)}`, organization);
    const role = buildPractitionerRole({
      idNatPs: line.idNatPs,
      ...(structure ? { organizationIdNatStruct: structure.idNatStruct } : {}),
      professionCode: line.professionCode,
      ...(line.modeCode ? { modeCode: line.modeCode } : {}),
      ...(line.roleCode ? { functionCode: line.roleCode } : {}),
      ...(line.activityGenreCode ? { activityGenreCode: line.activityGenreCode } : {}),
      ...(line.pharmacistSection ? { pharmacistSection: line.pharmacistSection } : {}),
      dataTrace: RPPS,
    });
    resources.set(`PractitionerRole/${String(role.id)}`, role);
  }
  return [...resources.values()];
}

/**
 * The Organization of a line's structure, as personne-activité describes it. A FINESS site (and its legal entity,
 * identifiers only, as FINESS writes it) is FINESS's once FINESS lists it: until then the import writes this
 * minimal form, so that the roles' references lead somewhere; afterwards only its RPPS-only elements are added
 * to FINESS's record (shared-sites.ts).
 */
function structureOrganizations(line: PsActivite): Json[] {
  const structure = line.structure;
  if (!structure) return [];
  const legal = structure.finessSite && structure.finessLegal && structure.finessLegal !== structure.finessSite ? structure.finessLegal : undefined;
  const site = buildOrganization({
    idNatStruct: structure.idNatStruct,
    kind: 'GEOGRAPHICAL-ENTITY',
    ...(structure.name ? { name: structure.name } : {}),
    ...(structure.alias ? { alias: [structure.alias] } : {}),
    ...(structure.finessSite ? { finess: structure.finessSite } : {}),
    ...(structure.siret ? { siret: structure.siret } : {}),
    ...(structure.siren ? { siren: structure.siren } : {}),
    ...(structure.technicalId ? { technicalId: structure.technicalId } : {}),
    ...(line.sectorCode ? { sectorCode: line.sectorCode } : {}),
    ...(legal ? { partOfIdNatStruct: idNatStructFromFiness(legal) } : {}),
    address: {
      lines: structure.lines,
      ...(structure.postalCode ? { postalCode: structure.postalCode } : {}),
      ...(structure.city ? { city: structure.city } : {}),
      ...(structure.inseeCode ? { inseeCode: structure.inseeCode } : {}),
      ...(structure.country ? { country: structure.country } : {}),
    },
    ...(structure.phone ? { phone: structure.phone } : {}),
    ...(structure.fax ? { fax: structure.fax } : {}),
    ...(structure.email ? { email: structure.email } : {}),
    dataTrace: RPPS,
  });
  if (!legal) return [site];
  return [buildOrganization({ idNatStruct: idNatStructFromFiness(legal), kind: 'LEGAL-ENTITY', finess: legal, dataTrace: RPPS }), site];
}

/** The geographical entity of a FINESS row, partOf its legal entity, and that legal entity (identifiers only: the extract names sites, not EJs). */
export function mapFinessEstablishment(row: FinessEstablishment): Json[] {
  const ej = idNatStructFromFiness(row.finessEj);
  const site = buildOrganization({
    idNatStruct: idNatStructFromFiness(row.finessEt),
    kind: 'GEOGRAPHICAL-ENTITY',
    name: row.name,
    ...(row.alias ? { alias: [row.alias] } : {}),
    finess: row.finessEt,
    ...(row.siret ? { siret: row.siret } : {}),
    ...(row.categoryCode ? { categoryCode: row.categoryCode } : {}),
    ...(row.categoryDisplay ? { categoryDisplay: row.categoryDisplay } : {}),
    ...(row.sphCode ? { sphParticipationCode: row.sphCode, ...(row.sphDisplay ? { sphParticipationDisplay: row.sphDisplay } : {}) } : {}),
    partOfIdNatStruct: ej,
    ...(row.openedOn ? { openedOn: row.openedOn } : {}),
    address: {
      lines: row.lines,
      ...(row.postalCode ? { postalCode: row.postalCode } : {}),
      ...(row.city ? { city: row.city } : {}),
      ...(row.inseeCode ? { inseeCode: row.inseeCode } : {}),
    },
    ...(row.phone ? { phone: row.phone } : {}),
    ...(row.fax ? { fax: row.fax } : {}),
    dataTrace: { system: 'FINESS', ...(row.updatedOn ? { updatedOn: row.updatedOn } : {}) },
  });
  if (row.finessEj === row.finessEt) return [site];
  // The row's update date is the site's; its legal entity, named by several rows, only says where it comes from.
  return [buildOrganization({ idNatStruct: ej, kind: 'LEGAL-ENTITY', finess: row.finessEj, dataTrace: { system: 'FINESS' } }), site];
}
