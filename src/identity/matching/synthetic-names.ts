/**
 * Name and place lists for generated identities (bench/matching.ts): frequent
 * French family names (INSEE's most common ones, with particles, accents and
 * compound forms among them), first names of several generations, and INSEE
 * commune and country codes. Fictitious people only.
 */

export const FAMILY_NAMES: readonly string[] = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
  'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
  'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
  'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier',
  'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Jean', 'Pérez', 'Marchand',
  'Dufour', 'Blanchard', 'Marie', 'Barbier', 'Brun', 'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin',
  'Fernandez', 'Pierre', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud', 'Leclerc', 'Vidal',
  'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Philippe', 'Leclercq', 'Lacroix', 'Fabre', 'Dupuis',
  'Olivier', 'Rodriguez', 'Da Silva', 'Hubert', 'Louis', 'Charles', 'Guillot', 'Rivière', 'Le Gall', 'Guillaume',
  'Adam', 'Rey', 'Moulin', 'Gonzalez', 'Berger', 'Lecomte', 'Ménard', 'Fleury', 'Deschamps', 'Carpentier',
  'Julien', 'Benoît', 'Paris', 'Maillard', 'Marchal', 'Aubry', 'Vasseur', 'Le Roux', 'Renault', 'Jacquet',
  'Collet', 'Prévost', 'Poirier', 'Charpentier', 'Royer', 'Huet', 'Baron', 'Dupuy', 'Pons', 'Paul',
  'Laîné', 'Carré', 'Breton', 'Rémy', 'Schneider', 'Perrot', 'Guyot', 'Barré', 'Marty', 'Cousin',
  'de La Fontaine', "d'Artagnan", 'Le Goff', 'de Villiers', 'Saint-Martin', 'Du Pont', 'Le Bihan', "N'Diaye", 'Diallo', 'Ben Ahmed',
];

export const MALE_GIVEN: readonly string[] = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Louis', 'Nicolas', 'François', 'Alain', 'Jacques',
  'Bernard', 'Daniel', 'Christophe', 'Patrick', 'Thomas', 'Julien', 'Laurent', 'Éric', 'Frédéric', 'Stéphane',
  'Jérôme', 'Sébastien', 'David', 'Olivier', 'Lucas', 'Hugo', 'Théo', 'Léo', 'Gabriel', 'Raphaël',
  'Arthur', 'Noël', 'Loïc', 'Mathis', 'Jean-Pierre', 'Jean-Claude', 'Jean-Luc', 'Jean-Marc', 'Marc', 'Paul',
  'Antoine', 'Maxime', 'Clément', 'Hervé', 'Gérard', 'René', 'Joël', 'Mohamed', 'Yanis', 'Adam',
];

export const FEMALE_GIVEN: readonly string[] = [
  'Marie', 'Jeanne', 'Françoise', 'Monique', 'Catherine', 'Nathalie', 'Isabelle', 'Sylvie', 'Anne', 'Christine',
  'Martine', 'Valérie', 'Sandrine', 'Céline', 'Julie', 'Aurélie', 'Émilie', 'Camille', 'Léa', 'Manon',
  'Chloé', 'Emma', 'Inès', 'Zoé', 'Louise', 'Jade', 'Hélène', 'Gaëlle', 'Clémence', 'Océane',
  'Marie-Claire', 'Anne-Sophie', 'Marie-Thérèse', 'Marie-Christine', 'Ève', 'Agnès', 'Brigitte', 'Élodie', 'Laëtitia', 'Mélanie',
  'Sophie', 'Pauline', 'Lucie', 'Margaux', 'Alice', 'Fatima', 'Yasmine', 'Nadia', 'Josiane', 'Ginette',
];

/**
 * First names twins are given that are one or two letters from a name of the
 * lists above (both sexes agree), for twins that only a letter separates.
 * Chosen as parents choose, not from matching/first-names.ts: some of them
 * (Yannis, Adem, Lukas) are missing from that list, as rarer names are.
 */
export const CLOSE_GIVEN: Readonly<Record<string, string>> = {
  Léa: 'Léna', Mathis: 'Mathias', 'Jean-Marc': 'Jean-Marie', Julien: 'Julian', Lucas: 'Lukas', Léo: 'Léon', Yanis: 'Yannis',
  Adam: 'Adem', Marc: 'Max', Louise: 'Louisa', Emma: 'Emmy', Marie: 'Maria', Anne: 'Anna', Julie: 'Julia', Manon: 'Marion',
  Lucie: 'Lucile', Zoé: 'Chloé', Jeanne: 'Jane', Nathalie: 'Natalia', Théo: 'Timéo', Paul: 'Paula', Alice: 'Aline',
};

/**
 * Pairs of different common family names, one the other with a leading
 * syllable that reads as a glued particle (Dubois / Bois, Leroy / Roy): the
 * name comparison must not take them for one name with a particle dropped.
 */
export const SYLLABLE_NAMESAKES: readonly (readonly [string, string])[] = [
  ['Dubois', 'Bois'], ['Leroy', 'Roy'], ['Dupont', 'Pont'], ['Leblanc', 'Blanc'], ['Deschamps', 'Champs'], ['Lamotte', 'Motte'],
  ['Leroux', 'Roux'], ['Lacroix', 'Croix'], ['Lemaire', 'Maire'], ['Lecomte', 'Comte'], ['Dumont', 'Mont'], ['Lafontaine', 'Fontaine'],
  ['Laroche', 'Roche'], ['Lagarde', 'Garde'], ['Laporte', 'Porte'], ['Dufour', 'Four'], ['Legrand', 'Grand'], ['Lemoine', 'Moine'],
  ['Duval', 'Val'], ['Delorme', 'Orme'], ['Dumoulin', 'Moulin'], ['Lebrun', 'Brun'], ['Lenoir', 'Noir'], ['Lefort', 'Fort'],
];

/** INSEE commune codes (COG), weighted toward large cities by repetition, overseas and Corsican ones, and countries (99xxx). */
export const BIRTH_PLACES: readonly string[] = [
  '75056', '75056', '75056', '75056', '13055', '13055', '69123', '69123', '31555', '06088',
  '44109', '67482', '34172', '33063', '59350', '35238', '51454', '76351', '42218', '83137',
  '38185', '21231', '49007', '30189', '63113', '37261', '29019', '80021', '87085', '25056',
  '97411', '97105', '97209', '2A004', '2B033', '99350', '99352', '99351', '99134', '99127',
  '99109', '99139', '99100', '92012', '93066', '94028', '78646', '91228', '95127', '77288',
];
