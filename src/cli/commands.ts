/** Every `socle` command, in the order the help lists them. */
import type { CliCommand } from './command.js';
import { importCommand, migrateCommand, serveCommand } from './core-commands.js';

export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  migrateCommand,
  importCommand,
];
