/**
 * What the OperationDefinitions of the identity service's own operations say
 * (fhir/rest/operation-definition.ts): their parameters as the operations read
 * and answer them (insi/parameters.ts, mpi/*-operation.ts). French first, then
 * English, as every text a user reads.
 */
import type { FhirOperation } from '../fhir/rest/operations.js';
import type { OperationDescription, OperationParameterDescription } from '../fhir/rest/operation-definition.js';

const TRAITS: readonly OperationParameterDescription[] = [
  { name: 'family', use: 'in', min: 1, max: '1', type: 'string', documentation: 'Nom de naissance. / Birth name.' },
  { name: 'given', use: 'in', min: 1, max: '*', type: 'string', documentation: 'Prénom(s) de naissance, un par paramètre ou séparés par des espaces. / Birth first name(s), one per parameter or space-separated.' },
  { name: 'gender', use: 'in', min: 1, max: '1', type: 'code', documentation: 'Sexe (male, female, other, unknown). / Administrative gender.' },
  { name: 'birthdate', use: 'in', min: 1, max: '1', type: 'date', documentation: 'Date de naissance. / Birth date.' },
  { name: 'birthplace', use: 'in', min: 0, max: '1', type: 'code', documentation: 'Code officiel géographique INSEE du lieu de naissance. / INSEE code of the birth place.' },
];

const PATIENT_REFERENCE = (name: string, text: string): OperationParameterDescription =>
  ({ name, use: 'in', min: 1, max: '1', type: 'Reference', documentation: text });

export const IDENTITY_OPERATION_DESCRIPTIONS: Readonly<Record<string, OperationDescription>> = {
  'ins-retrieve': {
    title: 'Récupération de l’INS par les traits d’identité / INS retrieval from identity traits',
    description: 'Sur le modèle du téléservice INSi : recherche l’identité de référence qui correspond aux traits. '
      + '/ Modelled on the INSi teleservice: finds the reference identity matching the traits.',
    parameters: [
      ...TRAITS,
      { name: 'result', use: 'out', min: 1, max: '1', type: 'code', documentation: '00 une identité trouvée, 01 aucune, 02 plusieurs. / 00 one identity found, 01 none, 02 several.' },
      { name: 'patient', use: 'out', min: 0, max: '1', type: 'Patient', documentation: 'Avec le résultat 00 : l’identité de référence (fr-core-patient-ins), INS compris. / With result 00: the reference identity (fr-core-patient-ins), INS included.' },
    ],
  },
  'ins-verify': {
    title: 'Vérification d’un INS et de ses traits / Verification of an INS and its traits',
    description: 'Sur le modèle du téléservice INSi : vérifie que l’INS et les traits sont ceux de l’identité de référence. '
      + '/ Modelled on the INSi teleservice: checks that the INS and the traits are those of the reference identity.',
    parameters: [
      { name: 'ins', use: 'in', min: 1, max: '1', type: 'string', documentation: 'Matricule INS (NIR ou NIA, 15 caractères) ; un Identifier avec un système INS est aussi accepté. / INS number (NIR or NIA, 15 characters); an Identifier with an INS system is accepted too.' },
      ...TRAITS,
      { name: 'valid', use: 'out', min: 1, max: '1', type: 'boolean', documentation: 'Vrai quand l’INS et tous les traits concordent. / True when the INS and every trait agree.' },
      { name: 'mismatch', use: 'out', min: 0, max: '*', type: 'code', documentation: 'Chaque trait qui diffère (family, given, gender, birthdate, birthplace), ou ins pour un INS inconnu. / Each differing trait, or ins for an unknown INS.' },
    ],
  },
  unmerge: {
    title: 'Annulation d’une fusion d’identités / Undoing a merge of identities',
    description: 'Rend à l’identité source son contenu d’avant la fusion et lui rend les ressources déplacées. '
      + '/ Gives the source identity back its content from before the merge, and the resources the merge moved.',
    parameters: [
      PATIENT_REFERENCE('source-patient', 'L’identité fusionnée (source de $merge). / The merged identity (the source of $merge).'),
      { name: 'outcome', use: 'out', min: 1, max: '1', type: 'OperationOutcome', documentation: 'Ce qui a été rendu. / What was given back.' },
      { name: 'result', use: 'out', min: 1, max: '1', type: 'Patient', documentation: 'L’identité source rétablie. / The restored source identity.' },
    ],
  },
  duplicates: {
    title: 'Liste de travail des doublons suspectés / Work list of suspected duplicates',
    description: 'Paires de patients actifs qui pourraient être une même personne, les plus probables d’abord. '
      + '/ Pairs of active patients that may be one person, best first.',
    parameters: [
      { name: 'grade', use: 'in', min: 0, max: '1', type: 'code', documentation: 'Niveau le plus bas listé : certain, probable ou possible (défaut). / Lowest grade listed: certain, probable or possible (default).' },
      { name: '_count', use: 'in', min: 0, max: '1', type: 'integer', documentation: 'Nombre de paires (défaut 100, au plus 1000). / Number of pairs (default 100, at most 1000).' },
      { name: 'total', use: 'out', min: 1, max: '1', type: 'integer', documentation: 'Nombre de paires suspectées. / Number of suspected pairs.' },
      {
        name: 'pair', use: 'out', min: 0, max: '*', documentation: 'Une paire suspectée. / One suspected pair.',
        part: [
          { name: 'patient', use: 'out', min: 2, max: '2', type: 'Reference', documentation: 'Les deux patients. / The two patients.' },
          { name: 'score', use: 'out', min: 1, max: '1', type: 'decimal', documentation: 'Score de rapprochement (0 à 1). / Matching score (0 to 1).' },
          { name: 'grade', use: 'out', min: 1, max: '1', type: 'code', documentation: 'certain, probable ou possible. / certain, probable or possible.' },
          { name: 'explanation', use: 'out', min: 1, max: '1', type: 'string', documentation: 'Similarité trait par trait. / Similarity trait by trait.' },
        ],
      },
    ],
  },
  'not-duplicate': {
    title: 'Déclaration de deux identités distinctes / Declaring two identities distinct',
    description: 'Enregistre la décision qu’une paire suspectée est bien deux personnes : elle quitte la liste de travail. '
      + '/ Records the decision that a suspected pair is two people: it leaves the work list.',
    parameters: [
      { name: 'patient', use: 'in', min: 2, max: '2', type: 'Reference', documentation: 'Les deux patients. / The two patients.' },
      { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome', documentation: 'La décision enregistrée. / The decision recorded.' },
    ],
  },
};

/** The operations, each with its description when it has no published definition. */
export function described(operations: readonly FhirOperation[]): FhirOperation[] {
  return operations.map((op) => {
    const description = op.definition === undefined ? IDENTITY_OPERATION_DESCRIPTIONS[op.name] : undefined;
    return description ? { ...op, description } : op;
  });
}
