/** Entry point of the `socle` command (bin/socle.js runs the compiled copy of this file). */
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// -1: a server keeps running until a signal stops it.
if (code >= 0) process.exit(code);
