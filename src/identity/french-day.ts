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
  const parts = Object.fromEntries(PARIS_DAY.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
