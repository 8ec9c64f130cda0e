/**
 * Validation against profiles (http://hl7.org/fhir/R4/profiling.html,
 * resource-operation-validate.html): HL7's vital-signs profiles, a
 * StructureDefinition uploaded here (written by hand below, with its
 * snapshot), `$validate?profile=`, meta.profile enforced on writes, a changed
 * profile applying at once, a profile without snapshot, and the `off` setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, messageKeys, uniqueSystem, type OutcomeIssue } from '../support/outcome.js';

const EXAMPLES = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const HEART_RATE = JSON.parse(readFileSync(`${EXAMPLES}/Observation-heart-rate.json`, 'utf8')) as Record<string, any>;
const HL7 = 'http://hl7.org/fhir/StructureDefinition';

function errors(issues: readonly OutcomeIssue[]): OutcomeIssue[] {
  return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

function heartRate(profile: string, change: (o: Record<string, any>) => void = () => undefined): Record<string, any> {
  const copy = structuredClone(HEART_RATE);
  delete copy.id;
  copy.meta = { profile: [profile] };
  change(copy);
  return copy;
}

function withBase(elements: Record<string, any>[]): Record<string, any>[] {
  return elements.map((e) => ({ ...e, definition: `${e.id as string}.`, base: { path: e.path, min: 0, max: '*' } }));
}

/** A Patient profile: an identifier of the MRN system (a slice by system), no photo, a birth place (HL7's extension). */
function patientProfile(url: string, mrn: string, photoMax: string): { resourceType: string } & Record<string, unknown> {
  return {
    resourceType: 'StructureDefinition', url, name: 'TestPatient', status: 'active', kind: 'resource', abstract: false,
    type: 'Patient', baseDefinition: `${HL7}/Patient`, derivation: 'constraint',
    snapshot: {
      // sdf-3 and sdf-8b: every snapshot element has a definition and a base.
      element: withBase([
        { id: 'Patient', path: 'Patient', min: 0, max: '*' },
        {
          id: 'Patient.extension', path: 'Patient.extension', min: 1, max: '*', type: [{ code: 'Extension' }],
          slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' },
        },
        { id: 'Patient.extension:birthPlace', path: 'Patient.extension', sliceName: 'birthPlace', min: 1, max: '1', type: [{ code: 'Extension', profile: [`${HL7}/patient-birthPlace`] }] },
        {
          id: 'Patient.identifier', path: 'Patient.identifier', min: 1, max: '*', type: [{ code: 'Identifier' }],
          slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
        },
        { id: 'Patient.identifier:mrn', path: 'Patient.identifier', sliceName: 'mrn', min: 1, max: '1', type: [{ code: 'Identifier' }] },
        { id: 'Patient.identifier:mrn.system', path: 'Patient.identifier.system', min: 1, max: '1', type: [{ code: 'uri' }], fixedUri: mrn },
        { id: 'Patient.identifier:mrn.value', path: 'Patient.identifier.value', min: 1, max: '1', type: [{ code: 'string' }] },
        { id: 'Patient.photo', path: 'Patient.photo', min: 0, max: photoMax, type: [{ code: 'Attachment' }] },
      ]),
    },
  };
}

function patient(url: string, mrn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient', meta: { profile: [url] },
    extension: [{ url: `${HL7}/patient-birthPlace`, valueAddress: { city: 'Lille', country: 'FR' } }],
    identifier: [{ system: mrn, value: '12345' }], name: [{ family: 'Martin', given: ['Léa'] }], ...extra,
  };
}

forEachBackend('validation against profiles', (server) => {
  test('the official heart-rate example conforms to vitalsigns and heartrate; $validate checks its declared profile', async () => {
    const declared = await server().post('Observation/$validate', heartRate(`${HL7}/vitalsigns`));
    assert.equal(declared.status, 200, declared.text);
    assert.deepEqual(errors(declared.body.issue), []);
    const nominated = await server().post(`Observation/$validate?profile=${HL7}/heartrate`, heartRate(`${HL7}/vitalsigns`));
    assert.deepEqual(errors(nominated.body.issue), []);
    const created = await server().post('Observation', heartRate(`${HL7}/heartrate`));
    assert.equal(created.status, 201, created.text);
  });

  test('a heart rate without its vital-signs category slice, or with another LOINC code, is refused (422) and named by $validate', async () => {
    const noCategory = heartRate(`${HL7}/heartrate`, (o) => {
      o.category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
    });
    const refused = assertOutcome(await server().post('Observation', noCategory), 422, 'profile.slice-min');
    assert.ok(refused.some((i) => i.expression?.includes('Observation.category')), JSON.stringify(refused));
    const wrongCode = heartRate(`${HL7}/heartrate`, (o) => { o.code = { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }; });
    assertOutcome(await server().post('Observation', wrongCode), 422, 'profile.slice-min');
    const validated = await server().post('Observation/$validate', wrongCode);
    assert.equal(validated.status, 200);
    assert.deepEqual(messageKeys(errors(validated.body.issue)), ['profile.slice-min']);
    // The heart rate is not a body weight: its code is not bodyweight's LOINC code.
    const asWeight = await server().post(`Observation/$validate?profile=${HL7}/bodyweight`, heartRate(`${HL7}/vitalsigns`));
    assert.ok(messageKeys(errors(asWeight.body.issue)).includes('profile.slice-min'), asWeight.text);
    const wrongUnit = heartRate(`${HL7}/heartrate`, (o) => { o.valueQuantity = { ...o.valueQuantity, code: 'kg' }; });
    const unit = assertOutcome(await server().post('Observation', wrongUnit), 422, 'profile.fixed');
    assert.ok(unit.some((i) => i.expression?.includes('Observation.valueQuantity.code')));
  });

  test('an unknown declared profile is information on $validate and no obstacle to a write', async () => {
    const observation = heartRate('http://example.org/StructureDefinition/nobody-knows');
    const validated = await server().post('Observation/$validate', observation);
    assert.deepEqual(errors(validated.body.issue), []);
    assert.ok(messageKeys(validated.body.issue).includes('profile.declared-unknown'));
    assert.equal((await server().post('Observation', observation)).status, 201);
  });

  test('an uploaded StructureDefinition is used by $validate?profile= and on create, and a change applies at once', async () => {
    const url = `http://example.org/fhir/StructureDefinition/test-patient-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const mrn = uniqueSystem('mrn');
    assertOutcome(await server().post(`Patient/$validate?profile=${encodeURIComponent(url)}`, patient(url, mrn)), 200, 'validation.profile-unsupported');
    const stored = await server().create(patientProfile(url, mrn, '0'));
    const good = await server().post(`Patient/$validate?profile=${encodeURIComponent(url)}`, patient(url, mrn));
    assert.deepEqual(errors(good.body.issue), [], good.text);
    const bad = { ...patient(url, mrn), extension: undefined, identifier: [{ system: uniqueSystem('other'), value: '1' }], photo: [{ contentType: 'image/png', url: 'http://example.org/p.png' }] };
    const validated = await server().post(`Patient/$validate?profile=${encodeURIComponent(url)}`, bad);
    const keys = messageKeys(errors(validated.body.issue)).sort();
    assert.deepEqual(keys, ['profile.slice-min', 'profile.slice-min', 'validation.max', 'validation.min'], validated.text);
    assertOutcome(await server().post('Patient', bad), 422, 'profile.slice-min');
    assert.equal((await server().post('Patient', patient(url, mrn))).status, 201);
    const withPhoto = patient(url, mrn, { photo: [{ contentType: 'image/png', url: 'http://example.org/p.png' }] });
    assertOutcome(await server().post('Patient', withPhoto), 422, 'validation.max');
    // The profile now allows a photo: the next write is checked against the new version.
    const changed = await server().put(`StructureDefinition/${stored.id}`, { ...patientProfile(url, mrn, '1'), id: stored.id });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((await server().post('Patient', withPhoto)).status, 201);
    // The birth place extension is checked against HL7's definition: an Address, not a string.
    const badExtension = patient(url, mrn, { extension: [{ url: `${HL7}/patient-birthPlace`, valueString: 'Lille' }] });
    assertOutcome(await server().post('Patient', badExtension), 422, 'profile.type');
  });

  test('an extension profile naming itself twice for its nested extensions is refused as too costly, not walked 2^depth times', async () => {
    const url = `http://example.org/fhir/StructureDefinition/loop-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const extension = `${url}-extension`;
    const twice = [{ code: 'Extension', profile: [extension, extension] }];
    await server().create({ ...patientProfile(url, 'urn:x', '*'), snapshot: { element: withBase([
      { id: 'Patient', path: 'Patient', min: 0, max: '*' },
      { id: 'Patient.extension', path: 'Patient.extension', min: 0, max: '*', type: twice },
    ]) } });
    await server().create({
      resourceType: 'StructureDefinition', url: extension, name: 'LoopExtension', status: 'active', kind: 'complex-type', abstract: false,
      context: [{ type: 'element', expression: 'Element' }], type: 'Extension', baseDefinition: `${HL7}/Extension`, derivation: 'constraint',
      snapshot: { element: withBase([
        { id: 'Extension', path: 'Extension', min: 0, max: '*' },
        { id: 'Extension.extension', path: 'Extension.extension', min: 0, max: '*', type: twice },
      ]) },
    });
    // 40 extensions each inside the last: 2^32 walks of the innermost ones without a bound.
    let nested: Record<string, unknown> = { url: extension, valueString: 'x' };
    for (let i = 0; i < 40; i++) nested = { url: extension, extension: [nested] };
    const declaring = { resourceType: 'Patient', meta: { profile: [url] }, extension: [nested] };
    const validated = await server().post('Patient/$validate', declaring);
    assert.equal(validated.status, 200, validated.text);
    assert.deepEqual(messageKeys(errors(validated.body.issue)), ['profile.too-costly']);
    assertOutcome(await server().post('Patient', declaring), 422, 'profile.too-costly');
  });

  test('a stored profile\'s invariants run within bounded FHIRPath: a simple one is enforced, a costly one is said as not checked, and nothing hangs', async () => {
    const url = `http://example.org/fhir/StructureDefinition/invariants-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const mrn = uniqueSystem('mrn');
    const definition = patientProfile(url, mrn, '*') as any;
    // Ten-item literals in nested select(): fhirpath.js took 35 s on such an expression, holding the event loop.
    const costly = `(1|2|3|4|5|6|7|8|9|10)${'.select((1|2|3|4|5|6|7|8|9|10)'.repeat(7)}${')'.repeat(7)}.count() > 0`;
    definition.snapshot.element[0].constraint = [
      { key: 'tst-1', severity: 'error', human: 'a name', expression: 'name.exists()' },
      { key: 'tst-2', severity: 'error', human: 'costly', expression: costly },
    ];
    await server().create(definition);
    const nameless = { ...patient(url, mrn), name: undefined };
    const validated = await server().post(`Patient/$validate?profile=${encodeURIComponent(url)}`, nameless);
    assert.equal(validated.status, 200, validated.text);
    assert.deepEqual(errors(validated.body.issue).map((i) => i.diagnostics?.includes('tst-1') || JSON.stringify(i).includes('tst-1')), [true], 'tst-1 enforced');
    assert.ok(validated.body.issue.some((i: OutcomeIssue) => i.severity === 'information' && JSON.stringify(i).includes('tst-2')), 'tst-2 said as not checked');
    assertOutcome(await server().post('Patient', nameless), 422, 'validation.invariant');
  });

  test('at most 20 declared profiles are looked up per resource; $validate says the rest were not', async () => {
    const profiles = Array.from({ length: 25 }, (_, i) => `http://example.org/StructureDefinition/many-${i}`);
    const validated = await server().post('Patient/$validate', { resourceType: 'Patient', meta: { profile: profiles } });
    assert.equal(validated.status, 200, validated.text);
    assert.equal(messageKeys(validated.body.issue).filter((k) => k === 'profile.declared-unknown').length, 20);
    assert.ok(validated.body.issue.some((i: OutcomeIssue) => i.severity === 'warning' && i.code === 'too-costly'));
  });

  test('a StructureDefinition stored under one of HL7\'s canonicals does not replace HL7\'s', async () => {
    const loose = patientProfile(`${HL7}/heartrate`, 'urn:x', '*') as any;
    loose.type = 'Observation';
    loose.baseDefinition = `${HL7}/Observation`;
    loose.snapshot.element = withBase([{ id: 'Observation', path: 'Observation', min: 0, max: '*' }]);
    await server().create(loose);
    const wrongCode = heartRate(`${HL7}/heartrate`, (o) => { o.code = { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }; });
    assert.equal((await server().post('Observation', wrongCode)).status, 422, 'HL7\'s heartrate still holds');
  });

  test('a StructureDefinition without a snapshot cannot be used: an error on $validate and on a declaring write', async () => {
    const url = `http://example.org/fhir/StructureDefinition/no-snapshot-${Date.now()}`;
    const definition = patientProfile(url, 'urn:x', '0');
    delete definition.snapshot;
    definition.differential = { element: [{ id: 'Patient.photo', path: 'Patient.photo', max: '0' }] };
    await server().create(definition);
    const validated = await server().post(`Patient/$validate?profile=${encodeURIComponent(url)}`, { resourceType: 'Patient' });
    assert.deepEqual(messageKeys(errors(validated.body.issue)), ['profile.no-snapshot']);
    assertOutcome(await server().post('Patient', { resourceType: 'Patient', meta: { profile: [url] } }), 422, 'profile.no-snapshot');
  });
});

forEachBackend('validation against profiles, SOCLE_PROFILE_VALIDATION=off', (server) => {
  test('writes are checked against the base definitions only; $validate still checks the declared profiles', async () => {
    const wrongCode = heartRate(`${HL7}/heartrate`, (o) => { o.code = { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }; });
    assert.equal((await server().post('Observation', wrongCode)).status, 201);
    const validated = await server().post('Observation/$validate', wrongCode);
    assert.deepEqual(messageKeys(errors(validated.body.issue)), ['profile.slice-min']);
  });
}, { profileValidation: 'off' });
