/**
 * Token search parameters (http://hl7.org/fhir/R4/search.html#token):
 * "code", "system|code", "|code" (no system), "system|" (any code of the
 * system), on Identifier, CodeableConcept, code, boolean and ContactPoint;
 * modifiers :not, :text, :missing and :of-type.
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, type Scope } from '../support/search.js';

/** A hospital's patient identifier system (an INS would need a qualified identity: see test/identity/). */
const INS = 'urn:oid:1.2.250.1.71.4.2.7.1.999';
const LOINC = 'http://loinc.org';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const q = encodeURIComponent;

/** A 13-digit NIR-like number with a 2-digit key, unique per call. */
function nir(): string {
  const digits = Array.from({ length: 13 }, () => Math.floor(Math.random() * 10)).join('');
  return `${Math.random() < 0.5 ? 1 : 2}${digits.slice(1)}${String(Math.floor(Math.random() * 97) + 1).padStart(2, '0')}`;
}

forEachBackend('search: token parameters', (server) => {
  const patient = (s: Scope, resource: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Patient', ...resource }));
  const observation = (s: Scope, code: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    server().create(s.mark({ resourceType: 'Observation', status: 'final', code, ...extra }));

  test('Identifier: system|value, value alone, |value (no system) and system| (any value)', async () => {
    const s = newScope();
    const nirA = nir();
    const nirB = nir();
    const a = await patient(s, { identifier: [{ system: INS, value: nirA }, { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `IPP-${s.u}` }] });
    const b = await patient(s, { identifier: [{ system: INS, value: nirB }] });
    const noSystem = await patient(s, { identifier: [{ value: nirA }] });
    await patient(s, { name: [{ family: 'Sans identifiant' }] });

    await expectIds(server(), `Patient?identifier=${q(`${INS}|${nirA}`)}&${s.q}`, [a]);
    await expectIds(server(), `Patient?identifier=${nirA}&${s.q}`, [a, noSystem]);
    await expectIds(server(), `Patient?identifier=${q(`|${nirA}`)}&${s.q}`, [noSystem]);
    await expectIds(server(), `Patient?identifier=${q(`${INS}|`)}&${s.q}`, [a, b]);
    await expectIds(server(), `Patient?identifier=${q(`urn:oid:1.2.250.1.71.4.2.1|IPP-${s.u}`)}&${s.q}`, [a]);
    // The value of one identifier with the system of another does not match.
    await expectIds(server(), `Patient?identifier=${q(`urn:oid:1.2.250.1.71.4.2.1|${nirA}`)}&${s.q}`, []);
    await expectIds(server(), `Patient?identifier=${q(`${INS}|${nirA},${INS}|${nirB}`)}&${s.q}`, [a, b]);
  });

  test('CodeableConcept: Observation code with and without the LOINC system', async () => {
    const s = newScope();
    const systolic = await observation(s, { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] });
    const heartRate = await observation(s, { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }], text: 'Fréquence cardiaque' });
    const local = await observation(s, { coding: [{ system: 'urn:oid:1.2.250.1.213.2.12', code: '8480-6' }] });
    const uncoded = await observation(s, { coding: [{ code: '8480-6' }] });

    await expectIds(server(), `Observation?code=${q(`${LOINC}|8480-6`)}&${s.q}`, [systolic]);
    await expectIds(server(), `Observation?code=8480-6&${s.q}`, [systolic, local, uncoded]);
    await expectIds(server(), `Observation?code=${q('|8480-6')}&${s.q}`, [uncoded]);
    await expectIds(server(), `Observation?code=${q(`${LOINC}|`)}&${s.q}`, [systolic, heartRate]);
    await expectIds(server(), `Observation?code=${q('http://snomed.info/sct|8480-6')}&${s.q}`, []);
    // Codes are compared as written.
    await expectIds(server(), `Observation?code=${q(`${LOINC}|8480`)}&${s.q}`, []);
  });

  test('code: gender, plain or with the administrative-gender system', async () => {
    const s = newScope();
    const male = await patient(s, { gender: 'male' });
    const female = await patient(s, { gender: 'female' });
    const unknown = await patient(s, { gender: 'unknown' });
    const none = await patient(s, { birthDate: '1970-01-01' });

    await expectIds(server(), `Patient?gender=male&${s.q}`, [male]);
    await expectIds(server(), `Patient?gender=${q('http://hl7.org/fhir/administrative-gender|male')}&${s.q}`, [male]);
    await expectIds(server(), `Patient?gender=${q('http://hl7.org/fhir/administrative-gender|')}&${s.q}`, [male, female, unknown]);
    await expectIds(server(), `Patient?gender=${q('http://example.org/other|male')}&${s.q}`, []);
    await expectIds(server(), `Patient?gender=male,female&${s.q}`, [male, female]);
    await expectIds(server(), `Patient?gender:missing=true&${s.q}`, [none]);
    await expectIds(server(), `Patient?gender:missing=false&${s.q}`, [male, female, unknown]);
  });

  test('boolean: active=true, active=false, and absent', async () => {
    const s = newScope();
    const active = await patient(s, { active: true });
    const inactive = await patient(s, { active: false });
    const unset = await patient(s, { gender: 'female' });
    await expectIds(server(), `Patient?active=true&${s.q}`, [active]);
    await expectIds(server(), `Patient?active=false&${s.q}`, [inactive]);
    await expectIds(server(), `Patient?active:not=true&${s.q}`, [inactive, unset]);
    await expectIds(server(), `Patient?active:missing=true&${s.q}`, [unset]);
  });

  test('ContactPoint: telecom matches any contact, phone and email only their kind', async () => {
    const s = newScope();
    const phone = `+33 6 ${s.u.slice(0, 2)} 00 11 22`;
    const email = `eloise.${s.u}@exemple.fr`;
    const withPhone = await patient(s, { telecom: [{ system: 'phone', value: phone, use: 'mobile' }] });
    const withEmail = await patient(s, { telecom: [{ system: 'email', value: email }] });
    const withBoth = await patient(s, { telecom: [{ system: 'email', value: `autre.${s.u}@exemple.fr` }, { system: 'phone', value: phone }] });

    await expectIds(server(), `Patient?phone=${q(phone)}&${s.q}`, [withPhone, withBoth]);
    await expectIds(server(), `Patient?email=${q(email)}&${s.q}`, [withEmail]);
    await expectIds(server(), `Patient?telecom=${q(email)}&${s.q}`, [withEmail]);
    await expectIds(server(), `Patient?telecom=${q(phone)}&${s.q}`, [withPhone, withBoth]);
    // The email is not a phone.
    await expectIds(server(), `Patient?phone=${q(email)}&${s.q}`, []);
    await expectIds(server(), `Patient?email:missing=true&${s.q}`, [withPhone]);
  });

  // search.html#token: "If the underlying data type is string then the search is not case sensitive"; ContactPoint.value is a string.
  test('string-typed values and contact points match whatever the case; codes and identifiers as written', async () => {
    const s = newScope();
    const email = `Jean.${s.u}@Example.org`;
    const jean = await patient(s, { telecom: [{ system: 'email', value: email }], identifier: [{ system: INS, value: `AbC-${s.u}` }] });
    const other = await patient(s, { telecom: [{ system: 'email', value: `autre.${s.u}@example.org` }] });
    for (const form of [email, email.toLowerCase(), email.toUpperCase()]) {
      await expectIds(server(), `Patient?email=${q(form)}&${s.q}`, [jean], form);
      await expectIds(server(), `Patient?telecom=${q(form)}&${s.q}`, [jean], form);
    }
    await expectIds(server(), `Patient?email:not=${q(email.toUpperCase())}&${s.q}`, [other], 'not');
    // Identifier.value: the identifier's system owns its values, like a code system its codes ("Match is case sensitive unless…").
    await expectIds(server(), `Patient?identifier=${q(`AbC-${s.u}`)}&${s.q}`, [jean]);
    await expectIds(server(), `Patient?identifier=${q(`abc-${s.u}`)}&${s.q}`, []);
    await expectIds(server(), `Patient?identifier=${q(`${INS}|ABC-${s.u}`)}&${s.q}`, []);

    const valueSet = await server().create(s.mark({ resourceType: 'ValueSet', status: 'active', url: `http://example.org/vs-${s.u}`, version: 'V1.0-Beta' }));
    await server().create(s.mark({ resourceType: 'ValueSet', status: 'active', url: `http://example.org/vs2-${s.u}`, version: '2.0' }));
    await expectIds(server(), `ValueSet?version=v1.0-beta&${s.q}`, [valueSet]);
    await expectIds(server(), `ValueSet?version=V1.0-BETA&${s.q}`, [valueSet]);
    await expectIds(server(), `ValueSet?version=V1.0-Beta&${s.q}`, [valueSet]);
    await expectIds(server(), `ValueSet?version=v1.0&${s.q}`, []);

    const coded = await observation(s, { coding: [{ system: 'urn:socle:test', code: 'AbC' }] });
    await expectIds(server(), `Observation?code=AbC&${s.q}`, [coded]);
    await expectIds(server(), `Observation?code=abc&${s.q}`, []);
  });

  test(':not excludes the code and keeps resources without the element', async () => {
    const s = newScope();
    const male = await patient(s, { gender: 'male' });
    const female = await patient(s, { gender: 'female' });
    const none = await patient(s, { active: true });
    await expectIds(server(), `Patient?gender:not=male&${s.q}`, [female, none]);
    await expectIds(server(), `Patient?gender:not=male,female&${s.q}`, [none]);
    await expectIds(server(), `Patient?gender:not=${q('http://hl7.org/fhir/administrative-gender|female')}&${s.q}`, [male, none]);

    const systolic = await observation(s, { coding: [{ system: LOINC, code: '8480-6' }] });
    const both = await observation(s, { coding: [{ system: LOINC, code: '8480-6' }, { system: 'urn:oid:1.2.250.1.213.2.12', code: 'PAS' }] });
    const heartRate = await observation(s, { coding: [{ system: LOINC, code: '8867-4' }] });
    // A resource with the code among others is excluded too.
    await expectIds(server(), `Observation?code:not=${q(`${LOINC}|8480-6`)}&${s.q}`, [heartRate]);
    await expectIds(server(), `Observation?code:not=PAS&${s.q}`, [systolic, heartRate]);
    void both;
  });

  test(':text is a prefix of the display or text, accents and case folded', async () => {
    const s = newScope();
    const pressure = await observation(s, { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }], text: 'Pression artérielle systolique' });
    const heartRate = await observation(s, { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] });
    const temperature = await observation(s, { text: 'Température corporelle' });

    await expectIds(server(), `Observation?code:text=pression%20arterielle&${s.q}`, [pressure]);
    await expectIds(server(), `Observation?code:text=PRESSION&${s.q}`, [pressure]);
    // Coding.display counts as well as CodeableConcept.text.
    await expectIds(server(), `Observation?code:text=systolic&${s.q}`, [pressure]);
    await expectIds(server(), `Observation?code:text=heart&${s.q}`, [heartRate]);
    await expectIds(server(), `Observation?code:text=temperature&${s.q}`, [temperature]);
    await expectIds(server(), `Observation?code:text=heart,temp&${s.q}`, [heartRate, temperature]);
    // Not a prefix of the text.
    await expectIds(server(), `Observation?code:text=arterielle&${s.q}`, []);
    // The code itself is not text.
    await expectIds(server(), `Observation?code:text=8480&${s.q}`, []);

    const typed = await patient(s, { identifier: [{ type: { text: 'Numéro de sécurité sociale' }, system: INS, value: nir() }] });
    await expectIds(server(), `Patient?identifier:text=numero%20de%20secu&${s.q}`, [typed]);
  });

  test(':missing on a CodeableConcept and on an Identifier', async () => {
    const s = newScope();
    const categorised = await observation(s, { text: 'Poids' }, { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }] });
    const plain = await observation(s, { text: 'Taille' });
    await expectIds(server(), `Observation?category:missing=true&${s.q}`, [plain]);
    await expectIds(server(), `Observation?category:missing=false&${s.q}`, [categorised]);
    await expectIds(server(), `Observation?category=vital-signs&${s.q}`, [categorised]);

    const identified = await patient(s, { identifier: [{ system: INS, value: nir() }] });
    const anonymous = await patient(s, { name: [{ family: 'Anonyme' }] });
    await expectIds(server(), `Patient?identifier:missing=true&${s.q}`, [anonymous]);
    await expectIds(server(), `Patient?identifier:missing=false&${s.q}`, [identified]);
  });

  test(':below on a mime type finds it with or without parameters, and a first segment every type under it (search.html#mimetype)', async () => {
    const s = newScope();
    const document = (contentType: string) => server().create(s.mark({ resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType } }] }));
    const xml = await document('text/xml');
    const xmlUtf8 = await document('text/xml; charset=UTF-8');
    const xmlFhir = await document('text/xml+fhir');
    const png = await document('image/png');
    await expectIds(server(), `DocumentReference?contenttype=text/xml&${s.q}`, [xml]);
    await expectIds(server(), `DocumentReference?contenttype:below=text/xml&${s.q}`, [xml, xmlUtf8]);
    await expectIds(server(), `DocumentReference?contenttype:below=image&${s.q}`, [png]);
    await expectIds(server(), `DocumentReference?contenttype:below=text&${s.q}`, [xml, xmlUtf8, xmlFhir]);
  });

  test(':of-type matches the identifier type (system|code) together with the value', async () => {
    const s = newScope();
    const mrValue = `MR-${s.u}`;
    const withMr = await patient(s, {
      identifier: [
        { type: { coding: [{ system: V2_0203, code: 'MR' }] }, system: 'urn:oid:1.2.250.1.71.4.2.1', value: mrValue },
        { type: { coding: [{ system: V2_0203, code: 'NH' }] }, system: 'urn:oid:1.2.250.1.213.1.4.8', value: nir() },
      ],
    });
    // Same value, other type: not matched by :of-type MR.
    const otherType = await patient(s, { identifier: [{ type: { coding: [{ system: V2_0203, code: 'PI' }] }, value: mrValue }] });
    const untyped = await patient(s, { identifier: [{ value: mrValue }] });

    await expectIds(server(), `Patient?identifier:of-type=${q(`${V2_0203}|MR|${mrValue}`)}&${s.q}`, [withMr]);
    await expectIds(server(), `Patient?identifier:of-type=${q(`${V2_0203}|PI|${mrValue}`)}&${s.q}`, [otherType]);
    await expectIds(server(), `Patient?identifier:of-type=${q(`${V2_0203}|MR|other`)}&${s.q}`, []);
    await expectIds(server(), `Patient?identifier=${q(mrValue)}&${s.q}`, [withMr, otherType, untyped]);
  });
});
