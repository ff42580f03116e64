// A household's life under monitoring: its risk is removed (风险消除) when income is stable above
// the line and the verification is recorded; it is identified again (返贫风险再识别) if the risk
// returns. Each move is a new version, an entry in the household's history and one in the audit
// log, in one transaction. Supervisors move households of their region, admins any (the API checks).
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { todaySql } from '../queries/ledger.ts';
import { type AuditWho, appendAudit } from '../supervision/audit.ts';
import { conflict, SupervisionError } from '../supervision/errors.ts';
import type { HouseholdStatus } from '../tables/monitoring.ts';
import { refreshMonitoringFigures } from './figures.ts';

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

async function lockHousehold(tx: Executor, move: HouseholdMove, authorize: (countyCode: string) => void) {
  const [row] = await queryRows<Current>(
    tx,
    sql`SELECT county_code AS "countyCode", status, version,
          greatest(identified_on, removed_on, (SELECT max(on_date) FROM household_history WHERE household_id = h.id))::text AS "lastDate",
          ${todaySql}::text AS today
        FROM households h WHERE id = ${move.id} FOR UPDATE`,
  );
  // One answer for a household that does not exist and one outside the writer's region: a
  // refusal naming its county would let a supervisor map other regions' households by id.
  const notFound = () =>
    new SupervisionError('NOT_FOUND', 'id', `there is no household ${move.id} you may change`);
  if (!row) throw notFound();
  try {
    authorize(row.countyCode);
  } catch {
    throw notFound();
  }
  if (row.version !== move.expectedVersion)
    throw conflict('household', move.id, move.expectedVersion, row.version);
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
  const current = await lockHousehold(tx, move, authorize);
  if (current.status !== 'monitoring')
    throw new SupervisionError('INVALID_TRANSITION', null, `household ${move.id}'s risk is already removed`);
  await tx.execute(sql`UPDATE households SET status = 'risk_removed', removed_on = ${move.onDate}::date,
    removal_verification = ${current.note}, version = version + 1 WHERE id = ${move.id}`);
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
  const current = await lockHousehold(tx, move, authorize);
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
