/**
 * The transaction processing rules of http://hl7.org/fhir/R4/http.html#trules
 * on both backends: each step on the state the previous ones left (DELETE,
 * POST, PUT/PATCH, GET, then conditional references), whatever the entries'
 * order; fullUrls replaced in every link the R4 types name, and nowhere else;
 * response.lastModified as the version's own instant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend } from '../support/test-server.js';
import { assertOutcome, base64Json, countOf, postBundle, uniqueSystem, urn } from '../support/outcome.js';
import { idOf, OBSERVATION, patient } from '../support/bundle-entries.js';


function criteria(system: string, value: string): string {
  return `identifier=${encodeURIComponent(`${system}|${value}`)}`;
}

forEachBackend('transaction processing rules', (server) => {
  test('a conditional create whose match the transaction deletes creates a new resource, whatever the entries\' order', async () => {
    for (const order of ['create first', 'delete first'] as const) {
      for (const deletion of ['by id', 'conditional'] as const) {
        const system = uniqueSystem('tx-h1');
        const old = await server().create(patient(system, 'x'));
        const patientUrl = urn();
        const entries = [
          { fullUrl: patientUrl, resource: patient(system, 'x', { name: [{ family: 'Nouveau' }] }), request: { method: 'POST', url: 'Patient', ifNoneExist: criteria(system, 'x') } },
          { resource: { ...OBSERVATION, subject: { reference: patientUrl } }, request: { method: 'POST', url: 'Observation' } },
          { request: { method: 'DELETE', url: deletion === 'by id' ? `Patient/${old.id}` : `Patient?${criteria(system, 'x')}` } },
        ];
        const result = await postBundle(server(), 'transaction', order === 'create first' ? entries : [...entries].reverse());
        assert.equal(result.status, 200, `${order}, ${deletion}: ${result.text}`);
        const [createEntry, observationEntry] = order === 'create first' ? result.body.entry : [...result.body.entry].reverse();
        assert.match(createEntry.response.status, /^201/, `${order}, ${deletion}: the deleted resource no longer matches`);
        const createdId = idOf(createEntry.response.location);
        assert.notEqual(createdId, old.id);
        assert.equal((await server().get(`Patient/${old.id}`)).status, 410);
        assert.equal((await server().get(`Patient/${createdId}`)).body.name[0].family, 'Nouveau');
        const observation = await server().get(`Observation/${idOf(observationEntry.response.location)}`);
        assert.equal(observation.body.subject.reference, `Patient/${createdId}`, 'the reference names the living resource');
      }
    }
  });

  test('a conditional create matching a resource another entry updates is the same resource twice (400)', async () => {
    const system = uniqueSystem('tx-h1-overlap');
    const existing = await server().create(patient(system, 'x'));
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'x'), request: { method: 'POST', url: 'Patient', ifNoneExist: criteria(system, 'x') } },
      { resource: patient(system, 'x', { id: existing.id, active: true }), request: { method: 'PUT', url: `Patient/${existing.id}` } },
    ]);
    assertOutcome(result, 400, 'bundle.same-resource-twice');
    assert.equal((await server().get(`Patient/${existing.id}`)).body.meta.versionId, '1');
  });

  test('response.lastModified is the exact meta.lastUpdated of each version, a matched conditional create\'s included', async () => {
    const system = uniqueSystem('tx-l7');
    const existing = await server().create(patient(system, 'known'));
    const updated = await server().create(patient(system, 'updated'));
    const result = await postBundle(server(), 'transaction', [
      { resource: patient(system, 'new'), request: { method: 'POST', url: 'Patient' } },
      { resource: patient(system, 'known'), request: { method: 'POST', url: 'Patient', ifNoneExist: criteria(system, 'known') } },
      { resource: patient(system, 'updated', { id: updated.id, active: true }), request: { method: 'PUT', url: `Patient/${updated.id}` } },
      { request: { method: 'GET', url: `Patient/${existing.id}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const entries = result.body.entry;
    assert.match(entries[1].response.status, /^200/);
    assert.equal(entries[1].response.etag, 'W/"1"', 'a matched conditional create carries its ETag');
    assert.equal(idOf(entries[1].response.location), existing.id);
    for (const entry of entries) {
      const read = await server().get(`Patient/${entry.resource.id}`);
      assert.equal(entry.response.lastModified, read.body.meta.lastUpdated, `${entry.response.status}: lastModified to the millisecond`);
    }
  });

  test('a conditional reference resolves to a resource the transaction creates or updates (step 5)', async () => {
    const system = uniqueSystem('tx-m1-created');
    const organizationSystem = uniqueSystem('tx-m1-org');
    const result = await postBundle(server(), 'transaction', [
      { resource: { ...OBSERVATION, subject: { reference: `Patient?${criteria(system, 'new')}` } }, request: { method: 'POST', url: 'Observation' } },
      // Whose own conditional reference names a resource the transaction creates too.
      { resource: patient(system, 'new', { managingOrganization: { reference: `Organization?${criteria(organizationSystem, 'o')}` } }), request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Organization', identifier: [{ system: organizationSystem, value: 'o' }], name: 'Clinique' }, request: { method: 'PUT', url: `Organization?${criteria(organizationSystem, 'o')}` } },
      { resource: { ...OBSERVATION, code: { text: 'taille' }, subject: { reference: `Patient?${criteria(system, 'put')}` } }, request: { method: 'POST', url: 'Observation' } },
      { resource: patient(system, 'put'), request: { method: 'PUT', url: `Patient?${criteria(system, 'put')}` } },
    ]);
    assert.equal(result.status, 200, result.text);
    const [observationEntry, patientEntry, organizationEntry, secondEntry, putEntry] = result.body.entry;
    const patientId = idOf(patientEntry.response.location);
    const observation = await server().get(`Observation/${idOf(observationEntry.response.location)}`);
    assert.equal(observation.body.subject.reference, `Patient/${patientId}`);
    const stored = await server().get(`Patient/${patientId}`);
    assert.equal(stored.body.managingOrganization.reference, `Organization/${idOf(organizationEntry.response.location)}`);
    const second = await server().get(`Observation/${idOf(secondEntry.response.location)}`);
    assert.equal(second.body.subject.reference, `Patient/${idOf(putEntry.response.location)}`);
    // Written once, with the resolved reference: no second version, and indexed as such.
    assert.equal(observation.body.meta.versionId, '1');
    assert.equal(await countOf(server(), `Observation?subject=Patient/${patientId}`), 1);
  });

  test('a conditional reference is judged on the state after the writes: a deleted match is none, a created one makes two', async () => {
    const system = uniqueSystem('tx-m1-state');
    const deleted = await server().create(patient(system, 'deleted'));
    const deleting = await postBundle(server(), 'transaction', [
      { resource: { ...OBSERVATION, subject: { reference: `Patient?${criteria(system, 'deleted')}` } }, request: { method: 'POST', url: 'Observation' } },
      { request: { method: 'DELETE', url: `Patient/${deleted.id}` } },
    ]);
    const none = assertOutcome(deleting, 412, 'bundle.conditional-reference-none');
    assert.ok(none.some((i) => i.code === 'not-found'));
    assert.equal((await server().get(`Patient/${deleted.id}`)).status, 200, 'nothing written');

    await server().create(patient(system, 'twice'));
    const creating = await postBundle(server(), 'transaction', [
      { resource: { ...OBSERVATION, subject: { reference: `Patient?${criteria(system, 'twice')}` } }, request: { method: 'POST', url: 'Observation' } },
      { resource: patient(system, 'twice'), request: { method: 'POST', url: 'Patient' } },
    ]);
    const many = assertOutcome(creating, 412, 'bundle.conditional-reference');
    assert.ok(many.some((i) => i.code === 'multiple-matches'));
    assert.equal(await countOf(server(), `Patient?${criteria(system, 'twice')}`), 1, 'nothing written');
  });

  test('uri, url and narrative links to entries are replaced; canonical, Extension.url and strings are not', async () => {
    const system = uniqueSystem('tx-h4');
    const patientUrl = urn();
    const source = 'http://source.example.org/fhir';
    const definitionUrl = `${source}/Basic/witness-definition`;
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: patientUrl, resource: patient(system, 'p'), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: `${source}/Questionnaire/q`, resource: { resourceType: 'Questionnaire', status: 'active', url: 'http://example.org/Questionnaire/q' }, request: { method: 'POST', url: 'Questionnaire' } },
      { fullUrl: definitionUrl, resource: { resourceType: 'Basic', code: { text: 'définition' } }, request: { method: 'POST', url: 'Basic' } },
      {
        resource: {
          resourceType: 'Provenance', recorded: '2024-03-12T10:00:00Z',
          text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><a href="${patientUrl}">dossier</a> <a href='${patientUrl}'>bis</a> <a href="http://example.org/other">autre</a></div>` },
          target: [{ reference: patientUrl }],
          policy: [patientUrl, 'http://example.org/policy'],
          _policy: [{ extension: [{ url: 'http://example.org/fhir/StructureDefinition/origin', valueUri: patientUrl }] }, null],
          agent: [{ who: { reference: patientUrl, identifier: { system: 'urn:ietf:rfc:3986', value: patientUrl } } }],
          extension: [
            { url: definitionUrl, valueUri: patientUrl },
            { url: 'http://example.org/fhir/StructureDefinition/form', valueCanonical: `${source}/Questionnaire/q` },
            { url: 'http://example.org/fhir/StructureDefinition/nested', extension: [{ url: 'inner', valueUrl: `${source}/Basic/witness-definition` }] },
          ],
        },
        request: { method: 'POST', url: 'Provenance' },
      },
    ]);
    assert.equal(result.status, 200, result.text);
    const patientId = idOf(result.body.entry[0].response.location);
    const basicId = idOf(result.body.entry[2].response.location);
    const provenance = (await server().get(`Provenance/${idOf(result.body.entry[3].response.location)}`)).body;
    assert.equal(provenance.target[0].reference, `Patient/${patientId}`);
    assert.deepEqual(provenance.policy, [`Patient/${patientId}`, 'http://example.org/policy'], 'uri elements');
    assert.equal(provenance._policy[0].extension[0].valueUri, `Patient/${patientId}`, 'a primitive\'s extensions');
    assert.match(provenance.text.div, new RegExp(`href="Patient/${patientId}">dossier`), 'narrative href');
    assert.match(provenance.text.div, new RegExp(`href='Patient/${patientId}'>bis`));
    assert.match(provenance.text.div, /href="http:\/\/example.org\/other"/);
    assert.equal(provenance.agent[0].who.identifier.value, patientUrl, 'Identifier.value is a string, not a link');
    assert.equal(provenance.extension[0].url, definitionUrl, 'Extension.url names a definition, never replaced');
    assert.equal(provenance.extension[0].valueUri, `Patient/${patientId}`, 'valueUri of an extension');
    assert.equal(provenance.extension[1].valueCanonical, `${source}/Questionnaire/q`, 'canonical elements are not replaced');
    assert.equal(provenance.extension[2].extension[0].valueUrl, `Basic/${basicId}`, 'valueUrl of a nested extension');
  });

  test('a placeholder that would be stored as is fails the transaction: in a canonical, an Extension.url, a GET entry\'s fullUrl', async () => {
    const system = uniqueSystem('tx-h4-left');
    const questionnaireUrl = urn();
    const cases = [
      {
        resource: { resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: questionnaireUrl, subject: { reference: 'Patient/nobody' } },
        extra: { fullUrl: questionnaireUrl, resource: { resourceType: 'Questionnaire', status: 'active' }, request: { method: 'POST', url: 'Questionnaire' } },
      },
      {
        resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], extension: [{ url: questionnaireUrl, valueString: 'x' }] },
        extra: { fullUrl: questionnaireUrl, resource: { resourceType: 'Questionnaire', status: 'active' }, request: { method: 'POST', url: 'Questionnaire' } },
      },
      {
        resource: { ...OBSERVATION, identifier: [{ system, value: 'o' }], subject: { reference: questionnaireUrl } },
        extra: { fullUrl: questionnaireUrl, request: { method: 'GET', url: 'Patient?_count=1' } },
      },
    ];
    for (const { resource, extra } of cases) {
      const result = await postBundle(server(), 'transaction', [{ resource, request: { method: 'POST', url: resource.resourceType } }, extra]);
      assertOutcome(result, 400, 'bundle.unresolved-reference');
    }
    assert.equal(await countOf(server(), `Observation?identifier=${encodeURIComponent(`${system}|`)}`), 0);
  });

  test('placeholders in the values a PATCH entry writes are replaced, typed by the patch paths', async () => {
    const system = uniqueSystem('tx-h4-patch');
    const target = await server().create(patient(system, 'patched'));
    const practitionerUrl = urn();
    const result = await postBundle(server(), 'transaction', [
      { fullUrl: practitionerUrl, resource: { resourceType: 'Practitioner', name: [{ family: 'Martin' }] }, request: { method: 'POST', url: 'Practitioner' } },
      {
        resource: {
          resourceType: 'Binary', contentType: 'application/json-patch+json',
          data: base64Json([
            { op: 'add', path: '/generalPractitioner', value: [{ reference: practitionerUrl }] },
            { op: 'add', path: '/extension', value: [{ url: 'http://example.org/fhir/StructureDefinition/referent', valueUri: practitionerUrl }] },
            { op: 'add', path: '/identifier/-', value: { system: practitionerUrl, value: practitionerUrl } },
          ]),
        },
        request: { method: 'PATCH', url: `Patient/${target.id}` },
      },
    ]);
    assert.equal(result.status, 200, result.text);
    const practitionerId = idOf(result.body.entry[0].response.location);
    const stored = (await server().get(`Patient/${target.id}`)).body;
    assert.equal(stored.generalPractitioner[0].reference, `Practitioner/${practitionerId}`);
    const referent = stored.extension.find((e: { url: string }) => e.url === 'http://example.org/fhir/StructureDefinition/referent');
    assert.equal(referent.valueUri, `Practitioner/${practitionerId}`);
    assert.deepEqual(stored.identifier[1], { system: `Practitioner/${practitionerId}`, value: practitionerUrl }, 'Identifier.system is a uri, Identifier.value a string');
  });
});
