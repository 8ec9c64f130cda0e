/** Every `socle` command, in the order the help lists them. */
import { auditCommand } from './audit-command.js';
import type { CliCommand } from './command.js';
import { directoryCommand } from './directory-command.js';
import { importCommand, migrateCommand, serveCommand } from './core-commands.js';
import { insiCommand } from './insi-command.js';
import { demoCommand } from './demo-command.js';
import { tokenCommand } from './token-command.js';
import { accountCommand } from './account-command.js';
import { reindexCommand } from './reindex-command.js';

export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  migrateCommand,
  reindexCommand,
  importCommand,
  auditCommand,
  insiCommand,
  directoryCommand,
  demoCommand,
  tokenCommand,
  accountCommand,
];
