/**
 * Patient/$merge and $unmerge with INS-bearing identities, over HTTP on both
 * backends: one INS is one person (reference §1.1), so records holding
 * different INS are never merged, and $unmerge gives the target back what it
 * was before a merge that replaced it with a result-patient.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOutcome } from '../support/outcome.js';
import { Collection } from '../../src/storage/collection.js';
import { forEachBackend } from '../support/test-server.js';
import { operatorClient } from './mpi-fixtures.js';
import { insIdentifiersOf, newPerson, patientOf, registerPeople, statusOf, type Person } from './vigilance-fixtures.js';

const ref = (id: string) => ({ reference: `Patient/${id}` });
const params = (...parameter: Record<string, unknown>[]) => ({ resourceType: 'Parameters', parameter });
const pair = (source: string, target: string, ...extra: Record<string, unknown>[]) =>
  params({ name: 'source-patient', valueReference: ref(source) }, { name: 'target-patient', valueReference: ref(target) }, ...extra);

forEachBackend('Patient/$merge with INS', (testServer) => {
  const client = operatorClient(testServer);
  const engine = () => testServer().running.platform.engine;

  async function qualified(person: Person): Promise<any> {
    await registerPeople(engine(), [person]);
    const created = await client.create(patientOf(person, { ins: person.ins, mode: 'PA', validationDate: '2026-01-10' }));
    assert.equal(statusOf(created), 'QUAL');
    return created;
  }

  test('two qualified records with different INS are two people: $merge refuses, preview too, and nothing moves', async () => {
    const source = await qualified(newPerson());
    const target = await qualified(newPerson());
    for (const body of [pair(source.id, target.id), pair(source.id, target.id, { name: 'preview', valueBoolean: true })]) {
      const [issue] = assertOutcome(await client.post('Patient/$merge', body), 422, 'mpi.merge.different-ins');
      assert.match(issue!.details!.text!, /INS différents/);
    }
    assert.equal((await client.get(`Patient/${source.id}`)).body.active, undefined);
    assert.equal((await client.get(`Patient/${target.id}`)).body.link, undefined);
  });

  test('the INS a RECUP record holds aside counts as its INS: merging it into a QUAL record of another INS is refused', async () => {
    const person = newPerson();
    await registerPeople(engine(), [person]);
    const recup = await client.create(patientOf(person, { ins: person.ins }));
    assert.equal(statusOf(recup), 'RECUP');
    const target = await qualified(newPerson());
    assertOutcome(await client.post('Patient/$merge', pair(recup.id, target.id)), 422, 'mpi.merge.different-ins');
    assertOutcome(await client.post('Patient/$merge', pair(target.id, recup.id)), 422, 'mpi.merge.different-ins');
  });

  test('a record without INS merges into a qualified one (the same person, now identified)', async () => {
    const person = newPerson();
    const target = await qualified(person);
    const source = await client.create(patientOf(person));
    const result = await client.post('Patient/$merge', pair(source.id, target.id));
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(insIdentifiersOf((await client.get(`Patient/${target.id}`)).body).map((i) => i.value), [person.ins]);
  });

  test('$unmerge gives back the target a result-patient replaced: its local identifiers, its INS and its status', async () => {
    const person = newPerson();
    const target = await qualified(person);
    const source = await client.create(patientOf(person));
    const result = { ...patientOf({ ...person, family: 'MARTINS' }), id: target.id, identifier: [{ system: 'urn:oid:1.2.250.1.999.9', value: 'OTHER-1' }] };
    const merged = await client.post('Patient/$merge', pair(source.id, target.id, { name: 'result-patient', resource: result }));
    assert.equal(merged.status, 200, merged.text);
    assert.equal(statusOf((await client.get(`Patient/${target.id}`)).body), 'PROV', 'the result-patient carried no INS');
    const undone = await client.post('Patient/$unmerge', params({ name: 'source-patient', valueReference: ref(source.id) }));
    assert.equal(undone.status, 200, undone.text);
    const restored = (await client.get(`Patient/${target.id}`)).body;
    assert.equal(statusOf(restored), 'QUAL');
    assert.deepEqual(restored.identifier.map((i: any) => i.value).sort(), target.identifier.map((i: any) => i.value).sort());
    assert.equal(restored.name[0].family, person.family);
    assert.equal(restored.link, undefined);
    assert.equal(Number(restored.meta.versionId), 3, 'a new version, the history kept');
  });

  test('$unmerge gives back a RECUP target its INS set aside', async () => {
    const person = newPerson();
    await registerPeople(engine(), [person]);
    const target = await client.create(patientOf(person, { ins: person.ins }));
    assert.equal(statusOf(target), 'RECUP');
    const source = await client.create(patientOf(person));
    const result = { ...patientOf({ ...person, birthDate: '1985-05-13' }), id: target.id };
    assert.equal((await client.post('Patient/$merge', pair(source.id, target.id, { name: 'result-patient', resource: result }))).status, 200);
    assert.equal(statusOf((await client.get(`Patient/${target.id}`)).body), 'PROV');
    assert.equal((await client.post('Patient/$unmerge', params({ name: 'source-patient', valueReference: ref(source.id) }))).status, 200);
    const restored = (await client.get(`Patient/${target.id}`)).body;
    assert.equal(statusOf(restored), 'RECUP');
    assert.deepEqual(insIdentifiersOf(restored), [], 'still held aside, not shown');
    assert.equal(restored.birthDate, person.birthDate);
  });
});

/**
 * Merge records written before `targetBefore` was kept (merge-log.ts): the
 * same merges, their record then stripped of it as those were.
 */
forEachBackend('Patient/$unmerge of a merge recorded before targetBefore', (testServer) => {
  const client = operatorClient(testServer);
  const engine = () => testServer().running.platform.engine;
  const merges = () => {
    const { store, clock } = engine().deps;
    return new Collection<Record<string, any>>(store, 'identity.mpi-merges', clock, { lookups: (r) => ({ target: r.target, status: r.status }) });
  };

  async function mergeRecordedTheOldWay(source: string, target: string, ...extra: Record<string, unknown>[]): Promise<void> {
    const merged = await client.post('Patient/$merge', pair(source, target, ...extra));
    assert.equal(merged.status, 200, merged.text);
    const { targetBefore: _before, targetInsAside: _aside, ...old } = (await merges().get(source)) as Record<string, any>;
    await merges().put(source, old);
  }

  const unmerge = (source: string) => client.post('Patient/$unmerge', params({ name: 'source-patient', valueReference: ref(source) }));
  const issuesOf = (result: { body: any }) => result.body.parameter.find((p: any) => p.name === 'outcome').resource.issue as any[];

  test('a merge without result-patient is undone exactly, without warning: the history shows it only added identifiers and the link', async () => {
    const person = newPerson();
    const target = await client.create({ ...patientOf(person), identifier: [{ system: 'urn:oid:1.2.250.1.999.1.1', value: 'T-1' }] });
    const source = await client.create({ ...patientOf(person), identifier: [{ system: 'urn:oid:1.2.250.1.999.2.1', value: 'S-1' }] });
    await mergeRecordedTheOldWay(source.id, target.id);
    const undone = await unmerge(source.id);
    assert.equal(undone.status, 200, undone.text);
    assert.deepEqual(issuesOf(undone).map((i) => i.severity), ['information']);
    const restored = (await client.get(`Patient/${target.id}`)).body;
    assert.deepEqual(restored.identifier.map((i: any) => i.value), ['T-1']);
    assert.equal(restored.link, undefined);
    assert.equal((await client.get(`Patient/${source.id}`)).body.active, undefined);
  });

  test('the target\'s history is read within the $unmerge itself: the history of the merge is not audited as an access of its own', async () => {
    const person = newPerson();
    const target = await client.create({ ...patientOf(person), identifier: [{ system: 'urn:oid:1.2.250.1.999.1.1', value: 'T-3' }] });
    const source = await client.create(patientOf(person));
    await mergeRecordedTheOldWay(source.id, target.id);
    const undone = await unmerge(source.id);
    assert.equal(undone.status, 200, undone.text);
    await engine().deps.audit.flush();
    const unmerges = await client.get('AuditEvent?subtype=unmerge&_count=200');
    assert.ok((unmerges.body.entry ?? []).some((e: any) => JSON.stringify(e.resource.entity ?? []).includes(`Patient/${target.id}`)), 'the unmerge is audited for the target');
    const histories = await client.get('AuditEvent?subtype=history-instance&_count=200');
    assert.equal(histories.status, 200, histories.text);
    const ofTarget = (histories.body.entry ?? []).filter((e: any) => JSON.stringify(e.resource.entity ?? []).includes(`Patient/${target.id}`));
    assert.deepEqual(ofTarget, [], 'no history read of the target in the trail');
  });

  test('a target a result-patient replaced is restored from its history when the version before the merge is shown whole', async () => {
    const person = newPerson();
    const target = await client.create({ ...patientOf(person), identifier: [{ system: 'urn:oid:1.2.250.1.999.1.1', value: 'T-2' }] });
    const source = await client.create(patientOf(person));
    const result = { ...patientOf({ ...person, family: 'MARTINS' }), id: target.id };
    await mergeRecordedTheOldWay(source.id, target.id, { name: 'result-patient', resource: result });
    assert.equal((await client.get(`Patient/${target.id}`)).body.name[0].family, 'MARTINS');
    const undone = await unmerge(source.id);
    assert.equal(undone.status, 200, undone.text);
    assert.deepEqual(issuesOf(undone).map((i) => i.severity), ['information']);
    const restored = (await client.get(`Patient/${target.id}`)).body;
    assert.equal(restored.name[0].family, person.family);
    assert.deepEqual(restored.identifier.map((i: any) => i.value), ['T-2']);
    assert.equal(restored.link, undefined);
  });

  test('a qualified target a result-patient replaced cannot be restored from a history that withholds its INS: undone, with a warning naming the version to review', async () => {
    const person = newPerson();
    await registerPeople(engine(), [person]);
    const target = await client.create(patientOf(person, { ins: person.ins, mode: 'PA', validationDate: '2026-01-10' }));
    assert.equal(statusOf(target), 'QUAL');
    const source = await client.create(patientOf(person));
    const result = { ...patientOf({ ...person, family: 'MARTINS' }), id: target.id };
    await mergeRecordedTheOldWay(source.id, target.id, { name: 'result-patient', resource: result });
    const undone = await unmerge(source.id);
    assert.equal(undone.status, 200, undone.text);
    const warning = issuesOf(undone).find((i) => i.severity === 'warning');
    assert.equal(warning?.details?.coding?.[0]?.code, 'mpi.unmerge.target-unverified');
    assert.match(warning.details.text, new RegExp(`${target.id}.*version 1`));
    // The merge itself is undone: the source is back, the target no longer replaces it.
    assert.equal((await client.get(`Patient/${source.id}`)).body.active, undefined);
    assert.equal((await client.get(`Patient/${target.id}`)).body.link, undefined);
    assert.equal((await unmerge(source.id)).status, 422, 'nothing left to undo');
  });
});
