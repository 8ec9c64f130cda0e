/**
 * National identifiers of professionals and structures (reference §0, §2.1):
 * their FHIR systems, the idNat_PS / idNat_Struct prefixes of TRE_G08, the
 * Luhn keys of RPPS, ADELI, FINESS, SIREN and SIRET, and the deterministic
 * FHIR ids the directory derives from them so that a re-import updates the
 * same resources.
 *
 * FR Core (https://hl7.fr/ig/fhir/core/StructureDefinition-fr-core-practitioner.html)
 * asks consumers not to parse idNat_PS: we only build it here from the
 * directory's own columns, and read it back as an opaque string elsewhere.
 */

export const SYSTEM = {
  idNatPs: 'urn:oid:1.2.250.1.71.4.2.1',
  idNatStruct: 'urn:oid:1.2.250.1.71.4.2.2',
  rpps: 'https://rpps.esante.gouv.fr',
  adeli: 'https://adeli.esante.gouv.fr',
  finess: 'https://finess.esante.gouv.fr',
  sirene: 'https://sirene.fr',
  rppsRang: 'https://rppsrang.esante.gouv.fr',
  adeliRang: 'https://adelirang.esante.gouv.fr',
  identifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
} as const;

/** TRE_G08 prefixes of idNat_PS / idNat_Struct (reference §0 and §2.1). */
export const ID_NAT_PREFIX = { adeli: '0', finess: '1', siren: '2', siret: '3', rpps: '8', rppsRang: '4' } as const;

/** Luhn (mod 10) check over the whole string (open-points-resolved §3). */
export function luhnValid(value: string): boolean {
  if (!/^\d+$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    let digit = value.charCodeAt(value.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** RPPS: 11 digits, Luhn key (open-points-resolved §3). */
export const rppsValid = (value: string): boolean => /^\d{11}$/.test(value) && luhnValid(value);
/** ADELI: 9 digits, Luhn key. */
export const adeliValid = (value: string): boolean => /^\d{9}$/.test(value) && luhnValid(value);
/** FINESS (EJ or EG): 9 digits with a Luhn key; Corsican 2A/2B numbers accepted without key (rule unconfirmed). */
export const finessValid = (value: string): boolean => (/^\d{9}$/.test(value) ? luhnValid(value) : /^2[AB]\d{7}$/.test(value));
/** SIREN: 9 digits, Luhn key. */
export const sirenValid = (value: string): boolean => /^\d{9}$/.test(value) && luhnValid(value);
/** SIRET: 14 digits, Luhn key, except La Poste (SIREN 356000000) whose digits sum to a multiple of 5. */
export function siretValid(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (luhnValid(value)) return true;
  return value.startsWith('356000000') && [...value].reduce((sum, c) => sum + Number(c), 0) % 5 === 0;
}

/** idNat_PS of a professional registered in RPPS: "8" + RPPS (12 characters). */
export function idNatPsFromRpps(rpps: string): string {
  return ID_NAT_PREFIX.rpps + rpps;
}

/** idNat_PS of a professional registered in ADELI: "0" + ADELI (10 characters). */
export function idNatPsFromAdeli(adeli: string): string {
  return ID_NAT_PREFIX.adeli + adeli;
}

/** idNat_Struct of a FINESS entity (legal or geographical): "1" + FINESS. */
export function idNatStructFromFiness(finess: string): string {
  return ID_NAT_PREFIX.finess + finess;
}

/** idNat_Struct of a site known by its SIRET: "3" + SIRET. */
export function idNatStructFromSiret(siret: string): string {
  return ID_NAT_PREFIX.siret + siret;
}

/** idNat_Struct of a structure known by its SIREN: "2" + SIREN. */
export function idNatStructFromSiren(siren: string): string {
  return ID_NAT_PREFIX.siren + siren;
}

/** The RPPS number inside an idNat_PS, when it is one ("8" + 11 digits). */
export function rppsOfIdNatPs(idNatPs: string): string | undefined {
  return /^8\d{11}$/.test(idNatPs) ? idNatPs.slice(1) : undefined;
}

/** A FHIR id ([A-Za-z0-9\-.]{1,64}) made from national identifiers; other characters become '-'. */
function fhirId(...parts: readonly string[]): string {
  const id = parts.map((p) => p.replace(/[^A-Za-z0-9.-]/g, '-')).join('-');
  if (id.length <= 64) return id;
  // Over-long keys keep a readable head and a hash tail, still deterministic.
  return `${id.slice(0, 51)}-${fnv1a(id)}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(12, '0');
}

/** Practitioner.id of a professional: its idNat_PS. */
export function practitionerId(idNatPs: string): string {
  return fhirId(idNatPs);
}

/** Organization.id of a structure: its idNat_Struct. */
export function organizationId(idNatStruct: string): string {
  return fhirId(idNatStruct);
}

/**
 * PractitionerRole.id of one practice situation: the professional, the
 * structure ("none" when the line has none), the profession and the mode of
 * exercise, which together identify a line of the national extract.
 */
export function practitionerRoleId(idNatPs: string, idNatStruct: string | undefined, professionCode: string, modeCode = ''): string {
  return fhirId(idNatPs, idNatStruct ?? 'none', professionCode, modeCode).replace(/-+$/, '');
}

/** HealthcareService.id of an authorised care activity: its ARHGOS number, else structure + activity + modality + form. */
export function healthcareServiceId(idNatStruct: string, arhgos: string | undefined, codes: readonly string[]): string {
  return arhgos ? fhirId('arhgos', arhgos) : fhirId(idNatStruct, ...codes);
}

/** Endpoint.id of an MSSanté mailbox: its address (unique in the trust space, reference §5), '@' made a '-'. */
export function mailboxEndpointId(address: string): string {
  return fhirId('mss', address.toLowerCase());
}
