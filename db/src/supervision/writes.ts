// How every supervision write runs. Each runs inside the caller's transaction (one per mutation),
// reads the row it changes FOR UPDATE (lockVersioned), checks the version the client read, applies
// the workflow rules, appends to the history and bumps the data version (so tiles and KPI answers
// change on the next request). `authorize(countyCode)` is the caller's scope check, run on the
// stored place before any change. Keyed writes (reportProblem, recordInspection) claim the caller's
// idempotency key first, in the same transaction (see claimKey). The writes themselves are in
// problem-writes.ts, inspection-writes.ts and listing-writes.ts.
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { ledgerToday } from '../facts.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { conflict, SupervisionError } from './errors.ts';

export type Authorize = (countyCode: string) => void;

export interface Actor {
  /** Whose idempotency keys the write sees. */
  userId: number;
  username: string;
  authorize: Authorize;
  /** For a department user: their department. They act on its problems only, and on nothing else. */
  departmentId?: number | null;
  /** Where the request came from, for the audit log. */
  clientAddress?: string | null;
}

/** The actor as the audit log names them. */
export const auditWho = (actor: Actor) => ({
  userId: actor.userId,
  username: actor.username,
  clientAddress: actor.clientAddress ?? null,
});

/** Today in China (the ledger's day, facts.ts). */
export const today = () => ledgerToday();

/**
 * Reads a versioned row FOR UPDATE and checks, in this order: it exists, the caller may write its
 * place, and it is at the version the caller read. `select` names the row's columns.
 */
export async function lockVersioned<T extends { countyCode: string; version: number }>(
  tx: Executor,
  what: 'problem' | 'listing',
  select: SQL,
  change: { id: number; expectedVersion: number },
  actor: Actor,
): Promise<T> {
  const [row] = await queryRows<T & { departmentId?: number | null }>(tx, select);
  // A department user acts on its own department's problems only; any other record is, to them,
  // as absent as it is from what they may read (its place or existence is not told).
  const theirs =
    actor.departmentId == null || (what === 'problem' && row?.departmentId === actor.departmentId);
  if (!row || !theirs) throw new SupervisionError('NOT_FOUND', 'id', `there is no ${what} ${change.id}`);
  actor.authorize(row.countyCode);
  if (row.version !== change.expectedVersion)
    throw conflict(what, change.id, change.expectedVersion, row.version);
  return row;
}

type KeyedOperation = 'reportProblem' | 'recordInspection';

/** SHA-256 (hex) of a write's normalized input without its key: the fields in a fixed order, absent ones as null. */
function requestHash(operation: KeyedOperation, input: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, input]))
    .digest('hex');
}

/** The county of a stored result, to authorize the caller on it again before answering from a key. */
const PLACE_OF: Record<KeyedOperation, (id: number) => SQL> = {
  reportProblem: (id) => sql`SELECT county_code AS county FROM supervision_problems WHERE id = ${id}`,
  recordInspection: (id) =>
    sql`SELECT l.county_code AS county FROM supervision_inspections i
        JOIN supervision_listings l ON l.id = i.listing_id WHERE i.id = ${id}`,
};

/**
 * Claims the caller's idempotency key for this write, first thing in the write's transaction.
 * Returns null when the key is new (write, then `keepResult`), or the id of the write this key
 * already made, after authorizing the caller on its place again (their scope may have changed).
 * The claim is an INSERT … ON CONFLICT DO NOTHING: a concurrent request with the same key waits
 * for the first transaction and then finds its result (or claims the key if that one rolled back).
 * Keys are per user: another user's key is never seen, so it can neither be answered nor probed.
 */
async function claimKey(
  tx: Executor,
  actor: Actor,
  key: string,
  operation: KeyedOperation,
  hash: string,
): Promise<number | null> {
  const [claimed] = await queryRows<{ key: string }>(
    tx,
    sql`INSERT INTO idempotency_keys (user_id, key, operation, request_hash)
        VALUES (${actor.userId}, ${key}, ${operation}, ${hash})
        ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
  );
  if (claimed) return null;
  const [stored] = await queryRows<{
    operation: string;
    requestHash: string | null;
    resultId: number | null;
  }>(
    tx,
    sql`SELECT operation, request_hash AS "requestHash", result_id AS "resultId"
        FROM idempotency_keys WHERE user_id = ${actor.userId} AND key = ${key}`,
  );
  // Keys carried over by migration 0004 have no hash: any request of the same operation is their retry.
  if (
    !stored ||
    stored.resultId === null ||
    stored.operation !== operation ||
    (stored.requestHash !== null && stored.requestHash !== hash)
  )
    throw new SupervisionError(
      'IDEMPOTENCY_KEY_REUSED',
      'input.idempotencyKey',
      'you already used this key for a different request; a retry must send the same request, a new write needs a new key',
    );
  const [place] = await queryRows<{ county: string }>(tx, PLACE_OF[operation](stored.resultId));
  if (!place)
    throw new SupervisionError('NOT_FOUND', 'input.idempotencyKey', 'the write of this key is gone');
  actor.authorize(place.county);
  return stored.resultId;
}

/** Records what a claimed key wrote (same transaction as the claim). */
async function keepResult(tx: Executor, actor: Actor, key: string, resultId: number) {
  await tx.execute(
    sql`UPDATE idempotency_keys SET result_id = ${resultId} WHERE user_id = ${actor.userId} AND key = ${key}`,
  );
}

/**
 * A write that creates one record, made once per idempotency key: with a key, a retry of the same
 * `request` answers the id the first one created, and nothing is written again. Returns the id.
 */
export async function createOnce(
  tx: Executor,
  actor: Actor,
  keyed: { key?: string | null; operation: KeyedOperation; request: unknown },
  create: () => Promise<number>,
): Promise<number> {
  const { key, operation } = keyed;
  if (key) {
    const seen = await claimKey(tx, actor, key, operation, requestHash(operation, keyed.request));
    if (seen !== null) return seen;
  }
  const id = await create();
  if (key) await keepResult(tx, actor, key, id);
  await bumpDataVersion(tx);
  return id;
}
