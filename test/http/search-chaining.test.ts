/**
 * Chained and reverse-chained parameters, _list, _id, meta parameters, OR/AND
 * and escaping (http://hl7.org/fhir/R4/search.html#chaining, #has, #list,
 * #all, #combining, #escaping).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, expectOutcome, messageKeys, newScope, type Scope } from '../support/search.js';

const LOINC = 'http://loinc.org';
const q = encodeURIComponent;

forEachBackend('search: chaining, reverse chaining, lists, meta, OR/AND and escaping', (server) => {
  /** Two patients, each with a GP and a managing organization, their observations and encounters. */
  async function clinic(s: Scope) {
    const create = (resource: Record<string, unknown>) => server().create(s.mark(resource as { resourceType: string }));
    const clinique = await create({ resourceType: 'Organization', name: `Clinique des Lilas ${s.u}` });
    const hopital = await create({ resourceType: 'Organization', name: `Hôpital Saint-Joseph ${s.u}` });
    const drMartin = await create({ resourceType: 'Practitioner', name: [{ family: `Martin${s.u}`, given: ['Claire'] }] });
    const drBernard = await create({ resourceType: 'Practitioner', name: [{ family: `Bernard${s.u}`, given: ['Luc'] }] });
    const alice = await create({
      resourceType: 'Patient', name: [{ family: `Durand${s.u}`, given: ['Alice'] }],
      managingOrganization: { reference: `Organization/${clinique.id}` },
      generalPractitioner: [{ reference: `Practitioner/${drMartin.id}` }],
    });
    const bruno = await create({
      resourceType: 'Patient', name: [{ family: `Petit${s.u}`, given: ['Bruno'] }],
      managingOrganization: { reference: `Organization/${hopital.id}` },
      generalPractitioner: [{ reference: `Practitioner/${drBernard.id}` }],
    });
    // Observation.subject may also be a Location, which has a name parameter too (Group has none in R4).
    const place = await create({ resourceType: 'Location', name: `Durand${s.u} cabinet` });
    const observation = (subject: { id: string; resourceType: string }, code: string) => create({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code }] },
      subject: { reference: `${subject.resourceType}/${subject.id}` },
    });
    const aliceGlucose = await observation(alice, '2345-7');
    const aliceWeight = await observation(alice, '29463-7');
    const brunoGlucose = await observation(bruno, '2345-7');
    const placeWeight = await observation(place, '29463-7');
    const encounter = (subject: { id: string }) => create({
      resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${subject.id}` },
    });
    const aliceVisit = await encounter(alice);
    const brunoVisit = await encounter(bruno);
    return { clinique, hopital, drMartin, drBernard, alice, bruno, place, aliceGlucose, aliceWeight, brunoGlucose, placeWeight, aliceVisit, brunoVisit };
  }

  test('chain one level: subject.name, subject:Patient.family, patient.given', async () => {
    const s = newScope();
    const c = await clinic(s);
    // subject may be a Patient or a Location: both have a name parameter.
    await expectIds(server(), `Observation?subject.name=durand${s.u}&${s.q}`, [c.aliceGlucose, c.aliceWeight, c.placeWeight]);
    await expectIds(server(), `Observation?subject:Patient.name=durand${s.u}&${s.q}`, [c.aliceGlucose, c.aliceWeight]);
    await expectIds(server(), `Observation?subject:Patient.family=petit${s.u}&${s.q}`, [c.brunoGlucose]);
    await expectIds(server(), `Observation?patient.given=alice&${s.q}`, [c.aliceGlucose, c.aliceWeight]);
    await expectIds(server(), `Observation?subject:Patient.family=durand${s.u}&code=2345-7&${s.q}`, [c.aliceGlucose]);
    await expectIds(server(), `Observation?subject:Patient.family=durand${s.u},petit${s.u}&code=2345-7&${s.q}`, [c.aliceGlucose, c.brunoGlucose]);
    await expectIds(server(), `Observation?subject:Patient._id=${c.bruno.id}&${s.q}`, [c.brunoGlucose]);
    await expectIds(server(), `Observation?subject:Patient.family=nobody${s.u}&${s.q}`, []);
    // The last link takes modifiers like any parameter.
    await expectIds(server(), `Observation?subject:Patient.family:exact=Durand${s.u}&${s.q}`, [c.aliceGlucose, c.aliceWeight]);
    await expectIds(server(), `Observation?subject:Patient.family:exact=durand${s.u}&${s.q}`, []);
    await expectIds(server(), `Observation?subject:Patient.general-practitioner:missing=false&${s.q}`, [c.aliceGlucose, c.aliceWeight, c.brunoGlucose]);
  });

  test('chain two levels: subject.organization.name, subject.general-practitioner.family', async () => {
    const s = newScope();
    const c = await clinic(s);
    await expectIds(server(), `Observation?subject:Patient.organization.name=clinique%20des%20lilas%20${s.u}&${s.q}`, [c.aliceGlucose, c.aliceWeight]);
    await expectIds(server(), `Observation?subject.organization.name=${q(`hôpital saint`)}&${s.q}`, [c.brunoGlucose]);
    await expectIds(server(), `Encounter?subject.general-practitioner.family=martin${s.u}&${s.q}`, [c.aliceVisit]);
    await expectIds(server(), `Encounter?subject:Patient.general-practitioner:Practitioner.given=luc&${s.q}`, [c.brunoVisit]);
    await expectIds(server(), `Encounter?subject.general-practitioner:Organization.name=clinique&${s.q}`, []);
  });

  test('chains of three levels are followed; deeper ones are refused with a 400', async () => {
    const s = newScope();
    const c = await clinic(s);
    const group = await server().create(s.mark({ resourceType: 'Organization', name: `Groupe hospitalier ${s.u}` }));
    const updated = await server().put(`Organization/${c.clinique.id}`, { ...c.clinique, partOf: { reference: `Organization/${group.id}` } });
    assert.equal(updated.status, 200, updated.text);
    await expectIds(server(), `Observation?subject:Patient.organization.partof.name=groupe%20hospitalier%20${s.u}&${s.q}`, [c.aliceGlucose, c.aliceWeight]);
    await expectIds(server(), `Organization?_has:Patient:organization:_has:Observation:patient:_has:Observation:has-member:code=1&${s.q}`, []);
    const tooDeep = await expectOutcome(server(), `Observation?subject:Patient.organization.partof.partof.name=x&${s.q}`, 400);
    assert.deepEqual(messageKeys(tooDeep), ['search.chain-too-deep']);
  });

  test('reverse chaining: _has, and _has nested', async () => {
    const s = newScope();
    const c = await clinic(s);
    await expectIds(server(), `Patient?_has:Observation:patient:code=2345-7&${s.q}`, [c.alice, c.bruno]);
    await expectIds(server(), `Patient?_has:Observation:patient:code=29463-7&${s.q}`, [c.alice]);
    await expectIds(server(), `Patient?_has:Observation:subject:code=${q(`${LOINC}|29463-7`)}&${s.q}`, [c.alice]);
    await expectIds(server(), `Location?_has:Observation:subject:code=29463-7&${s.q}`, [c.place]);
    await expectIds(server(), `Patient?_has:Observation:patient:code=1234-5&${s.q}`, []);
    // AND: a weight and a glucose, not necessarily the same Observation.
    await expectIds(server(), `Patient?_has:Observation:patient:code=29463-7&_has:Observation:patient:code=2345-7&${s.q}`, [c.alice]);
    await expectIds(server(), `Practitioner?_has:Patient:general-practitioner:family=petit${s.u}&${s.q}`, [c.drBernard]);
    // Organizations managing a patient who has a weight observation.
    await expectIds(server(), `Organization?_has:Patient:organization:_has:Observation:patient:code=29463-7&${s.q}`, [c.clinique]);
    await expectIds(server(), `Organization?_has:Patient:organization:_has:Observation:patient:code=2345-7&${s.q}`, [c.clinique, c.hopital]);
    // A chain inside _has.
    await expectIds(server(), `Practitioner?_has:Patient:general-practitioner:organization.name=clinique%20des%20lilas%20${s.u}&${s.q}`, [c.drMartin]);
    // _has inside an untyped chain: only the targets the _has reference can point to (Encounter.subject: Patient, Group).
    await expectIds(server(), `Observation?subject._has:Encounter:subject:status=finished&${s.q}`, [c.aliceGlucose, c.aliceWeight, c.brunoGlucose]);
  });

  test('_list: the members of a List', async () => {
    const s = newScope();
    const c = await clinic(s);
    const list = await server().create(s.mark({
      resourceType: 'List', status: 'current', mode: 'working', title: 'Patients à rappeler',
      entry: [{ item: { reference: `Patient/${c.bruno.id}` } }, { item: { reference: `Observation/${c.aliceWeight.id}` } }],
    }));
    await expectIds(server(), `Patient?_list=${list.id}&${s.q}`, [c.bruno]);
    await expectIds(server(), `Observation?_list=${list.id}&${s.q}`, [c.aliceWeight]);
    await expectIds(server(), `Patient?_list=unknown-${s.u}&${s.q}`, []);
  });

  test('_list=$current-medications (a functional list, list.html#current) is refused as not supported, not read as an id', async () => {
    const outcome = await expectOutcome(server(), 'MedicationStatement?patient=example&_list=$current-medications', 400);
    assert.deepEqual(messageKeys(outcome), ['search.functional-list-unsupported']);
    assert.match(outcome.issue[0].details.text, /\$current-medications/);
    assert.equal(outcome.issue[0].code, 'not-supported');
  });

  test('_id: one, several (OR), repeated (AND), and :not', async () => {
    const s = newScope();
    const c = await clinic(s);
    await expectIds(server(), `Patient?_id=${c.alice.id}`, [c.alice]);
    await expectIds(server(), `Patient?_id=${c.alice.id},${c.bruno.id}`, [c.alice, c.bruno]);
    await expectIds(server(), `Patient?_id=${c.alice.id},${c.drMartin.id}`, [c.alice]);
    await expectIds(server(), `Patient?_id=${c.alice.id}&_id=${c.bruno.id}`, []);
    await expectIds(server(), `Patient?_id:not=${c.alice.id}&${s.q}`, [c.bruno]);
  });

  test('_tag, _profile and _security from meta, with system|code and code alone', async () => {
    // Location, not Patient: Socle's identity module puts the FR Core profile on every Patient.
    const s = newScope();
    const profile = `https://socle.example.org/fhir/StructureDefinition/patient-${s.u}`;
    const create = (meta: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Location', meta }));
    const tagged = await create({ tag: [{ system: 'urn:socle:workflow', code: `a-verifier-${s.u}` }] });
    const profiled = await create({ profile: [profile] });
    const secret = await create({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] });
    const plain = await create({});

    await expectIds(server(), `Location?_tag=${q(`urn:socle:workflow|a-verifier-${s.u}`)}`, [tagged]);
    await expectIds(server(), `Location?_tag=a-verifier-${s.u}`, [tagged]);
    await expectIds(server(), `Location?_tag=${q(`urn:other|a-verifier-${s.u}`)}`, []);
    await expectIds(server(), `Location?_profile=${q(profile)}`, [profiled]);
    await expectIds(server(), `Location?_security=${q('http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R')}&${s.q}`, [secret]);
    await expectIds(server(), `Location?_security:not=R&${s.q}`, [tagged, profiled, plain]);
    await expectIds(server(), `Location?_profile:missing=true&${s.q}`, [tagged, secret, plain]);
  });

  test('escaping: \\, in a value is a comma, \\| a bar, \\$ a dollar, \\\\ a backslash', async () => {
    const s = newScope();
    const system = `urn:socle:test:${s.u}`;
    const create = (value: string) => server().create(s.mark({ resourceType: 'Patient', identifier: [{ system, value }] }));
    const comma = await create(`A,B-${s.u}`);
    const a = await create('A');
    const bar = await create(`C|D-${s.u}`);
    const dollar = await create(`E$F-${s.u}`);
    const backslash = await create(`G\\H-${s.u}`);

    await expectIds(server(), `Patient?identifier=${q(`${system}|A\\,B-${s.u}`)}`, [comma]);
    // Unescaped, the comma separates two values.
    await expectIds(server(), `Patient?identifier=${q(`${system}|A,B-${s.u}`)}`, [a]);
    await expectIds(server(), `Patient?identifier=${q(`${system}|C\\|D-${s.u}`)}`, [bar]);
    await expectIds(server(), `Patient?identifier=${q(`${system}|E\\$F-${s.u}`)}`, [dollar]);
    await expectIds(server(), `Patient?identifier=${q(`${system}|G\\\\H-${s.u}`)}`, [backslash]);

    const family = `Nom, Composé ${s.u}`;
    const named = await server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }));
    await expectIds(server(), `Patient?family=${q(`nom\\, compose ${s.u}`)}&${s.q}`, [named]);
    await expectIds(server(), `Patient?family:exact=${q(`Nom\\, Composé ${s.u}`)}&${s.q}`, [named]);

    const observation = await server().create(s.mark({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '8251-1' }] }, valueString: `Prix: 5$ | ${s.u}`,
    }));
    await expectIds(server(), `Observation?code-value-string=${q(`${LOINC}|8251-1$prix: 5\\$ \\| ${s.u}`)}&${s.q}`, [observation]);
    await expectIds(server(), `Observation?value-string=${q(`prix: 5$ \\| ${s.u}`)}&${s.q}`, [observation]);
  });
});
