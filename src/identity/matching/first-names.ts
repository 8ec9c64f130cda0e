/**
 * First names in use in France, to tell a typing error from another first
 * name. "Léa" and "Léna", "Mathis" and "Mathias", "Marc" and "Marie" are one
 * or two letters apart, as a typo is, but they are the names twins are
 * given; a typo mostly gives a spelling nobody bears ("Mathsi", "Léaa"). Two
 * close spellings that are both listed here are therefore read as two names
 * (compare-names.ts), which keeps such pairs out of "certain".
 *
 * The list is ours: the first names most given in France across the
 * generations now alive (the kind of names INSEE's first-name file ranks
 * highest), with the usual spelling variants, single words only (compound
 * names are compared word by word). A pair of rare names missing from it is
 * still read as a possible typo: the list lowers the risk of grading twins
 * "certain", it does not remove it — a shared identifier or a document check
 * remains the proof.
 */
import { foldName } from './normalize.js';

const NAMES = `
Aaron Abel Abdel Abdelkader Abdoulaye Achille Adam Adel Adrien Ahmed Aimé Alain Alan Albert Alex Alexandre Alexis Alfred Ali Alphonse
Amaury Ambroise Amine Amir Anatole Andréa André Andy Ange Anthony Antoine Antonin Antonio Ari Aristide Armand Arnaud Arsène Arthur Augustin
Aurélien Auguste Axel Aymeric Ayoub Baptiste Basile Bastien Benjamin Benoît Bernard Bertrand Blaise Boris Brice Bruno Camille Charles Charlie
Christian Christophe Christopher Claude Clément Corentin Cyril Cyrille Damien Daniel David Denis Didier Dimitri Dominique Dylan Eddy Edgar
Edmond Édouard Eliot Élie Éliott Elias Éloi Émile Emilien Emmanuel Enzo Éric Ernest Erwan Esteban Étienne Eugène Évan Fabien Fabrice Félix
Ferdinand Fernand Florent Florian Francis Franck François Frédéric Gabin Gabriel Gaël Gaétan Gaston Gauthier Gautier Georges Gérald Gérard
Germain Gilbert Gilles Grégoire Grégory Guillaume Guy Gustave Hamza Hector Henri Henry Hervé Hippolyte Hubert Hugo Hugues Ibrahim Ilan Isaac
Ismaël Jacques Jacky James Jason Jean Jérémie Jérémy Jérôme Joachim Joël Johan Johann Jonathan Jordan Joris José Joseph Josselin Jules Julian
Julien Justin Karim Kevin Kylian Lazare Léandre Léo Léon Léonard Léopold Lionel Loan Loïc Loris Louis Luc Luca Lucas Lucien Ludovic Maël
Malo Manuel Marc Marcel Marius Martial Martin Marin Mathéo Mathias Mathieu Mathis Mathys Matthieu Matéo Max Maxence Maxime Maximilien Medhi
Mehdi Michel Mickaël Mohamed Mohammed Morgan Moussa Nathan Nathanaël Nicolas Noa Noah Noam Noé Noël Norbert Olivier Omar Oscar Pascal Patrice
Patrick Paul Philippe Pierre Quentin Rachid Rafael Raphaël Raymond Rayan Régis Rémi Rémy René Richard Robert Robin Rodolphe Rodrigue Roger
Roland Romain Romaric Ronan Sacha Sébastien Serge Simon Stéphane Steve Sylvain Téo Théo Théodore Théophile Thibault Thibaut Thierry
Thomas Timothée Timéo Tom Tony Tristan Ulysse Valentin Valère Victor Vincent Virgile Walid Wilfried William Xavier Yanis Yann Yannick Yassine
Yohan Youssef Yves Yvon Zacharie
Adèle Adeline Adrienne Agathe Agnès Aïcha Albane Albertine Alexandra Alexia Alice Aline Alix Amandine Amélie Amina Anaïs Anastasia Andrée Ange
Angèle Angélique Anna Anne Annick Annie Anouk Antoinette Apolline Ariane Arlette Armelle Astrid Aude Audrey Augustine Aurélie Aurore Ava Axelle
Béatrice Bénédicte Bernadette Berthe Blanche Brigitte Camille Capucine Carla Carole Caroline Cassandra Catherine Cécile Céleste Célia Céline
Chantal Charlène Charline Charlotte Chloé Christelle Christiane Christine Claire Clara Clarisse Claudette Claudine Clémence Clémentine Colette
Coline Corinne Cynthia Danièle Danielle Delphine Denise Diane Dominique Dorothée Eden Édith Éléa Eléna Éléonore Éliane Élisa Élisabeth Élise
Ella Elle Éloïse Elsa Émeline Émilie Emma Emmanuelle Emmy Estelle Esther Eva Ève Évelyne Fanny Fatima Fatou Flavie Flora Florence Françoise
Frédérique Gabrielle Gaëlle Geneviève Georgette Germaine Ghislaine Gilberte Ginette Gisèle Hélène Henriette Hortense Huguette Inès Ingrid Irène
Iris Isabelle Jacqueline Jade Jasmine Jeanne Jeannine Jennifer Jessica Joëlle Jordane Joséphine Josette Josiane Judith Julia Julie Juliette
Justine Karine Katia Lara Laura Laure Laurence Léa Leïla Léna Léonie Léontine Liliane Lilou Lina Line Lisa Lise Lola Lou Louane Louisa Louise
Luce Lucie Lucienne Lucile Ludivine Lydie Madeleine Maëlle Maëlys Magali Manon Marceline Margaux Margot Marguerite Maria Marianne Marie Marine
Marion Marthe Martine Maryse Mathilde Maud Maude Mélanie Mélissa Micheline Michèle Mila Mireille Monique Morgane Muriel Myriam Nadège Nadia
Nadine Naïs Nathalie Nelly Nicole Nina Noémie Nora Océane Odette Odile Olivia Ophélie Pascale Patricia Paula Paule Pauline Perrine Raymonde
Rebecca Régine Renée Rose Rosalie Roxane Sabine Sabrina Salomé Samia Sandra Sandrine Sara Sarah Sévérine Simone Solène Sophie Stéphanie Suzanne
Suzette Sylvie Thérèse Valentine Valérie Vanessa Véronique Victoire Victoria Violette Virginie Viviane Yasmine Yolande Yvette Yvonne Zoé
`;

/** The listed first names, folded (lower case, no accents). */
export const FIRST_NAMES: readonly string[] = [...new Set(NAMES.split(/\s+/).filter((n) => n !== '').map(foldName))];

const KNOWN: ReadonlySet<string> = new Set(FIRST_NAMES);

/** True when the folded word is a first name of the list. */
export function isKnownFirstName(folded: string): boolean {
  return KNOWN.has(folded);
}
