/**
 * The demo people that README lists and the demo accounts log in as: fixed,
 * so that documentation, screenshots and browser tests can name them. The
 * demo generator creates each of them (Practitioner with its role and
 * organisation; Patient with a qualified INS and a register entry) on top of
 * the random region; the auth module seeds an account for each.
 * All are invented; RPPS keys are Luhn-valid and INS keys valid (reference §1.2).
 */

export interface FeaturedProfessional {
  /** idNat_PS = "8" + RPPS: the login of the account. */
  readonly idNatPs: string;
  readonly rpps: string;
  /** TRE_G15 profession code and label. */
  readonly professionCode: string;
  readonly professionLabel: string;
  /** Savoir-faire (TRE_R38 specialty) for doctors. */
  readonly specialtyCode?: string;
  readonly family: string;
  readonly given: string;
  /** The INSEE code of the commune where the professional works (Hauts-de-France). */
  readonly communeCode: string;
}

export interface FeaturedPatient {
  /** The 15-character INS (NIR with key): the login of the account. */
  readonly ins: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly birthPlace: string;
}

export const FEATURED_PROFESSIONALS: readonly FeaturedProfessional[] = [
  { idNatPs: '810001000016', rpps: '10001000016', professionCode: '10', professionLabel: 'Médecin', specialtyCode: 'SM54', family: 'DELATTRE', given: 'Claire', communeCode: '59350' },
  { idNatPs: '810001000024', rpps: '10001000024', professionCode: '10', professionLabel: 'Médecin', specialtyCode: 'SM04', family: 'VANDAMME', given: 'Hugo', communeCode: '59350' },
  { idNatPs: '810001000032', rpps: '10001000032', professionCode: '21', professionLabel: 'Pharmacien', family: 'LEFEBVRE', given: 'Sophie', communeCode: '80021' },
  { idNatPs: '810001000040', rpps: '10001000040', professionCode: '60', professionLabel: 'Infirmier', family: 'DUBOIS', given: 'Karim', communeCode: '62041' },
  { idNatPs: '810001000057', rpps: '10001000057', professionCode: '50', professionLabel: 'Sage-Femme', family: 'MERCIER', given: 'Julie', communeCode: '59350' },
  { idNatPs: '810001000065', rpps: '10001000065', professionCode: '70', professionLabel: 'Masseur-Kinésithérapeute', family: 'POTTIER', given: 'Nicolas', communeCode: '60057' },
];

export const FEATURED_PATIENTS: readonly FeaturedPatient[] = [
  { ins: '285075935012324', family: 'MARTIN', given: ['Élise', 'Marie'], gender: 'female', birthDate: '1985-07-14', birthPlace: '59350' },
  { ins: '172038002104537', family: 'DUPONT', given: ['Jean-Pierre'], gender: 'male', birthDate: '1972-03-02', birthPlace: '80021' },
  { ins: '201126204107868', family: 'LECLERCQ', given: ['Inès', 'Louise'], gender: 'female', birthDate: '2001-12-25', birthPlace: '62041' },
];
