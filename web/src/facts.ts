// The domain facts the dashboard needs, as db/src/facts.ts defines them. web/ reaches db/ only over
// HTTP, so they are written again here; test/web-facts.test.ts fails the build when they differ.
export const FIRST_YEAR = 2014;
export const LAST_YEAR = 2025;
/** The year the map opens on: the first year after 脱贫攻坚 ended. */
export const DEFAULT_YEAR = 2021;
/** The first year of 防止返贫监测: households, lines and their counts exist from then. */
export const MONITORING_FIRST_YEAR = 2020;
/** The ledger's day is China's: dates a supervisor enters are checked against it. */
export const LEDGER_TIME_ZONE = 'Asia/Shanghai';

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: LEDGER_TIME_ZONE });
/** A day as China counts it (YYYY-MM-DD): after 16:00 UTC it is already tomorrow there. */
export function chinaDay(at: Date = new Date()): string {
  return CHINA_DATE.format(at);
}
