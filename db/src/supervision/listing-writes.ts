// Listing writes: 摘帽/出列 (lift), then 销号 (close) once the listing's ledger is closed.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { openProblem, todaySql } from '../queries/ledger.ts';
import type { listings } from '../tables/supervision.ts';
import { SupervisionError } from './errors.ts';
import { type Actor, lockVersioned, today } from './writes.ts';

/** What a listing write checks and moves from. */
type ListingState = Pick<typeof listings.$inferSelect, 'id' | 'countyCode' | 'status' | 'version'>;

function lockListing(tx: Executor, change: { id: number; expectedVersion: number }, actor: Actor) {
  return lockVersioned<ListingState>(
    tx,
    'listing',
    sql`SELECT id, county_code AS "countyCode", status, version FROM supervision_listings WHERE id = ${change.id} FOR UPDATE`,
    change,
    actor,
  );
}

/** 摘帽/出列: a listed place meets the standard; supervision continues until its ledger is closed. */
export async function liftListing(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; liftedOn: string },
): Promise<void> {
  const listing = await lockListing(tx, change, actor);
  if (listing.status !== 'supervising')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      `listing ${change.id} is ${listing.status}, not supervising`,
    );
  if (change.liftedOn > today())
    throw new SupervisionError('BAD_USER_INPUT', 'liftedOn', `${change.liftedOn} is in the future`);
  await tx.execute(
    sql`UPDATE supervision_listings SET status = 'lifted', lifted_on = ${change.liftedOn}, version = version + 1 WHERE id = ${change.id}`,
  );
  await bumpDataVersion(tx);
}

/** 销号 of a listing: only once every problem of it is closed. */
export async function closeListing(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number },
): Promise<void> {
  const listing = await lockListing(tx, change, actor);
  if (listing.status !== 'lifted')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      listing.status === 'closed'
        ? `listing ${change.id} is already closed`
        : `listing ${change.id} must be lifted (摘帽/出列) before it is closed`,
    );
  const [open] = await queryRows<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM supervision_problems WHERE listing_id = ${change.id} AND ${openProblem()}`,
  );
  if (open!.n > 0)
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      `listing ${change.id} still has ${open!.n} problem(s) not closed; close them before closing the listing`,
      { openProblems: open!.n },
    );
  await tx.execute(
    sql`UPDATE supervision_listings SET status = 'closed', closed_on = ${todaySql}, version = version + 1 WHERE id = ${change.id}`,
  );
  await bumpDataVersion(tx);
}
