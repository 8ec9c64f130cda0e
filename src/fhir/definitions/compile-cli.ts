/** `npm run build` step: compiles the official R4 definitions into generated/r4-model.json. */
import { MODEL_FILE, writeModelFile } from './model-file.js';

const started = Date.now();
const model = writeModelFile();
console.log(
  `FHIR ${model.fhirVersion} model: ${model.resourceTypes.length} resource types, ${Object.keys(model.types).length} types, ` +
  `${model.searchParameters.length} search parameters, ${Object.keys(model.valueSets).length} required value sets → ${MODEL_FILE} (${Date.now() - started} ms)`,
);
