/**
 * The calendar day in metropolitan France (Europe/Paris) of an instant. The
 * French national services date their acts in French legal time: INSi's
 * query date (FR Core dateInterrogationINSi, a FHIR date with no zone) is the
 * day the operator made the call in France, so a call at 00:30 in Paris is
 * that day, not the UTC day before (23:30 UTC). Summer time follows the
 * zone database Node ships with.
 */
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of `ms` (since the epoch) in Europe/Paris. */
export function frenchDay(ms: number): string {
  return dayOf(PARIS_DAY, ms);
}

function dayOf(format: Intl.DateTimeFormat, ms: number): string {
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The newest calendar day of `ms` on French territory: Wallis-et-Futuna
 * (UTC+12, no summer time) is the first to start a day, La Réunion (UTC+4) and
 * Mayotte (UTC+3) hours before Paris. An act dated by local time there (a
 * document check at 01:00 in Saint-Denis) may carry a day Paris has not reached
 * yet; only a date after this one cannot have happened anywhere in France.
 */
const FIRST_FRENCH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Wallis', year: 'numeric', month: '2-digit', day: '2-digit' });

export function latestFrenchDay(ms: number): string {
  return dayOf(FIRST_FRENCH_DAY, ms);
}
