import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityStatus } from '../fr-core.js';
import type { TraitName } from '../insi/contract.js';
import { insiCallNeeded, nextStatus, type InsEvidence, type StatusInput } from './next-status.js';

const base: StatusInput = { doubtful: false, fictitious: false, document: 'none', changedTraits: [], ins: { kind: 'none' } };
const input = (over: Partial<StatusInput>): StatusInput => ({ ...base, ...over });
function status(over: Partial<StatusInput>): IdentityStatus | string {
  const decision = nextStatus(input(over));
  return decision.ok ? decision.status : `refused:${decision.key}`;
}

test('manual creation gives PROV; with a document check VALI', () => {
  assert.equal(status({}), 'PROV');
  assert.equal(status({ document: 'fresh', documentMode: 'CN' }), 'VALI');
});

test('a matching INSi answer gives RECUP without a document, QUAL with one', () => {
  assert.equal(status({ previous: 'PROV', ins: { kind: 'new', verified: true } }), 'RECUP');
  assert.equal(status({ previous: 'VALI', document: 'kept', ins: { kind: 'new', verified: true } }), 'QUAL');
  assert.equal(status({ ins: { kind: 'new', verified: true }, document: 'fresh' }), 'QUAL');
});

test('a document check on RECUP gives QUAL; the kept INS needs no new INSi call', () => {
  const kept: StatusInput = input({ previous: 'RECUP', document: 'fresh', ins: { kind: 'kept' } });
  assert.equal(insiCallNeeded(kept), false);
  assert.equal(status(kept), 'QUAL');
});

test('an INS that INSi does not confirm establishes nothing', () => {
  assert.equal(status({ ins: { kind: 'new', verified: false } }), 'PROV');
  assert.equal(status({ ins: { kind: 'new', verified: false }, claimed: 'RECUP' }), 'refused:vigilance.status-needs-ins');
});

test('editing a trait of QUAL: kept INS re-verified; INSi disagreeing drops to PROV (stale document) and opens a review', () => {
  const edit = input({ previous: 'QUAL', claimed: 'QUAL', document: 'kept', documentMode: 'PA', changedTraits: ['family'], ins: { kind: 'kept', verified: false } });
  assert.equal(insiCallNeeded(edit), true);
  const decision = nextStatus(edit);
  assert.ok(decision.ok);
  assert.equal(decision.status, 'PROV');
  assert.equal(decision.review, true);
  assert.equal(decision.dropDocument, true);
  assert.equal(decision.insPlacement, 'none');
  assert.deepEqual(decision.reasons.map((r) => r.key), ['vigilance.reason.traits']);
});

test('editing a trait of QUAL while recording a new document check drops to VALI', () => {
  const decision = nextStatus(input({ previous: 'QUAL', document: 'fresh', changedTraits: ['birthdate'], ins: { kind: 'kept', verified: false } }));
  assert.ok(decision.ok);
  assert.equal(decision.status, 'VALI');
  assert.equal(decision.review, true);
  assert.equal(decision.dropDocument, false);
});

test('editing a trait of QUAL that INSi confirms (an update from INSi) keeps QUAL, no review', () => {
  const decision = nextStatus(input({ previous: 'QUAL', document: 'fresh', changedTraits: ['given'], ins: { kind: 'kept', verified: true } }));
  assert.ok(decision.ok);
  assert.equal(decision.status, 'QUAL');
  assert.equal(decision.review, false);
});

test('editing a trait of RECUP drops it to PROV with a review', () => {
  const decision = nextStatus(input({ previous: 'RECUP', claimed: 'RECUP', changedTraits: ['birthplace'], ins: { kind: 'kept', verified: false } }));
  assert.ok(decision.ok);
  assert.equal(decision.status, 'PROV');
  assert.equal(decision.review, true);
});

test('editing a trait of VALI without a new check drops to PROV without a review', () => {
  const decision = nextStatus(input({ previous: 'VALI', document: 'kept', changedTraits: ['gender'] }));
  assert.ok(decision.ok);
  assert.equal(decision.status, 'PROV');
  assert.equal(decision.review, false);
  assert.equal(decision.dropDocument, true);
});

test('removing the INS of a QUAL identity drops it to VALI with a review', () => {
  const decision = nextStatus(input({ previous: 'QUAL', document: 'kept', ins: { kind: 'removed' } }));
  assert.ok(decision.ok);
  assert.equal(decision.status, 'VALI');
  assert.deepEqual(decision.reasons.map((r) => r.key), ['vigilance.reason.ins-removed']);
});

test('DOUT or FICT keep PROV, forbid INSi and cannot coexist', () => {
  assert.equal(status({ doubtful: true, document: 'fresh' }), 'PROV');
  assert.equal(status({ fictitious: true, document: 'fresh', claimed: 'VALI' }), 'refused:vigilance.attribute-forces-prov');
  assert.equal(status({ doubtful: true, fictitious: true }), 'refused:vigilance.dout-fict-together');
  assert.equal(status({ doubtful: true, ins: { kind: 'new' } }), 'refused:vigilance.insi-forbidden');
  assert.equal(insiCallNeeded(input({ fictitious: true, ins: { kind: 'kept' }, changedTraits: ['family'] })), false);
  const marked = nextStatus(input({ previous: 'QUAL', claimed: 'QUAL', doubtful: true, document: 'kept', ins: { kind: 'kept' } }));
  assert.ok(marked.ok);
  assert.equal(marked.status, 'PROV', 'marking a QUAL identity doubtful drops it');
  assert.equal(marked.review, true);
  assert.deepEqual(marked.reasons.map((r) => r.key), ['vigilance.reason.attribute']);
  assert.equal(marked.dropDocument, true, 'the check the identity held is put in doubt too');
  const checkedUnderDoubt = nextStatus(input({ doubtful: true, document: 'fresh', documentMode: 'CN' }));
  assert.ok(checkedUnderDoubt.ok);
  assert.equal(checkedUnderDoubt.dropDocument, true, 'a check recorded under doubt is not kept');
});

test('claims the evidence does not support are refused with the rule', () => {
  assert.equal(status({ claimed: 'QUAL' }), 'refused:vigilance.status-needs-ins');
  assert.equal(status({ claimed: 'RECUP', document: 'fresh' }), 'refused:vigilance.status-needs-ins');
  assert.equal(status({ claimed: 'VALI' }), 'refused:vigilance.status-needs-document');
  assert.equal(status({ claimed: 'QUAL', ins: { kind: 'new', verified: true } }), 'refused:vigilance.status-needs-document');
  assert.equal(status({ claimed: 'PROV', document: 'fresh' }), 'refused:vigilance.status-mismatch');
  assert.equal(status({ previous: 'VALI', claimed: 'RECUP', document: 'kept', ins: { kind: 'new', verified: true } }), 'refused:vigilance.status-mismatch');
});

test('a claim repeating the stored status is accepted and the computed status is stored', () => {
  assert.equal(status({ previous: 'VALI', claimed: 'VALI', document: 'kept', ins: { kind: 'new', verified: true } }), 'QUAL');
  assert.equal(status({ previous: 'PROV', claimed: 'PROV', document: 'fresh' }), 'VALI');
});

test('an INS read from the Appli carte Vitale qualifies at once, without INSi, an ayant droit as well', () => {
  const read = input({ appliCarteVitale: 'fresh', ins: { kind: 'new' } });
  assert.equal(insiCallNeeded(read), false);
  const decision = nextStatus(read);
  assert.ok(decision.ok);
  assert.equal(decision.status, 'QUAL');
  assert.equal(decision.insPlacement, 'patient');
  assert.deepEqual(decision.reasons.map((r) => r.key), ['vigilance.reason.created', 'vigilance.reason.appli-carte-vitale']);
  assert.equal(status({ previous: 'PROV', claimed: 'QUAL', appliCarteVitale: 'fresh', ins: { kind: 'new' } }), 'QUAL');
  assert.equal(status({ previous: 'RECUP', appliCarteVitale: 'fresh', changedTraits: ['given'], ins: { kind: 'kept' } }), 'QUAL', 'a new reading vouches for the traits it brings');
});

test('an Appli carte Vitale reading needs an INS, and an INS the traits contradict establishes nothing', () => {
  assert.equal(status({ appliCarteVitale: 'fresh' }), 'PROV');
  assert.equal(status({ previous: 'QUAL', appliCarteVitale: 'kept', ins: { kind: 'removed' } }), 'PROV');
  assert.notEqual(status({ previous: 'QUAL', appliCarteVitale: 'kept', ins: { kind: 'kept', verified: false } }), 'QUAL');
});

test('DOUT or FICT: an Appli carte Vitale reading gives no INS and no status', () => {
  assert.equal(status({ doubtful: true, appliCarteVitale: 'fresh', ins: { kind: 'new' } }), 'refused:vigilance.insi-forbidden');
  const marked = nextStatus(input({ previous: 'QUAL', fictitious: true, appliCarteVitale: 'kept', ins: { kind: 'kept' } }));
  assert.ok(marked.ok);
  assert.equal(marked.status, 'PROV');
  assert.equal(marked.review, true);
});

test('editing a trait of an Appli carte Vitale identity voids the reading: the held INS is re-verified as for any QUAL', () => {
  const edit = input({ previous: 'QUAL', claimed: 'QUAL', appliCarteVitale: 'kept', changedTraits: ['family'], ins: { kind: 'kept' } });
  assert.equal(insiCallNeeded(edit), true);
  const refused = nextStatus({ ...edit, ins: { kind: 'kept', verified: false } });
  assert.ok(refused.ok);
  assert.equal(refused.status, 'PROV');
  assert.equal(refused.review, true);
  assert.equal(refused.dropAppliCarteVitale, true);
  assert.deepEqual(refused.reasons.map((r) => r.key), ['vigilance.reason.traits']);
  const confirmed = nextStatus({ ...edit, ins: { kind: 'kept', verified: true } });
  assert.ok(confirmed.ok);
  assert.equal(confirmed.status, 'RECUP', 'INSi confirms the INS, but no document vouches for the new traits');
  const unchanged = nextStatus(input({ previous: 'QUAL', claimed: 'QUAL', appliCarteVitale: 'kept', ins: { kind: 'kept' } }));
  assert.ok(unchanged.ok);
  assert.equal(unchanged.status, 'QUAL', 'a rewrite that keeps the traits keeps the reading');
  assert.equal(unchanged.dropAppliCarteVitale, false);
  assert.equal(insiCallNeeded(input({ previous: 'QUAL', appliCarteVitale: 'kept', ins: { kind: 'kept' } })), false);
});

test('exhaustively: every combination of inputs obeys the lifecycle invariants', () => {
  const statuses: (IdentityStatus | undefined)[] = [undefined, 'PROV', 'VALI', 'RECUP', 'QUAL'];
  const insCases: InsEvidence[] = [
    { kind: 'none' }, { kind: 'removed' },
    { kind: 'new' }, { kind: 'new', verified: true }, { kind: 'new', verified: false },
    { kind: 'kept' }, { kind: 'kept', verified: true }, { kind: 'kept', verified: false },
  ];
  const traitCases: TraitName[][] = [[], ['family']];
  let count = 0;
  for (const previous of statuses) for (const claimed of statuses) for (const doubtful of [false, true]) for (const fictitious of [false, true])
    for (const document of ['fresh', 'kept', 'none'] as const) for (const changedTraits of traitCases) for (const ins of insCases)
    for (const appli of [undefined, 'fresh', 'kept'] as const) {
      const given: StatusInput = {
        ...(previous ? { previous } : {}), ...(claimed ? { claimed } : {}), doubtful, fictitious, document, changedTraits, ins,
        ...(appli ? { appliCarteVitale: appli } : {}),
      };
      const decision = nextStatus(given);
      count += 1;
      const label = JSON.stringify(given);
      const restricted = doubtful || fictitious;
      if (doubtful && fictitious) { assert.equal(decision.ok, false, label); continue; }
      if (restricted && ins.kind === 'new') { assert.equal(decision.ok, false, label); continue; }
      if (!decision.ok) {
        assert.ok(claimed !== undefined && claimed !== previous, `only a claim is refused here: ${label}`);
        continue;
      }
      // RNIV 1 v2.0 §4.3.4: an INS read from the Appli carte Vitale, with the traits it was read with, is qualified without INSi.
      const appliHolds = appli !== undefined && !restricted && (ins.kind === 'new' || ins.kind === 'kept')
        && ins.verified !== false && (appli === 'fresh' || changedTraits.length === 0);
      const insVerified = appliHolds || (ins.kind === 'new' && ins.verified === true) || (ins.kind === 'kept' && (changedTraits.length === 0 || ins.verified === true));
      const documentValid = appliHolds || document === 'fresh' || (document === 'kept' && changedTraits.length === 0);
      if (restricted) assert.equal(decision.status, 'PROV', label);
      if (appliHolds) {
        assert.equal(decision.status, 'QUAL', `an Appli carte Vitale reading qualifies: ${label}`);
        assert.equal(insiCallNeeded(given), false, `no INSi call for an Appli carte Vitale reading: ${label}`);
        assert.ok(!decision.reasons.some((r) => r.key === 'vigilance.reason.insi'), `INSi was not asked: ${label}`);
      }
      assert.equal(decision.dropAppliCarteVitale, appli !== undefined && !appliHolds, `a reading stays only while it vouches for the INS: ${label}`);
      if (restricted && document !== 'none') assert.equal(decision.dropDocument, true, `no check is kept under DOUT/FICT: ${label}`);
      if (decision.status === 'RECUP' || decision.status === 'QUAL') assert.ok(insVerified && !restricted, `INS-backed without a verified INS: ${label}`);
      if (decision.status === 'VALI' || decision.status === 'QUAL') assert.ok(documentValid, `document-backed without a check: ${label}`);
      assert.equal(decision.insPlacement === 'patient', decision.status === 'QUAL', `only QUAL carries the INS: ${label}`);
      if (claimed !== undefined) assert.ok(claimed === decision.status || claimed === previous, label);
      assert.equal(decision.review, (previous === 'RECUP' || previous === 'QUAL') && decision.status !== 'RECUP' && decision.status !== 'QUAL', label);
      assert.equal(decision.reasons.length > 0, decision.status !== previous, `a change has its reasons: ${label}`);
    }
  assert.equal(count, 5 * 5 * 2 * 2 * 3 * 2 * 8 * 3);
});
