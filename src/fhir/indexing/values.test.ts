import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateRange, laterNameParts, MAX_NAME_PARTS, normalizeString, normalizeText, parseCanonical, parseReference, referenceTargetType } from './values.js';

const ms = (iso: string) => Date.parse(iso);

describe('normalizeString', () => {
  it('lower-cases plain ASCII', () => {
    assert.equal(normalizeString('DUPONT'), 'dupont');
    assert.equal(normalizeString('Martin3'), 'martin3');
  });

  it('removes accents, precomposed or combining', () => {
    assert.equal(normalizeString('Hélène Lefèvre'), 'helenelefevre');
    assert.equal(normalizeString('He\u0301le\u0300ne'), 'helene');
    assert.equal(normalizeString('ÇÀ ÉTÉ Île-de-France'), 'caeteiledefrance');
    assert.equal(normalizeString('Łukasz Ørsted Đorđević'), 'lukaszorsteddordevic');
    assert.equal(normalizeString('Zoë Müller Ñúñez'), 'zoemullernunez');
  });

  it('spells out ligatures', () => {
    assert.equal(normalizeString('Œdipe'), 'oedipe');
    assert.equal(normalizeString('cœur'), 'coeur');
    assert.equal(normalizeString('Ætna Cæsar'), 'aetnacaesar');
    assert.equal(normalizeString('Straße'), 'strasse');
    assert.equal(normalizeString('STRAẞE'), 'strasse');
  });

  // search.html#string: "Punctuation and non-significant whitespace (e.g. repeated space characters, tab vs space) should also be ignored."
  it('ignores punctuation and whitespace: a hyphen, an apostrophe and a space are the same in a name', () => {
    for (const form of ["O'Brien", 'OBrien', 'O Brien', 'o’brien', 'O-Brien', ' O.  Brien\t']) assert.equal(normalizeString(form), 'obrien', form);
    for (const form of ['Jean-Pierre', 'jean pierre', 'JEANPIERRE', 'Jean – Pierre', 'Jean\u00a0Pierre']) assert.equal(normalizeString(form), 'jeanpierre', form);
    assert.equal(normalizeString("  Marie-Ange   d'Arc\t\n"), 'marieangedarc');
    assert.equal(normalizeString('12, rue de la Paix (bât. B)'), '12ruedelapaixbatb');
    assert.equal(normalizeString('+33 6 12-34'), '3361234');
    assert.equal(normalizeString(" -'. "), '');
  });

  it('folds scripts beyond Latin with the full Unicode path', () => {
    assert.equal(normalizeString('ΣΟΦΊΑ'), 'σοφια');
    assert.equal(normalizeString('Ärzte 医院'), 'arzte医院');
    assert.equal(normalizeString('Ärzte・医院'), 'arzte医院');
    assert.equal(normalizeString(''), '');
  });
});

describe('normalizeText (free text: _text, _content)', () => {
  it('folds case, accents and ligatures, collapses whitespace, keeps punctuation and words apart', () => {
    assert.equal(normalizeText('DUPONT Jean'), 'dupont jean');
    assert.equal(normalizeText('ÇÀ ÉTÉ Île-de-France'), 'ca ete ile-de-france');
    assert.equal(normalizeText('Ætna Cæsar'), 'aetna caesar');
    assert.equal(normalizeText("  Marie-Ange   d'Arc\t\n"), "marie-ange d'arc");
    assert.equal(normalizeText('a\u00a0 b'), 'a b');
    assert.equal(normalizeText('Ärzte 医院'), 'arzte 医院');
    assert.equal(normalizeText(''), '');
  });
});

describe('laterNameParts', () => {
  // search.html#string: "searching either "Carreno" or "Quinones" should match a family name of "Carreno Quinones"".
  it('gives the normalised name from each later word on', () => {
    assert.deepEqual(laterNameParts('Carreno Quinones'), ['quinones']);
    assert.deepEqual(laterNameParts("O'Brien-Zyx"), ['brienzyx', 'zyx']);
    assert.deepEqual(laterNameParts('D’Almeida'), ['almeida']);
    assert.deepEqual(laterNameParts('de la Fontaine'), ['lafontaine', 'fontaine']);
    assert.deepEqual(laterNameParts(' Le  Goff '), ['goff']);
    assert.deepEqual(laterNameParts('Jean-Pierre'), ['pierre']);
    assert.deepEqual(laterNameParts('Nguyễn Văn An'), ['vanan', 'an']);
    assert.deepEqual(laterNameParts('Σοφία Παπαδοπούλου'), ['παπαδοπουλου']);
  });

  it('gives none for a one-word name, punctuation around it included', () => {
    assert.deepEqual(laterNameParts('Martin'), []);
    assert.deepEqual(laterNameParts("'Martin.'"), []);
    assert.deepEqual(laterNameParts(''), []);
    assert.deepEqual(laterNameParts('He\u0301le\u0300ne'), []);
  });

  it('keeps at most MAX_NAME_PARTS later words', () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    assert.equal(laterNameParts(words).length, MAX_NAME_PARTS);
  });
});

describe('dateRange', () => {
  it('covers the whole year, month or day of a date, in UTC', () => {
    assert.deepEqual(dateRange('2020'), { low: ms('2020-01-01T00:00:00.000Z'), high: ms('2020-12-31T23:59:59.999Z'), precision: 'year' });
    assert.deepEqual(dateRange('2020-02'), { low: ms('2020-02-01T00:00:00.000Z'), high: ms('2020-02-29T23:59:59.999Z'), precision: 'month' });
    assert.deepEqual(dateRange('2021-02'), { low: ms('2021-02-01T00:00:00.000Z'), high: ms('2021-02-28T23:59:59.999Z'), precision: 'month' });
    assert.deepEqual(dateRange('2020-12'), { low: ms('2020-12-01T00:00:00.000Z'), high: ms('2020-12-31T23:59:59.999Z'), precision: 'month' });
    assert.deepEqual(dateRange('2020-03-15'), { low: ms('2020-03-15T00:00:00.000Z'), high: ms('2020-03-15T23:59:59.999Z'), precision: 'day' });
  });

  it('covers the minute, second or millisecond of a dateTime, shifted by its time zone', () => {
    assert.deepEqual(dateRange('2020-03-15T10:30+02:00'), { low: ms('2020-03-15T08:30:00.000Z'), high: ms('2020-03-15T08:30:59.999Z'), precision: 'minute' });
    assert.deepEqual(dateRange('2020-03-15T10:30:15Z'), { low: ms('2020-03-15T10:30:15.000Z'), high: ms('2020-03-15T10:30:15.999Z'), precision: 'second' });
    assert.deepEqual(dateRange('2020-03-15T10:30:15-05:30'), { low: ms('2020-03-15T16:00:15.000Z'), high: ms('2020-03-15T16:00:15.999Z'), precision: 'second' });
    assert.deepEqual(dateRange('2020-03-15T10:30:15.123+01:00'), { low: ms('2020-03-15T09:30:15.123Z'), high: ms('2020-03-15T09:30:15.123Z'), precision: 'millisecond' });
    assert.deepEqual(dateRange('2020-03-15T10:30:15.5Z'), { low: ms('2020-03-15T10:30:15.500Z'), high: ms('2020-03-15T10:30:15.599Z'), precision: 'millisecond' });
    assert.deepEqual(dateRange('2020-03-15T10:30:15.123456Z'), { low: ms('2020-03-15T10:30:15.123Z'), high: ms('2020-03-15T10:30:15.123Z'), precision: 'millisecond' });
  });

  it('crosses day, month and year boundaries with the time zone', () => {
    assert.equal(dateRange('2021-01-01T00:30:00+01:00')?.low, ms('2020-12-31T23:30:00.000Z'));
    assert.equal(dateRange('2020-12-31T23:30:00-14:00')?.low, ms('2021-01-01T13:30:00.000Z'));
  });

  it('takes a time without zone in UTC', () => {
    assert.equal(dateRange('2020-03-15T10:30:00')?.low, ms('2020-03-15T10:30:00.000Z'));
  });

  it('accepts 29 February of leap years only', () => {
    assert.ok(dateRange('2020-02-29'));
    assert.ok(dateRange('2000-02-29'));
    assert.ok(dateRange('1600-02-29'));
    assert.equal(dateRange('2021-02-29'), undefined);
    assert.equal(dateRange('1900-02-29'), undefined);
    assert.equal(dateRange('2100-02-29T10:00:00Z'), undefined);
  });

  it('places years before 100 in their own century, unlike Date.UTC', () => {
    assert.equal(dateRange('0050')?.low, new Date('0050-01-01T00:00:00.000Z').getTime());
    assert.equal(dateRange('0001-01-01')?.low, new Date('0001-01-01T00:00:00.000Z').getTime());
  });

  it('rejects what is not a FHIR date', () => {
    for (const invalid of [
      '', '20', '2020-1', '2020-13', '2020-00', '2020-04-31', '2020-01-32', '2020-01-00', '0000', '2020-01-01T', '2020-01-01T24:00:00Z',
      '2020-01-01T10:60:00Z', '2020-01-01T10:00:61Z', '2020-01-01T10:00:00+15:00', '2020-01-01T10:00:00+01:60', '2020-01-01 10:00:00Z',
      '2020-01-01T10:00:00.Z', 'T10:00:00', 'today', '2020-01-01Z', ' 2020', '２０２０',
    ]) {
      assert.equal(dateRange(invalid), undefined, invalid);
    }
  });
});

describe('parseReference', () => {
  const base = 'http://127.0.0.1:8080/fhir';

  it('reads relative references, with or without version', () => {
    assert.deepEqual(parseReference('Patient/123'), { targetType: 'Patient', targetId: '123', url: null, version: null });
    assert.deepEqual(parseReference('Patient/123/_history/2'), { targetType: 'Patient', targetId: '123', url: null, version: '2' });
  });

  it('treats absolute references to this server as local', () => {
    assert.deepEqual(parseReference(`${base}/Patient/123`, base), { targetType: 'Patient', targetId: '123', url: null, version: null });
    assert.deepEqual(parseReference(`${base}/Patient/123/_history/4`, `${base}/`), { targetType: 'Patient', targetId: '123', url: null, version: '4' });
  });

  it('keeps other absolute references and URNs whole, without a local type and id', () => {
    assert.deepEqual(parseReference('http://other.example/fhir/Patient/9', base), { targetType: null, targetId: null, url: 'http://other.example/fhir/Patient/9', version: null });
    assert.deepEqual(parseReference('http://other.example/fhir/Patient/9/_history/1'), { targetType: null, targetId: null, url: 'http://other.example/fhir/Patient/9', version: '1' });
    assert.deepEqual(parseReference('http://127.0.0.1:8080/fhirish/Patient/1', base)?.url, 'http://127.0.0.1:8080/fhirish/Patient/1');
    assert.deepEqual(parseReference('urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0'), { targetType: null, targetId: null, url: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', version: null });
    assert.equal(parseReference('urn:oid:1.2.250.1.71')?.url, 'urn:oid:1.2.250.1.71');
  });

  it('returns nothing for contained and malformed references', () => {
    assert.equal(parseReference('#med1'), undefined);
    assert.equal(parseReference(''), undefined);
    assert.equal(parseReference('Patient'), undefined);
    assert.equal(parseReference('patient/1'), undefined);
    assert.equal(parseReference('Patient/1/2'), undefined);
    assert.equal(parseReference('Patient?identifier=x|1'), undefined);
  });

  it('finds the target type for resolve() is T from the reference or Reference.type', () => {
    assert.equal(referenceTargetType('Patient/1', undefined), 'Patient');
    assert.equal(referenceTargetType('http://x/fhir/Practitioner/2/_history/3', undefined), 'Practitioner');
    assert.equal(referenceTargetType('urn:uuid:1234', 'Patient'), 'Patient');
    assert.equal(referenceTargetType(undefined, 'http://hl7.org/fhir/StructureDefinition/Device'), 'Device');
    assert.equal(referenceTargetType('#x', undefined), undefined);
  });

  it('splits canonical references at their version', () => {
    assert.deepEqual(parseCanonical('http://x/ValueSet/a|1.2'), { url: 'http://x/ValueSet/a', version: '1.2' });
    assert.deepEqual(parseCanonical('http://x/ValueSet/a'), { url: 'http://x/ValueSet/a', version: null });
  });
});
