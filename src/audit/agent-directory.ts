/**
 * Who a professional is, for the traces a patient reads: the profession and
 * the organisation of their (first) PractitionerRole in the directory. Read
 * when an audit batch is written (never on the request path), cached.
 */
import type { StoreReader } from '../storage/contract.js';
import type { AgentDetails } from './audit-event.js';

const TTL_MS = 10 * 60_000;

interface RoleContent {
  code?: { coding?: { system?: string; code?: string; display?: string }[] }[];
  organization?: { reference?: string; display?: string };
}

export class AgentDirectory {
  private readonly cache = new Map<string, { details: AgentDetails; until: number }>();

  constructor(private readonly reader: StoreReader, private readonly now: () => number) {}

  async detailsOf(fhirUser: string | undefined): Promise<AgentDetails | undefined> {
    const match = /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/.exec(fhirUser ?? '');
    if (!match) return undefined;
    const id = match[1] as string;
    const cached = this.cache.get(id);
    if (cached && cached.until > this.now()) return cached.details;
    const page = await this.reader.search({
      resourceTypes: ['PractitionerRole'],
      where: [{ kind: 'reference', param: 'PractitionerRole.practitioner', targetTypes: ['Practitioner'], targetId: id }],
      sort: [], count: 1, total: 'none',
    });
    const role = page.rows[0]?.content ? (JSON.parse(page.rows[0].content) as RoleContent) : undefined;
    const coding = role?.code?.flatMap((c) => c.coding ?? [])[0];
    let organization: AgentDetails['organization'];
    const orgRef = role?.organization?.reference;
    if (orgRef && /^Organization\/[A-Za-z0-9\-.]{1,64}$/.test(orgRef)) {
      const stored = await this.reader.readCurrent('Organization', orgRef.slice('Organization/'.length));
      const name = stored?.content ? (JSON.parse(stored.content) as { name?: string }).name : undefined;
      organization = { reference: orgRef, ...(name ?? role?.organization?.display ? { display: (name ?? role?.organization?.display) as string } : {}) };
    }
    const details: AgentDetails = { ...(coding ? { profession: coding } : {}), ...(organization ? { organization } : {}) };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { details, until: this.now() + TTL_MS });
    return details;
  }
}
