/**
 * `socle directory import <file>…`: loads the national directory's public
 * extraction files (PS_LibreAcces personne-activité and savoir-faire, FINESS
 * etalab, MSSanté mailboxes) into the directory, in the order given (the
 * enriching savoir-faire and MSSanté extracts after the ones describing the
 * professionals and structures). Progress bar on stderr, one "line N: reason" per rejected
 * line (French, then English), counts on stdout. A file that is not one of the
 * layouts above (the published zip also holds PS_LibreAcces_Dipl_AutExerc, which
 * comes first) is reported and skipped, and the others are loaded. Exit 0 when
 * everything loaded, 1 when lines were rejected, 2 on a usage error or an
 * unreadable file (nothing loaded) or when a file was skipped.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { loadConfig } from '../config/load-config.js';
import { isFhirError } from '../core/errors.js';
import type { MessageKey } from '../core/i18n/messages.js';
import { translate } from '../core/i18n/translate.js';
import { findDirectoryModule, type ImportReport } from '../directory/index.js';
import { withPlatform, type CliCommand } from './command.js';
import { createProgress } from './progress.js';

const USAGE = 'directory import [--keep-vanished] <file>…';
/** Rejections printed per file; the count covers them all. */
const MAX_PRINTED = 1000;

function printReport(report: ImportReport): void {
  for (const { line, problem } of report.rejections.slice(0, MAX_PRINTED)) {
    console.error(`ligne ${line} : ${translate(problem.key, problem.params, 'fr')} | line ${line}: ${translate(problem.key, problem.params, 'en')}`);
  }
  if (report.rejections.length > MAX_PRINTED) console.error(`… ${report.rejections.length - MAX_PRINTED} more rejected lines`);
  const c = report.counts;
  const rate = report.seconds > 0 ? Math.round(c.lines / report.seconds) : c.lines;
  console.log(
    `${report.file} (${report.kind}): ${c.lines} lines, ${c.rejected} rejected; resources ${c.created} created, ${c.updated} updated, ` +
      `${c.unchanged} unchanged, ${c.deactivated} deactivated; ${report.seconds.toFixed(1)} s (${rate} lines/s).`,
  );
}

export const directoryCommand: CliCommand = {
  name: 'directory',
  usage: USAGE,
  summary: 'import the national directory extracts (PS_LibreAcces, FINESS, MSSanté) into the directory',
  async run([subcommand, ...rest]) {
    // --keep-vanished: a partial file, whose missing records must not be deactivated.
    const keepVanished = rest.includes('--keep-vanished');
    const files = rest.filter((a) => a !== '--keep-vanished');
    if (subcommand !== 'import' || files.length === 0) {
      console.error(`usage: socle ${USAGE}`);
      return 2;
    }
    for (const file of files) {
      try {
        await access(file, constants.R_OK);
      } catch (error) {
        console.error(`socle directory import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
        return 2;
      }
    }
    const config = loadConfig();
    return withPlatform(async (platform) => {
      const directory = findDirectoryModule(platform.modules);
      let rejected = 0;
      let skipped = 0;
      for (const file of files) {
        let progress: ReturnType<typeof createProgress> | undefined;
        try {
          const report = await directory.importExtract(file, {
            deactivate: !keepVanished,
            onProgress(bytes, total, counts) {
              progress ??= createProgress(total, 'lines');
              progress.update(bytes, { loaded: counts.lines - counts.rejected, rejected: counts.rejected });
            },
          });
          progress?.stop();
          printReport(report);
          rejected += report.counts.rejected;
        } catch (error) {
          progress?.stop();
          if (!isFhirError(error)) throw error;
          // The file itself is unusable (not a known layout, a column missing): say so, and go on with the others.
          const issue = error.issues[0];
          const key = issue?.message as MessageKey;
          console.error(`${translate(key, issue?.params ?? {}, 'fr')} ; fichier ignoré | ${translate(key, issue?.params ?? {}, 'en')}; file skipped`);
          skipped += 1;
        }
      }
      if (skipped > 0) {
        console.error(`${skipped} fichier(s) ignoré(s) sur ${files.length} | ${skipped} of ${files.length} file(s) skipped`);
        return 2;
      }
      return rejected > 0 ? 1 : 0;
    }, config);
  },
};
