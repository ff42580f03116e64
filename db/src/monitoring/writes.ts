// A household's life under monitoring: its risk is removed (风险消除) when income is stable above
// the line and the verification is recorded; it is identified again (返贫风险再识别) if the risk
// returns; assistance measures (帮扶措施) are recorded and ended. Each write is a new version, an
// entry in the household's history and one in the audit log, in one transaction. Supervisors write
// households of their region, admins any (the API checks).
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { todaySql } from '../queries/ledger.ts';
import { type AuditWho, appendAudit } from '../supervision/audit.ts';
import { conflict, SupervisionError } from '../supervision/errors.ts';
import {
  type HouseholdStatus,
  LOAN_STATE_LABELS,
  type LoanState,
  MEASURE_KIND_LABELS,
  type MeasureKind,
} from '../tables/monitoring.ts';
import { refreshMonitoringFigures } from './figures.ts';
import { type MeasureFields, measureProblems, refreshMeasureSummary } from './measures.ts';
import { assertHouseholdsLoaded } from './pending.ts';

export interface HouseholdMove {
  id: number;
  expectedVersion: number;
  /** The day it happened (ISO date): not before the last move, not after today. */
  onDate: string;
  /** 风险消除: how it was verified; re-identification: why. 1–300 characters. */
  note: string;
}

interface Current {
  countyCode: string;
  status: HouseholdStatus;
  version: number;
  lastDate: string;
  today: string;
}

/**
 * Locks a household for a write by `authorize`'s writer and checks the version they read. One
 * answer for a household that does not exist and one outside the writer's region: a refusal naming
 * its county would let a supervisor map other regions' households by id.
 */
async function lockHousehold(
  tx: Executor,
  id: number,
  expectedVersion: number,
  authorize: (countyCode: string) => void,
): Promise<Current> {
  await assertHouseholdsLoaded(tx);
  const [row] = await queryRows<Current>(
    tx,
    sql`SELECT county_code AS "countyCode", status, version,
          greatest(identified_on, removed_on, reidentified_on, (SELECT max(on_date) FROM household_history
            WHERE household_id = h.id AND action IN ('identified', 'risk_removed', 'reidentified')))::text AS "lastDate",
          ${todaySql}::text AS today
        FROM households h WHERE id = ${id} FOR UPDATE`,
  );
  const notFound = () =>
    new SupervisionError('NOT_FOUND', 'id', `there is no household ${id} you may change`);
  if (!row) throw notFound();
  try {
    authorize(row.countyCode);
  } catch {
    throw notFound();
  }
  if (row.version !== expectedVersion) throw conflict('household', id, expectedVersion, row.version);
  return row;
}

/** A move's household, locked, with its day (from the last move to today) and note checked. */
async function lockForMove(tx: Executor, move: HouseholdMove, authorize: (countyCode: string) => void) {
  const row = await lockHousehold(tx, move.id, move.expectedVersion, authorize);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(move.onDate) || Number.isNaN(Date.parse(move.onDate)))
    throw new SupervisionError('BAD_USER_INPUT', 'onDate', `"${move.onDate}" is not a date (YYYY-MM-DD)`);
  if (move.onDate < row.lastDate || move.onDate > row.today)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'onDate',
      `must be from ${row.lastDate} (the household's last move) to ${row.today} (today), got ${move.onDate}`,
    );
  const note = move.note.trim();
  if (!note || note.length > 300)
    throw new SupervisionError('BAD_USER_INPUT', 'note', 'must be 1–300 characters');
  return { ...row, note };
}

async function record(
  tx: Executor,
  who: AuditWho & { username: string },
  move: HouseholdMove,
  current: Current & { note: string },
  to: HouseholdStatus,
  action: 'risk_removed' | 'reidentified',
) {
  await tx.execute(sql`INSERT INTO household_history (household_id, on_date, recorded_by, action, from_status, to_status, note)
    VALUES (${move.id}, ${move.onDate}::date, ${who.username}, ${action}, ${current.status}, ${to}, ${current.note})`);
  await appendAudit(tx, who, {
    action: action === 'risk_removed' ? 'household.risk_removed' : 'household.reidentified',
    targetKind: 'household',
    targetId: move.id,
    regionCode: current.countyCode,
    changes: { status: { from: current.status, to } },
    note: current.note,
  });
  await refreshMonitoringFigures(tx, current.countyCode);
  await bumpDataVersion(tx);
}

/** 风险消除: a monitored household leaves the list, with how the removal was verified. */
export async function removeHouseholdRisk(
  tx: Executor,
  move: HouseholdMove,
  who: AuditWho & { username: string },
  authorize: (countyCode: string) => void,
): Promise<void> {
  const current = await lockForMove(tx, move, authorize);
  if (current.status !== 'monitoring')
    throw new SupervisionError('INVALID_TRANSITION', null, `household ${move.id}'s risk is already removed`);
  // A new removal is the last one: a re-identification before it is in the history only.
  await tx.execute(sql`UPDATE households SET status = 'risk_removed', removed_on = ${move.onDate}::date,
    removal_verification = ${current.note}, reidentified_on = NULL, version = version + 1 WHERE id = ${move.id}`);
  await record(tx, who, move, current, 'risk_removed', 'risk_removed');
}

/**
 * The risk returns: a household whose risk was removed is monitored again (its first identification
 * and its last removal stay; `reidentified_on` says when).
 */
export async function reidentifyHousehold(
  tx: Executor,
  move: HouseholdMove,
  who: AuditWho & { username: string },
  authorize: (countyCode: string) => void,
): Promise<void> {
  const current = await lockForMove(tx, move, authorize);
  if (current.status !== 'risk_removed')
    throw new SupervisionError(
      'INVALID_TRANSITION',
      null,
      `household ${move.id} is already under monitoring`,
    );
  // The last removal stays on the row beside the re-identification: the years the household spent
  // removed keep counting as such (rules.ts removedAt).
  await tx.execute(sql`UPDATE households SET status = 'monitoring', reidentified_on = ${move.onDate}::date,
    version = version + 1 WHERE id = ${move.id}`);
  await record(tx, who, move, current, 'monitoring', 'reidentified');
}

/** A measure to add: to which household, at which version, and the measure itself. */
export interface MeasureAddition {
  householdId: number;
  expectedVersion: number;
  measure: MeasureFields;
}

/**
 * 帮扶措施: a measure recorded for a household (its kind, start, amount …; the rules of
 * measures.ts). One per household, kind and start day. The household's measure summary follows, so
 * its early warning does on the next request; a new version, a history entry and an audit entry.
 */
export async function addHouseholdMeasure(
  tx: Executor,
  addition: MeasureAddition,
  who: AuditWho & { username: string },
  authorize: (countyCode: string) => void,
): Promise<number> {
  const current = await lockHousehold(tx, addition.householdId, addition.expectedVersion, authorize);
  const m = addition.measure;
  const [problem] = measureProblems(m, current.today);
  // Named as the API names the field (startedOn), as the moves' errors are.
  if (problem)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      problem.field.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
      problem.en,
    );
  const [added] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO household_measures (household_id, kind, description, started_on, ended_on, amount_yuan,
        loan_term_months, loan_state, responsible_unit)
      VALUES (${addition.householdId}, ${m.kind}, ${m.description}, ${m.started_on}::date, ${m.ended_on}::date,
        ${m.amount_yuan}, ${m.loan_term_months}, ${m.loan_state}, ${m.responsible_unit})
      ON CONFLICT (household_id, kind, started_on) DO NOTHING RETURNING id`,
  );
  if (!added)
    throw new SupervisionError(
      'CONFLICT',
      'startedOn',
      `household ${addition.householdId} already has a ${m.kind} measure starting on ${m.started_on}`,
    );
  await recordMeasure(tx, who, addition.householdId, current, {
    action: 'measure_added',
    onDate: m.started_on,
    note: `${MEASURE_KIND_LABELS[m.kind]}: ${m.description}`,
    changes: { measure: { from: null, to: { id: Number(added.id), ...m } } },
  });
  return Number(added.id);
}

/** A measure's end (and, for a small loan, its state then): the summary and early warning follow. */
export interface MeasureEnd {
  measureId: number;
  /** The household's version read. */
  expectedVersion: number;
  endedOn: string;
  loanState: LoanState | null;
}

/** Ends a running measure on a day from its start to today; a small loan says how it stands. */
export async function endHouseholdMeasure(
  tx: Executor,
  end: MeasureEnd,
  who: AuditWho & { username: string },
  authorize: (countyCode: string) => void,
): Promise<number> {
  await assertHouseholdsLoaded(tx);
  const [measure] = await queryRows<{
    householdId: number;
    kind: MeasureKind;
    startedOn: string;
    endedOn: string | null;
    loanState: LoanState | null;
  }>(
    tx,
    sql`SELECT household_id AS "householdId", kind, started_on::text AS "startedOn", ended_on::text AS "endedOn",
        loan_state AS "loanState" FROM household_measures WHERE id = ${end.measureId}`,
  );
  // A measure of another region's household answers as none, like the household would.
  const notFound = () =>
    new SupervisionError('NOT_FOUND', 'measureId', `there is no measure ${end.measureId} you may change`);
  if (!measure) throw notFound();
  let current: Current;
  try {
    current = await lockHousehold(tx, measure.householdId, end.expectedVersion, authorize);
  } catch (error) {
    throw error instanceof SupervisionError && error.code === 'NOT_FOUND' ? notFound() : error;
  }
  if (measure.endedOn != null)
    throw new SupervisionError(
      'INVALID_TRANSITION',
      null,
      `measure ${end.measureId} ended on ${measure.endedOn}`,
    );
  if (end.endedOn < measure.startedOn || end.endedOn > current.today)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'endedOn',
      `must be from ${measure.startedOn} (the measure's start) to ${current.today} (today), got ${end.endedOn}`,
    );
  const loan = measure.kind === 'small_loan';
  if (loan !== (end.loanState != null) || end.loanState === 'current')
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'loanState',
      loan ? 'a small loan ends REPAID or OVERDUE: give which' : 'only a small loan has a state',
    );
  await tx.execute(sql`UPDATE household_measures SET ended_on = ${end.endedOn}::date,
      loan_state = coalesce(${end.loanState}, loan_state), version = version + 1 WHERE id = ${end.measureId}`);
  await recordMeasure(tx, who, measure.householdId, current, {
    action: 'measure_ended',
    onDate: end.endedOn,
    note: `${MEASURE_KIND_LABELS[measure.kind]} #${end.measureId}${end.loanState ? `: ${LOAN_STATE_LABELS[end.loanState]}` : ''}`,
    changes: {
      endedOn: { from: null, to: end.endedOn },
      ...(end.loanState ? { loanState: { from: measure.loanState, to: end.loanState } } : {}),
    },
  });
  return measure.householdId;
}

/** What a measure write leaves: the summary, a new version, a history entry, an audit entry. */
async function recordMeasure(
  tx: Executor,
  who: AuditWho & { username: string },
  householdId: number,
  current: Current,
  entry: {
    action: 'measure_added' | 'measure_ended';
    onDate: string;
    note: string;
    changes: Record<string, unknown>;
  },
) {
  await refreshMeasureSummary(tx, [householdId]);
  await tx.execute(sql`UPDATE households SET version = version + 1 WHERE id = ${householdId}`);
  // Its county's counts of households without a measure, early warnings and loans.
  await refreshMonitoringFigures(tx, current.countyCode);
  await tx.execute(sql`INSERT INTO household_history (household_id, on_date, recorded_by, action, from_status, to_status, note)
    VALUES (${householdId}, ${entry.onDate}::date, ${who.username}, ${entry.action}, ${current.status}, ${current.status}, ${entry.note})`);
  await appendAudit(tx, who, {
    action: `household.${entry.action}`,
    targetKind: 'household',
    targetId: householdId,
    regionCode: current.countyCode,
    changes: entry.changes as never,
    note: entry.note,
  });
  // The statistics and the early warning read the summary: the next request sees the measure.
  await bumpDataVersion(tx);
}
