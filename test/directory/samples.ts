/** The sample extracts of the national directory, written by us in the published layouts (test/data/directory). */
import { fileURLToPath } from 'node:url';

export const SAMPLES = fileURLToPath(new URL('../data/directory/', import.meta.url));
export const PS_V1 = `${SAMPLES}PS_LibreAcces_Personne_activite_sample.txt`;
/** A newer extract: one professional renamed, a pharmacy's phone changed, one professional gone, one new. */
export const PS_V2 = `${SAMPLES}PS_LibreAcces_Personne_activite_sample_v2.txt`;
export const FINESS = `${SAMPLES}etalab-cs1100507-stock-sample.csv`;
export const SAVOIR_FAIRE = `${SAMPLES}PS_LibreAcces_SavoirFaire_sample.txt`;
export const MSSANTE = `${SAMPLES}Extraction_Correspondance_MSSante_sample.txt`;
/** A file of the published zip that the import does not know (diplomas and authorisations to practise), first in its listing. */
export const DIPL_AUT_EXERC = `${SAMPLES}PS_LibreAcces_Dipl_AutExerc_sample.txt`;
