/**
 * The `socle` command. Each command reads the same configuration as the
 * server (environment variables, see README) and is defined in its own file
 * (commands.ts lists them).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/settings.js';
import type { CliCommand } from './command.js';
import { COMMANDS } from './commands.js';

function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length), 4) + 2;
  const lines = commands.map((c) => `  ${c.usage.padEnd(width)} ${c.summary}`);
  return ['Usage: socle <command>', '', 'Commands:', ...lines, `  ${'help'.padEnd(width)} show this help`, '', 'Configuration comes from environment variables; see README.md.'].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  // `socle --help` must show the usage, not start a server.
  const [name = values.help === true ? 'help' : 'serve'] = positionals;
  if (name === 'help') {
    console.log(usage(COMMANDS));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`socle: unknown command "${name}"\n\n${usage(COMMANDS)}`);
    return 2;
  }
  // Arguments after the command name, options included, are the command's own.
  const rest = argv.slice(argv.indexOf(name) + 1);
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`socle: configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
