import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { r4Schema } from '../definitions/schema.js';
import type { IndexSet } from './index-set.js';
import { MAX_INSTANT, MIN_INSTANT } from './index-set.js';
import { ResourceIndexer } from './resource-indexer.js';
import * as fixtures from './test-resources.js';

const BASE = 'http://127.0.0.1:8080/fhir';
const indexer = new ResourceIndexer(r4Schema(), { baseUrl: BASE });
const ms = (iso: string) => Date.parse(iso);

type Kind = Exclude<keyof IndexSet, 'text'>;

/** The rows of one parameter, without their `param` field. */
function rows(set: IndexSet, kind: Kind, param: string): Record<string, unknown>[] {
  return (set[kind] as readonly { param: string }[])
    .filter((row) => row.param === param)
    .map(({ param: _param, ...rest }) => rest);
}

/** What a search on a string parameter reads: its own rows and those of the parameters it covers (string-coverage.ts), as written. */
function searchedValues(set: IndexSet, type: string, param: string): string[] {
  const params = new Set([param, ...indexer.coveredParams(type, param)]);
  return set.string.filter((row) => params.has(row.param) && row.group === undefined && !row.part).map((row) => row.exact).sort();
}

/** The composite rows of one group, keyed by component parameter name. */
function groupsOf(set: IndexSet, code: string): Map<number, Record<string, unknown>[]> {
  const groups = new Map<number, Record<string, unknown>[]>();
  for (const kind of ['string', 'token', 'date', 'number', 'quantity', 'reference', 'uri'] as const) {
    for (const row of set[kind] as readonly { param: string; group?: number }[]) {
      if (!row.param.startsWith(`${code}$`) || row.group === undefined) continue;
      const list = groups.get(row.group) ?? [];
      list.push(row);
      groups.set(row.group, list);
    }
  }
  return groups;
}

describe('ResourceIndexer on a Patient', () => {
  const set = indexer.index(fixtures.patient);

  it('indexes each part of the names, normalised and as written, once each', () => {
    assert.deepEqual(rows(set, 'string', 'family'), [{ norm: 'lefevre', exact: 'Lefèvre' }, { norm: 'martin', exact: 'Martin' }]);
    // "Marie-Œnone" is found by its second word too: a row that matches it, keeping the whole name as written.
    assert.deepEqual(rows(set, 'string', 'given'), [
      { norm: 'helene', exact: 'Hélène' }, { norm: 'marieoenone', exact: 'Marie-Œnone' }, { norm: 'oenone', exact: 'Marie-Œnone', part: true },
    ]);
    assert.deepEqual(searchedValues(set, 'Patient', 'name'), ['Hélène', 'Hélène Martin', 'Lefèvre', 'Marie-Œnone', 'Martin', 'Mme'].sort());
    assert.deepEqual(searchedValues(set, 'Patient', 'phonetic'), searchedValues(set, 'Patient', 'name'));
  });

  it('stores a value once: name keeps only what family and given do not hold, phonetic nothing', () => {
    assert.deepEqual(indexer.coveredParams('Patient', 'name'), ['family', 'given']);
    assert.deepEqual(indexer.coveredParams('Patient', 'phonetic'), ['family', 'given', 'name']);
    assert.deepEqual(indexer.coveredParams('Patient', 'family'), []);
    assert.deepEqual(rows(set, 'string', 'name').map((r) => r.exact), ['Mme', 'Hélène Martin']);
    assert.deepEqual(rows(set, 'string', 'phonetic'), []);
    assert.deepEqual(rows(set, 'string', 'address').map((r) => r.norm), ['12ruedelapaix', 'batimentb']);
  });

  it('indexes every part of the address, and the address-* parameters', () => {
    assert.deepEqual(searchedValues(set, 'Patient', 'address').map((v) => v.toLowerCase()).sort(),
      ['12 rue de la paix', 'bâtiment b', 'paris', 'île-de-france', '75002', 'fr'].sort());
    assert.deepEqual(rows(set, 'string', 'address-city'), [{ norm: 'paris', exact: 'Paris' }]);
    // Address parts are matched whole: no row per word.
    assert.deepEqual(rows(set, 'string', 'address-state'), [{ norm: 'iledefrance', exact: 'Île-de-France' }]);
    assert.deepEqual(rows(set, 'token', 'address-use'), [{ system: 'http://hl7.org/fhir/address-use', code: 'home', text: null }]);
  });

  it('indexes identifiers with their type codings for :of-type and type text for :text', () => {
    assert.deepEqual(rows(set, 'token', 'identifier'), [
      { system: 'urn:oid:1.2.250.1.213.1.4.8', code: '280027512345678', text: 'nir', ofType: 'http://interopsante.org/CodeSystem/v2-0203|INS-NIR' },
      { system: 'urn:oid:1.2.250.1.213.1.4.8', code: '280027512345678', text: 'nir', ofType: 'http://terminology.hl7.org/CodeSystem/v2-0203|NI' },
      { system: 'http://hopital.example.fr/ipp', code: 'IPP-000123', text: null, ofType: null },
    ]);
  });

  it('gives a bound code the system of its required value set', () => {
    assert.deepEqual(rows(set, 'token', 'gender'), [{ system: 'http://hl7.org/fhir/administrative-gender', code: 'female', text: null }]);
  });

  it('indexes booleans, including the computed deceased', () => {
    assert.deepEqual(rows(set, 'token', 'active'), [{ system: null, code: 'true', text: null }]);
    assert.deepEqual(rows(set, 'token', 'deceased'), [{ system: null, code: 'false', text: null }]);
    const dead = indexer.index({ resourceType: 'Patient', deceasedDateTime: '2024-01-02' });
    assert.deepEqual(rows(dead, 'token', 'deceased'), [{ system: null, code: 'true', text: null }]);
    assert.deepEqual(rows(dead, 'date', 'death-date'), [{ low: ms('2024-01-02T00:00:00Z'), high: ms('2024-01-02T23:59:59.999Z') }]);
  });

  it('indexes contact points by value, phone and email by their system', () => {
    assert.deepEqual(rows(set, 'token', 'phone'), [{ system: null, code: '+33 6 12 34 56 78', text: null }]);
    assert.deepEqual(rows(set, 'token', 'email'), [{ system: null, code: 'helene.lefevre@example.fr', text: null }]);
    assert.equal(rows(set, 'token', 'telecom').length, 2);
  });

  it('indexes the birth date as the range of its day', () => {
    assert.deepEqual(rows(set, 'date', 'birthdate'), [{ low: ms('1980-02-29T00:00:00Z'), high: ms('1980-02-29T23:59:59.999Z') }]);
  });

  it('treats absolute references to this server as local', () => {
    assert.deepEqual(rows(set, 'reference', 'general-practitioner').map((r) => [r.targetType, r.targetId, r.url]), [
      ['Practitioner', 'pr-1', null],
      ['Organization', 'org-1', null],
    ]);
    assert.deepEqual(rows(set, 'reference', 'link').map((r) => r.targetId), ['pat-0']);
  });

  it('indexes meta: _tag, _security, _profile, _source; not _id nor _lastUpdated', () => {
    assert.deepEqual(rows(set, 'token', '_tag'), [{ system: 'http://socle.example/tags', code: 'import', text: 'imported' }]);
    assert.deepEqual(rows(set, 'token', '_security'), [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', text: null }]);
    assert.deepEqual(rows(set, 'uri', '_profile'), [{ value: 'http://interopsante.org/fhir/StructureDefinition/FrPatient|1.1' }]);
    assert.deepEqual(rows(set, 'uri', '_source'), [{ value: 'http://hopital.example.fr/dpi' }]);
    assert.deepEqual(rows(set, 'token', '_id'), []);
    assert.deepEqual(rows(set, 'date', '_lastUpdated'), []);
  });

  it('computes _text from the narrative and _content from every string but the narrative', () => {
    // Free text keeps punctuation and words apart (values.ts, normalizeText).
    assert.equal(set.text.narrative, 'helene lefevre, nee le 29/02/1980 & suivie a paris');
    assert.ok(set.text.content.includes('280027512345678'));
    assert.ok(set.text.content.includes('marie-oenone'));
    assert.ok(!set.text.content.includes('<div'));
    assert.ok(!set.text.content.includes('suivie'));
  });
});

describe('ResourceIndexer: names word by word (search.html#string)', () => {
  const patient = indexer.index({
    resourceType: 'Patient',
    name: [{ family: "O'Brien-Zyx", given: ['Jean-Pierre', 'Luc'] }, { family: 'Carreno Quinones', prefix: ['Dr'] }],
    address: [{ line: ['12 rue de la Paix'], city: 'Saint-Omer' }],
  });

  it('gives each later word of a family or given name a row, the whole name kept as written', () => {
    assert.deepEqual(rows(patient, 'string', 'family'), [
      { norm: 'obrienzyx', exact: "O'Brien-Zyx" },
      { norm: 'brienzyx', exact: "O'Brien-Zyx", part: true },
      { norm: 'zyx', exact: "O'Brien-Zyx", part: true },
      { norm: 'carrenoquinones', exact: 'Carreno Quinones' },
      { norm: 'quinones', exact: 'Carreno Quinones', part: true },
    ]);
    assert.deepEqual(rows(patient, 'string', 'given'), [
      { norm: 'jeanpierre', exact: 'Jean-Pierre' }, { norm: 'pierre', exact: 'Jean-Pierre', part: true }, { norm: 'luc', exact: 'Luc' },
    ]);
  });

  it('leaves those rows to family and given: name and phonetic keep none of them', () => {
    assert.deepEqual(rows(patient, 'string', 'name'), [{ norm: 'dr', exact: 'Dr' }]);
    assert.deepEqual(rows(patient, 'string', 'phonetic'), []);
  });

  it('matches address parts and other strings whole', () => {
    assert.deepEqual(rows(patient, 'string', 'address-city'), [{ norm: 'saintomer', exact: 'Saint-Omer' }]);
    assert.deepEqual(rows(patient, 'string', 'address').map((r) => r.norm), ['12ruedelapaix']);
  });

  it('adds no row for one-word names (most patients)', () => {
    const plain = indexer.index({ resourceType: 'Patient', name: [{ family: 'Martin3', given: ['Léa'] }] });
    assert.deepEqual(plain.string.map((r) => [r.param, r.norm]), [['family', 'martin3'], ['given', 'lea']]);
  });

  it('does the same for every HumanName parameter (Practitioner, RelatedPerson)', () => {
    const practitioner = indexer.index({ resourceType: 'Practitioner', name: [{ family: "D'Almeida" }] });
    assert.deepEqual(rows(practitioner, 'string', 'family').map((r) => r.norm), ['dalmeida', 'almeida']);
    const related = indexer.index({ resourceType: 'RelatedPerson', patient: { reference: 'Patient/p' }, name: [{ family: 'Le Goff' }] });
    assert.deepEqual(rows(related, 'string', 'name').map((r) => r.norm), ['legoff', 'goff']);
  });
});

describe('ResourceIndexer: token case (search.html#token)', () => {
  it('lower-cases contact points and string-typed values, keeps codes and identifiers as written', () => {
    const patient = indexer.index({
      resourceType: 'Patient', gender: 'female',
      identifier: [{ system: 'urn:example:mrn', value: 'AbC-12' }],
      telecom: [{ system: 'email', value: 'Jean@Example.org' }, { system: 'phone', value: '+33 6 12 34 56 78' }],
    });
    assert.deepEqual(rows(patient, 'token', 'email'), [{ system: null, code: 'jean@example.org', text: null }]);
    assert.deepEqual(rows(patient, 'token', 'identifier').map((r) => r.code), ['AbC-12']);
    const valueSet = indexer.index({ resourceType: 'ValueSet', status: 'draft', url: 'http://example.org/vs', version: 'V1.0-Beta' });
    assert.deepEqual(rows(valueSet, 'token', 'version'), [{ system: null, code: 'v1.0-beta', text: null }]);
    const observation = indexer.index({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: 'AbC' }] } });
    assert.deepEqual(rows(observation, 'token', 'code').map((r) => r.code), ['AbC']);
  });

  it('derives from the definitions which parameters match case-insensitively: every datatype reached a string or a ContactPoint', () => {
    for (const [type, code] of [['Patient', 'email'], ['Patient', 'phone'], ['Patient', 'telecom'], ['ValueSet', 'version'], ['Medication', 'lot-number']]) {
      assert.equal(indexer.tokenFoldsCase(type as string, code as string), true, `${type}.${code}`);
    }
    for (const [type, code] of [['Patient', 'identifier'], ['Patient', 'gender'], ['Observation', 'code'], ['Patient', '_tag'], ['Patient', 'unknown'],
      // An extension's value[x] may be a Coding: case-sensitive.
      ['Practitioner', 'mailbox-mss-type'], ['Observation', 'code-value-quantity$0']]) {
      assert.equal(indexer.tokenFoldsCase(type as string, code as string), false, `${type}.${code}`);
    }
  });
});

describe('ResourceIndexer.indexStored', () => {
  it('indexes stored JSON as the write did, without the meta the server set', () => {
    const resource = { resourceType: 'Patient', id: 'p1', meta: { versionId: '3', lastUpdated: '2024-05-01T10:00:00.000Z' }, name: [{ family: 'Le Goff' }] };
    const stored = indexer.indexStored(JSON.stringify(resource));
    const { meta: _meta, ...written } = resource;
    assert.deepEqual(stored, indexer.index(written));
    const tagged = indexer.indexStored(JSON.stringify({ ...resource, meta: { ...resource.meta, tag: [{ code: 't' }] } }));
    assert.deepEqual(rows(tagged, 'token', '_tag'), [{ system: null, code: 't', text: null }]);
  });
});

describe('ResourceIndexer on an Observation', () => {
  const set = indexer.index(fixtures.observation);

  it('indexes the code with its text and, for :text, the coding display', () => {
    assert.deepEqual(rows(set, 'token', 'code'), [
      { system: 'http://loinc.org', code: '85354-9', text: 'tensionarterielle' },
      { system: null, code: null, text: 'bloodpressurepanelwithallchildrenoptional' },
    ]);
  });

  it('indexes valueQuantity and the component quantities', () => {
    assert.deepEqual(rows(set, 'quantity', 'value-quantity'), [{ system: 'http://unitsofmeasure.org', code: 'mm[Hg]', unit: 'mmHg', low: 120.5, high: 120.5 }]);
    assert.deepEqual(rows(set, 'quantity', 'component-value-quantity').map((r) => r.low), [120, 80]);
    assert.deepEqual(rows(set, 'quantity', 'combo-value-quantity').map((r) => r.low), [120.5, 120, 80]);
  });

  it('indexes code-value-quantity as one group of code and value', () => {
    const groups = [...groupsOf(set, 'code-value-quantity').values()];
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]?.map((r) => [r.param, r.code ?? null, r.low ?? null]), [
      ['code-value-quantity$0', '85354-9', null],
      ['code-value-quantity$0', null, null],
      ['code-value-quantity$1', 'mm[Hg]', 120.5],
      // The value in canonical UCUM units (ucum.ts) stays in its group: 120.5 mm[Hg] is 16,065.301 Pa.
      ['code-value-quantity$1#ucum', 'g.m-1.s-2', 16065301],
    ]);
  });

  it('gives each component its own group and drops components that lack a value of the type', () => {
    const groups = [...groupsOf(set, 'component-code-value-quantity').values()];
    assert.deepEqual(groups.map((g) => g.map((r) => r.code)), [['8480-6', 'mm[Hg]', 'g.m-1.s-2'], ['8462-4', 'mm[Hg]', 'g.m-1.s-2']]);
    const concepts = [...groupsOf(set, 'component-code-value-concept').values()];
    assert.deepEqual(concepts.map((g) => g.map((r) => r.code)), [['8357-6', '271649006']]);
    const groupNumbers = [...groupsOf(set, 'combo-code-value-quantity').keys(), ...groupsOf(set, 'component-code-value-quantity').keys()];
    assert.equal(new Set(groupNumbers).size, groupNumbers.length);
  });

  it('indexes an effective Period as its closed range, and the patient from subject', () => {
    assert.deepEqual(rows(set, 'date', 'date'), [{ low: ms('2024-05-01T07:30:00Z'), high: ms('2024-05-01T07:35:00.999Z') }]);
    assert.deepEqual(rows(set, 'reference', 'patient').map((r) => r.targetId), ['pat-1']);
  });

  it('leaves patient empty when the subject is not a Patient', () => {
    const note = indexer.index(fixtures.observationText);
    assert.deepEqual(rows(note, 'reference', 'patient'), []);
    assert.deepEqual(rows(note, 'reference', 'subject').map((r) => r.targetType), ['Group']);
    assert.deepEqual(rows(note, 'string', 'value-string'), [{ norm: 'patientecalme', exact: 'Patiente calme' }]);
    assert.deepEqual(rows(note, 'date', 'date'), [{ low: ms('2024-05-01T00:00:00Z'), high: ms('2024-05-31T23:59:59.999Z') }]);
  });
});

describe('ResourceIndexer on clinical resources', () => {
  it('indexes an Encounter period, its length and its participants', () => {
    const set = indexer.index(fixtures.encounter);
    assert.deepEqual(rows(set, 'date', 'date'), [{ low: ms('2024-04-28T06:00:00Z'), high: ms('2024-05-02T23:59:59.999Z') }]);
    assert.deepEqual(rows(set, 'quantity', 'length'), [{ system: 'http://unitsofmeasure.org', code: 'd', unit: 'd', low: 4, high: 4 }]);
    assert.deepEqual(rows(set, 'reference', 'practitioner').map((r) => r.targetId), ['pr-1']);
    assert.deepEqual(rows(set, 'reference', 'participant').map((r) => r.targetType), ['Practitioner', 'RelatedPerson']);
    assert.deepEqual(rows(set, 'token', 'class'), [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', text: 'inpatientencounter' }]);
    assert.deepEqual(rows(set, 'token', 'reason-code'), [{ system: null, code: null, text: 'douleurthoracique' }]);
  });

  it('indexes Condition onset and abatement by their datatype', () => {
    const dated = indexer.index(fixtures.conditionDateTime);
    assert.deepEqual(rows(dated, 'date', 'onset-date'), [{ low: ms('2024-04-28T05:15:00Z'), high: ms('2024-04-28T05:15:00.999Z') }]);
    assert.deepEqual(rows(dated, 'string', 'abatement-string'), [{ norm: 'enremission', exact: 'en rémission' }]);
    assert.deepEqual(rows(dated, 'quantity', 'onset-age'), []);

    const period = indexer.index(fixtures.conditionPeriod);
    assert.deepEqual(rows(period, 'date', 'onset-date'), [{ low: ms('2010-01-01T00:00:00Z'), high: MAX_INSTANT }]);
    assert.deepEqual(rows(period, 'quantity', 'abatement-age'), [{ system: 'http://unitsofmeasure.org', code: 'a', unit: 'a', low: 30, high: 30 }]);

    const aged = indexer.index(fixtures.conditionAge);
    assert.deepEqual(rows(aged, 'quantity', 'onset-age'), [{ system: 'http://unitsofmeasure.org', code: 'a', unit: 'a', low: 12, high: 12 }]);
    assert.deepEqual(rows(aged, 'date', 'onset-date'), []);
    assert.deepEqual(rows(aged, 'quantity', 'abatement-age'), [{ system: 'http://unitsofmeasure.org', code: 'a', unit: 'a', low: 20, high: Number.MAX_VALUE }]);
  });

  it('indexes a MedicationRequest medicationCodeableConcept as its code, and no medication reference', () => {
    const set = indexer.index(fixtures.medicationRequest);
    assert.deepEqual(rows(set, 'token', 'code'), [{ system: 'http://www.whocc.no/atc', code: 'B01AC06', text: 'acideacetylsalicylique' }]);
    assert.deepEqual(rows(set, 'reference', 'medication'), []);
    assert.deepEqual(rows(set, 'date', 'authoredon'), [{ low: ms('2024-05-02T09:00:00Z'), high: ms('2024-05-02T09:00:00.999Z') }]);
    assert.deepEqual(rows(set, 'token', 'intent'), [{ system: 'http://hl7.org/fhir/CodeSystem/medicationrequest-intent', code: 'order', text: null }]);
    assert.deepEqual(rows(set, 'reference', 'intended-dispenser').map((r) => r.targetId), ['pharma-1']);
  });

  it('indexes a CarePlan activity Timing by its outer limits (events and bounds), a Period, and skips the string', () => {
    const set = indexer.index(fixtures.carePlan);
    assert.deepEqual(rows(set, 'date', 'activity-date'), [
      { low: ms('2024-05-10T00:00:00Z'), high: ms('2024-07-10T23:59:59.999Z') },
      { low: ms('2024-06-01T00:00:00Z'), high: ms('2024-06-30T23:59:59.999Z') },
    ]);
    assert.deepEqual(rows(set, 'reference', 'instantiates-canonical'), [
      { targetType: null, targetId: null, url: 'http://socle.example/PlanDefinition/rehab', version: null, identifierSystem: null, identifierValue: null },
    ]);
  });

  it('indexes a Timing as one range from its earliest to its latest event or bound, whatever the schedule', () => {
    const observation = (effectiveTiming: Record<string, unknown>) => rows(indexer.index({
      resourceType: 'Observation', id: 'obs-timing', status: 'final', code: { text: 'Glycémie' }, effectiveTiming,
    }), 'date', 'date');
    assert.deepEqual(observation({ event: ['2019-06-10T08:00:00Z', '2019-06-01T08:00:00Z'] }), [
      { low: ms('2019-06-01T08:00:00Z'), high: ms('2019-06-10T08:00:00.999Z') },
    ]);
    assert.deepEqual(observation({ event: ['2019-07-01'], repeat: { boundsPeriod: { start: '2019-06-20', end: '2019-06-25' }, frequency: 2, period: 1, periodUnit: 'd' } }), [
      { low: ms('2019-06-20T00:00:00Z'), high: ms('2019-07-01T23:59:59.999Z') },
    ]);
    assert.deepEqual(observation({ event: ['2019-06-22'], repeat: { boundsPeriod: { start: '2019-06-20' } } }), [
      { low: ms('2019-06-20T00:00:00Z'), high: MAX_INSTANT },
    ]);
    assert.deepEqual(observation({ event: ['2019-06-22'], repeat: { boundsDuration: { value: 10, code: 'd' } } }), [
      { low: ms('2019-06-22T00:00:00Z'), high: ms('2019-06-22T23:59:59.999Z') },
    ]);
    assert.deepEqual(observation({ repeat: { boundsRange: { low: { value: 1 }, high: { value: 3 } }, frequency: 1, period: 1, periodUnit: 'd' } }), []);
    assert.deepEqual(observation({ code: { text: 'BID' } }), []);
  });

  it('indexes canonical references with their version and uri parameters as written', () => {
    const set = indexer.index(fixtures.procedure);
    assert.deepEqual(rows(set, 'reference', 'instantiates-canonical').map((r) => [r.url, r.version]), [['http://socle.example/PlanDefinition/angioplastie', '2']]);
    assert.deepEqual(rows(set, 'uri', 'instantiates-uri'), [{ value: 'http://socle.example/protocoles/angio.pdf' }]);
    assert.deepEqual(rows(set, 'date', 'date'), [{ low: ms('2024-04-28T07:00:00Z'), high: ms('2024-04-28T08:30:00.999Z') }]);
  });

  it('indexes numbers and probability ranges, and Money as an ISO 4217 quantity', () => {
    const risk = indexer.index(fixtures.riskAssessment);
    assert.deepEqual(rows(risk, 'number', 'probability'), [{ low: 0.12, high: 0.12 }, { low: 0.2, high: 0.35 }]);
    const charge = indexer.index(fixtures.chargeItem);
    assert.deepEqual(rows(charge, 'quantity', 'price-override'), [{ system: 'urn:iso:std:iso:4217', code: 'EUR', unit: null, low: 1234.56, high: 1234.56 }]);
    assert.deepEqual(rows(charge, 'number', 'factor-override'), [{ low: 0.8, high: 0.8 }]);
  });
});

describe('ResourceIndexer on infrastructure resources', () => {
  it('indexes an AuditEvent: agents with their identifier, the patient among agents and entities', () => {
    const set = indexer.index(fixtures.auditEvent);
    assert.deepEqual(rows(set, 'reference', 'agent'), [
      { targetType: 'Practitioner', targetId: 'pr-1', url: null, version: null, identifierSystem: 'urn:oid:1.2.250.1.71.4.2.1', identifierValue: '810002909371' },
      { targetType: 'Patient', targetId: 'pat-1', url: null, version: null, identifierSystem: null, identifierValue: null },
    ]);
    assert.deepEqual(rows(set, 'reference', 'patient').map((r) => r.targetId), ['pat-1']);
    assert.deepEqual(rows(set, 'date', 'date'), [{ low: ms('2024-05-01T10:00:01.123Z'), high: ms('2024-05-01T10:00:01.123Z') }]);
    assert.deepEqual(rows(set, 'token', 'action'), [{ system: 'http://hl7.org/fhir/audit-event-action', code: 'R', text: null }]);
    assert.deepEqual(rows(set, 'uri', 'policy'), [{ value: 'http://socle.example/policy/dmp' }]);
  });

  it('indexes a document Bundle: its composition by type and id, identifier, timestamp', () => {
    const set = indexer.index(fixtures.bundle);
    assert.deepEqual(rows(set, 'reference', 'composition').map((r) => [r.targetType, r.targetId]), [['Composition', 'comp-1']]);
    assert.deepEqual(rows(set, 'token', 'type'), [{ system: 'http://hl7.org/fhir/bundle-type', code: 'document', text: null }]);
    assert.deepEqual(rows(set, 'date', 'timestamp'), [{ low: ms('2024-05-02T10:00:00Z'), high: ms('2024-05-02T10:00:00.999Z') }]);
    assert.equal(rows(set, 'token', 'identifier').length, 1);
  });

  it('indexes DocumentReference relationship with the component types the datatypes need', () => {
    // The R4 definitions give component 0 (code) the reference parameter relatesto and
    // component 1 (target) the token parameter relation: the indexer swaps them back.
    assert.deepEqual(indexer.compositeComponents('DocumentReference', 'relationship'), [
      { param: 'relationship$0', type: 'token' },
      { param: 'relationship$1', type: 'reference' },
    ]);
    const groups = [...groupsOf(indexer.index(fixtures.documentReference), 'relationship').values()];
    assert.deepEqual(groups.map((g) => g.map((r) => r.code ?? r.targetId)), [['replaces', 'docref-0']]);
  });

  it('indexes Group characteristic-value for codes and booleans, not ranges', () => {
    const groups = [...groupsOf(indexer.index(fixtures.group), 'characteristic-value').values()];
    assert.deepEqual(groups.map((g) => g.map((r) => r.code ?? r.text)), [['84114007', '373066001'], ['actif', 'true']]);
  });

  it('indexes useContext quantities and ranges, and the context composites', () => {
    const set = indexer.index(fixtures.valueSet);
    assert.deepEqual(rows(set, 'quantity', 'context-quantity'), [
      { system: null, code: null, unit: null, low: 3, high: 3 },
      { system: 'http://unitsofmeasure.org', code: 'a', unit: 'a', low: 18, high: 65 },
    ]);
    assert.deepEqual([...groupsOf(set, 'context-type-quantity').values()].map((g) => g.map((r) => r.code)), [['age', 'a', 's'], ['program', null]]);
    assert.deepEqual([...groupsOf(set, 'context-type-value').values()].map((g) => g.map((r) => r.code)), [['focus', '394814009']]);
    assert.deepEqual(rows(set, 'uri', 'url'), [{ value: 'http://socle.example/ValueSet/motifs' }]);
    // ValueSet "reference" is a uri parameter on compose.include.system in R4.
    assert.deepEqual(rows(set, 'uri', 'reference'), [{ value: 'http://snomed.info/sct' }]);
  });

  it('indexes MolecularSequence coordinates, reading %resource from inside a variant', () => {
    const groups = [...groupsOf(indexer.index(fixtures.molecularSequence), 'chromosome-variant-coordinate').values()];
    assert.deepEqual(groups.map((g) => g.map((r) => r.code ?? r.low)), [['1', 22125503, 22125504]]);
  });
});

describe('ResourceIndexer rules', () => {
  it('drops duplicate rows of a parameter, even when a resource has hundreds of values', () => {
    const identifier = Array.from({ length: 300 }, (_, i) => ({ system: 'urn:x', value: String(i % 100) }));
    const set = indexer.index({ resourceType: 'Patient', identifier });
    assert.equal(rows(set, 'token', 'identifier').length, 100);
  });

  it('indexes a logical reference by its identifier, external ones by URL, and skips contained ones', () => {
    const set = indexer.index({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      performer: [
        { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810002909371' } },
        { reference: '#pract' },
        { reference: 'http://other.example/fhir/Practitioner/7/_history/2' },
        { reference: 'urn:uuid:2f2b6d1c-8d2a-4e7e-9c5d-54f4a8f0a9e3' },
      ],
    });
    assert.deepEqual(rows(set, 'reference', 'performer'), [
      { targetType: null, targetId: null, url: null, version: null, identifierSystem: 'urn:oid:1.2.250.1.71.4.2.1', identifierValue: '810002909371' },
      { targetType: null, targetId: null, url: 'http://other.example/fhir/Practitioner/7', version: '2', identifierSystem: null, identifierValue: null },
      { targetType: null, targetId: null, url: 'urn:uuid:2f2b6d1c-8d2a-4e7e-9c5d-54f4a8f0a9e3', version: null, identifierSystem: null, identifierValue: null },
    ]);
  });

  it('ignores invalid dates and open-ended periods get the extreme instants', () => {
    const set = indexer.index({ resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, period: { end: '2024-02-30' } });
    assert.deepEqual(rows(set, 'date', 'date'), []);
    const open = indexer.index({ resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, period: { end: '2024-02-29' } });
    assert.deepEqual(rows(open, 'date', 'date'), [{ low: MIN_INSTANT, high: ms('2024-02-29T23:59:59.999Z') }]);
  });

  it('returns an empty set for an unknown resource type', () => {
    const set = indexer.index({ resourceType: 'Unknown', id: 'x' });
    assert.deepEqual(set.string, []);
    assert.deepEqual(set.text, { narrative: '', content: '' });
  });

  it('indexes every fixture without throwing, and every row has a known parameter of its type', () => {
    const schema = r4Schema();
    for (const resource of fixtures.ALL_RESOURCES) {
      const type = resource.resourceType as string;
      const set = indexer.index(resource);
      for (const kind of ['string', 'token', 'date', 'number', 'quantity', 'reference', 'uri'] as const) {
        for (const row of set[kind] as readonly { param: string }[]) {
          const code = row.param.split(/[$#]/)[0] ?? '';
          assert.ok(schema.searchParameter(type, code), `${type}: ${row.param}`);
        }
      }
    }
  });
});
