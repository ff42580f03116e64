// Listing writes: 挂牌 (create), 摘帽/出列 (lift), then 销号 (close) once the listing's ledger is
// closed. Each appends to the listing's history.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { LEDGER_TIME_ZONE } from '../facts.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { openProblem, todaySql } from '../queries/ledger.ts';
import type { listings } from '../tables/supervision.ts';
import { type AuditChanges, appendAudit } from './audit.ts';
import { SupervisionError } from './errors.ts';
import { type Actor, auditWho, lockVersioned, today } from './writes.ts';

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

/** Appends to the listing's history and, with the same change, to the audit log. */
async function appendListingHistory(
  tx: Executor,
  listing: { id: number; countyCode: string },
  actor: Actor,
  entry: {
    action: 'listed' | 'lifted' | 'closed';
    from: string | null;
    to: string;
    note?: string | null;
    changes?: AuditChanges;
  },
) {
  await tx.execute(sql`INSERT INTO supervision_listing_history (listing_id, changed_by, action, from_status, to_status, note)
    VALUES (${listing.id}, ${actor.username}, ${entry.action}, ${entry.from}, ${entry.to}, ${entry.note ?? null})`);
  await appendAudit(tx, auditWho(actor), {
    action: `listing.${entry.action}`,
    targetKind: 'listing',
    targetId: listing.id,
    regionCode: listing.countyCode,
    changes: { status: { from: entry.from, to: entry.to }, ...entry.changes },
    note: entry.note,
  });
}

/**
 * The history of listings loaded with their dates (the demo data): listed, lifted and closed on
 * those dates (midnight in China, the ledger's day) by their supervising unit. Listings that have a history already are left alone.
 */
export async function recordListingHistoryFromDates(tx: Executor): Promise<void> {
  await tx.execute(sql`INSERT INTO supervision_listing_history (listing_id, changed_at, changed_by, action, from_status, to_status)
    SELECT id, listed_on::timestamp AT TIME ZONE ${LEDGER_TIME_ZONE}, supervising_unit, 'listed', NULL, 'supervising' FROM supervision_listings l
      WHERE NOT EXISTS (SELECT 1 FROM supervision_listing_history h WHERE h.listing_id = l.id)
    UNION ALL
    SELECT id, lifted_on::timestamp AT TIME ZONE ${LEDGER_TIME_ZONE}, supervising_unit, 'lifted', 'supervising', 'lifted' FROM supervision_listings l
      WHERE lifted_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM supervision_listing_history h WHERE h.listing_id = l.id)
    UNION ALL
    SELECT id, closed_on::timestamp AT TIME ZONE ${LEDGER_TIME_ZONE}, supervising_unit, 'closed', 'lifted', 'closed' FROM supervision_listings l
      WHERE closed_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM supervision_listing_history h WHERE h.listing_id = l.id)`);
}

export interface NewListing {
  unitType: 'county' | 'village';
  countyCode: string;
  villageCode: string | null;
  listedOn: string;
  supervisingUnit: string;
}

/**
 * 挂牌: lists a county, or a village of it, for supervision. The place exists (the village in the
 * county), is not listed already, and the date is not in the future.
 */
export async function createListing(tx: Executor, actor: Actor, l: NewListing): Promise<number> {
  actor.authorize(l.countyCode);
  const [county] = await queryRows<{ code: string }>(
    tx,
    sql`SELECT code FROM regions WHERE code = ${l.countyCode} AND level = 'county'`,
  );
  if (!county)
    throw new SupervisionError('BAD_USER_INPUT', 'input.countyCode', `there is no county ${l.countyCode}`);
  if (l.unitType === 'village') {
    if (!l.villageCode)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        'input.villageCode',
        'a village listing names its village',
      );
    const [village] = await queryRows<{ county: string }>(
      tx,
      sql`SELECT county_code AS county FROM villages WHERE code = ${l.villageCode}`,
    );
    if (!village)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        'input.villageCode',
        `there is no village ${l.villageCode}`,
      );
    if (village.county !== l.countyCode)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        'input.villageCode',
        `village ${l.villageCode} is in county ${village.county}, not ${l.countyCode}`,
      );
  } else if (l.villageCode)
    throw new SupervisionError('BAD_USER_INPUT', 'input.villageCode', "a county's listing names no village");
  if (l.listedOn > today())
    throw new SupervisionError('BAD_USER_INPUT', 'input.listedOn', `${l.listedOn} is in the future`);
  const [listed] = await queryRows<{ id: number }>(
    tx,
    sql`SELECT id FROM supervision_listings WHERE county_code = ${l.countyCode}
        AND village_code IS NOT DISTINCT FROM ${l.villageCode}`,
  );
  if (listed)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      l.villageCode ? 'input.villageCode' : 'input.countyCode',
      `${l.villageCode ?? l.countyCode} is listed already (listing ${listed.id})`,
      { listingId: listed.id },
    );
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO supervision_listings (unit_type, county_code, village_code, listed_on, supervising_unit, status)
        VALUES (${l.unitType}, ${l.countyCode}, ${l.villageCode}, ${l.listedOn}, ${l.supervisingUnit}, 'supervising')
        RETURNING id`,
  );
  await appendListingHistory(tx, { id: row!.id, countyCode: l.countyCode }, actor, {
    action: 'listed',
    from: null,
    to: 'supervising',
    changes: {
      villageCode: { from: null, to: l.villageCode },
      listedOn: { from: null, to: l.listedOn },
      supervisingUnit: { from: null, to: l.supervisingUnit },
    },
  });
  await bumpDataVersion(tx);
  return row!.id;
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
  await appendListingHistory(tx, listing, actor, {
    action: 'lifted',
    from: 'supervising',
    to: 'lifted',
    changes: { liftedOn: { from: null, to: change.liftedOn } },
  });
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
  await appendListingHistory(tx, listing, actor, { action: 'closed', from: 'lifted', to: 'closed' });
  await bumpDataVersion(tx);
}
