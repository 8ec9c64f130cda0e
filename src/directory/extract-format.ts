/**
 * The national directory's public extraction files, recognised by their first
 * line, and their field splitting:
 * - "PS_LibreAcces_Personne_activite" and "PS_LibreAcces_SavoirFaire"
 *   (https://annuaire.sante.fr, "Extractions en libre accès"): UTF-8, a header
 *   row, fields separated by '|' and every line ending with a '|';
 * - "Extraction_Correspondance_MSSante" (MSSanté mailboxes published by the
 *   directory): a header row, '|'-separated, lines not closed by a '|';
 * - the FINESS establishment extract published on data.gouv.fr
 *   ("etalab-cs1100507-stock-*.csv"): ';'-separated, long published in
 *   ISO-8859-1 (read-lines.ts tells), a first line
 *   "finess;etalab;<version>;<date>", then "structureet" rows and
 *   "geolocalisation" rows (checked, their coordinates not kept).
 */
export type ExtractKind = 'ps-activite' | 'ps-savoir-faire' | 'finess-etalab' | 'mssante';

const BOM = '\uFEFF';

/** Which extract a file is, from its first line; undefined when none. */
export function detectExtractKind(firstLine: string): ExtractKind | undefined {
  const line = stripBom(firstLine);
  if (/^finess;etalab;/i.test(line)) return 'finess-etalab';
  const columns = splitPipeLine(line);
  if (columns[0] === 'Type de BAL' && columns[1] === 'Adresse BAL') return 'mssante';
  if (columns[2] !== 'Identification nationale PP') return undefined;
  if (columns.includes('Code mode exercice')) return 'ps-activite';
  if (columns.includes('Code savoir-faire')) return 'ps-savoir-faire';
  return undefined;
}

export function stripBom(line: string): string {
  return line.startsWith(BOM) ? line.slice(1) : line;
}

/** Fields of a PS_LibreAcces line: the final '|' closes the last field, it does not open an empty one. */
export function splitPipeLine(line: string): string[] {
  const body = line.endsWith('|') ? line.slice(0, -1) : line;
  return body.split('|').map((f) => f.trim());
}

/** Fields of a FINESS line: ';' separated, double quotes around fields that contain one (RFC 4180 style). */
export function splitSemicolonLine(line: string): string[] {
  if (!line.includes('"')) return line.split(';').map((f) => f.trim());
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}
