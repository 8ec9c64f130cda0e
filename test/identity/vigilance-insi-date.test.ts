/**
 * dateInterrogationINSi is the French day of the INSi call (Europe/Paris),
 * as the French services date their acts: a call at 00:30 in Paris (23:30
 * UTC the day before) is dated that day, on a write the server verifies with
 * INSi and on $ins-retrieve's answer. The server's clock is held around
 * midnight in Paris, in winter (UTC+1) and summer (UTC+2). A document
 * check, though, may be dated the day it already is in an overseas
 * department while Paris is still on the day before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IDENTITY_RELIABILITY } from '../../src/identity/fr-core.js';
import { HeldClock } from '../support/held-clock.js';
import { assertOutcome } from '../support/outcome.js';
import { backendNames } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { newPerson, patientOf, registerPeople, statusOf } from './vigilance-fixtures.js';
import { traitParameters } from './insi-sample.js';

function insiDateOf(patient: any): unknown {
  return (patient.extension ?? []).filter((e: any) => e.url === IDENTITY_RELIABILITY)
    .flatMap((e: any) => e.extension).find((p: any) => p.url === 'dateInterrogationINSi')?.valueDate;
}

for (const backend of backendNames()) {
  describe(`dateInterrogationINSi is the day in Paris [${backend}]`, () => {
    const clock = new HeldClock();
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, {}, clock);
    });
    after(async () => {
      await server?.close();
    });

    for (const [instant, day] of [['2026-01-14T23:30:00Z', '2026-01-15'], ['2026-07-14T22:30:00Z', '2026-07-15'], ['2026-07-14T21:30:00Z', '2026-07-14']] as const) {
      test(`a write verified with INSi at ${instant} is dated ${day}`, async () => {
        const person = newPerson();
        await registerPeople(server.running.platform.engine, [person]);
        const created = await clock.at(instant, () => server.post('Patient', patientOf(person, { ins: person.ins })));
        assert.equal(created.status, 201, created.text);
        assert.equal(statusOf(created.body), 'RECUP');
        assert.equal(insiDateOf(created.body), day);
        // Qualified later, the day kept aside stays the day of the call.
        const qual = await server.put(`Patient/${created.body.id}`, patientOf(person, { id: created.body.id, mode: 'CN', validationDate: '2026-08-01' }));
        assert.equal(qual.status, 200, qual.text);
        assert.equal(statusOf(qual.body), 'QUAL');
        assert.equal(insiDateOf(qual.body), day);
      });
    }

    test('a check dated the local day in an overseas department is accepted while Paris is still the day before', async () => {
      // 22:30 UTC in January: 23:30 on the 14th in Paris, 02:30 on the 15th in La Réunion (UTC+4).
      const person = newPerson();
      const checked = await clock.at('2026-01-14T22:30:00Z', () => server.post('Patient', patientOf(person, { mode: 'CN', validationDate: '2026-01-15' })));
      assert.equal(checked.status, 201, checked.text);
      assert.equal(statusOf(checked.body), 'VALI');
      const tooLate = await clock.at('2026-01-14T22:30:00Z', () => server.post('Patient', patientOf(person, { mode: 'CN', validationDate: '2026-01-16' })));
      assertOutcome(tooLate, 422, 'vigilance.validation-date-invalid');
    });

    test('$ins-retrieve at 00:30 in Paris dates its Patient that day', async () => {
      // Traits no other test person shares: one identity found (00).
      const person = newPerson({ family: 'MINUIT', birthDate: '1985-05-13' });
      await registerPeople(server.running.platform.engine, [person]);
      const answer = await clock.at('2026-03-01T23:30:00Z', () => server.post('Patient/$ins-retrieve', traitParameters({
        family: person.family, given: [...person.given], gender: person.gender, birthdate: person.birthDate, birthplace: person.birthPlace,
      })));
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.parameter.find((p: any) => p.name === 'result')?.valueCode, '00', answer.text);
      const patient = answer.body.parameter.find((p: any) => p.name === 'patient')?.resource;
      assert.equal(insiDateOf(patient), '2026-03-02');
    });
  });
}
