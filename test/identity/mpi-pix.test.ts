/**
 * IHE PIXm [ITI-83] Patient/$ihe-pix and PDQm [ITI-78] Patient search over
 * HTTP on both backends (https://profiles.ihe.net/ITI/PIXm/ITI-83.html,
 * https://profiles.ihe.net/ITI/PDQm/ITI-78.html).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { IPP_LILLE, IPP_ROUBAIX, operatorClient, patient } from './mpi-fixtures.js';

const DMP_LIKE = 'urn:oid:1.2.250.1.999.9.1';

forEachBackend('IHE PIXm $ihe-pix', (testServer) => {
  const client = operatorClient(testServer);
  const server = () => client;
  const ids: Record<string, string> = {};
  before(async () => {
    // One person known to two facilities, the Roubaix record linked to the Lille one; another person elsewhere.
    ids.lille = (await server().create(patient({ family: 'Payet', given: ['Lucas'], gender: 'male', birthDate: '2015-09-09', identifiers: [{ system: IPP_LILLE, value: 'L-77' }, { system: DMP_LIKE, value: 'D-5' }] }) )).id;
    ids.roubaix = (await server().create({ ...patient({ family: 'PAYET', given: ['LUCAS'], gender: 'male', birthDate: '2015-09-09', identifiers: [{ system: IPP_ROUBAIX, value: 'R|9' }] }), link: [{ other: { reference: `Patient/${ids.lille}` }, type: 'seealso' }] } )).id;
    ids.other = (await server().create(patient({ family: 'Hoarau', given: ['Emma'], gender: 'female', birthDate: '2001-01-01', identifiers: [{ system: IPP_ROUBAIX, value: 'R-10' }] }) )).id;
  });

  const values = (body: any, name: string): any[] => body.parameter.filter((p: any) => p.name === name);

  test('from one identifier, the identifiers of the same person in every other domain, and the records', async () => {
    const result = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|L-77`)}`);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.resourceType, 'Parameters');
    const identifiers = values(result.body, 'targetIdentifier').map((p) => `${p.valueIdentifier.system}|${p.valueIdentifier.value}`).sort();
    assert.deepEqual(identifiers, [`${DMP_LIKE}|D-5`, `${IPP_ROUBAIX}|R|9`].sort());
    const records = values(result.body, 'targetId').map((p) => p.valueReference.reference).sort();
    assert.deepEqual(records, [`Patient/${ids.lille}`, `Patient/${ids.roubaix}`].sort());
  });

  test('targetSystem restricts the answer to that domain, from the other side of the link too', async () => {
    const result = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_ROUBAIX}|R|9`)}&targetSystem=${encodeURIComponent(IPP_LILLE)}`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(values(result.body, 'targetIdentifier').map((p) => p.valueIdentifier.value), ['L-77']);
    assert.deepEqual(values(result.body, 'targetId').map((p) => p.valueReference.reference), [`Patient/${ids.lille}`]);
  });

  test('a record named by its logical id (this server\'s base|Patient/id) gives the identifiers of its person', async () => {
    const base = testServer().base;
    const result = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${base}|Patient/${ids.roubaix}`)}`);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(values(result.body, 'targetIdentifier').map((p) => p.valueIdentifier.value).sort(), ['D-5', 'L-77', 'R|9']);
    // The sourceIdentifier's value is never in the answer (ITI-83 §2:3.83.4.2.2.1): the record named is not its own target.
    assert.deepEqual(values(result.body, 'targetId').map((p) => p.valueReference.reference), [`Patient/${ids.lille}`]);
    // This server's base as targetSystem asks for the logical ids of the person's records only (§2:3.83.4.1.2.2).
    const records = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|L-77`)}&targetSystem=${encodeURIComponent(base)}`);
    assert.equal(records.status, 200, records.text);
    assert.deepEqual(values(records.body, 'targetIdentifier'), []);
    assert.deepEqual(values(records.body, 'targetId').map((p) => p.valueReference.reference).sort(), [`Patient/${ids.lille}`, `Patient/${ids.roubaix}`].sort());
    const missing = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${base}|Patient/nobody-here`)}`);
    assert.equal(missing.status, 404);
  });

  test('POST with Parameters answers the same', async () => {
    const result = await server().post('Patient/$ihe-pix', {
      resourceType: 'Parameters',
      parameter: [{ name: 'sourceIdentifier', valueIdentifier: { system: IPP_ROUBAIX, value: 'R-10' } }],
    });
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(values(result.body, 'targetIdentifier'), []);
    assert.deepEqual(values(result.body, 'targetId').map((p) => p.valueReference.reference), [`Patient/${ids.other}`]);
    const noSystem = await server().post('Patient/$ihe-pix', { resourceType: 'Parameters', parameter: [{ name: 'sourceIdentifier', valueIdentifier: { value: 'R-10' } }] });
    assert.equal(noSystem.status, 400, noSystem.text);
    assert.equal(noSystem.body.issue[0].details.coding[0].code, 'mpi.pix.source-required');
  });

  test('errors as ITI-83 sets them: 400 unknown domain, 404 unknown patient, 403 unknown target domain, 400 malformed', async () => {
    const domain = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent('urn:oid:9.9.9|L-77')}`);
    assert.equal(domain.status, 400);
    assert.equal(domain.body.issue[0].code, 'code-invalid');
    // The diagnostics are ITI-83's own words (§2:3.83.4.2.2.2-4).
    assert.equal(domain.body.issue[0].diagnostics, 'sourceIdentifier Assigning Authority not found');
    const unknown = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|nobody`)}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.issue[0].code, 'not-found');
    assert.equal(unknown.body.issue[0].diagnostics, 'sourceIdentifier Patient Identifier not found');
    const target = await server().get(`Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|L-77`)}&targetSystem=urn:oid:9.9.9`);
    assert.equal(target.status, 403);
    assert.equal(target.body.resourceType, 'OperationOutcome');
    assert.equal(target.body.issue[0].code, 'code-invalid');
    assert.equal(target.body.issue[0].diagnostics, 'targetSystem not found');
    for (const bad of ['', '?sourceIdentifier=L-77', `?sourceIdentifier=${encodeURIComponent(`${IPP_LILLE}|`)}`]) {
      const result = await server().get(`Patient/$ihe-pix${bad}`);
      assert.equal(result.status, 400, bad);
      assert.equal(result.body.issue[0].details.coding[0].code, 'mpi.pix.source-required');
    }
  });
});

forEachBackend('IHE PDQm Patient search', (testServer) => {
  const client = operatorClient(testServer);
  const server = () => client;
  const ids: Record<string, string> = {};
  before(async () => {
    const withContact = (p: Record<string, unknown>, city: string, postalCode: string, phone: string) => ({
      ...p,
      telecom: [{ system: 'phone', value: phone }],
      address: [{ line: ['12 rue Nationale'], city, postalCode, country: 'FRA' }],
    });
    const mother = { url: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName', valueString: 'Duchêne' };
    const a = withContact(patient({ family: 'Lefèvre', given: ['Hélène', 'Marie'], gender: 'female', birthDate: '1980-02-29', identifiers: [{ system: IPP_LILLE, value: 'P-1' }] }), 'Lille', '59000', '0320000001');
    ids.a = (await server().create({ ...a, extension: [...((a as { extension?: unknown[] }).extension ?? []), mother] })).id;
    ids.b = (await server().create({ ...withContact(patient({ family: 'Lefebvre', given: ['Paul'], gender: 'male', birthDate: '1975-06-01' }), 'Roubaix', '59100', '0320000002'), active: false } )).id;
  });

  const found = async (query: string): Promise<string[]> => {
    const result = await server().get(`Patient?${query}`);
    assert.equal(result.status, 200, `${query}: ${result.text}`);
    return (result.body.entry ?? []).map((e: any) => e.resource.id).sort();
  };

  test('the parameters PDQm requires of a Patient Demographics Supplier work', async () => {
    assert.deepEqual(await found(`_id=${ids.a}`), [ids.a]);
    assert.deepEqual(await found('active=false'), [ids.b]);
    assert.deepEqual(await found('family=lefevre'), [ids.a], 'accent-insensitive prefix');
    assert.deepEqual(await found('family:exact=Lefèvre'), [ids.a]);
    assert.deepEqual(await found('family=lef'), [ids.a, ids.b].sort());
    assert.deepEqual(await found('given=helene'), [ids.a]);
    assert.deepEqual(await found(`identifier=${encodeURIComponent(`${IPP_LILLE}|P-1`)}`), [ids.a]);
    assert.deepEqual(await found('telecom=0320000002'), [ids.b]);
    assert.deepEqual(await found('birthdate=1980-02-29'), [ids.a]);
    assert.deepEqual(await found('birthdate=ge1976-01-01&family=lef'), [ids.a]);
    assert.deepEqual(await found('gender=male&family=lef'), [ids.b]);
    assert.deepEqual(await found('address=12'), [ids.a, ids.b].sort(), 'prefix of any address part');
    assert.deepEqual(await found('address:contains=nationale'), [ids.a, ids.b].sort());
    assert.deepEqual(await found('address-city=roubaix'), [ids.b]);
    assert.deepEqual(await found('address-postalcode=59000'), [ids.a]);
    assert.deepEqual(await found('address-country=FRA&given=paul'), [ids.b]);
    assert.deepEqual(await found('name=helene'), [ids.a], 'any part of any name');
    assert.deepEqual(await found('_count=1&family=lef').then((l) => l.length), 1);
    assert.deepEqual(await found('mothersMaidenName=duchene'), [ids.a], 'the patient-mothersMaidenName extension');
    assert.deepEqual(await found('mothersMaidenName:exact=Duchêne&family=lef'), [ids.a]);
    assert.deepEqual(await found('mothersMaidenName=martin'), []);
  });
});
