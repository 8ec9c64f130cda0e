#!/usr/bin/env node
// Entry point of the `socle` command: runs the compiled CLI (built by `npm install` through the prepare script).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
// -1: a server keeps running until a signal stops it.
if (code >= 0) process.exit(code);
