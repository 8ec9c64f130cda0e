/**
 * Draws the demo population: the featured patients (QUAL, as README says),
 * then `count` records with realistic shares of the four statuses, doubtful
 * and fictitious identities, homonym pairs and duplicates; and the register
 * entries of every real person (all but the fictitious ones), which the
 * INSi-like register must hold before the records are written so that the
 * server's identity-vigilance grants RECUP and QUAL by its own rules.
 */
import type { IdentityStatus } from '../identity/fr-core.js';
import type { InsiIdentity } from '../identity/insi/contract.js';
import { FEATURED_PATIENTS } from './featured.js';
import { DEMO_INS_SYSTEM } from './patient-resource.js';
import type { PlacePicker } from './places.js';
import { demoUuid, duplicateRecord, makeRecord, PopulationBuilder, type DemoPatient, type DemoPerson } from './population.js';
import { Random } from './random.js';

export interface GeneratedPopulation {
  readonly records: DemoPatient[];
  readonly register: InsiIdentity[];
}

type Draw = 'QUAL' | 'RECUP' | 'VALI' | 'PROV' | 'DOUT' | 'FICT' | 'HOMA' | 'DUPLICATE';

/** The first draws show every case even in a tiny population; then shares follow a hospital's typical index. */
const FIRST_DRAWS: readonly Draw[] = ['QUAL', 'RECUP', 'VALI', 'PROV', 'DOUT', 'FICT', 'HOMA', 'QUAL', 'DUPLICATE', 'DUPLICATE'];

function draw(random: Random): Draw {
  const u = random.next();
  if (u < 0.05) return 'DUPLICATE';
  if (u < 0.07) return 'HOMA';
  if (u < 0.09) return 'DOUT';
  if (u < 0.1) return 'FICT';
  if (u < 0.55) return 'QUAL';
  if (u < 0.7) return 'RECUP';
  if (u < 0.8) return 'VALI';
  return 'PROV';
}

function ordinaryStatus(random: Random): IdentityStatus {
  const u = random.next();
  return u < 0.55 ? 'QUAL' : u < 0.7 ? 'RECUP' : u < 0.82 ? 'VALI' : 'PROV';
}

export function registerEntry(person: DemoPerson): InsiIdentity {
  return {
    ins: person.ins,
    system: DEMO_INS_SYSTEM,
    traits: { family: person.family, given: person.given, gender: person.gender, birthDate: person.birthDate, birthPlace: person.birthPlace.code },
  };
}

/** Patient.id of each featured patient (same order as FEATURED_PATIENTS): fixed whatever the seed, so that accounts and documentation can point to them. */
export const FEATURED_PATIENT_IDS: readonly string[] = FEATURED_PATIENTS.map((_, i) => demoUuid(new Random(`featured-patient-${i}`)));

export function generatePopulation(random: Random, places: PlacePicker, count: number): GeneratedPopulation {
  const builder = new PopulationBuilder(random, places);
  const records: DemoPatient[] = [];
  const people: DemoPerson[] = [];
  const fictitious = new Set<DemoPerson>();
  builder.featured().forEach((person, i) => {
    people.push(person);
    records.push(makeRecord(random, places, person, { id: FEATURED_PATIENT_IDS[i] as string, status: 'QUAL', validationMode: 'CN', featured: true, usedFamily: null }));
  });
  const single = (status: IdentityStatus, attributes: DemoPatient['attributes'] = [], person = builder.person()): DemoPatient => {
    people.push(person);
    const record = makeRecord(random, places, person, { id: demoUuid(random), status, attributes });
    records.push(record);
    return record;
  };
  let generated = 0;
  for (let turn = 0; generated < count; turn++) {
    const kind = turn < FIRST_DRAWS.length ? (FIRST_DRAWS[turn] as Draw) : draw(random);
    if (kind === 'DUPLICATE') {
      // A duplicate of a record that is not itself a duplicate nor fictitious.
      const candidates = records.filter((r) => !r.duplicateOf && !r.attributes.includes('FICT') && !r.featured);
      const original = candidates.length > 0 ? random.pick(candidates) : undefined;
      const copy = original ? duplicateRecord(random, places, original, demoUuid(random)) : undefined;
      if (copy) {
        records.push(copy);
        generated += 1;
      }
      continue;
    }
    if (kind === 'HOMA') {
      if (count - generated < 2) continue;
      // Confirmed homonyms: same birth name, first given name, birth date and sex; two people.
      const first = builder.person();
      const second = builder.person({ family: first.family, gender: first.gender, birthDate: first.birthDate, given: first.given.slice(0, 1) });
      single(ordinaryStatus(random), ['HOMA'], first);
      single(ordinaryStatus(random), ['HOMA'], second);
      generated += 2;
      continue;
    }
    if (kind === 'FICT') {
      const record = single('PROV', ['FICT']);
      fictitious.add(record.person);
    } else if (kind === 'DOUT') {
      single('PROV', ['DOUT']);
    } else {
      single(kind);
    }
    generated += 1;
  }
  const register = people.filter((p) => !fictitious.has(p)).map(registerEntry);
  return { records, register };
}
