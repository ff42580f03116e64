// Problem writes: 报告问题 (alone or found by an inspection), status moves along the workflow, and
// edits of an open problem (责任单位, 整改时限). Every change is appended to the problem's history.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { todaySql } from '../queries/ledger.ts';
import type { problems } from '../tables/supervision.ts';
import { SupervisionError } from './errors.ts';
import { allowedNext, NEEDS_REASON, type ProblemStatus, problemTransition } from './workflow.ts';
import { type Actor, createOnce, lockVersioned, today } from './writes.ts';

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

export async function insertProblem(
  tx: Executor,
  p: NewProblem,
  actor: Actor,
  field: string,
): Promise<number> {
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

/** 报告问题. Returns the problem id (the earlier one when the caller sent this key and request before). */
export function reportProblem(tx: Executor, actor: Actor, p: NewProblem): Promise<number> {
  const request = {
    countyCode: p.countyCode,
    villageCode: p.villageCode ?? null,
    listingId: p.listingId ?? null,
    category: p.category,
    department: p.department,
    description: p.description,
    foundOn: p.foundOn,
    deadline: p.deadline,
  };
  return createOnce(tx, actor, { key: p.idempotencyKey, operation: 'reportProblem', request }, () =>
    insertProblem(tx, p, actor, 'input'),
  );
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
      rectified_on = CASE WHEN ${change.status} = 'rectified' THEN ${todaySql}
                          WHEN ${change.status} IN ('open', 'in_progress') THEN NULL ELSE rectified_on END,
      closed_on = CASE WHEN ${change.status} = 'closed' THEN ${todaySql} ELSE NULL END
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
