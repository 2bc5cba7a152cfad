// `%Y` and `%T`: nanoseconds since the epoch shown in local time, the zone taken from `TZ` as the
// C library does. `%Y` is ctime(3)'s text rearranged to "2024 Jan  2 03:04:05"; `%T` is
// strftime's "%a, %d %b %G %T %Z" (RFC 822, with the ISO week-based year DTrace asks for).

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Whole seconds, truncated toward zero as C's division does. */
function dateOf(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000_000n) * 1000);
}

function clock(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `%Y`: "2024 Jan  2 03:04:05". */
export function formatYTime(ns: bigint): string {
  const d = dateOf(ns);
  return `${d.getFullYear()} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${clock(d)}`;
}

/** `%T`: "Tue, 02 Jan 2024 03:04:05 UTC". */
export function formatRfc822Time(ns: bigint): string {
  const d = dateOf(ns);
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${isoWeekYear(d)} ${clock(d)} ${zoneName(d)}`;
}

/** strftime's %G: the year of the ISO week (Monday-based, week 1 holds the first Thursday). */
function isoWeekYear(d: Date): number {
  const year = d.getFullYear();
  const weekday = (d.getDay() + 6) % 7; // Monday = 0
  const start = new Date(year, 0, 1);
  const dayOfYear = Math.round((new Date(year, d.getMonth(), d.getDate()).getTime() - start.getTime()) / 86_400_000);
  const thursday = dayOfYear - weekday + 3;
  if (thursday < 0) return year - 1;
  const daysInYear = new Date(year, 1, 29).getMonth() === 1 ? 366 : 365;
  return thursday >= daysInYear ? year + 1 : year;
}

function zoneName(d: Date): string {
  const tz = process.env.TZ;
  if (tz === undefined || tz === '' || tz === 'UTC' || tz === 'UTC0' || tz === ':UTC' || tz === 'Etc/UTC') {
    if (d.getTimezoneOffset() === 0) return 'UTC';
  }
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
    if (part) return part.value;
  } catch {
    // No ICU zone data: fall through to the offset.
  }
  const off = -d.getTimezoneOffset();
  return `${off < 0 ? '-' : '+'}${two(Math.floor(Math.abs(off) / 60))}${two(Math.abs(off) % 60)}`;
}
