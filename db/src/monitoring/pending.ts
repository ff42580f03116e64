// While a first start loads the monitored demo households in the background (its second stage,
// db/seed/pending-households.ts), their tables are empty or half full: a count from them would be
// a silent wrong answer. Every monitoring read, write and import asks here first and answers
// "still loading" (code STILL_LOADING) until they land.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

export const STILL_LOADING = 'STILL_LOADING';

export const HOUSEHOLDS_STILL_LOADING =
  'the monitored households are still being loaded (after the rest of the data; on a first start about a minute after the map): household lists, counts, monitoring figures, their writes and data imports answer once they are in; try again shortly';

/** Refused because the monitored households are still being loaded. */
export class HouseholdsStillLoading extends Error {
  readonly code = STILL_LOADING;
  constructor() {
    super(HOUSEHOLDS_STILL_LOADING);
    this.name = 'HouseholdsStillLoading';
  }
}

/** Whether the monitored households are still being loaded (one primary-key read). */
export async function householdsPending(db: Executor): Promise<boolean> {
  const [row] = await queryRows<{ pending: boolean }>(
    db,
    sql`SELECT households_pending IS NOT NULL AS pending FROM dataset WHERE id = 'current'`,
  );
  return row?.pending ?? false;
}

/** Throws HouseholdsStillLoading while the monitored households are being loaded. */
export async function assertHouseholdsLoaded(db: Executor): Promise<void> {
  if (await householdsPending(db)) throw new HouseholdsStillLoading();
}
