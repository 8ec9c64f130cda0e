/**
 * Every official FHIR R4 example (the hl7.fhir.r4.examples 4.0.1 package,
 * 5,306 resources of all 146 types) written with PUT, on both backends: each
 * is accepted and read back as it was sent (only meta.versionId and
 * meta.lastUpdated are the server's), except the few that break R4's own
 * rules, each refused with the rule it breaks (listed below with the reason).
 * The bare engine runs here, without the service modules: their rules (the
 * identity-vigilance of a Patient, for one) are tested with them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { backendNames } from '../support/backends.js';
import { engineOn, engineRequest, responseJson, type EngineOnBackend } from '../support/engine.js';

type Json = Record<string, any>;

const EXAMPLES_DIR = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));

/** Examples that break a rule of R4 itself, by file: the status and message key Socle answers, and why. */
const INVALID_EXAMPLES: Record<string, { status: number; message: string; reason: string }> = {
  'ActivityDefinition-blood-tubes-supply.json': { status: 422, message: 'validation.invariant', reason: 'txt-2: the narrative div holds only whitespace' },
  'ActivityDefinition-heart-valve-replacement.json': { status: 422, message: 'validation.invariant', reason: 'txt-2: the narrative div holds only whitespace' },
  'EventDefinition-example.json': { status: 422, message: 'validation.invariant', reason: 'txt-2: the narrative div holds only whitespace' },
  'Questionnaire-zika-virus-exposure-assessment.json': { status: 422, message: 'validation.invariant', reason: 'txt-2: the narrative is an empty <pre>' },
  'Bundle-dataelements.json': { status: 422, message: 'validation.invariant', reason: 'bdl-7: two entries share a fullUrl' },
  'DeviceMetric-example.json': { status: 422, message: 'validation.reference-target', reason: 'DeviceMetric.parent may refer to a Device only, not a DeviceDefinition' },
  'DeviceUseStatement-example.json': { status: 422, message: 'validation.reference-target', reason: 'reasonReference may not refer to a Procedure' },
  'MedicationRequest-medrx0301.json': { status: 422, message: 'validation.reference-target', reason: 'dispenseRequest.performer may refer to an Organization only' },
  'Observation-clinical-gender.json': { status: 422, message: 'validation.reference-target', reason: 'Observation.performer may not refer to an Encounter' },
  'ImplementationGuide-fhir.json': { status: 422, message: 'validation.min', reason: 'name and status are 1..1' },
  'ig-r4.json': { status: 422, message: 'validation.min', reason: 'name and status are 1..1' },
  'Questionnaire-qs1.json': { status: 422, message: 'validation.min', reason: 'nested items without their 1..1 linkId' },
  'SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json': { status: 400, message: 'id.invalid', reason: 'the id has 67 characters, above the 64 an id may have' },
  ...Object.fromEntries(['author', 'effective', 'end', 'keyword', 'workflow'].flatMap((code) => [
    [`SearchParameter-codesystem-extensions-CodeSystem-${code}.json`, { status: 422, message: 'validation.min', reason: 'SearchParameter.base is 1..*' }],
    [`SearchParameter-valueset-extensions-ValueSet-${code}.json`, { status: 422, message: 'validation.min', reason: 'SearchParameter.base is 1..*' }],
  ])),
  ...Object.fromEntries(['Definition', 'Event', 'FiveWs', 'Request'].map((name) => [
    `StructureDefinition-${name}.json`, { status: 422, message: 'validation.invariant', reason: 'sdf-4: a logical model that is not abstract has no baseDefinition' },
  ])),
};

function loadExamples(): [file: string, resource: Json][] {
  const examples: [string, Json][] = [];
  for (const file of readdirSync(EXAMPLES_DIR).sort()) {
    if (!file.endsWith('.json') || file === 'package.json' || file.startsWith('.')) continue;
    const resource = JSON.parse(readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8')) as Json;
    if (typeof resource.resourceType === 'string') examples.push([file, resource]);
  }
  return examples;
}

/**
 * The resource without what the server sets (versionId, lastUpdated), for comparing what was sent and what is
 * read. A Binary's bytes are stored as bytes: whitespace its base64 may carry (R4 allows it) is not kept.
 */
function withoutServerMeta(resource: Json): Json {
  const copy = structuredClone(resource);
  if (copy.resourceType === 'Binary' && typeof copy.data === 'string') copy.data = copy.data.replace(/\s+/g, '');
  if (copy.meta) {
    delete copy.meta.versionId;
    delete copy.meta.lastUpdated;
    if (Object.keys(copy.meta).length === 0) delete copy.meta;
  }
  return copy;
}

const examples = loadExamples();

test('the package holds the R4 examples of every resource type', () => {
  assert.ok(examples.length > 5000, `${examples.length} examples`);
  assert.ok(new Set(examples.map(([, r]) => r.resourceType)).size >= 140);
  for (const file of Object.keys(INVALID_EXAMPLES)) assert.ok(examples.some(([f]) => f === file), `${file} is in the package`);
});

for (const backend of backendNames()) {
  describe(`official R4 examples [${backend}]`, () => {
    let opened: EngineOnBackend;
    before(async () => {
      opened = await engineOn(backend);
    });
    after(() => opened.close());

    test('each valid example is stored as sent and read back unchanged; each invalid one is refused with the rule it breaks', async () => {
      const problems: string[] = [];
      for (const [file, resource] of examples) {
        const path = `${String(resource.resourceType)}/${String(resource.id)}`;
        const put = await opened.engine.handle(engineRequest('PUT', path, { body: resource, contentType: 'application/fhir+json' }));
        const invalid = INVALID_EXAMPLES[file];
        if (invalid) {
          const outcome = responseJson(put);
          const keys = (outcome.issue as Json[] | undefined)?.map((i) => i.details?.coding?.[0]?.code) ?? [];
          if (put.status !== invalid.status || !keys.includes(invalid.message)) problems.push(`${file}: expected ${invalid.status} ${invalid.message} (${invalid.reason}), got ${put.status} ${keys.join(',')}`);
          continue;
        }
        if (put.status !== 201) {
          problems.push(`${file}: PUT ${put.status} ${JSON.stringify(responseJson(put)).slice(0, 300)}`);
          continue;
        }
        // A Binary is read as its own bytes unless the client asks for the resource.
        const read = await opened.engine.handle({ ...engineRequest('GET', path), headers: { accept: 'application/fhir+json' } });
        const stored = responseJson(read);
        if (read.status !== 200 || !isDeepStrictEqual(withoutServerMeta(stored), withoutServerMeta(resource))) {
          problems.push(`${file}: read back ${read.status}, differs from what was sent`);
        }
      }
      assert.deepEqual(problems, []);
    });
  });
}
