/**
 * Date search parameters (http://hl7.org/fhir/R4/search.html#date and
 * #prefix): the search value and the stored value are both ranges at their
 * precision; eq = the search range contains the value, ne its negation,
 * gt/lt = the value's range reaches beyond the search range, ge/le = gt/lt or
 * eq, sa/eb = starts after/ends before, ap = overlaps an approximate range.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, sleep, type Scope } from '../support/search.js';

const q = encodeURIComponent;
const DAY = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

forEachBackend('search: date parameters', (server) => {
  const patient = (s: Scope, birthDate?: string) =>
    server().create(s.mark({ resourceType: 'Patient', ...(birthDate ? { birthDate } : {}) }));
  const observation = (s: Scope, effective: Record<string, unknown>) =>
    server().create(s.mark({ resourceType: 'Observation', status: 'final', code: { text: 'Glycémie' }, ...effective }));

  test('birthdate: a year, a month and a day match the dates inside them', async () => {
    const s = newScope();
    const may = await patient(s, '1980-05-05');
    const december = await patient(s, '1980-12-31');
    const nextYear = await patient(s, '1981-01-01');
    const lastYear = await patient(s, '1979-12-31');
    await patient(s);

    await expectIds(server(), `Patient?birthdate=1980&${s.q}`, [may, december]);
    await expectIds(server(), `Patient?birthdate=eq1980&${s.q}`, [may, december]);
    await expectIds(server(), `Patient?birthdate=1980-05&${s.q}`, [may]);
    await expectIds(server(), `Patient?birthdate=1980-05-05&${s.q}`, [may]);
    await expectIds(server(), `Patient?birthdate=1980-05-06&${s.q}`, []);
    // A search more precise than the value does not contain it.
    await expectIds(server(), `Patient?birthdate=1980-05-05T10:00:00Z&${s.q}`, []);
    await expectIds(server(), `Patient?birthdate=1980,1981&${s.q}`, [may, december, nextYear]);
    void lastYear;
  });

  test('every prefix on birthdate against the year 1980', async () => {
    const s = newScope();
    const may = await patient(s, '1980-05-05');
    const december = await patient(s, '1980-12-31');
    const nextYear = await patient(s, '1981-01-01');
    const lastYear = await patient(s, '1979-12-31');
    const monthOnly = await patient(s, '1980-02');
    await patient(s);

    await expectIds(server(), `Patient?birthdate=ne1980&${s.q}`, [nextYear, lastYear]);
    await expectIds(server(), `Patient?birthdate=gt1980&${s.q}`, [nextYear]);
    await expectIds(server(), `Patient?birthdate=ge1980&${s.q}`, [may, december, nextYear, monthOnly]);
    await expectIds(server(), `Patient?birthdate=lt1980&${s.q}`, [lastYear]);
    await expectIds(server(), `Patient?birthdate=le1980&${s.q}`, [may, december, lastYear, monthOnly]);
    await expectIds(server(), `Patient?birthdate=sa1980&${s.q}`, [nextYear]);
    await expectIds(server(), `Patient?birthdate=eb1980&${s.q}`, [lastYear]);
    // A day inside a value of month precision: the month reaches beyond it on both sides.
    await expectIds(server(), `Patient?birthdate=gt1980-02-10&${s.q}`, [may, december, nextYear, monthOnly]);
    await expectIds(server(), `Patient?birthdate=lt1980-02-10&${s.q}`, [lastYear, monthOnly]);
    await expectIds(server(), `Patient?birthdate=eq1980-02-10&${s.q}`, []);
    await expectIds(server(), `Patient?birthdate=sa1980-02-10&${s.q}`, [may, december, nextYear]);
    // AND of two prefixes: a closed interval.
    await expectIds(server(), `Patient?birthdate=ge1980-03-01&birthdate=lt1981&${s.q}`, [may, december]);
  });

  test('ap: approximately, within a tenth of the distance from now', async () => {
    const s = newScope();
    const now = Date.now();
    // 100 days ago: the margin is about 10 days.
    const target = now - 100 * DAY;
    const same = await patient(s, day(target));
    const near = await patient(s, day(target + 4 * DAY));
    const far = await patient(s, day(target + 40 * DAY));
    const before = await patient(s, day(target - 40 * DAY));
    await expectIds(server(), `Patient?birthdate=ap${day(target)}&${s.q}`, [same, near]);
    await expectIds(server(), `Patient?birthdate=ap${day(target + 40 * DAY)}&${s.q}`, [far]);
    void before;
  });

  test('dateTime with a time and a time zone against day and instant searches', async () => {
    const s = newScope();
    // 23:30 in Paris (+02:00) is 21:30 UTC, still the 15th in UTC.
    const evening = await observation(s, { effectiveDateTime: '2021-06-15T23:30:00+02:00' });
    // 01:30 on the 16th in Paris is 23:30 UTC on the 15th.
    const night = await observation(s, { effectiveDateTime: '2021-06-16T01:30:00+02:00' });
    const dayOnly = await observation(s, { effectiveDateTime: '2021-06-15' });
    const morning = await observation(s, { effectiveDateTime: '2021-06-16T08:00:00Z' });

    // A day (no time, so no time zone) is a UTC day, as a stored date is: the two compare in one frame.
    await expectIds(server(), `Observation?date=2021-06-15&${s.q}`, [evening, night, dayOnly]);
    await expectIds(server(), `Observation?date=2021-06-16&${s.q}`, [morning]);
    // The same instant written in another zone.
    await expectIds(server(), `Observation?date=${q('2021-06-15T21:30:00Z')}&${s.q}`, [evening]);
    await expectIds(server(), `Observation?date=${q('2021-06-15T23:30:00+02:00')}&${s.q}`, [evening]);
    await expectIds(server(), `Observation?date=${q('2021-06-15T21:30Z')}&${s.q}`, [evening]);
    // A day value is not contained in a one-second search range, but overlaps it.
    await expectIds(server(), `Observation?date=eq${q('2021-06-15T10:00:00Z')}&${s.q}`, []);
    await expectIds(server(), `Observation?date=gt${q('2021-06-15T22:00:00Z')}&${s.q}`, [night, dayOnly, morning]);
    await expectIds(server(), `Observation?date=lt${q('2021-06-15T22:00:00Z')}&${s.q}`, [evening, dayOnly]);
    await expectIds(server(), `Observation?date=sa${q('2021-06-15T22:00:00Z')}&${s.q}`, [night, morning]);
    await expectIds(server(), `Observation?date=eb${q('2021-06-15T22:00:00Z')}&${s.q}`, [evening]);
    // A '+' decoded as a space by a careless client still reads as a time zone.
    await expectIds(server(), `Observation?date=2021-06-15T23:30:00+02:00&${s.q}`, [evening]);
  });

  test('a time without a time zone is a wall-clock time of the server zone (SOCLE_TIMEZONE, Europe/Paris), summer time included', async () => {
    // search.html#date: "you SHOULD provide a time zone if the time part is present"; "the servers local time zone should be assumed".
    const s = newScope();
    const winter = await observation(s, { effectiveDateTime: '2021-01-15T10:00:00+01:00' });
    const summer = await observation(s, { effectiveDateTime: '2021-07-15T10:00:00+02:00' });
    // 02:30 shows twice on 31 October 2021 in Paris: at 00:30 and at 01:30 UTC.
    const firstPass = await observation(s, { effectiveDateTime: '2021-10-31T02:30:00+02:00' });
    const secondPass = await observation(s, { effectiveDateTime: '2021-10-31T02:30:00+01:00' });
    const afterBoth = await observation(s, { effectiveDateTime: '2021-10-31T02:30:00Z' });
    // 02:30 never shows on 28 March 2021 in Paris: read with the offset before the change, it is 03:30 summer time.
    const spring = await observation(s, { effectiveDateTime: '2021-03-28T03:30:00+02:00' });

    await expectIds(server(), `Observation?date=${q('2021-01-15T10:00')}&${s.q}`, [winter]);
    await expectIds(server(), `Observation?date=${q('2021-01-15T10:00:00')}&${s.q}`, [winter]);
    await expectIds(server(), `Observation?date=${q('2021-01-15T09:00')}&${s.q}`, []);
    await expectIds(server(), `Observation?date=${q('2021-07-15T10:00')}&${s.q}`, [summer]);
    await expectIds(server(), `Observation?date=${q('2021-07-15T08:00')}&${s.q}`, []);
    await expectIds(server(), `Observation?date=${q('2021-10-31T02:30')}&${s.q}`, [firstPass, secondPass]);
    // The range covers both: after it is after the second.
    await expectIds(server(), `Observation?date=gt${q('2021-10-31T02:30')}&${s.q}`, [afterBoth]);
    await expectIds(server(), `Observation?date=lt${q('2021-10-31T02:30')}&date=ge2021-10&${s.q}`, []);
    await expectIds(server(), `Observation?date=${q('2021-03-28T02:30')}&${s.q}`, [spring]);
    // With a zone, the value means what it says.
    await expectIds(server(), `Observation?date=${q('2021-01-15T09:00Z')}&${s.q}`, [winter]);
    // _lastUpdated reads such a time the same way.
    const updated = new Date(winter.meta.lastUpdated);
    const parisWall = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(updated).replace(' ', 'T');
    await expectIds(server(), `Observation?_lastUpdated=${q(parisWall)}&_id=${winter.id}&${s.q}`, [winter]);
  });

  test('Encounter period: containing, overlapping and open-ended periods', async () => {
    const s = newScope();
    const encounter = (period: Record<string, string>) => server().create(s.mark({
      resourceType: 'Encounter', status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, period,
    }));
    const january = await encounter({ start: '2021-01-10', end: '2021-01-20' });
    const ongoing = await encounter({ start: '2021-01-15T08:00:00+01:00' });
    const february = await encounter({ start: '2021-02-01T10:00:00Z', end: '2021-02-05T16:00:00Z' });
    const untilJanuary = await encounter({ end: '2021-01-12' });

    await expectIds(server(), `Encounter?date=2021-01&${s.q}`, [january]);
    await expectIds(server(), `Encounter?date=2021&${s.q}`, [january, february]);
    await expectIds(server(), `Encounter?date=ne2021-01&${s.q}`, [ongoing, february, untilJanuary]);
    // gt: the period reaches beyond the search day.
    await expectIds(server(), `Encounter?date=gt2021-01-18&${s.q}`, [january, ongoing, february]);
    await expectIds(server(), `Encounter?date=ge2021-01-18&${s.q}`, [january, ongoing, february]);
    await expectIds(server(), `Encounter?date=lt2021-01-12&${s.q}`, [january, untilJanuary]);
    await expectIds(server(), `Encounter?date=le2021-01-12&${s.q}`, [january, untilJanuary]);
    // sa: starts after the end of the search range; eb: ends before its start.
    await expectIds(server(), `Encounter?date=sa2021-01-20&${s.q}`, [february]);
    await expectIds(server(), `Encounter?date=sa2021-01-14&${s.q}`, [ongoing, february]);
    await expectIds(server(), `Encounter?date=eb2021-01-31&${s.q}`, [january, untilJanuary]);
    await expectIds(server(), `Encounter?date=eb2021-01-10&${s.q}`, []);
    // A day inside a period: the period overlaps it (ap with a narrow margin is tested above).
    await expectIds(server(), `Encounter?date=ge2021-02-03&date=le2021-02-03&${s.q}`, [ongoing, february]);
  });

  test('Observation effectivePeriod and effectiveInstant share the date parameter', async () => {
    const s = newScope();
    const period = await observation(s, { effectivePeriod: { start: '2022-03-01T08:00:00Z', end: '2022-03-01T12:00:00Z' } });
    const instant = await observation(s, { effectiveInstant: '2022-03-01T09:15:30.250Z' });
    const later = await observation(s, { effectiveDateTime: '2022-03-02' });

    await expectIds(server(), `Observation?date=2022-03-01&${s.q}`, [period, instant]);
    await expectIds(server(), `Observation?date=${q('2022-03-01T09:15:30Z')}&${s.q}`, [instant]);
    await expectIds(server(), `Observation?date=gt${q('2022-03-01T10:00:00Z')}&${s.q}`, [period, later]);
    await expectIds(server(), `Observation?date=lt${q('2022-03-01T09:00:00Z')}&${s.q}`, [period]);
    await expectIds(server(), `Observation?date=eb2022-03-02&${s.q}`, [period, instant]);
  });

  test('Observation effectiveTiming: only the outer limits of its events and bounds count', async () => {
    const s = newScope();
    const events = await observation(s, { effectiveTiming: { event: ['2019-06-01T08:00:00Z', '2019-06-10T08:00:00Z'] } });

    // One range, 2019-06-01T08:00 to 2019-06-10T08:00: neither event alone is the value.
    await expectIds(server(), `Observation?date=sa2019-06-05&${s.q}`, []);
    await expectIds(server(), `Observation?date=eb2019-06-05&${s.q}`, []);
    await expectIds(server(), `Observation?date=2019-06-01&${s.q}`, []);
    await expectIds(server(), `Observation?date=2019-06-10&${s.q}`, []);
    await expectIds(server(), `Observation?date=2019-06&${s.q}`, [events]);
    await expectIds(server(), `Observation?date=ne2019-06-01&${s.q}`, [events]);
    await expectIds(server(), `Observation?date=ge2019-06-05&date=le2019-06-05&${s.q}`, [events]);
    await expectIds(server(), `Observation?date=sa2019-05-31&${s.q}`, [events]);
    await expectIds(server(), `Observation?date=eb2019-06-11&${s.q}`, [events]);
  });

  test('Timing: repeat.boundsPeriod widens the limits, boundsDuration sets none, an open end is ongoing', async () => {
    const s = newScope();
    const daily = { frequency: 1, period: 1, periodUnit: 'd' };
    // An event after the bounds: the limits run from the bounds' start to that event.
    const bounded = await observation(s, { effectiveTiming: { event: ['2019-07-01'], repeat: { ...daily, boundsPeriod: { start: '2019-06-20', end: '2019-06-25' } } } });
    const open = await observation(s, { effectiveTiming: { repeat: { ...daily, boundsPeriod: { start: '2019-06-20' } } } });
    const duration = await observation(s, {
      effectiveTiming: { event: ['2019-06-22'], repeat: { ...daily, boundsDuration: { value: 10, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } } },
    });
    const schedule = await observation(s, { effectiveTiming: { repeat: { ...daily, boundsDuration: { value: 10, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } } } });

    await expectIds(server(), `Observation?date=2019-06&${s.q}`, [duration]);
    await expectIds(server(), `Observation?date=ge2019-06-26&date=le2019-06-26&${s.q}`, [bounded, open]);
    await expectIds(server(), `Observation?date=2019&${s.q}`, [bounded, duration]);
    await expectIds(server(), `Observation?date=eb2019-07-02&${s.q}`, [bounded, duration]);
    await expectIds(server(), `Observation?date=gt2030&${s.q}`, [open]);
    await expectIds(server(), `Observation?date:missing=true&${s.q}`, [schedule]);
  });

  test('_lastUpdated with prefixes', async () => {
    const s = newScope();
    const first = await patient(s);
    await sleep(15);
    const second = await patient(s);
    await sleep(15);
    const third = await patient(s);
    const at = (r: { meta: { lastUpdated: string } }) => q(r.meta.lastUpdated);
    assert.ok(first.meta.lastUpdated < second.meta.lastUpdated && second.meta.lastUpdated < third.meta.lastUpdated);

    await expectIds(server(), `Patient?_lastUpdated=${at(second)}&${s.q}`, [second]);
    await expectIds(server(), `Patient?_lastUpdated=eq${at(second)}&${s.q}`, [second]);
    await expectIds(server(), `Patient?_lastUpdated=ge${at(second)}&${s.q}`, [second, third]);
    await expectIds(server(), `Patient?_lastUpdated=gt${at(second)}&${s.q}`, [third]);
    await expectIds(server(), `Patient?_lastUpdated=lt${at(second)}&${s.q}`, [first]);
    await expectIds(server(), `Patient?_lastUpdated=le${at(second)}&${s.q}`, [first, second]);
    await expectIds(server(), `Patient?_lastUpdated=ne${at(second)}&${s.q}`, [first, third]);
    await expectIds(server(), `Patient?_lastUpdated=sa${at(first)}&${s.q}`, [second, third]);
    await expectIds(server(), `Patient?_lastUpdated=eb${at(third)}&${s.q}`, [first, second]);
    await expectIds(server(), `Patient?_lastUpdated=ge${at(first)}&_lastUpdated=lt${at(third)}&${s.q}`, [first, second]);
    await expectIds(server(), `Patient?_lastUpdated=${day(Date.parse(first.meta.lastUpdated))}&_id=${first.id}`, [first]);
    await expectIds(server(), `Patient?_lastUpdated=lt2000&${s.q}`, []);
  });
});
