/**
 * Wall-clock times of a named time zone (IANA, "Europe/Paris") as instants,
 * daylight saving time included: what a search value with a time but no
 * time zone means (http://hl7.org/fhir/R4/search.html#date: "the servers
 * local time zone should be assumed"). Node's Intl carries the tz database,
 * so no library is needed.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant` (whole seconds: LMT offsets have seconds). */
export function zoneOffsetAt(zone: string, instant: number): number {
  const second = Math.floor(instant / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(second))) parts[part.type] = part.value;
  const era = parts.era === 'BC' ? -1 : 1;
  const year = era === 1 ? Number(parts.year) : 1 - Number(parts.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return wall.getTime() - second;
}

/** The instants a wall-clock time of `zone` names: two in the hour repeated when clocks go back, one otherwise. */
export interface WallTimeInstants {
  readonly earliest: number;
  readonly latest: number;
}

/**
 * `wall`: the wall-clock time written as if it were UTC (milliseconds).
 * Clocks go back: both instants the time names. Clocks go forward: a time
 * that never showed is read with the offset in force before the change
 * (02:30 on a spring night in Paris is 03:30 summer time), as java.time and
 * Temporal's "compatible" do. At most one change within a day either side,
 * which holds for every zone of the tz database.
 */
export function wallTimeInstants(zone: string, wall: number): WallTimeInstants {
  const DAY = 86_400_000;
  const before = zoneOffsetAt(zone, wall - DAY);
  const after = zoneOffsetAt(zone, wall + DAY);
  const candidates = [wall - before, wall - after].filter((instant, i) => zoneOffsetAt(zone, instant) === (i === 0 ? before : after));
  if (candidates.length === 0) return { earliest: wall - before, latest: wall - before };
  return { earliest: Math.min(...candidates), latest: Math.max(...candidates) };
}
