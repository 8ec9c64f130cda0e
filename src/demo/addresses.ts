/** Street addresses, phone numbers and MSSanté-like mail domains for the demo region. */
import type { Commune } from './places.js';
import type { Random } from './random.js';

const STREETS: readonly string[] = [
  'rue de la Gare', 'rue Nationale', 'place du Général-de-Gaulle', 'rue Jean-Jaurès', 'boulevard Victor-Hugo',
  'rue Pasteur', 'avenue de la République', 'rue Faidherbe', 'rue Gambetta', 'rue du Moulin',
  "rue de l'Église", 'rue des Écoles', 'rue Roger-Salengro', 'rue Léon-Blum', 'rue Émile-Zola',
  'chemin des Prés', 'rue du Château', 'rue de Lille', "rue d'Arras", 'rue Carnot',
  'rue Voltaire', 'rue de Paris', 'avenue Foch', 'rue des Tilleuls', 'rue Saint-Martin',
  'rue du Maréchal-Leclerc', 'rue Pierre-Curie', 'allée des Peupliers', 'rue de la Mairie', 'rue du Marais',
];

export interface PostalAddress {
  readonly lines: readonly string[];
  readonly postalCode: string;
  readonly city: string;
  readonly inseeCode: string;
}

export function streetAddress(random: Random, commune: Commune): PostalAddress {
  const number = random.int(1, 180);
  const suffix = random.chance(0.05) ? ' bis' : '';
  return {
    lines: [`${number}${suffix} ${random.pick(STREETS)}`],
    postalCode: random.pick(commune.postalCodes),
    city: commune.name,
    inseeCode: commune.code,
  };
}

/** The landline zone of a region (ARCEP numbering: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east, 05 south-west). */
const ZONES: Readonly<Record<string, string>> = {
  '11': '01', '24': '02', '28': '02', '52': '02', '53': '02', '32': '03', '44': '03', '27': '03',
  '84': '04', '93': '04', '94': '04', '75': '05', '76': '05',
};

export function landline(random: Random, region: string): string {
  return `${ZONES[region] ?? '09'} ${pairs(random, 4)}`;
}

export function mobile(random: Random): string {
  return `0${random.pick(['6', '7'])} ${pairs(random, 4)}`;
}

function pairs(random: Random, count: number): string {
  return Array.from({ length: count }, () => random.digits(2)).join(' ');
}

/** Lower-case ASCII words joined by `separator`: "Hôpital Saint-Éloi" → "hopital-saint-eloi". */
export function slug(text: string, separator = '-'): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '');
}
