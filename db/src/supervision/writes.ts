// Supervision writes. Each runs inside the caller's transaction (one per mutation), reads the row it
// changes FOR UPDATE, checks the version the client read, applies the workflow rules, appends to the
// history and bumps the data version (so tiles and KPI answers change on the next request).
// `authorize(countyCode)` is the caller's scope check, run on the stored place before any change.
// Keyed writes (reportProblem, recordInspection) claim the caller's idempotency key first, in the
// same transaction (see claimKey).
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { openProblem } from '../queries/ledger.ts';
import type { listings, problems } from '../tables/supervision.ts';
import { conflict, SupervisionError } from './errors.ts';
import { allowedNext, NEEDS_REASON, type ProblemStatus, problemTransition } from './workflow.ts';

export type Authorize = (countyCode: string) => void;

interface Actor {
  /** Whose idempotency keys the write sees. */
  userId: number;
  username: string;
  authorize: Authorize;
}

const today = () => new Date().toISOString().slice(0, 10);

export interface NewProblem {
  countyCode: string;
  villageCode?: string | null;
  listingId?: number | null;
  inspectionId?: number | null;
  category: string;
  department: string;
  description: string;
  foundOn: string;
  deadline: string;
  idempotencyKey?: string | null;
}

/** What a problem write checks and moves from. */
type ProblemState = Pick<
  typeof problems.$inferSelect,
  'id' | 'countyCode' | 'status' | 'version' | 'deadline' | 'foundOn' | 'department'
>;

/**
 * Reads a versioned row FOR UPDATE and checks, in this order: it exists, the caller may write its
 * place, and it is at the version the caller read. `select` names the row's columns.
 */
async function lockVersioned<T extends { countyCode: string; version: number }>(
  tx: Executor,
  what: 'problem' | 'listing',
  select: SQL,
  change: { id: number; expectedVersion: number },
  actor: Actor,
): Promise<T> {
  const [row] = await queryRows<T>(tx, select);
  if (!row) throw new SupervisionError('NOT_FOUND', 'id', `there is no ${what} ${change.id}`);
  actor.authorize(row.countyCode);
  if (row.version !== change.expectedVersion)
    throw conflict(what, change.id, change.expectedVersion, row.version);
  return row;
}

function lockProblem(tx: Executor, change: { id: number; expectedVersion: number }, actor: Actor) {
  return lockVersioned<ProblemState>(
    tx,
    'problem',
    sql`SELECT id, county_code AS "countyCode", status, version, deadline::text AS deadline,
          found_on::text AS "foundOn", department
        FROM supervision_problems WHERE id = ${change.id} FOR UPDATE`,
    change,
    actor,
  );
}

async function appendHistory(
  tx: Executor,
  problemId: number,
  actor: Actor,
  entry: { action: string; from?: string | null; to?: string | null; note?: string | null; changes?: object },
) {
  await tx.execute(sql`INSERT INTO supervision_problem_history (problem_id, changed_by, action, from_status, to_status, note, changes)
    VALUES (${problemId}, ${actor.username}, ${entry.action}, ${entry.from ?? null}, ${entry.to ?? null}, ${entry.note ?? null},
      ${entry.changes ? JSON.stringify(entry.changes) : null}::jsonb)`);
}

/** The place of a new problem: the county exists, the village lies in it, the listing is of that place. */
async function checkPlace(tx: Executor, p: NewProblem, field: string) {
  const [county] = await queryRows<{ code: string }>(
    tx,
    sql`SELECT code FROM regions WHERE code = ${p.countyCode} AND level = 'county'`,
  );
  if (!county)
    throw new SupervisionError('BAD_USER_INPUT', `${field}.countyCode`, `there is no county ${p.countyCode}`);
  if (p.villageCode) {
    const [village] = await queryRows<{ county: string }>(
      tx,
      sql`SELECT county_code AS county FROM villages WHERE code = ${p.villageCode}`,
    );
    if (!village)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}.villageCode`,
        `there is no village ${p.villageCode}`,
      );
    if (village.county !== p.countyCode)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}.villageCode`,
        `village ${p.villageCode} is in county ${village.county}, not ${p.countyCode}`,
      );
  }
  if (p.listingId != null) {
    const [listing] = await queryRows<{ county: string; village: string | null }>(
      tx,
      sql`SELECT county_code AS county, village_code AS village FROM supervision_listings WHERE id = ${p.listingId}`,
    );
    if (!listing)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}.listingId`,
        `there is no listing ${p.listingId}`,
      );
    if (listing.county !== p.countyCode || (listing.village && listing.village !== p.villageCode))
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}.listingId`,
        `listing ${p.listingId} is for ${listing.village ?? listing.county}, not this place`,
      );
  }
  if (p.deadline < p.foundOn)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      `${field}.deadline`,
      `${p.deadline} is before the found date ${p.foundOn}`,
    );
  if (p.foundOn > today())
    throw new SupervisionError('BAD_USER_INPUT', `${field}.foundOn`, `${p.foundOn} is in the future`);
}

async function insertProblem(tx: Executor, p: NewProblem, actor: Actor, field: string): Promise<number> {
  actor.authorize(p.countyCode);
  await checkPlace(tx, p, field);
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO supervision_problems (listing_id, inspection_id, county_code, village_code, category, department,
          description, found_on, deadline, status)
        VALUES (${p.listingId ?? null}, ${p.inspectionId ?? null}, ${p.countyCode}, ${p.villageCode ?? null}, ${p.category},
          ${p.department}, ${p.description}, ${p.foundOn}, ${p.deadline}, 'open')
        RETURNING id`,
  );
  await appendHistory(tx, row!.id, actor, { action: 'reported', to: 'open' });
  return row!.id;
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

/** 报告问题. Returns the problem id (the earlier one when the caller sent this key and request before). */
export async function reportProblem(tx: Executor, actor: Actor, p: NewProblem): Promise<number> {
  const key = p.idempotencyKey;
  if (key) {
    const hash = requestHash('reportProblem', {
      countyCode: p.countyCode,
      villageCode: p.villageCode ?? null,
      listingId: p.listingId ?? null,
      category: p.category,
      department: p.department,
      description: p.description,
      foundOn: p.foundOn,
      deadline: p.deadline,
    });
    const seen = await claimKey(tx, actor, key, 'reportProblem', hash);
    if (seen !== null) return seen;
  }
  const id = await insertProblem(tx, p, actor, 'input');
  if (key) await keepResult(tx, actor, key, id);
  await bumpDataVersion(tx);
  return id;
}

export interface NewInspection {
  listingId: number;
  kind: string;
  inspectedOn: string;
  inspectors: string;
  householdsChecked: number;
  villagesChecked: number;
  findings: string;
  problems: Omit<
    NewProblem,
    'countyCode' | 'villageCode' | 'listingId' | 'inspectionId' | 'foundOn' | 'idempotencyKey'
  >[];
  idempotencyKey?: string | null;
}

/** 回头看 / 交叉排查 / 抽查, with the problems it found (reported at the listed place). */
export async function recordInspection(tx: Executor, actor: Actor, i: NewInspection): Promise<number> {
  const key = i.idempotencyKey;
  if (key) {
    const hash = requestHash('recordInspection', {
      listingId: i.listingId,
      kind: i.kind,
      inspectedOn: i.inspectedOn,
      inspectors: i.inspectors,
      householdsChecked: i.householdsChecked,
      villagesChecked: i.villagesChecked,
      findings: i.findings,
      problems: i.problems.map((p) => ({
        category: p.category,
        department: p.department,
        description: p.description,
        deadline: p.deadline,
      })),
    });
    const seen = await claimKey(tx, actor, key, 'recordInspection', hash);
    if (seen !== null) return seen;
  }
  const [listing] = await queryRows<{ county: string; village: string | null; listedOn: string }>(
    tx,
    sql`SELECT county_code AS county, village_code AS village, listed_on::text AS "listedOn"
        FROM supervision_listings WHERE id = ${i.listingId}`,
  );
  if (!listing)
    throw new SupervisionError('NOT_FOUND', 'input.listingId', `there is no listing ${i.listingId}`);
  actor.authorize(listing.county);
  if (i.inspectedOn > today())
    throw new SupervisionError('BAD_USER_INPUT', 'input.inspectedOn', `${i.inspectedOn} is in the future`);
  if (i.inspectedOn < listing.listedOn)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'input.inspectedOn',
      `${i.inspectedOn} is before the place was listed (${listing.listedOn})`,
    );
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO supervision_inspections (listing_id, kind, inspected_on, inspectors, households_checked,
          villages_checked, findings, created_by)
        VALUES (${i.listingId}, ${i.kind}, ${i.inspectedOn}, ${i.inspectors}, ${i.householdsChecked}, ${i.villagesChecked},
          ${i.findings}, ${actor.username})
        RETURNING id`,
  );
  for (const [n, p] of i.problems.entries()) {
    await insertProblem(
      tx,
      {
        ...p,
        countyCode: listing.county,
        villageCode: listing.village,
        listingId: i.listingId,
        inspectionId: row!.id,
        foundOn: i.inspectedOn,
      },
      actor,
      `input.problems[${n}]`,
    );
  }
  if (key) await keepResult(tx, actor, key, row!.id);
  await bumpDataVersion(tx);
  return row!.id;
}

/** Moves a problem along the workflow; reopening or returning needs a reason. */
export async function changeProblemStatus(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; status: ProblemStatus; note?: string | null },
): Promise<void> {
  const problem = await lockProblem(tx, change, actor);
  const action = problemTransition(problem.status, change.status);
  if (!action) {
    const allowed = allowedNext(problem.status);
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'status',
      `a problem that is ${problem.status} cannot become ${change.status}; it can become ${allowed.join(' or ')}`,
      { from: problem.status, to: change.status, allowed },
    );
  }
  if (NEEDS_REASON.has(action) && !change.note?.trim())
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'note',
      `say why the problem is ${action} (the note is the reason)`,
    );
  await tx.execute(sql`UPDATE supervision_problems SET status = ${change.status}, version = version + 1,
      rectified_on = CASE WHEN ${change.status} = 'rectified' THEN current_date
                          WHEN ${change.status} IN ('open', 'in_progress') THEN NULL ELSE rectified_on END,
      closed_on = CASE WHEN ${change.status} = 'closed' THEN current_date ELSE NULL END
    WHERE id = ${change.id}`);
  await appendHistory(tx, change.id, actor, {
    action,
    from: problem.status,
    to: change.status,
    note: change.note,
  });
  await bumpDataVersion(tx);
}

/**
 * Changes one field of a problem that is not closed (closed problems are reopened first), and
 * records from → to in its history.
 */
async function editOpenProblem(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; note?: string | null },
  edit: { field: 'department' | 'deadline'; value: string; action: string },
  check: (problem: ProblemState) => void = () => {},
): Promise<void> {
  const problem = await lockProblem(tx, change, actor);
  if (problem.status === 'closed')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      `problem ${change.id} is closed (销号); reopen it first`,
    );
  check(problem);
  await tx.execute(
    sql`UPDATE supervision_problems SET ${sql.identifier(edit.field)} = ${edit.value}, version = version + 1 WHERE id = ${change.id}`,
  );
  await appendHistory(tx, change.id, actor, {
    action: edit.action,
    note: change.note,
    changes: { [edit.field]: { from: problem[edit.field], to: edit.value } },
  });
  await bumpDataVersion(tx);
}

/** 责任单位 changes hands. */
export function assignDepartment(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; department: string; note?: string | null },
): Promise<void> {
  return editOpenProblem(tx, actor, change, {
    field: 'department',
    value: change.department,
    action: 'reassigned',
  });
}

/** 整改时限 moves; never before the problem was found. */
export function setDeadline(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; deadline: string; note?: string | null },
): Promise<void> {
  return editOpenProblem(
    tx,
    actor,
    change,
    { field: 'deadline', value: change.deadline, action: 'deadline' },
    (problem) => {
      if (change.deadline < problem.foundOn)
        throw new SupervisionError(
          'BAD_USER_INPUT',
          'deadline',
          `${change.deadline} is before the found date ${problem.foundOn}`,
        );
    },
  );
}

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
    sql`UPDATE supervision_listings SET status = 'closed', closed_on = current_date, version = version + 1 WHERE id = ${change.id}`,
  );
  await bumpDataVersion(tx);
}
