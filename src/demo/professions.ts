/**
 * The professions of the demo directory: TRE_G15 codes (reference §2.2) with
 * how common each is, where its members work, and the MSSanté domain of their
 * personal mailboxes; physicians' specialties from TRE_R38 (SM54 general
 * medicine is confirmed by the reference; the other codes follow the ANS
 * table as we know it and are worth checking against TRE_R38).
 */
import type { PracticeKind, StructureKind } from './organisations.js';

export interface ProfessionSpec {
  readonly code: string;
  readonly label: string;
  /** Relative weight in the population of professionals. */
  readonly weight: number;
  /** Where they work, in order of preference, with the practice kind when in a practice. */
  readonly workplaces: readonly StructureKind[];
  readonly practice: PracticeKind;
  /** Share of members working in a hospital site when both are possible. */
  readonly hospitalShare: number;
  /** MSSanté domain of their personal (PER) mailboxes. */
  readonly domain: string;
  /** Civility of practice (TRE_R11) for doctors, dentists and pharmacists. */
  readonly civility?: string;
}

export const PROFESSIONS: readonly ProfessionSpec[] = [
  { code: '10', label: 'Médecin', weight: 24, workplaces: ['chu', 'ch', 'clinic', 'practice'], practice: 'medical', hospitalShare: 0.45, domain: 'medecin.mssante.fr', civility: 'DR' },
  { code: '60', label: 'Infirmier', weight: 30, workplaces: ['chu', 'ch', 'clinic', 'practice'], practice: 'nursing', hospitalShare: 0.7, domain: 'infirmier.mssante.fr' },
  { code: '21', label: 'Pharmacien', weight: 8, workplaces: ['pharmacy', 'chu', 'ch', 'lab'], practice: 'allied', hospitalShare: 0.2, domain: 'pharmacien.mssante.fr', civility: 'DR' },
  { code: '70', label: 'Masseur-Kinésithérapeute', weight: 9, workplaces: ['practice', 'chu', 'ch'], practice: 'physiotherapy', hospitalShare: 0.2, domain: 'kine.mssante.fr' },
  { code: '40', label: 'Chirurgien-Dentiste', weight: 5, workplaces: ['practice', 'chu'], practice: 'dental', hospitalShare: 0.05, domain: 'chirurgien-dentiste.mssante.fr', civility: 'DR' },
  { code: '50', label: 'Sage-Femme', weight: 3, workplaces: ['chu', 'ch', 'clinic', 'practice'], practice: 'midwifery', hospitalShare: 0.6, domain: 'sage-femme.mssante.fr' },
  { code: '91', label: 'Orthophoniste', weight: 3, workplaces: ['practice'], practice: 'allied', hospitalShare: 0, domain: 'orthophoniste.mssante.fr' },
  { code: '92', label: 'Orthoptiste', weight: 1, workplaces: ['practice', 'chu'], practice: 'allied', hospitalShare: 0.3, domain: 'orthoptiste.mssante.fr' },
  { code: '80', label: 'Pédicure-Podologue', weight: 2, workplaces: ['practice'], practice: 'allied', hospitalShare: 0, domain: 'pedicure-podologue.mssante.fr' },
  { code: '26', label: 'Audioprothésiste', weight: 1, workplaces: ['practice'], practice: 'allied', hospitalShare: 0, domain: 'audioprothesiste.mssante.fr' },
  { code: '28', label: 'Opticien-Lunetier', weight: 2, workplaces: ['practice'], practice: 'allied', hospitalShare: 0, domain: 'opticien.mssante.fr' },
  { code: '86', label: 'Technicien de laboratoire médical', weight: 2, workplaces: ['lab', 'chu', 'ch'], practice: 'allied', hospitalShare: 0.4, domain: 'technicien-labo.mssante.fr' },
  { code: '98', label: 'Manipulateur ERM', weight: 2, workplaces: ['chu', 'ch', 'clinic'], practice: 'allied', hospitalShare: 1, domain: 'manipulateur-erm.mssante.fr' },
  { code: '94', label: 'Ergothérapeute', weight: 1, workplaces: ['chu', 'ch', 'practice'], practice: 'allied', hospitalShare: 0.6, domain: 'ergotherapeute.mssante.fr' },
  { code: '95', label: 'Diététicien', weight: 1, workplaces: ['chu', 'ch', 'practice'], practice: 'allied', hospitalShare: 0.5, domain: 'dieteticien.mssante.fr' },
  { code: '96', label: 'Psychomotricien', weight: 1, workplaces: ['chu', 'ch', 'practice'], practice: 'allied', hospitalShare: 0.5, domain: 'psychomotricien.mssante.fr' },
  { code: '31', label: 'Assistant dentaire', weight: 1, workplaces: ['practice'], practice: 'dental', hospitalShare: 0, domain: 'assistant-dentaire.mssante.fr' },
  { code: '32', label: 'Physicien médical', weight: 0.5, workplaces: ['chu', 'ch'], practice: 'allied', hospitalShare: 1, domain: 'physicien-medical.mssante.fr' },
];

/** TRE_R38 specialties of physicians, with weights (general medicine about half). */
export const SPECIALTIES: readonly { readonly code: string; readonly label: string; readonly weight: number; readonly hospital: boolean }[] = [
  { code: 'SM54', label: 'Médecine générale', weight: 45, hospital: false },
  { code: 'SM04', label: 'Cardiologie et maladies vasculaires', weight: 5, hospital: true },
  { code: 'SM02', label: 'Anesthésie-réanimation', weight: 6, hospital: true },
  { code: 'SM15', label: 'Dermatologie et vénéréologie', weight: 3, hospital: false },
  { code: 'SM20', label: 'Gynécologie-obstétrique', weight: 4, hospital: true },
  { code: 'SM24', label: 'Gastro-entérologie et hépatologie', weight: 3, hospital: true },
  { code: 'SM32', label: 'Neurologie', weight: 2, hospital: true },
  { code: 'SM38', label: 'Ophtalmologie', weight: 4, hospital: false },
  { code: 'SM40', label: 'Pédiatrie', weight: 5, hospital: true },
  { code: 'SM42', label: 'Psychiatrie', weight: 6, hospital: true },
  { code: 'SM44', label: 'Radio-diagnostic et imagerie médicale', weight: 5, hospital: true },
];

export function professionByCode(code: string): ProfessionSpec {
  const spec = PROFESSIONS.find((p) => p.code === code);
  if (!spec) throw new Error(`no demo profession ${code}`);
  return spec;
}
