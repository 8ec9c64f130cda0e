import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel } from './compile-model.js';
import type { FhirModel } from './model.js';

/** generated/ at the root of the checkout, the same from src/ and from dist/. */
export const MODEL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'generated', 'r4-model.json');

/** Compiles the model and writes it atomically to generated/r4-model.json. */
export function writeModelFile(file: string = MODEL_FILE): FhirModel {
  const model = compileModel();
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(model));
  renameSync(temporary, file);
  return model;
}

let loaded: FhirModel | undefined;

/**
 * The R4 model, read from generated/ (written by `npm run build`), or compiled
 * now when the file is missing. The model is immutable data, so one copy per
 * process is shared.
 */
export function loadModel(file: string = MODEL_FILE): FhirModel {
  if (loaded) return loaded;
  loaded = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FhirModel) : writeModelFile(file);
  return loaded;
}
