// The summary of a household's assistance measures kept on its row (migration 0016): when its first
// measure started, the day its last one runs to ('infinity' while one is open-ended), and its small
// loans not repaid and overdue. The statistics and the early warning read it instead of joining
// every household's measures. Whatever adds, ends or changes a measure refreshes it in the same
// transaction; a test checks it against the measures themselves.
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';

/** The summary as SQL over one household's measures, for `refreshMeasureSummary` and the test. */
export const MEASURE_SUMMARY_SQL = sql`SELECT m.household_id,
    min(m.started_on) AS first_measure_on,
    max(coalesce(m.ended_on, 'infinity'::date)) AS measures_until,
    coalesce(sum(m.amount_yuan) FILTER (WHERE m.kind = 'small_loan' AND m.loan_state <> 'repaid'), 0) AS loan_balance_yuan,
    coalesce(sum(m.amount_yuan) FILTER (WHERE m.kind = 'small_loan' AND m.loan_state = 'overdue'), 0) AS loan_overdue_yuan
  FROM household_measures m`;

/** Recomputes the summary of some households from their measures. */
export async function refreshMeasureSummary(tx: Executor, householdIds: readonly number[]): Promise<void> {
  if (!householdIds.length) return;
  await refreshMeasureSummaryOf(
    tx,
    sql`VALUES ${sql.join(
      householdIds.map((id) => sql`(${id}::int)`),
      sql`, `,
    )}`,
  );
}

/**
 * Recomputes the summary of the households a query names (one column of ids), e.g. those an
 * import of measures touched: a set in SQL, which may hold a million ids.
 */
export async function refreshMeasureSummaryOf(tx: Executor, householdIds: SQL): Promise<void> {
  await tx.execute(sql`WITH touched AS MATERIALIZED (SELECT DISTINCT t.id FROM (${householdIds}) AS t(id))
    UPDATE households h SET first_measure_on = s.first_measure_on, measures_until = s.measures_until,
      loan_balance_yuan = coalesce(s.loan_balance_yuan, 0), loan_overdue_yuan = coalesce(s.loan_overdue_yuan, 0)
    FROM touched k LEFT JOIN (${MEASURE_SUMMARY_SQL} WHERE m.household_id IN (SELECT id FROM touched)
      GROUP BY m.household_id) s ON s.household_id = k.id
    WHERE h.id = k.id`);
}
