// Problem writes: 报告问题 (alone or found by an inspection), status moves along the workflow (the
// department's sign-off and rectification, the supervisor's verification), and edits of an open
// problem (责任单位, 整改时限, 来源, 整改措施, 责任人). Every change is appended to the problem's
// history with each field's from → to.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { todaySql } from '../queries/ledger.ts';
import type { ProblemSource, problems } from '../tables/supervision.ts';
import { type AuditChanges, appendAudit } from './audit.ts';
import { SupervisionError } from './errors.ts';
import { attachEvidence, type EvidenceItem } from './evidence.ts';
import {
  allowedNext,
  MOVES_BY_ROLE,
  type MoveRole,
  NEEDS_REASON,
  type ProblemMove,
  type ProblemStatus,
  problemTransition,
  samePerson,
} from './workflow.ts';
import { type Actor, auditWho, createOnce, lockVersioned, today } from './writes.ts';

export interface NewProblem {
  countyCode: string;
  villageCode?: string | null;
  listingId?: number | null;
  inspectionId?: number | null;
  category: string;
  /** 责任单位 as free text; with `departmentId`, the registered department's name instead. */
  department?: string | null;
  departmentId?: number | null;
  source?: ProblemSource | null;
  measures?: string | null;
  responsiblePerson?: string | null;
  description: string;
  foundOn: string;
  deadline: string;
  idempotencyKey?: string | null;
}

/** What a problem write checks and moves from. */
type ProblemState = Pick<
  typeof problems.$inferSelect,
  | 'id'
  | 'countyCode'
  | 'status'
  | 'version'
  | 'deadline'
  | 'foundOn'
  | 'department'
  | 'departmentId'
  | 'source'
  | 'measures'
  | 'responsiblePerson'
>;

/** The fields an edit may change, with their columns. */
const EDITABLE = {
  department: 'department',
  departmentId: 'department_id',
  deadline: 'deadline',
  source: 'source',
  measures: 'measures',
  responsiblePerson: 'responsible_person',
} as const;
type EditableField = keyof typeof EDITABLE;

function lockProblem(tx: Executor, change: { id: number; expectedVersion: number }, actor: Actor) {
  return lockVersioned<ProblemState>(
    tx,
    'problem',
    sql`SELECT id, county_code AS "countyCode", status, version, deadline::text AS deadline,
          found_on::text AS "foundOn", department, department_id AS "departmentId", source, measures,
          responsible_person AS "responsiblePerson"
        FROM supervision_problems WHERE id = ${change.id} FOR UPDATE`,
    change,
    actor,
  );
}

/**
 * The department a problem names, as stored: a registered one by id (of the problem's county), or
 * a name as text — linked to the county's registry when it holds that name, as an import links it.
 * `field` prefixes the argument a refusal names (null: the arguments are top level).
 */
async function resolveDepartment(
  tx: Executor,
  countyCode: string,
  given: { department?: string | null; departmentId?: number | null },
  field: string | null,
): Promise<{ department: string; departmentId: number | null }> {
  const argument = (name: string) => (field ? `${field}.${name}` : name);
  if (given.departmentId != null) {
    const registered = await departmentOf(tx, given.departmentId, countyCode, argument('departmentId'));
    return { department: registered.name, departmentId: given.departmentId };
  }
  if (!given.department)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      argument('department'),
      'name the responsible department (departmentId, or department as text)',
    );
  const [registered] = await queryRows<{ id: number }>(
    tx,
    sql`SELECT id FROM departments WHERE county_code = ${countyCode} AND name = ${given.department}`,
  );
  return { department: given.department, departmentId: registered?.id ?? null };
}

/** A registered department of the county, or a refusal naming the field. */
async function departmentOf(tx: Executor, departmentId: number, countyCode: string, field: string) {
  const [department] = await queryRows<{ name: string; countyCode: string }>(
    tx,
    sql`SELECT name, county_code AS "countyCode" FROM departments WHERE id = ${departmentId}`,
  );
  if (!department)
    throw new SupervisionError('BAD_USER_INPUT', field, `there is no department ${departmentId}`);
  if (department.countyCode !== countyCode)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      field,
      `department ${departmentId} (${department.name}) is in county ${department.countyCode}, not ${countyCode}`,
    );
  return department;
}

/** Appends to the problem's history and, with the same change, to the audit log. */
async function appendHistory(
  tx: Executor,
  problem: { id: number; countyCode: string },
  actor: Actor,
  entry: {
    action: ProblemHistoryAction;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    changes?: HistoryChanges;
  },
) {
  await tx.execute(sql`INSERT INTO supervision_problem_history (problem_id, changed_by, action, from_status, to_status, note, changes)
    VALUES (${problem.id}, ${actor.username}, ${entry.action}, ${entry.from ?? null}, ${entry.to ?? null}, ${entry.note ?? null},
      ${entry.changes ? JSON.stringify(entry.changes) : null}::jsonb)`);
  const changes: AuditChanges = { ...entry.changes };
  if (entry.from !== undefined || entry.to !== undefined)
    changes.status = { from: entry.from ?? null, to: entry.to ?? null };
  await appendAudit(tx, auditWho(actor), {
    action: `problem.${entry.action}`,
    targetKind: 'problem',
    targetId: problem.id,
    regionCode: problem.countyCode,
    changes,
    note: entry.note,
  });
}

/** The history actions of the ledger's own writes (imports write 'imported'). */
type ProblemHistoryAction = ProblemMove | 'reported' | 'reassigned' | 'deadline' | 'edited' | 'evidence';

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
  const { department, departmentId } = await resolveDepartment(tx, p.countyCode, p, field);
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO supervision_problems (listing_id, inspection_id, county_code, village_code, category, department,
          department_id, source, measures, responsible_person, description, found_on, deadline, status)
        VALUES (${p.listingId ?? null}, ${p.inspectionId ?? null}, ${p.countyCode}, ${p.villageCode ?? null}, ${p.category},
          ${department}, ${departmentId}, ${p.source ?? null}, ${p.measures ?? null},
          ${p.responsiblePerson ?? null}, ${p.description}, ${p.foundOn}, ${p.deadline}, 'open')
        RETURNING id`,
  );
  await appendHistory(tx, { id: row!.id, countyCode: p.countyCode }, actor, {
    action: 'reported',
    to: 'open',
  });
  return row!.id;
}

/** 报告问题. Returns the problem id (the earlier one when the caller sent this key and request before). */
export function reportProblem(tx: Executor, actor: Actor, p: NewProblem): Promise<number> {
  const request = {
    countyCode: p.countyCode,
    villageCode: p.villageCode ?? null,
    listingId: p.listingId ?? null,
    category: p.category,
    department: p.department ?? null,
    departmentId: p.departmentId ?? null,
    source: p.source ?? null,
    measures: p.measures ?? null,
    responsiblePerson: p.responsiblePerson ?? null,
    description: p.description,
    foundOn: p.foundOn,
    deadline: p.deadline,
  };
  return createOnce(tx, actor, { key: p.idempotencyKey, operation: 'reportProblem', request }, () =>
    insertProblem(tx, p, actor, 'input'),
  );
}

/** The role class a move is checked against (workflow.ts MOVES_BY_ROLE). */
const roleOf = (actor: Actor): MoveRole => (actor.departmentId != null ? 'department' : 'supervisor');

/**
 * Who last marked each problem rectified, in the ledger or by an import (the verifier must be
 * someone else). An import that edits a rectified problem without moving it is not a rectification.
 */
export async function lastRectifiers(
  tx: Executor,
  problemIds: readonly number[],
): Promise<Map<number, string>> {
  if (!problemIds.length) return new Map();
  const rows = await queryRows<{ problemId: number; changedBy: string }>(
    tx,
    sql`SELECT DISTINCT ON (problem_id) problem_id AS "problemId", changed_by AS "changedBy"
        FROM supervision_problem_history
        WHERE problem_id IN ${sqlList(problemIds)} AND to_status = 'rectified'
          AND action IN ('rectified', 'imported') AND from_status IS DISTINCT FROM 'rectified'
        ORDER BY problem_id, changed_at DESC, id DESC`,
  );
  return new Map(rows.map((r) => [Number(r.problemId), r.changedBy]));
}

/**
 * Moves a problem along the workflow, with any field edits that go with the move (a rectification
 * is submitted with its measures): checks the move is legal, the caller's role makes it, a reason
 * is given where one is needed, measures are recorded before "rectified", and the verifier is not
 * who rectified. One UPDATE, one history entry with the fields' from → to.
 */
export async function changeProblemStatus(
  tx: Executor,
  actor: Actor,
  change: {
    id: number;
    expectedVersion: number;
    status: ProblemStatus;
    note?: string | null;
    edits?: Partial<Record<'measures' | 'responsiblePerson', string | null>>;
    /** A verification (验收): only of a rectified problem, never a way to start or reopen one. */
    verification?: boolean;
    /** 佐证材料: the caller's uploads, attached with the move (a rectification's evidence). */
    evidence?: readonly EvidenceItem[];
  },
): Promise<void> {
  const problem = await lockProblem(tx, change, actor);
  const role = roleOf(actor);
  if (change.verification && problem.status !== 'rectified')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      `problem ${change.id} is ${problem.status}; only a rectified problem is verified`,
      { from: problem.status, to: change.status, allowed: allowedNext(problem.status, role) },
    );
  const action = problemTransition(problem.status, change.status);
  if (!action) {
    const allowed = allowedNext(problem.status, role);
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'status',
      `a problem that is ${problem.status} cannot become ${change.status}; ${allowed.length ? `it can become ${allowed.join(' or ')}` : 'you cannot move it now'}`,
      { from: problem.status, to: change.status, allowed },
    );
  }
  if (!MOVES_BY_ROLE[role].has(action))
    throw new SupervisionError(
      'FORBIDDEN',
      'status',
      role === 'department'
        ? `a department cannot make a problem ${change.status} (${action}): verifying, returning, closing and reopening are the supervisor's`
        : `signing for a problem (签收) is its department's own act; a supervisor moves it to in_progress instead`,
      { from: problem.status, to: change.status, allowed: allowedNext(problem.status, role) },
    );
  if (NEEDS_REASON.has(action) && !change.note?.trim())
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'note',
      `say why the problem is ${action} (the note is the reason)`,
    );
  const edits = changedFields(problem, change.edits ?? {});
  if (change.status === 'rectified' && !(edits.measures?.to ?? problem.measures))
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'measures',
      'record the rectification measures (整改措施) before marking the problem rectified',
    );
  const verified = action === 'closed' || action === 'returned';
  if (
    verified &&
    samePerson((await lastRectifiers(tx, [problem.id])).get(problem.id) ?? null, actor.username)
  )
    throw new SupervisionError(
      'FORBIDDEN',
      'status',
      `you marked problem ${problem.id} rectified; someone else verifies it (closes it, 销号, or sends it back)`,
    );
  await tx.execute(sql`UPDATE supervision_problems SET status = ${change.status}, version = version + 1,
      ${setEdits(edits)}
      rectified_on = CASE WHEN ${change.status} = 'rectified' THEN ${todaySql}
                          WHEN ${change.status} IN ('open', 'signed', 'in_progress') THEN NULL ELSE rectified_on END,
      closed_on = CASE WHEN ${change.status} = 'closed' THEN ${todaySql} ELSE NULL END,
      signed_by = CASE WHEN ${action} = 'signed' THEN ${actor.username}
                       WHEN ${change.status} = 'open' THEN NULL ELSE signed_by END,
      signed_at = CASE WHEN ${action} = 'signed' THEN now() WHEN ${change.status} = 'open' THEN NULL ELSE signed_at END,
      verified_by = CASE WHEN ${verified} THEN ${actor.username} ELSE verified_by END,
      verified_at = CASE WHEN ${verified} THEN now() ELSE verified_at END,
      verification_result = CASE WHEN ${verified} THEN ${action === 'closed' ? 'passed' : 'failed'} ELSE verification_result END,
      verification_note = CASE WHEN ${verified} THEN ${change.note ?? null} ELSE verification_note END
    WHERE id = ${change.id}`);
  const attached = await attachEvidence(tx, problem.id, actor, change.evidence ?? [], 'evidence');
  const changes: HistoryChanges = { ...edits, ...evidenceChange(attached) };
  await appendHistory(tx, problem, actor, {
    action,
    from: problem.status,
    to: change.status,
    note: change.note,
    changes: Object.keys(changes).length ? changes : undefined,
  });
  await bumpDataVersion(tx);
}

type FieldChanges = Partial<Record<EditableField, { from: unknown; to: unknown }>>;
/** What a history entry records: edited fields, and the names of files attached. */
type HistoryChanges = FieldChanges & { evidence?: { from: null; to: string } };

/** Files attached, as a history change (none: nothing). */
const evidenceChange = (names: string[]): HistoryChanges =>
  names.length ? { evidence: { from: null, to: names.join(', ') } } : {};

/** Locks a problem that is not closed: a closed one (销号) is reopened before anything changes it. */
async function lockOpenProblem(tx: Executor, change: { id: number; expectedVersion: number }, actor: Actor) {
  const problem = await lockProblem(tx, change, actor);
  if (problem.status === 'closed')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      'id',
      `problem ${change.id} is closed (销号); reopen it first`,
    );
  return problem;
}

/**
 * 佐证材料 on their own: the caller's uploads attached to a problem that is not closed (its
 * department's users, supervisors in scope, admins), in the history and the audit log.
 */
export async function addProblemEvidence(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; note?: string | null; evidence: readonly EvidenceItem[] },
): Promise<void> {
  const problem = await lockOpenProblem(tx, change, actor);
  if (!change.evidence.length)
    throw new SupervisionError('BAD_USER_INPUT', 'evidence', 'attach at least one file');
  const names = await attachEvidence(tx, problem.id, actor, change.evidence, 'evidence');
  await tx.execute(sql`UPDATE supervision_problems SET version = version + 1 WHERE id = ${problem.id}`);
  await appendHistory(tx, problem, actor, {
    action: 'evidence',
    note: change.note,
    changes: evidenceChange(names),
  });
  await bumpDataVersion(tx);
}

/** The edits that change something, each as from → to. */
function changedFields(problem: ProblemState, edits: Partial<Record<EditableField, unknown>>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, value] of Object.entries(edits) as [EditableField, unknown][])
    if (value !== undefined && value !== problem[field]) changes[field] = { from: problem[field], to: value };
  return changes;
}

/** `column = value, ` for each change (the UPDATE goes on after it). */
function setEdits(changes: FieldChanges) {
  return sql.join(
    (Object.entries(changes) as [EditableField, { to: unknown }][]).map(
      ([field, { to }]) => sql`${sql.identifier(EDITABLE[field])} = ${to}, `,
    ),
  );
}

/**
 * Changes fields of a problem that is not closed (closed problems are reopened first), and records
 * each from → to in its history. A department edits its measures and responsible person only.
 * `values` gives the new values from the locked problem (and may refuse them).
 */
async function editOpenProblem(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; note?: string | null },
  action: 'reassigned' | 'deadline' | 'edited',
  values: (problem: ProblemState) => Promise<Partial<Record<EditableField, unknown>>>,
): Promise<void> {
  const problem = await lockOpenProblem(tx, change, actor);
  const edits = await values(problem);
  if (roleOf(actor) === 'department') {
    const other = Object.keys(edits).find((f) => f !== 'measures' && f !== 'responsiblePerson');
    if (other)
      throw new SupervisionError(
        'FORBIDDEN',
        other,
        `a department edits its measures and responsible person only, not ${other}`,
      );
  }
  const changes = changedFields(problem, edits);
  if (!Object.keys(changes).length)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      null,
      `nothing to change: problem ${change.id} already has these values`,
    );
  // A sign-off was the old department's: a signed problem handed to another goes back to open.
  const handedOver =
    problem.status === 'signed' && (changes.departmentId || changes.department) ? 'open' : null;
  await tx.execute(
    sql`UPDATE supervision_problems SET ${setEdits(changes)} version = version + 1
        ${handedOver ? sql`, status = 'open', signed_by = NULL, signed_at = NULL` : sql``}
        WHERE id = ${change.id}`,
  );
  await appendHistory(tx, problem, actor, {
    action,
    note: change.note,
    changes,
    ...(handedOver ? { from: problem.status, to: handedOver } : {}),
  });
  await bumpDataVersion(tx);
}

/**
 * 责任单位 changes hands: to a registered department of the problem's county, or (for a county
 * without a registry) to one named in free text. A signed problem goes back to open for the new
 * department to sign.
 */
export function assignDepartment(
  tx: Executor,
  actor: Actor,
  change: {
    id: number;
    expectedVersion: number;
    department?: string | null;
    departmentId?: number | null;
    note?: string | null;
  },
): Promise<void> {
  return editOpenProblem(tx, actor, change, 'reassigned', (problem) =>
    resolveDepartment(tx, problem.countyCode, change, null),
  );
}

/** 整改时限 moves; never before the problem was found. */
export function setDeadline(
  tx: Executor,
  actor: Actor,
  change: { id: number; expectedVersion: number; deadline: string; note?: string | null },
): Promise<void> {
  return editOpenProblem(tx, actor, change, 'deadline', async (problem) => {
    if (change.deadline < problem.foundOn)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        'deadline',
        `${change.deadline} is before the found date ${problem.foundOn}`,
      );
    return { deadline: change.deadline };
  });
}

/** 问题来源, 整改措施, 责任人: the problem's own record, edited while it is not closed. */
export function updateProblemDetails(
  tx: Executor,
  actor: Actor,
  change: {
    id: number;
    expectedVersion: number;
    note?: string | null;
    source?: ProblemSource | null;
    measures?: string | null;
    responsiblePerson?: string | null;
  },
): Promise<void> {
  const values: Partial<Record<EditableField, unknown>> = {};
  for (const field of ['source', 'measures', 'responsiblePerson'] as const)
    if (change[field] !== undefined) values[field] = change[field];
  if (!Object.keys(values).length)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      null,
      'give at least one of source, measures, responsiblePerson',
    );
  return editOpenProblem(tx, actor, change, 'edited', async () => values);
}
