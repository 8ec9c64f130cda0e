/**
 * CodeSystem/$lookup, ValueSet/$validate-code, CodeSystem/$validate-code,
 * CodeSystem/$subsumes and ConceptMap/$translate
 * (http://hl7.org/fhir/R4/terminology-service.html) on HL7's R4 terminology
 * and on stored resources, by GET and POST, with their errors. On both backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CARDIO, pathologies } from '../../src/fhir/terminology/test-fixtures.js';
import { messageKeys } from '../support/search.js';
import { forEachBackend, type TestServer } from '../support/test-server.js';
import type { Json } from '../support/fixtures.js';

const q = encodeURIComponent;
const GENDER = 'http://hl7.org/fhir/administrative-gender';
const GENDER_VS = 'http://hl7.org/fhir/ValueSet/administrative-gender';
const CARDIAC_VS = 'http://socle.example/ValueSet/cardiaque';

/** The values of the output parameters: name → value[x] (or parts, for the repeating groups). */
function outputs(parameters: Json): Record<string, unknown[]> {
  const found: Record<string, unknown[]> = {};
  for (const p of parameters.parameter ?? []) {
    const key = Object.keys(p).find((k) => k.startsWith('value'));
    (found[p.name] ??= []).push(key ? p[key] : Object.fromEntries((p.part ?? []).map((part: Json) => {
      const k = Object.keys(part).find((x) => x.startsWith('value'));
      return [part.name, k ? part[k] : undefined];
    })));
  }
  return found;
}

async function parameters(server: TestServer, path: string, body?: Json): Promise<Record<string, unknown[]>> {
  const result = body ? await server.post(path, body) : await server.get(path);
  assert.equal(result.status, 200, `${path} → ${result.status} ${result.text.slice(0, 500)}`);
  assert.equal(result.body.resourceType, 'Parameters');
  return outputs(result.body);
}

async function failure(server: TestServer, path: string, status: number): Promise<string[]> {
  const result = await server.get(path);
  assert.equal(result.status, status, `${path} → ${result.status} ${result.text.slice(0, 500)}`);
  assert.equal(result.body.resourceType, 'OperationOutcome');
  return messageKeys(result.body);
}

forEachBackend('terminology: $lookup, $validate-code, $subsumes, $translate', (server) => {
  let codeSystem: Json;

  before(async () => {
    codeSystem = await server().create(pathologies);
    await server().create({ resourceType: 'ValueSet', url: CARDIAC_VS, status: 'active', compose: { include: [{ system: CARDIO, filter: [{ property: 'concept', op: 'is-a', value: 'HTA' }] }] } });
  });

  test('$lookup gives name, version, display, designations and properties (parent, child, definition, inactive)', async () => {
    const found = await parameters(server(), `CodeSystem/$lookup?system=${q(CARDIO)}&code=HTA`);
    assert.deepEqual(found.name, ['Pathologies']);
    assert.deepEqual(found.version, ['1']);
    assert.deepEqual(found.display, ['Hypertension artérielle']);
    assert.deepEqual(found.designation, [{ language: 'en', value: 'High blood pressure' }]);
    const properties = found.property as Json[];
    assert.deepEqual(properties.filter((p) => p.code === 'parent'), [{ code: 'parent', value: 'CV', description: 'Maladies cardiovasculaires' }]);
    assert.deepEqual(properties.filter((p) => p.code === 'child').map((p) => p.value).sort(), ['HTA-G', 'HTA-M', 'HTA-R']);
    assert.deepEqual(properties.find((p) => p.code === 'definition')?.value, 'Pression artérielle durablement élevée.');
    assert.deepEqual(properties.find((p) => p.code === 'inactive')?.value, false);
    // property narrows the output to those named.
    const narrowed = await parameters(server(), `CodeSystem/$lookup?system=${q(CARDIO)}&code=HTA-R&property=parent`);
    assert.deepEqual(narrowed.property, [{ code: 'parent', value: 'HTA', description: 'Hypertension artérielle' }]);
    assert.equal(narrowed.designation, undefined);
  });

  test('$lookup by coding, on the instance, by POST, and in HL7 code systems', async () => {
    assert.deepEqual((await parameters(server(), `CodeSystem/$lookup?coding=${q(`${CARDIO}|ICC-A`)}`)).display, ['Insuffisance cardiaque aiguë']);
    assert.deepEqual((await parameters(server(), `CodeSystem/${codeSystem.id}/$lookup?code=ASTH`)).display, ['Asthme']);
    const posted = await parameters(server(), 'CodeSystem/$lookup', { resourceType: 'Parameters', parameter: [{ name: 'coding', valueCoding: { system: GENDER, code: 'other' } }] });
    assert.deepEqual(posted.display, ['Other']);
    assert.deepEqual(posted.name, ['AdministrativeGender']);
    const actCode = await parameters(server(), `CodeSystem/$lookup?system=${q('http://terminology.hl7.org/CodeSystem/v3-ActCode')}&code=AMB`);
    assert.deepEqual(actCode.display, ['ambulatory']);
    assert.ok((actCode.property as Json[]).some((p) => p.code === 'parent' && p.value === '_ActEncounterCode'));
  });

  test('$lookup errors: unknown code 404, unknown system 404, missing system or code 400', async () => {
    assert.deepEqual(await failure(server(), `CodeSystem/$lookup?system=${q(CARDIO)}&code=XYZ`, 404), ['terminology.code-unknown']);
    assert.deepEqual(await failure(server(), `CodeSystem/$lookup?system=${q('http://loinc.org')}&code=8480-6`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual(await failure(server(), 'CodeSystem/$lookup?code=HTA', 400), ['terminology.parameter-missing']);
    assert.deepEqual(await failure(server(), `CodeSystem/$lookup?system=${q(CARDIO)}`, 400), ['terminology.parameter-one-of']);
    assert.deepEqual(await failure(server(), `CodeSystem/$lookup?coding=HTA`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await failure(server(), `CodeSystem/${codeSystem.id}/$lookup?system=${q(GENDER)}&code=male`, 400), ['terminology.system-mismatch']);
  });

  test('ValueSet/$validate-code: a member is true with its display; outside, wrong display or unknown system is false with a message', async () => {
    const member = await parameters(server(), `ValueSet/$validate-code?url=${q(CARDIAC_VS)}&system=${q(CARDIO)}&code=HTA-G`);
    assert.deepEqual(member.result, [true]);
    assert.deepEqual(member.display, ['Hypertension gravidique']);
    assert.equal(member.message, undefined);
    const outside = await parameters(server(), `ValueSet/$validate-code?url=${q(CARDIAC_VS)}&system=${q(CARDIO)}&code=ASTH`);
    assert.deepEqual(outside.result, [false]);
    assert.match(String(outside.message?.[0]), /ASTH/);
    const wrongDisplay = await parameters(server(), `ValueSet/$validate-code?url=${q(GENDER_VS)}&system=${q(GENDER)}&code=male&display=Homme`, undefined);
    assert.deepEqual(wrongDisplay.result, [false]);
    assert.deepEqual(wrongDisplay.display, ['Male']);
    assert.match(String(wrongDisplay.message?.[0]), /Homme.*Male/);
    const rightDisplay = await parameters(server(), `ValueSet/$validate-code?url=${q(GENDER_VS)}&system=${q(GENDER)}&code=male&display=${q('  MALE ')}`);
    assert.deepEqual(rightDisplay.result, [true]);
    const english = await server().get(`ValueSet/$validate-code?url=${q(GENDER_VS)}&coding=${q('http://loinc.org|8480-6')}`, { 'accept-language': 'en' });
    assert.deepEqual(outputs(english.body).result, [false]);
    assert.match(String(outputs(english.body).message?.[0]), /not in ValueSet/);
  });

  test('ValueSet/$validate-code with a codeableConcept (one valid coding suffices), on the instance, and its errors', async () => {
    const concept = { coding: [{ system: 'http://loinc.org', code: '8480-6' }, { system: GENDER, code: 'female', display: 'Female' }] };
    const posted = await parameters(server(), 'ValueSet/$validate-code', { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: GENDER_VS }, { name: 'codeableConcept', valueCodeableConcept: concept }] });
    assert.deepEqual(posted.result, [true]);
    const stored = (await server().get(`ValueSet?url=${q(CARDIAC_VS)}`)).body.entry[0].resource;
    assert.deepEqual((await parameters(server(), `ValueSet/${stored.id}/$validate-code?coding=${q(`${CARDIO}|HTA-R`)}`)).result, [true]);
    const noSystem = await parameters(server(), 'ValueSet/$validate-code', { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: GENDER_VS }, { name: 'codeableConcept', valueCodeableConcept: { coding: [{ code: 'male' }] } }] });
    assert.deepEqual(noSystem.result, [false]);
    assert.match(String(noSystem.message?.[0]), /système/);
    assert.deepEqual(await failure(server(), `ValueSet/$validate-code?url=${q(GENDER_VS)}&code=male`, 400), ['terminology.parameter-missing']);
    assert.deepEqual(await failure(server(), `ValueSet/$validate-code?url=${q(GENDER_VS)}`, 400), ['terminology.parameter-one-of']);
    assert.deepEqual(await failure(server(), `ValueSet/$validate-code?url=${q(GENDER_VS)}&code=male&coding=${q(`${GENDER}|male`)}`, 400), ['terminology.parameter-one-of']);
    assert.deepEqual(await failure(server(), `ValueSet/$validate-code?url=${q('http://socle.example/ValueSet/absent')}&coding=${q(`${GENDER}|male`)}`, 404), ['terminology.value-set-unknown']);
  });

  test('CodeSystem/$validate-code: by url, coding or instance; unknown code false; unknown code system 404', async () => {
    assert.deepEqual((await parameters(server(), `CodeSystem/$validate-code?url=${q(CARDIO)}&code=BPCO`)).result, [true]);
    assert.deepEqual((await parameters(server(), `CodeSystem/$validate-code?coding=${q(`${GENDER}|unknown`)}`)).display, ['Unknown']);
    const unknown = await parameters(server(), `CodeSystem/${codeSystem.id}/$validate-code?code=XYZ`);
    assert.deepEqual(unknown.result, [false]);
    assert.match(String(unknown.message?.[0]), /XYZ/);
    const abstract = await parameters(server(), `CodeSystem/$validate-code?url=${q(CARDIO)}&code=CV&abstract=false`);
    assert.deepEqual(abstract.result, [false]);
    assert.deepEqual(await failure(server(), `CodeSystem/$validate-code?url=${q('http://loinc.org')}&code=8480-6`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual(await failure(server(), 'CodeSystem/$validate-code?code=HTA', 400), ['terminology.parameter-missing']);
  });

  test('$subsumes: equivalent, subsumes, subsumed-by, not-subsumed; by codings and on the instance; errors', async () => {
    const outcome = async (query: string) => (await parameters(server(), `CodeSystem/$subsumes?${query}`)).outcome?.[0];
    assert.equal(await outcome(`system=${q(CARDIO)}&codeA=HTA&codeB=HTA`), 'equivalent');
    assert.equal(await outcome(`system=${q(CARDIO)}&codeA=CV&codeB=HTA-R`), 'subsumes');
    assert.equal(await outcome(`system=${q(CARDIO)}&codeA=HTA-G&codeB=HTA`), 'subsumed-by');
    assert.equal(await outcome(`system=${q(CARDIO)}&codeA=HTA&codeB=ASTH`), 'not-subsumed');
    assert.equal(await outcome(`codingA=${q(`${CARDIO}|RESP`)}&codingB=${q(`${CARDIO}|BPCO`)}`), 'subsumes');
    assert.equal((await parameters(server(), `CodeSystem/${codeSystem.id}/$subsumes?codeA=ICC-A&codeB=CV`)).outcome?.[0], 'subsumed-by');
    assert.equal(await outcome(`system=${q('http://terminology.hl7.org/CodeSystem/v3-ActCode')}&codeA=_ActEncounterCode&codeB=AMB`), 'subsumes');
    assert.deepEqual(await failure(server(), `CodeSystem/$subsumes?system=${q(CARDIO)}&codeA=HTA&codeB=XYZ`, 404), ['terminology.code-unknown']);
    assert.deepEqual(await failure(server(), `CodeSystem/$subsumes?codeA=HTA&codeB=CV`, 400), ['terminology.parameter-missing']);
    assert.deepEqual(await failure(server(), `CodeSystem/$subsumes?system=${q(CARDIO)}&codeA=HTA`, 400), ['terminology.parameter-one-of']);
    assert.deepEqual(await failure(server(), `CodeSystem/$subsumes?codingA=${q(`${CARDIO}|HTA`)}&codingB=${q(`${GENDER}|male`)}`, 422), ['terminology.subsumption-across-systems']);
  });

  test('$translate with HL7 concept maps and a stored one, forward and reverse', async () => {
    const v2 = await parameters(server(), `ConceptMap/$translate?system=${q(GENDER)}&code=female&targetsystem=${q('http://terminology.hl7.org/CodeSystem/v2-0001')}`);
    assert.deepEqual(v2.result, [true]);
    assert.deepEqual((v2.match as Json[]).map((m) => [m.equivalence, (m.concept as Json).code]), [['equal', 'F']]);
    const map = await server().create({
      resourceType: 'ConceptMap', url: 'http://socle.example/ConceptMap/pathologies-cim10', status: 'active',
      group: [{ source: CARDIO, target: 'http://hl7.org/fhir/sid/icd-10', element: [{ code: 'HTA', target: [{ code: 'I10', display: 'Hypertension essentielle', equivalence: 'wider' }] }] }],
    });
    const forward = await parameters(server(), `ConceptMap/$translate?system=${q(CARDIO)}&code=HTA`);
    assert.deepEqual((forward.match as Json[]).map((m) => [m.equivalence, (m.concept as Json).code, m.source]), [['wider', 'I10', 'http://socle.example/ConceptMap/pathologies-cim10']]);
    const reverse = await parameters(server(), `ConceptMap/${map.id}/$translate?system=${q('http://hl7.org/fhir/sid/icd-10')}&code=I10&reverse=true`);
    assert.deepEqual((reverse.match as Json[]).map((m) => [m.equivalence, (m.concept as Json).code]), [['narrower', 'HTA']]);
    const none = await parameters(server(), `ConceptMap/$translate?system=${q(CARDIO)}&code=ASTH`);
    assert.deepEqual(none.result, [false]);
    assert.equal(none.match, undefined);
    assert.deepEqual(await failure(server(), `ConceptMap/$translate?url=${q('http://socle.example/ConceptMap/absent')}&system=${q(CARDIO)}&code=HTA`, 404), ['terminology.concept-map-unknown']);
  });

  test('a canonical without its url names nothing: 400, not whichever stored resource has that version', async () => {
    await server().create({ resourceType: 'ValueSet', url: 'http://socle.example/ValueSet/v1', version: '1', status: 'active', compose: { include: [{ system: CARDIO }] } });
    await server().create({ resourceType: 'ConceptMap', url: 'http://socle.example/ConceptMap/v1', version: '1', status: 'active', group: [{ source: CARDIO, target: 'urn:x', element: [{ code: 'HTA', target: [{ code: 'X', equivalence: 'equal' }] }] }] });
    assert.deepEqual(await failure(server(), `ValueSet/$validate-code?url=${q('|1')}&system=${q(CARDIO)}&code=HTA`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await failure(server(), `ValueSet/$expand?url=${q('|1')}`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await failure(server(), `CodeSystem/$validate-code?url=${q('|')}&code=HTA`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await failure(server(), `CodeSystem/$lookup?system=${q('|1')}&code=HTA`, 400), ['terminology.parameter-invalid']);
    assert.deepEqual(await failure(server(), `ConceptMap/$translate?url=${q('|1')}&system=${q(CARDIO)}&code=HTA`, 400), ['terminology.parameter-invalid']);
  });

  test('$translate follows a group\'s unmapped: the code itself, a fixed code, or another map', async () => {
    const group = { source: CARDIO, target: 'urn:socle:cim', element: [{ code: 'HTA', target: [{ code: 'I10', equivalence: 'wider' }] }] };
    await server().create({ resourceType: 'ConceptMap', url: 'urn:socle:map-autre', status: 'active', group: [{ ...group, element: [{ code: 'ASTH', target: [{ code: 'J45', equivalence: 'equivalent' }] }] }] });
    await server().create({ resourceType: 'ConceptMap', url: 'urn:socle:map-fixe', status: 'active', group: [{ ...group, unmapped: { mode: 'fixed', code: 'R69', display: 'Autre' } }] });
    await server().create({ resourceType: 'ConceptMap', url: 'urn:socle:map-renvoi', status: 'active', group: [{ ...group, unmapped: { mode: 'other-map', url: 'urn:socle:map-autre' } }] });
    const translated = async (map: string, code: string) => ((await parameters(server(), `ConceptMap/$translate?url=${q(map)}&system=${q(CARDIO)}&code=${code}`)).match as Json[] | undefined ?? [])
      .map((m) => [m.equivalence, (m.concept as Json).code, m.source]);
    assert.deepEqual(await translated('urn:socle:map-fixe', 'ASTH'), [['wider', 'R69', 'urn:socle:map-fixe']]);
    assert.deepEqual(await translated('urn:socle:map-fixe', 'HTA'), [['wider', 'I10', 'urn:socle:map-fixe']]);
    assert.deepEqual(await translated('urn:socle:map-renvoi', 'ASTH'), [['equivalent', 'J45', 'urn:socle:map-autre']]);
  });

  test('a version the target does not have is not ignored: the instance\'s code system answers 404, a value set\'s code false', async () => {
    assert.deepEqual(await failure(server(), `CodeSystem/${codeSystem.id}/$validate-code?code=HTA&version=99`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual(await failure(server(), `CodeSystem/${codeSystem.id}/$lookup?code=HTA&version=99`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual(await failure(server(), `CodeSystem/${codeSystem.id}/$subsumes?codeA=CV&codeB=HTA&version=99`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual(await failure(server(), `CodeSystem/${codeSystem.id}/$validate-code?url=${q(`${CARDIO}|99`)}&code=HTA`, 404), ['terminology.code-system-unknown']);
    assert.deepEqual((await parameters(server(), `CodeSystem/${codeSystem.id}/$validate-code?code=HTA&version=1`)).result, [true]);
    const stored = (await server().get(`ValueSet?url=${q(CARDIAC_VS)}`)).body.entry[0].resource;
    const other = await parameters(server(), `ValueSet/${stored.id}/$validate-code?system=${q(CARDIO)}&code=HTA-G&systemVersion=99`);
    assert.deepEqual(other.result, [false]);
    assert.match(String(other.message?.[0]), /\|99/);
    assert.deepEqual((await parameters(server(), `ValueSet/${stored.id}/$validate-code?system=${q(CARDIO)}&code=HTA-G&systemVersion=1`)).result, [true]);
    assert.deepEqual((await parameters(server(), `ValueSet/$validate-code?url=${q(CARDIAC_VS)}&coding=${q(`${CARDIO}|HTA-G`)}`)).result, [true]);
  });
});
