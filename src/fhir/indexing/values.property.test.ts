/**
 * Properties of the normalisers over random input (fast-check): they never
 * throw, and their results keep the invariants the search side relies on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { r4Schema } from '../definitions/schema.js';
import { ResourceIndexer } from './resource-indexer.js';
import { dateRange, laterNameParts, normalizeString, normalizeText, parseReference } from './values.js';

/** Valid FHIR dates and dateTimes at every precision, with random zones. */
const fhirDate = fc.record({
  year: fc.integer({ min: 1, max: 9999 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  fraction: fc.stringMatching(/^[0-9]{1,6}$/),
  zoneMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
  precision: fc.integer({ min: 0, max: 5 }),
}).map(({ year, month, day, hour, minute, second, fraction, zoneMinutes, precision }) => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const zone = `${zoneMinutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(zoneMinutes) / 60))}:${pad(Math.abs(zoneMinutes) % 60)}`;
  const parts = [pad(year, 4), `-${pad(month)}`, `-${pad(Math.min(day, 28))}`, `T${pad(hour)}:${pad(minute)}`, `:${pad(second)}`, `.${fraction}`];
  return parts.slice(0, precision + 1).join('') + (precision >= 3 ? zone : '');
});

describe('normalisers on random input', () => {
  it('normalizeString never throws, is idempotent and keeps only letters and digits', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
      const once = normalizeString(value);
      assert.equal(normalizeString(once), once);
      assert.match(once, /^[\p{L}\p{N}]*$/u);
    }), { numRuns: 2000 });
  });

  it('normalizeText never throws, is idempotent, trimmed, with single spaces; agrees with its full path on Latin text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
      const once = normalizeText(value);
      assert.equal(normalizeText(once), once);
      assert.equal(once, once.trim());
      assert.ok(!/\s{2}/.test(once));
    }), { numRuns: 2000 });
    const latin = fc.string({ unit: fc.integer({ min: 0x20, max: 0x24f }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(latin, (value) => {
      assert.equal(normalizeText(value), normalizeText(`${value}\u4e00`).slice(0, -1).trimEnd());
    }), { numRuns: 2000 });
  });

  it('normalizeString agrees with the full Unicode folding on Latin text and general punctuation', () => {
    const unit = fc.oneof(fc.integer({ min: 0x20, max: 0x24f }), fc.integer({ min: 0x2000, max: 0x206f })).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit }), (value) => {
      // Appending a character beyond the table forces the full path on the same text.
      const full = normalizeString(`${value}\u4e00`).slice(0, -1);
      assert.equal(normalizeString(value), full);
    }), { numRuns: 2000 });
  });

  it('a name\'s later parts are suffixes of its normalised form, each starting a word', () => {
    const words = fc.array(fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿ]{1,6}$/), { minLength: 1, maxLength: 5 });
    const separators = fc.array(fc.constantFrom(' ', '-', "'", '’', ' - ', '. '), { minLength: 4, maxLength: 4 });
    fc.assert(fc.property(words, separators, (parts, seps) => {
      const name = parts.map((w, i) => (i === 0 ? w : `${seps[i - 1]}${w}`)).join('');
      const whole = normalizeString(name);
      const later = laterNameParts(name);
      assert.deepEqual(later, parts.slice(1).map((_, i) => normalizeString(parts.slice(i + 1).join(''))).filter((p) => p !== ''));
      for (const part of later) assert.ok(whole.endsWith(part), `${name}: ${part}`);
    }), { numRuns: 1000 });
  });

  it('dateRange never throws on random strings', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const range = dateRange(value);
      if (range) assert.ok(range.low <= range.high);
    }), { numRuns: 5000 });
  });

  it('dateRange of any valid date has low ≤ high, within the JavaScript instant range', () => {
    fc.assert(fc.property(fhirDate, (value) => {
      const range = dateRange(value);
      assert.ok(range, value);
      assert.ok(range.low <= range.high, value);
      assert.ok(Math.abs(range.low) < 8.64e15 && Math.abs(range.high) < 8.64e15, value);
    }), { numRuns: 5000 });
  });

  it('dateRange of a dateTime contains the instant Date.parse reads', () => {
    fc.assert(fc.property(fhirDate.filter((v) => v.length >= 25 && v.startsWith('2')), (value) => {
      const range = dateRange(value);
      const instant = Date.parse(value);
      assert.ok(range && range.low <= instant && instant <= range.high, value);
    }), { numRuns: 2000 });
  });

  it('parseReference never throws', () => {
    fc.assert(fc.property(fc.string(), fc.option(fc.webUrl(), { nil: undefined }), (value, base) => {
      parseReference(value, base);
    }), { numRuns: 2000 });
  });

  it('the indexer never throws on random JSON shaped like a Patient', () => {
    const indexer = new ResourceIndexer(r4Schema());
    const field = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object(), fc.array(fc.object()));
    const names = ['name', 'identifier', 'telecom', 'gender', 'birthDate', 'address', 'deceasedDateTime', 'generalPractitioner', 'meta', 'text', 'link'];
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...names), field), (fields) => {
      indexer.index({ ...fields, resourceType: 'Patient' });
    }), { numRuns: 1000 });
  });
});
