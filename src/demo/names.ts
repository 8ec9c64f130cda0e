/**
 * Given names and family names for the demo population: common French names,
 * with the Flemish, Picard and Polish names of the North, and names of
 * families from elsewhere, as in any French region. Hyphens, apostrophes,
 * spaces and accents are on purpose: identity-vigilance must cope with them.
 * Our own lists, no personal data: a name alone identifies nobody.
 */

export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'Marie', 'Jeanne', 'Françoise', 'Monique', 'Catherine', 'Nathalie', 'Isabelle', 'Sylvie', 'Christine', 'Martine',
  'Sandrine', 'Valérie', 'Véronique', 'Stéphanie', 'Céline', 'Julie', 'Aurélie', 'Émilie', 'Camille', 'Léa',
  'Manon', 'Chloé', 'Emma', 'Jade', 'Louise', 'Alice', 'Inès', 'Lina', 'Rose', 'Anna',
  'Mila', 'Ambre', 'Julia', 'Zoé', 'Léna', 'Lucie', 'Sarah', 'Clara', 'Lola', 'Eva',
  'Pauline', 'Marine', 'Laura', 'Anaïs', 'Mathilde', 'Élodie', 'Sophie', 'Claire', 'Anne', 'Hélène',
  'Nicole', 'Jacqueline', 'Denise', 'Madeleine', 'Simone', 'Germaine', 'Suzanne', 'Yvonne', 'Paulette', 'Odette',
  'Colette', 'Josiane', 'Danielle', 'Brigitte', 'Chantal', 'Patricia', 'Corinne', 'Laurence', 'Florence', 'Karine',
  'Virginie', 'Delphine', 'Caroline', 'Audrey', 'Mélanie', 'Charlotte', 'Océane', 'Margaux', 'Justine', 'Maëlys',
  'Agathe', 'Romane', 'Nina', 'Victoire', 'Apolline', 'Adèle', 'Juliette', 'Gabrielle', 'Élise', 'Fatima',
  'Yasmine', 'Amira', 'Nour', 'Salomé', 'Héloïse', 'Capucine', 'Lou', 'Margot', 'Constance', 'Bérénice',
  'Noémie', 'Elsa', 'Marie-Claude', 'Anne-Sophie', 'Marie-Christine', 'Marie-Thérèse', 'Ginette', 'Huguette', 'Lucienne', 'Marcelle',
  'Renée', 'Thérèse', 'Geneviève', 'Annie', 'Évelyne', 'Dominique', 'Béatrice', 'Agnès', 'Muriel', 'Emmanuelle',
  'Gaëlle', 'Séverine', 'Vanessa', 'Jessica', 'Amandine', 'Cindy', 'Laetitia', 'Morgane', 'Clémence', 'Coralie',
  'Mélissa', 'Ophélie', 'Estelle', 'Axelle', 'Lisa', 'Maeva', 'Éléonore', 'Alix', 'Iris', 'Olivia',
  'Aya', 'Lyna', 'Sofia', 'Malak', 'Khadija', 'Aïcha', 'Mariam', 'Awa', 'Anh', 'Agnieszka',
  'Wiktoria', 'Ana', 'Beatriz', 'Ayşe', 'Zeynep', 'Rania', 'Sabrina', 'Samia', 'Leïla', 'Myriam',
];

export const MALE_GIVEN_NAMES: readonly string[] = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Alain', 'Jacques', 'Bernard', 'Daniel', 'Patrick',
  'Christian', 'Nicolas', 'Christophe', 'Éric', 'Laurent', 'Frédéric', 'Stéphane', 'Sébastien', 'Julien', 'David',
  'Olivier', 'Thierry', 'Pascal', 'Dominique', 'Didier', 'Gérard', 'Claude', 'Serge', 'Marcel', 'Roger',
  'René', 'Louis', 'Henri', 'Georges', 'Robert', 'Maurice', 'Lucien', 'Raymond', 'Guy', 'Yves',
  'François', 'Paul', 'Hugo', 'Lucas', 'Léo', 'Gabriel', 'Raphaël', 'Arthur', 'Jules', 'Adam',
  'Maël', 'Noah', 'Ethan', 'Nathan', 'Mathis', 'Tom', 'Théo', 'Enzo', 'Baptiste', 'Maxime',
  'Alexandre', 'Antoine', 'Thomas', 'Quentin', 'Kévin', 'Romain', 'Guillaume', 'Benjamin', 'Florian', 'Anthony',
  'Jérémy', 'Mickaël', 'Cédric', 'Fabrice', 'Franck', 'Bruno', 'Vincent', 'Emmanuel', 'Mathieu', 'Damien',
  'Ludovic', 'Grégory', 'Jonathan', 'Mohamed', 'Karim', 'Mehdi', 'Yanis', 'Rayan', 'Sacha', 'Timéo',
  'Axel', 'Noé', 'Victor', 'Martin', 'Aaron', 'Clément', 'Valentin', 'Samuel', 'Simon', 'Benoît',
  'Xavier', 'Hervé', 'Joël', 'Francis', 'Gilles', 'Jean-Pierre', 'Jean-Claude', 'Jean-Marc', 'Jean-Luc', 'Marc-Antoine',
  'Marc', 'Luc', 'Fernand', 'Albert', 'Émile', 'Gaston', 'Roland', 'Jacky', 'Gilbert', 'Bernard',
  'Régis', 'Jérôme', 'Arnaud', 'Cyril', 'Yannick', 'Loïc', 'Gaëtan', 'Adrien', 'Corentin', 'Dylan',
  'Kylian', 'Lenny', 'Nolan', 'Evan', 'Liam', 'Ilyes', 'Ayoub', 'Bilal', 'Hamza', 'Youssef',
  'Moussa', 'Mamadou', 'Minh', 'Piotr', 'Krzysztof', 'Stanislas', 'João', 'Tiago', 'Mehmet', 'Emre',
  'Kamel', 'Rachid', 'Farid', 'Nabil', 'Sofiane', 'Augustin', 'Édouard', 'Étienne', 'Gautier', 'Séraphin',
];

export const FAMILY_NAMES: readonly string[] = [
  'MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER',
  'MOREL', 'GIRARD', 'ANDRÉ', 'LEFÈVRE', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANÇOIS', 'MARTINEZ',
  'LEGRAND', 'GARNIER', 'FAURE', 'ROUSSEAU', 'BLANC', 'GUÉRIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS',
  'PERRIN', 'MORIN', 'MATHIEU', 'CLÉMENT', 'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN',
  'MASSON', 'SANCHEZ', 'GÉRARD', 'NGUYEN', 'BOYER', 'DENIS', 'LEMAIRE', 'DUVAL', 'JOLY', 'GAUTIER',
  'ROGER', 'ROCHE', 'ROY', 'NOËL', 'MEYER', 'LUCAS', 'MEUNIER', 'JEAN', 'PEREZ', 'MARCHAND',
  'DUFOUR', 'BLANCHARD', 'MARIE', 'BARBIER', 'BRUN', 'DUMAS', 'BRUNET', 'SCHMITT', 'LEROUX', 'COLIN',
  'FERNANDEZ', 'PIERRE', 'RENARD', 'ARNAUD', 'ROLLAND', 'CARON', 'AUBERT', 'GIRAUD', 'LECLERC', 'VIDAL',
  'BOURGEOIS', 'RENAUD', 'LEMOINE', 'PICARD', 'GAILLARD', 'PHILIPPE', 'LECLERCQ', 'LACROIX', 'FABRE', 'DUPUIS',
  'OLIVIER', 'RODRIGUEZ', 'DA SILVA', 'HUBERT', 'LOUIS', 'CHARLES', 'GUILLOT', 'RIVIÈRE', 'LE GALL', 'GUILLAUME',
  'ADAM', 'REY', 'MOULIN', 'GONZALEZ', 'BERGER', 'LECOMTE', 'MÉNARD', 'FLEURY', 'DESCHAMPS', 'CARPENTIER',
  'JULIEN', 'BENOÎT', 'PARIS', 'MAILLARD', 'MARCHAL', 'AUBRY', 'VASSEUR', 'LE ROUX', 'RENAULT', 'JACQUET',
  'COLLET', 'PRÉVOST', 'POIRIER', 'CHARPENTIER', 'ROYER', 'HUET', 'BARON', 'DUPUY', 'POTTIER', 'GUICHARD',
  'DELATTRE', 'VANDAMME', 'DEBRUYNE', 'DECROIX', 'DEVAUX', 'DELCROIX', 'DEMEYER', 'VERMEERSCH', 'VANHOUTTE', 'DEVOS',
  'DEBAISIEUX', 'DELANNOY', 'DELEPLANQUE', 'DEWAELE', 'DHAENENS', 'LEBLANC', 'LECOCQ', 'BAILLEUL', 'DEPREZ', 'DESMET',
  'DERAM', 'DUHAMEL', 'WATTEAU', 'WALLART', 'LEPERS', 'CAUDRON', 'CARLIER', 'DEFRANCE', 'DUQUESNE', 'FLAMENT',
  'GRESSIER', 'HENNEBERT', 'HOCHART', 'LAGACHE', 'LEBORGNE', 'LENGLET', 'LHERMITTE', 'MACHU', 'MASCLET', 'PLATEL',
  'QUENTIN', 'SAILLY', 'TAVERNIER', 'TRINEL', 'VERHAEGHE', 'WAROUX', 'WILLEMS', 'DECOSTER', 'DEBRABANT', 'DELPORTE',
  'DEMARCQ', 'DESRUMAUX', 'DUBRULLE', "D'HALLUIN", 'DE SMET', 'VAN DE VELDE', 'DELEBARRE', 'DUFLOS', 'FROMENT', 'GODIN',
  'HAVET', 'LECLERCQ-DUBOIS', 'MOREL-DELATTRE', 'MARTIN-LEROY', 'SAINT-OMER', 'CORDONNIER', 'DELVAL', 'DEVULDER', 'LEFRANC', 'TISON',
  'KOWALSKI', 'NOWAK', 'KACZMAREK', 'WÓJCIK', 'LEWANDOWSKI', 'MAZUR', 'SZYMAŃSKI', 'DA COSTA', 'FERREIRA', 'PEREIRA',
  'RODRIGUES', 'MARTINS', 'DE SOUSA', 'BENALI', 'HADDAD', 'BOUAZIZ', 'MEZIANE', 'DIALLO', 'TRAORÉ', 'TRAN',
  'ZIANI', 'KHELIFI', 'SAÏDI', 'MANSOURI', 'YILMAZ', 'KAYA', 'DEMIR', 'BENSAÏD', 'CHERIF', 'BOUCHAMA',
  'N\'DIAYE', 'KONÉ', 'CAMARA', 'LE BRETON', 'DU PONT DE NEMOURS', 'DESCAMPS', 'DEHAENE', 'LEMAÎTRE', 'OBERT', 'BOCQUET',
];
