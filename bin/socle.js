#!/usr/bin/env node
// The `socle` command: the compiled CLI, built by `npm install` (prepare script) or `npm run build`.
import '../dist/cli/socle.js';
