/**
 * Token search modifiers backed by terminology (http://hl7.org/fhir/R4/search.html#modifiers):
 * :in and :not-in (in a ValueSet's expansion), :below and :above (subsumption
 * in a code system), on stored and HL7 terminology, in chains too, with their
 * errors; the terminology is read as the caller. On both backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CARDIO, pathologies } from '../../src/fhir/terminology/test-fixtures.js';
import { expectIds, expectOutcome, messageKeys, newScope, type Scope } from '../support/search.js';
import { forEachBackend } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const q = encodeURIComponent;
const CARDIAC_VS = 'http://socle.example/ValueSet/cardiaque';
const GENDER_VS = 'http://hl7.org/fhir/ValueSet/administrative-gender';

forEachBackend('terminology: :in, :not-in, :below, :above', (server) => {
  const s: Scope = newScope();
  type Stored = Json & { id: string };
  let patient: Stored;
  const conditions: Record<string, Stored> = {};

  before(async () => {
    await server().create(pathologies);
    await server().create({ resourceType: 'ValueSet', url: CARDIAC_VS, status: 'active', compose: { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'CV' }] }] } });
    patient = await server().create(s.mark({ resourceType: 'Patient', gender: 'female', name: [{ family: 'Terminologie' }] }));
    for (const code of ['HTA', 'HTA-G', 'HTA-R', 'ICC-A', 'ASTH']) {
      conditions[code] = await server().create(s.mark({ resourceType: 'Condition', subject: { reference: `Patient/${patient.id}` }, code: { coding: [{ system: CARDIO, code }] } }));
    }
    // The same code in another system is not the concept.
    conditions.other = await server().create(s.mark({ resourceType: 'Condition', subject: { reference: `Patient/${patient.id}` }, code: { coding: [{ system: 'urn:other', code: 'HTA' }] } }));
  });

  const pick = (...codes: string[]): Stored[] => codes.map((c) => conditions[c] as Stored);

  test(':in keeps the resources whose code is in the value set, :not-in the others', async () => {
    await expectIds(server(), `Condition?code:in=${q(CARDIAC_VS)}&${s.q}`, pick('HTA', 'HTA-G', 'HTA-R', 'ICC-A'));
    await expectIds(server(), `Condition?code:not-in=${q(CARDIAC_VS)}&${s.q}`, pick('ASTH', 'other'));
    await expectIds(server(), `Patient?gender:in=${q(GENDER_VS)}&${s.q}`, [patient]);
    await expectIds(server(), `Patient?gender:not-in=${q(GENDER_VS)}&${s.q}`, []);
  });

  test(':in takes a reference to a stored ValueSet too, relative or on this server ("a URI (relative or absolute) that identifies a value set")', async () => {
    const stored = (await server().get(`ValueSet?url=${q(CARDIAC_VS)}`)).body.entry[0].resource;
    await expectIds(server(), `Condition?code:in=${q(`ValueSet/${stored.id}`)}&${s.q}`, pick('HTA', 'HTA-G', 'HTA-R', 'ICC-A'));
    await expectIds(server(), `Condition?code:in=${q(`${server().endpoints.audience}/ValueSet/${stored.id}`)}&${s.q}`, pick('HTA', 'HTA-G', 'HTA-R', 'ICC-A'));
    await expectIds(server(), `Condition?code:not-in=${q(`ValueSet/${stored.id}`)}&${s.q}`, pick('ASTH', 'other'));
    assert.deepEqual(messageKeys(await expectOutcome(server(), `Condition?code:in=${q('ValueSet/absent')}`, 400)), ['terminology.search-value-set-unknown']);
  });

  test(':below takes the code and what it subsumes, :above the code and what subsumes it', async () => {
    await expectIds(server(), `Condition?code:below=${q(`${CARDIO}|HTA`)}&${s.q}`, pick('HTA', 'HTA-G', 'HTA-R'));
    await expectIds(server(), `Condition?code:below=${q(`${CARDIO}|CV`)}&${s.q}`, pick('HTA', 'HTA-G', 'HTA-R', 'ICC-A'));
    await expectIds(server(), `Condition?code:above=${q(`${CARDIO}|HTA-G`)}&${s.q}`, pick('HTA', 'HTA-G'));
    await expectIds(server(), `Condition?code:below=${q(`${CARDIO}|ABSENT`)}&${s.q}`, []);
  });

  test('several values are alternatives; the modifiers work in chains and _has', async () => {
    await expectIds(server(), `Condition?code:below=${q(`${CARDIO}|ICC`)},${q(`${CARDIO}|ASTH`)}&${s.q}`, pick('ICC-A', 'ASTH'));
    await expectIds(server(), `Condition?subject:Patient.gender:in=${q(GENDER_VS)}&${s.q}`, Object.values(conditions));
    await expectIds(server(), `Patient?_has:Condition:subject:code:below=${q(`${CARDIO}|RESP`)}&${s.q}`, [patient]);
  });

  test('unknown value set or code system, or a code without its system, is a 400 naming it', async () => {
    assert.deepEqual(messageKeys(await expectOutcome(server(), `Condition?code:in=${q('http://socle.example/ValueSet/absent')}`, 400)), ['terminology.search-value-set-unknown']);
    assert.deepEqual(messageKeys(await expectOutcome(server(), `Condition?code:below=${q('http://loinc.org|8480-6')}`, 400)), ['terminology.search-system-unknown']);
    assert.deepEqual(messageKeys(await expectOutcome(server(), 'Condition?code:below=HTA', 400)), ['terminology.search-code-expected']);
    assert.deepEqual(messageKeys(await expectOutcome(server(), `Condition?code:in=${q('http://hl7.org/fhir/ValueSet/use-context')}`, 400)), ['terminology.search-import-unknown']);
    // A canonical without its url names no value set, not whichever has that version.
    await server().create({ resourceType: 'ValueSet', url: 'http://autre.example/ValueSet/v1', version: '1', status: 'active', compose: { include: [{ system: CARDIO }] } });
    assert.deepEqual(messageKeys(await expectOutcome(server(), `Condition?code:in=${q('|1')}`, 400)), ['terminology.search-value-set-unknown']);
    // :below on a uri is still the uri modifier, untouched.
    await expectIds(server(), `ValueSet?url:below=${q('http://socle.example/ValueSet')}&_elements=url`, [(await server().get(`ValueSet?url=${q(CARDIAC_VS)}`)).body.entry[0].resource]);
  });

  test('the terminology is read as the caller: without the right to search ValueSets, :in is refused', async () => {
    const reader = server().as({ kind: 'system', subject: 'lecteur', scopes: ['system/Condition.rs'] });
    const refused = await reader.get(`Condition?code:in=${q(CARDIAC_VS)}&${s.q}`);
    assert.equal(refused.status, 403, refused.text);
    const allowed = await server().as({ kind: 'system', subject: 'lecteur', scopes: ['system/Condition.rs', 'system/ValueSet.rs', 'system/CodeSystem.rs'] })
      .get(`Condition?code:in=${q(CARDIAC_VS)}&${s.q}`);
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.body.entry.length, 4);
  });

  test('in a code system whose codes are not case-sensitive, :in and :below find a code written in lower or upper case', async () => {
    const system = 'http://socle.example/CodeSystem/sans-casse';
    await server().create({ resourceType: 'CodeSystem', url: system, status: 'active', content: 'complete', caseSensitive: false, concept: [{ code: 'Abc', concept: [{ code: 'DEF' }] }, { code: 'GHI' }] });
    await server().create({ resourceType: 'ValueSet', url: 'http://autre.example/ValueSet/sans-casse', status: 'active', compose: { include: [{ system, concept: [{ code: 'DEF' }] }] } });
    const coded = async (code: string) => server().create(s.mark({ resourceType: 'Condition', subject: { reference: `Patient/${patient.id}` }, code: { coding: [{ system, code }] } })) as Promise<Stored>;
    const [lower, upper, asDefined] = [await coded('def'), await coded('ABC'), await coded('Abc')];
    await expectIds(server(), `Condition?code:in=${q('http://autre.example/ValueSet/sans-casse')}&${s.q}`, [lower]);
    await expectIds(server(), `Condition?code:below=${q(`${system}|abc`)}&${s.q}`, [lower, upper, asDefined]);
    await expectIds(server(), `Condition?code:above=${q(`${system}|def`)}&${s.q}`, [lower, upper, asDefined]);
  });
});
