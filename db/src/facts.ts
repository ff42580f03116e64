// Facts of the domain that several layers need, defined once. The years the product holds figures
// for: village and region indicators run from 2014 (建档立卡, the first registration) to 2025.
export const FIRST_YEAR = 2014;
export const LAST_YEAR = 2025;
export const YEARS: readonly number[] = Array.from(
  { length: LAST_YEAR - FIRST_YEAR + 1 },
  (_, i) => FIRST_YEAR + i,
);
export const YEAR_COUNT = YEARS.length;
/** The years as people read them: "2014–2025" (messages and descriptions say it this way). */
export const YEAR_RANGE = `${FIRST_YEAR}–${LAST_YEAR}`;
/** Whether a number is a year the product holds figures for. */
export function isFigureYear(year: number): boolean {
  return Number.isInteger(year) && year >= FIRST_YEAR && year <= LAST_YEAR;
}
/**
 * The ledger's day is China's (UTC+8, one time zone for the whole country): a deadline passes, a
 * problem is overdue and "today" is the latest date a user may enter at Beijing midnight, whatever
 * time zone the server or the database runs in. SQL's form is `ledgerToday` (queries/ledger.ts).
 */
export const LEDGER_TIME_ZONE = 'Asia/Shanghai';
const ledgerDate = new Intl.DateTimeFormat('en-CA', { timeZone: LEDGER_TIME_ZONE });
let lastToday = { minute: Number.NaN, day: '' };
/** Today in China as YYYY-MM-DD. */
export function ledgerToday(now: Date = new Date()): string {
  // China's midnight falls on a whole minute, so one formatting serves every call within a minute
  // (every cached answer and tile asks; formatting cost more than the rest of a cache hit's key).
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastToday.minute) lastToday = { minute, day: ledgerDate.format(now) };
  return lastToday.day;
}

/** The year the map and the tiles show unless asked otherwise: the first year after 脱贫攻坚 ended. */
export const DEFAULT_YEAR = 2021;

/**
 * 务工就业率 of figures already read: employed / labour force, null without a labour force. The SQL
 * form, for filters, orderings and tiles, is regionEmploymentRate (queries/filters.ts).
 */
export function employmentRate(employed: number, labourForce: number): number | null {
  return labourForce > 0 ? employed / labourForce : null;
}
