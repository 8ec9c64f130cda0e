/**
 * The INSi-like register on both backends, through the store (no HTTP): the
 * traits search answers 00/01/02 by INSi's rules, verification names the
 * differing traits, and a load reports what it rejects and why.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import type { InsiIdentity } from '../../src/identity/insi/contract.js';
import { identityFromPatient, InsiRegister, loadReferenceIdentities } from '../../src/identity/insi/index.js';
import { withInsKey } from '../../src/identity/ins/nir.js';
import { Collection } from '../../src/storage/collection.js';
import type { Store } from '../../src/storage/contract.js';
import { openStore } from '../../src/storage/open-store.js';
import { backendNames, prepareBackend, type PreparedBackend } from '../support/backends.js';
import { samplePatients } from './insi-sample.js';

const DUPONT = withInsKey('2850335238123');
const ask = (family: string, given: string[], gender: 'male' | 'female', birthDate: string, birthPlace?: string) =>
  ({ family, given, gender, birthDate, ...(birthPlace ? { birthPlace } : {}) });

for (const backend of backendNames()) {
  describe(`INSi register [${backend}]`, () => {
    let prepared: PreparedBackend;
    let store: Store;
    let register: InsiRegister;
    before(async () => {
      prepared = await prepareBackend(backend);
      store = await openStore({ ...prepared.settings, sqliteSync: 'full', pgPoolSize: 4 });
      await store.migrate();
      register = InsiRegister.open((name, options) => new Collection<InsiIdentity>(store, name, systemClock, options));
      const patients = samplePatients();
      const report = await loadReferenceIdentities(register, [...patients, { resourceType: 'Patient' }, patients[0]], identityFromPatient, 3);
      assert.equal(report.loaded, 10);
      assert.deepEqual(report.rejections.map((r) => [r.index, (r.error as { issues?: { message: string }[] }).issues?.[0]?.message]),
        [[10, 'insi.reference-no-ins'], [11, 'insi.reference-duplicate']]);
    });
    after(async () => {
      await store.close();
      await prepared.cleanup();
    });

    test('one identity matching all traits answers 00 with that identity', async () => {
      const answer = await register.retrieve(ask('dupont', ['Marie', 'Louise'], 'female', '1985-03-14'));
      assert.equal(answer.result, '00');
      assert.equal(answer.identity?.ins, DUPONT);
      assert.deepEqual(answer.identity?.traits.given, ['Marie', 'Louise', 'Jeanne']);
    });

    test('homonyms answer 02 without any identity, until a first name or the birth place tells them apart', async () => {
      const both = await register.retrieve(ask('DUPONT', ['Marie'], 'female', '1985-03-14'));
      assert.deepEqual(both, { result: '02' });
      assert.equal((await register.retrieve(ask('DUPONT', ['Marie', 'Anne'], 'female', '1985-03-14'))).identity?.ins, withInsKey('2850329019045'));
      assert.equal((await register.retrieve(ask('DUPONT', ['Marie'], 'female', '1985-03-14', '35238'))).identity?.ins, DUPONT);
    });

    test('any exact trait that differs answers 01', async () => {
      assert.equal((await register.retrieve(ask('DUPOND', ['Marie', 'Louise'], 'female', '1985-03-14'))).result, '01');
      assert.equal((await register.retrieve(ask('DUPONT', ['Marie', 'Louise'], 'male', '1985-03-14'))).result, '01');
      assert.equal((await register.retrieve(ask('DUPONT', ['Marie', 'Louise'], 'female', '1985-03-15'))).result, '01');
      assert.equal((await register.retrieve(ask('DUPONT', ['Louise'], 'female', '1985-03-14'))).result, '01');
      assert.equal((await register.retrieve(ask('DUPONT', ['Marie'], 'female', '1985-03-14', '75112'))).result, '01');
    });

    test('birth names and first names are compared after folding, as INSi does', async () => {
      assert.equal((await register.retrieve(ask('Lefevre Martin', ['Jean Pierre'], 'male', '1962-11-02'))).result, '00');
      assert.equal((await register.retrieve(ask('lefèvre-martin', ['jean-pierre', 'paul'], 'male', '1962-11-02'))).result, '00');
      assert.equal((await register.retrieve(ask('LEFEVRE-MARTIN', ['Jean'], 'male', '1962-11-02'))).result, '01');
      assert.equal((await register.retrieve(ask('d’Almeida', ['Sebastien'], 'male', '1990-07-21', '99134'))).result, '00');
      assert.equal((await register.retrieve(ask('Oeuvrard', ['Chloe'], 'female', '1993-06-15'))).result, '00');
      assert.equal((await register.retrieve(ask('Rossi', ['Chiara'], 'female', '2001-01-30', '2a004'))).result, '00');
    });

    test('verification is valid only when the INS is known and every trait agrees', async () => {
      const traits = ask('Dupont', ['Marie', 'Louise', 'Jeanne'], 'female', '1985-03-14', '35238');
      assert.deepEqual(await register.verify(DUPONT, traits), { valid: true, mismatches: [] });
      assert.deepEqual(await register.verify(DUPONT.toLowerCase(), ask('Dupont', ['marie louise', 'Jeanne'], 'female', '1985-03-14')), { valid: true, mismatches: [] });
      // A qualified identity carries INSi's whole list of birth first names: a part of it does not verify.
      assert.deepEqual(await register.verify(DUPONT, ask('Dupont', ['Marie'], 'female', '1985-03-14')), { valid: false, mismatches: ['given'] });
      assert.deepEqual(await register.verify(DUPONT, ask('Martin', ['Anne'], 'male', '1985-03-15', '29019')),
        { valid: false, mismatches: ['family', 'given', 'gender', 'birthdate', 'birthplace'] });
      assert.deepEqual(await register.verify(withInsKey('2850335238999'), traits), { valid: false, mismatches: ['ins'] });
      assert.deepEqual(await register.verify(DUPONT, traits, 'urn:oid:1.2.250.1.213.1.4.9'), { valid: false, mismatches: ['ins'] });
    });

    test('add refuses what is not a reference identity, and replaces an INS already there', async () => {
      const identity = identityFromPatient(samplePatients()[5]);
      await assert.rejects(register.add({ ...identity, ins: '115099741103300' }), (e: { issues?: { message: string }[] }) => e.issues?.[0]?.message === 'insi.ins-invalid');
      await register.add({ ...identity, traits: { ...identity.traits, given: ['Lucas', 'Henri'] } });
      assert.deepEqual((await register.retrieve(ask('PAYET', ['Lucas', 'Henri'], 'male', '2015-09-09'))).identity?.traits.given, ['Lucas', 'Henri']);
    });
  });
}
