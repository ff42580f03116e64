// Dataset `household-measures`: the assistance measures (帮扶措施) of monitored households (table
// household_measures), one row per measure, named by its household's number, its kind and its start
// date (the table's natural key, migration 0017). The file also gives the household's village: an
// import limited to a region (a supervisor's) is checked by it, and it must be the household's.
// After an apply or a rollback the measure summary on each household touched is recomputed
// (db/src/monitoring/measures.ts), so the statistics and the early warning read the new measures.
import { sql } from 'drizzle-orm';
import { arrayLiteral, queryRows } from '../bulk.ts';
import { ledgerToday } from '../facts.ts';
import { refreshMonitoringFiguresOf } from '../monitoring/figures.ts';
import {
  LOAN_TERM_MONTHS,
  type MeasureFields,
  measureProblems,
  refreshMeasureSummaryOf,
} from '../monitoring/measures.ts';
import { LOAN_STATE_LABELS, MEASURE_KIND_LABELS } from '../tables/monitoring.ts';
import { householdNumberColumn } from './households.ts';
import type { DatasetSpec, Row } from './spec.ts';
import { choices, villageCodeColumn } from './spec.ts';
import { insertedKeys } from './write.ts';

type Context = Record<string, never>;

export const householdMeasuresDataset: DatasetSpec<Context> = {
  name: 'household-measures',
  zh: '帮扶措施',
  en: 'assistance measures',
  sheet: '帮扶措施',
  table: 'household_measures',
  key: ['household_id', 'kind', 'started_on'],
  fileKey: ['household_number', 'kind', 'started_on'],
  part: 'household-measures',
  changes: 'monitoring',
  // Raised by every change, the API's too (endHouseholdMeasure): a rollback does not undo later work.
  versionColumn: 'version',
  regionOf: (row) => (row.village_code as string | null) ?? null,
  columns: [
    householdNumberColumn(
      'household_number',
      '措施所属户的户编号，须为已有的监测户（先导入“监测户”）',
      'the number of the household the measure is for; an existing household (import `households` first)',
    ),
    // Checked, never written: the household's village is the household's.
    villageCodeColumn(
      '该户所在村的 12 位代码，须与监测户一致（按此核对导入范围）',
      "12-digit code of the household's village; must be the household's (the import's region is checked by it)",
      { ignored: true },
    ),
    {
      key: 'kind',
      zh: '措施类别',
      en: 'kind',
      type: 'choice',
      choices: choices(MEASURE_KIND_LABELS),
      required: true,
      noteZh: `${Object.values(MEASURE_KIND_LABELS).join('、')}之一；同一户同一类别同一开始日期只有一条`,
      noteEn: `one of ${Object.keys(MEASURE_KIND_LABELS).join(', ')}; one measure per household, kind and start date`,
      sqlType: 'text',
    },
    {
      key: 'description',
      zh: '措施内容',
      en: 'description',
      type: 'text',
      required: true,
      noteZh: '如 发放产业奖补资金、安排公益岗位（最多 200 字）',
      noteEn: 'what was done (up to 200 characters)',
      sqlType: 'text',
    },
    {
      key: 'started_on',
      zh: '开始日期',
      en: 'started on',
      type: 'date',
      required: true,
      noteZh: '不晚于今天',
      noteEn: 'not after today',
      sqlType: 'date',
    },
    {
      key: 'ended_on',
      zh: '结束日期',
      en: 'ended on',
      type: 'date',
      required: false,
      noteZh: '仍在实施的不填；不早于开始日期',
      noteEn: 'empty while it lasts; not before the start',
      sqlType: 'date',
    },
    {
      key: 'amount_yuan',
      zh: '金额',
      en: 'amount',
      type: 'int',
      required: false,
      unitZh: '元',
      unitEn: 'yuan',
      noteZh: '涉及资金的填写；小额信贷必填（贷款金额）',
      noteEn: 'where money is involved; required for a small loan (the amount lent)',
      sqlType: 'int4',
    },
    {
      key: 'loan_term_months',
      zh: '贷款期限',
      en: 'loan term',
      type: 'int',
      required: false,
      unitZh: '月',
      unitEn: 'months',
      noteZh: `小额信贷必填（${LOAN_TERM_MONTHS.min}–${LOAN_TERM_MONTHS.max} 个月），其他措施不填`,
      noteEn: `required for a small loan (${LOAN_TERM_MONTHS.min}–${LOAN_TERM_MONTHS.max} months), empty otherwise`,
      sqlType: 'int4',
    },
    {
      key: 'loan_state',
      zh: '还款状态',
      en: 'loan state',
      type: 'choice',
      choices: choices(LOAN_STATE_LABELS),
      required: false,
      noteZh: `小额信贷必填：${Object.values(LOAN_STATE_LABELS).join('、')}；其他措施不填`,
      noteEn: 'required for a small loan: current, repaid or overdue; empty otherwise',
      sqlType: 'text',
    },
    {
      key: 'responsible_unit',
      zh: '责任单位',
      en: 'responsible unit',
      type: 'text',
      maxLength: 100,
      required: false,
      noteZh: '如 县农业农村局（最多 100 字）',
      noteEn: 'e.g. the county agriculture bureau (up to 100 characters)',
      sqlType: 'text',
    },
  ],
  example: {
    household_number: '5205260010010001',
    village_code: '520526001001',
    kind: 'small_loan',
    description: '脱贫人口小额信贷，用于发展肉牛养殖',
    started_on: '2022-03-15',
    ended_on: null,
    amount_yuan: 50000,
    loan_term_months: 36,
    loan_state: 'current',
    responsible_unit: '县乡村振兴局',
  },
  derived: [
    {
      name: 'household_id',
      type: 'int4',
      // Found by checkBatch, which puts it on the row (a row without a household is not staged):
      // kept on the row rather than in a map of every number the file names, which for a
      // national file would hold a million entries until the import ends.
      get: (row) => row.household_id ?? null,
    },
  ],
  inputOnly: ['household_number'],
  oldJson: sql`to_jsonb(t) - 'id' - 'household_id' || jsonb_build_object('household_number',
    (SELECT h.number FROM households h WHERE h.id = t.household_id))`,
  async prepare() {
    return {};
  },
  check(row: Row, _context: Context, report) {
    for (const p of measureProblems(row as unknown as MeasureFields, ledgerToday()))
      report.error(p.field, p.zh, p.en);
  },
  async checkBatch(db, rows) {
    const numbers = [...new Set(rows.map(({ row }) => row.household_number as string))];
    const stored = await queryRows<{ id: number; number: string; village: string }>(
      db,
      sql`SELECT id, number, village_code AS village FROM households WHERE number = ANY(${arrayLiteral(numbers)}::text[])`,
    );
    const byNumber = new Map(stored.map((h) => [h.number, h]));
    for (const { row, report } of rows) {
      const household = byNumber.get(row.household_number as string);
      // One answer for "no such household" and "a household of another village": the file's
      // village is what a region-limited import was allowed by, and another village's household
      // is not to be told apart from none.
      if (!household || household.village !== row.village_code) {
        report.error(
          'household_number',
          `村 ${row.village_code} 没有户编号为 ${row.household_number} 的监测户`,
          `village ${row.village_code} has no monitored household numbered ${row.household_number}`,
        );
        continue;
      }
      row.household_id = Number(household.id);
    }
  },
  async afterApply(db, importId) {
    await refreshMeasureSummaryOf(db, touchedHouseholds(importId));
    await refreshMonitoringFiguresOf(db, touchedCounties(importId));
  },
  async afterRollback(db, importId) {
    await refreshMeasureSummaryOf(db, touchedHouseholds(importId));
    await refreshMonitoringFiguresOf(db, touchedCounties(importId));
  },
};

/** The counties of the households an import of measures touched. */
function touchedCounties(importId: number) {
  return sql`SELECT h.county_code FROM households h WHERE h.id IN (${touchedHouseholds(importId)})`;
}

/** The households whose measures import `importId` added or changed (as SQL: one column, the id). */
function touchedHouseholds(importId: number) {
  return sql`SELECT k.household_id FROM (${insertedKeys(householdMeasuresDataset, importId)}) k
    UNION SELECT (c.old->>'household_id')::int FROM import_changes c WHERE c.import_id = ${importId} AND c.old IS NOT NULL`;
}
