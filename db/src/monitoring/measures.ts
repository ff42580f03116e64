// The summary of a household's assistance measures kept on its row (migration 0016): when its first
// measure started, the day its last one runs to ('infinity' while one is open-ended), and its small
// loans not repaid and overdue. The statistics and the early warning read it instead of joining
// every household's measures. Whatever adds, ends or changes a measure refreshes it in the same
// transaction; a test checks it against the measures themselves.
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';
import { FIRST_YEAR } from '../facts.ts';
import type { LoanState, MeasureKind } from '../tables/monitoring.ts';

/** A measure as its writers give it (the API, the import), keyed like the table's columns. */
export interface MeasureFields {
  kind: MeasureKind;
  description: string;
  started_on: string;
  ended_on: string | null;
  amount_yuan: number | null;
  loan_term_months: number | null;
  loan_state: LoanState | null;
  responsible_unit: string | null;
}

/** The first day a measure may start: 精准扶贫 and its small loans began in 2014. */
export const MEASURES_FROM = `${FIRST_YEAR}-01-01`;

/** A small loan's term, in months, as the table allows. */
export const LOAN_TERM_MONTHS = { min: 1, max: 120 } as const;

/** One broken rule of a measure: the field, and why, in Chinese and English. */
export interface MeasureProblem {
  field: keyof MeasureFields;
  zh: string;
  en: string;
}

/**
 * The rules a measure keeps whoever writes it (the table's CHECKs say the same): it starts by
 * `today` and ends no earlier; a small loan, and only a small loan, has a term (1–120 months) and a
 * state, and a small loan has its amount.
 */
export function measureProblems(m: MeasureFields, today: string): MeasureProblem[] {
  const problems: MeasureProblem[] = [];
  const problem = (field: keyof MeasureFields, zh: string, en: string) => problems.push({ field, zh, en });
  if (m.started_on > today)
    problem('started_on', `开始日期 ${m.started_on} 晚于今天`, `started on ${m.started_on} is in the future`);
  if (m.started_on < MEASURES_FROM)
    problem(
      'started_on',
      `开始日期 ${m.started_on} 早于 ${MEASURES_FROM}（精准扶贫起始）`,
      `started on ${m.started_on} is before ${MEASURES_FROM} (when targeted assistance began)`,
    );
  if (m.ended_on != null && m.ended_on < m.started_on)
    problem(
      'ended_on',
      `结束日期 ${m.ended_on} 早于开始日期 ${m.started_on}`,
      `ended on ${m.ended_on} is before started on ${m.started_on}`,
    );
  // The day it did end: a measure still running has none (a loan's planned end is its term).
  if (m.ended_on != null && m.ended_on > today)
    problem(
      'ended_on',
      `结束日期 ${m.ended_on} 晚于今天（仍在实施的不填）`,
      `ended on ${m.ended_on} is in the future (leave it empty while the measure runs)`,
    );
  const loan = m.kind === 'small_loan';
  for (const field of ['loan_term_months', 'loan_state'] as const) {
    if (loan && m[field] == null)
      problem(field, '小额信贷须填写贷款期限和还款状态', 'a small loan needs its term and state');
    if (!loan && m[field] != null)
      problem(field, '只有小额信贷填写贷款期限和还款状态', 'only a small loan has a term and a state');
  }
  if (loan && m.amount_yuan == null)
    problem('amount_yuan', '小额信贷须填写金额', 'a small loan needs its amount');
  if (
    m.amount_yuan != null &&
    !(Number.isInteger(m.amount_yuan) && m.amount_yuan >= 0 && m.amount_yuan <= 2_147_483_647)
  )
    problem(
      'amount_yuan',
      `金额应为非负整数：${m.amount_yuan}`,
      `the amount must be a whole number ≥ 0: ${m.amount_yuan}`,
    );
  const term = m.loan_term_months;
  if (
    term != null &&
    !(Number.isInteger(term) && term >= LOAN_TERM_MONTHS.min && term <= LOAN_TERM_MONTHS.max)
  )
    problem(
      'loan_term_months',
      `贷款期限应在 ${LOAN_TERM_MONTHS.min}–${LOAN_TERM_MONTHS.max} 个月之间：${term}`,
      `the loan term must lie within ${LOAN_TERM_MONTHS.min}–${LOAN_TERM_MONTHS.max} months: ${term}`,
    );
  return problems;
}

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
