/**
 * Regenerates the documentation that is derived from code: README's
 * configuration table and docs/ERRORS.md. `npm run docs`; a test fails when
 * they are out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configurationTable } from '../src/config/load-config.js';
import { errorTable } from '../src/core/error-table.js';

export function replaceBetween(text: string, name: string, content: string): string {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`markers for ${name} not found`);
  return text.replace(pattern, `$1\n${content}\n$2`);
}

export function errorsDocument(): string {
  return `# Errors

Every error Socle returns is a FHIR OperationOutcome (http://hl7.org/fhir/R4/operationoutcome.html).
Each issue carries:

- \`code\`: the FHIR issue type;
- \`details.coding\`: the stable code below, system \`urn:socle:message\`;
- \`details.text\`: the message in the negotiated language (French unless \`Accept-Language\` prefers English), with the other language in the FHIR translation extension;
- \`diagnostics\`: the message in English;
- \`expression\`: the FHIRPath location of the problem, when it concerns content.

Validation issues (codes \`validation.*\`) answer 400 when the content is not FHIR at all (unknown element, wrong JSON type, bad lexical form) and 422 when FHIR rules are broken (cardinality, required binding, invariant).

<!-- errors:start -->
<!-- errors:end -->
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', replaceBetween(readme, 'config', configurationTable()));
  writeFileSync('docs/ERRORS.md', replaceBetween(errorsDocument(), 'errors', errorTable()));
  console.log('README.md and docs/ERRORS.md regenerated.');
}
