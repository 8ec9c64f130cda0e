/**
 * `socle audit verify`: checks the whole audit trail (src/audit/verify-chain.ts)
 * and names the first record that was altered or removed. Exit code 0 when
 * the chain is intact, 1 when it is broken, 2 on a usage error. Progress goes
 * to stderr, the verdict to stdout.
 */
import { verifyChain, type ChainReport } from '../audit/verify-chain.js';
import { loadConfig } from '../config/load-config.js';
import { openStore } from '../storage/open-store.js';
import type { CliCommand } from './command.js';

const PROBLEMS: Record<Exclude<ChainReport, { ok: true }>['problem'], string> = {
  altered: 'was altered (its content no longer matches its hash, or it was rewritten)',
  removed: 'was removed (a gap in the sequence)',
  truncated: 'and those after it were removed (the chain head counts more records)',
};

export function describeReport(report: ChainReport): string {
  if (report.ok) return `Audit trail intact: ${report.records} records verified.`;
  const what = report.id ? `Record #${report.sequence} (AuditEvent/${report.id})` : `Record #${report.sequence}`;
  return `Audit trail BROKEN: ${what} ${PROBLEMS[report.problem]}; ${report.records} records before it are intact.`;
}

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'audit verify',
  summary: 'check the hash chain of the audit trail; names the first altered or removed record',
  async run([sub]) {
    if (sub !== 'verify') {
      console.error('socle audit: usage: socle audit verify');
      return 2;
    }
    const store = await openStore(loadConfig());
    try {
      const report = await verifyChain(store, (checked) => process.stderr.write(`verified ${checked} records\n`));
      console.log(describeReport(report));
      return report.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
