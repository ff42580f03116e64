// Dataset `households`: the monitored households (监测户) of 防止返贫动态监测 (table households), as a
// county's office exports them from the national monitoring system — one row per household, keyed
// by its household number. Personal data: admins import any region, a supervisor only their own
// (`regionOf`), analysts none (importRule). A household's village never changes by import (a
// supervisor could otherwise pull another region's household into theirs); its status moves
// monitoring → risk removed and back (re-identified), and each move an import makes is written to
// the household's history under the import, which its rollback removes.
import { sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows } from '../bulk.ts';
import { ledgerToday } from '../facts.ts';
import { refreshMonitoringFigures, refreshMonitoringFiguresOf } from '../monitoring/figures.ts';
import {
  HOUSEHOLD_STATUS_LABELS,
  HOUSEHOLD_TYPE_LABELS,
  MONITORING_FIRST_YEAR,
  RISK_CAUSE_LABELS,
} from '../tables/monitoring.ts';
import { checkVillagesExist } from './checks.ts';
import type { Choice, ColumnSpec, DatasetSpec, Row } from './spec.ts';
import { choices, shownOnly, villageCodeColumn } from './spec.ts';
import { insertedKeys } from './write.ts';

type Context = Record<string, never>;

/** A household number: what the national system prints (digits), or a county's own (letters, -). */
export const HOUSEHOLD_NUMBER = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;
/** A household's size in people, as the table allows. */
export const HOUSEHOLD_SIZE = { min: 1, max: 30 } as const;

/** The risk causes a file writes, with the short forms offices use (产业失败, 务工不稳). */
const CAUSE_CHOICES: Choice[] = choices(RISK_CAUSE_LABELS).map((c) =>
  c.value === 'business_failure'
    ? { ...c, aliases: ['产业失败'] }
    : c.value === 'unstable_work'
      ? { ...c, aliases: ['务工不稳', '务工就业不稳'] }
      : c,
);

/** The household number column, shared with the measures' file that names its household by it. */
export function householdNumberColumn(key: string, noteZh: string, noteEn: string): ColumnSpec {
  return {
    key,
    zh: '户编号',
    en: 'household number',
    type: 'text',
    maxLength: 40,
    required: true,
    noteZh,
    noteEn,
    sqlType: 'text',
  };
}

const person = (key: string, zh: string, en: string, noteZh: string, noteEn: string): ColumnSpec => ({
  key,
  zh,
  en,
  type: 'int',
  required: true,
  unitZh: '人',
  unitEn: 'people',
  noteZh,
  noteEn,
  sqlType: 'int4',
});

const thisYear = () => Number(ledgerToday().slice(0, 4));

export const householdsDataset: DatasetSpec<Context> = {
  name: 'households',
  zh: '监测户',
  en: 'monitored households',
  sheet: '监测户',
  table: 'households',
  key: ['number'],
  part: 'households',
  changes: 'monitoring',
  versionColumn: 'version',
  regionOf: (row) => (row.village_code as string | null) ?? null,
  // In the order the households export writes them, so that an export imports as it is.
  columns: [
    shownOnly('no', '序号', 'serial number'),
    householdNumberColumn(
      'number',
      '户编号（监测系统中的编号），全国唯一；只含数字、字母、- 和 _，最多 40 位；不要填身份证号',
      'the household number (as in the monitoring system), unique nationally; digits, letters, - and _, up to 40; never an ID-card number',
    ),
    shownOnly('holder_name_masked', '户主（脱敏）', 'holder name, masked'),
    shownOnly('county_code', '县代码', 'county code'),
    shownOnly('county', '县', 'county name'),
    shownOnly('township', '乡镇', 'township name'),
    villageCodeColumn(
      '12 位村代码，须为已有的村；已有的户不能改村',
      "12-digit code of an existing village; an existing household's village cannot change",
    ),
    shownOnly('village', '村', 'village name'),
    {
      key: 'holder_name',
      zh: '户主姓名',
      en: 'holder name',
      type: 'text',
      maxLength: 50,
      required: false,
      noteZh:
        '可不填；只有管理员和本辖区督战人员、部门用户能看到全名，其他人和导出文件中脱敏；不填则保留已有姓名',
      noteEn:
        'optional; shown in full only to admins and to supervisors and departments of the region, masked for everyone else and in exports; empty keeps the stored name',
      sqlType: 'text',
    },
    person(
      'size',
      '家庭人口',
      'household size',
      `${HOUSEHOLD_SIZE.min}–${HOUSEHOLD_SIZE.max} 人`,
      `${HOUSEHOLD_SIZE.min}–${HOUSEHOLD_SIZE.max} people`,
    ),
    person('labour', '劳动力', 'labour', '不大于家庭人口', 'at most the household size'),
    {
      key: 'type',
      zh: '监测对象类型',
      en: 'type',
      type: 'choice',
      choices: choices(HOUSEHOLD_TYPE_LABELS),
      required: true,
      noteZh: Object.values(HOUSEHOLD_TYPE_LABELS).join('、'),
      noteEn: 'unstable (脱贫不稳定户), marginal (边缘易致贫户) or sudden_hardship (突发严重困难户)',
      sqlType: 'text',
    },
    {
      key: 'causes',
      zh: '风险类型',
      en: 'risk causes',
      type: 'choices',
      choices: CAUSE_CHOICES,
      required: true,
      noteZh: `一项或多项，用顿号或逗号分隔：${Object.values(RISK_CAUSE_LABELS).join('、')}`,
      noteEn: `one or more, separated by 、 or commas: ${Object.keys(RISK_CAUSE_LABELS).join(', ')}`,
      sqlType: 'text',
    },
    {
      key: 'identified_on',
      zh: '识别日期',
      en: 'identified on',
      type: 'date',
      required: true,
      noteZh: `首次识别为监测对象的日期，${MONITORING_FIRST_YEAR} 年起，不晚于今天`,
      noteEn: `the day first identified, from ${MONITORING_FIRST_YEAR}, not after today`,
      sqlType: 'date',
    },
    {
      key: 'income_year',
      zh: '收入年度',
      en: 'income year',
      type: 'year',
      min: MONITORING_FIRST_YEAR,
      max: 2100,
      required: false,
      unitZh: '年',
      unitEn: 'year',
      noteZh: '最近一次收入核查的年份；与人均纯收入同填',
      noteEn: 'the year of the last income assessment; with the per-capita income',
      sqlType: 'int4',
    },
    {
      key: 'income_per_capita',
      zh: '人均纯收入',
      en: 'per-capita income',
      type: 'int',
      required: false,
      unitZh: '元/人·年',
      unitEn: 'yuan per person per year',
      noteZh: '该年家庭人均纯收入（元），与收入年份同填',
      noteEn: "the household's per-capita net income that year (yuan), with the income year",
      sqlType: 'int4',
    },
    {
      key: 'status',
      zh: '状态',
      en: 'status',
      type: 'choice',
      choices: [
        { value: 'monitoring', zh: HOUSEHOLD_STATUS_LABELS.monitoring, aliases: ['未消除'] },
        { value: 'risk_removed', zh: HOUSEHOLD_STATUS_LABELS.risk_removed, aliases: ['已消除', '风险消除'] },
      ],
      required: true,
      noteZh: '监测中、风险已消除；已消除的户改回监测中即为返贫风险再识别（须填再识别日期）',
      noteEn:
        'monitoring or risk_removed; a removed household set back to monitoring is re-identified (give the date)',
      sqlType: 'text',
    },
    {
      key: 'removed_on',
      zh: '风险消除日期',
      en: 'removed on',
      type: 'date',
      required: false,
      noteZh: '风险已消除的必填；再识别的监测户填最近一次消除日期；不早于识别日期、不晚于今天',
      noteEn:
        'required once the risk is removed; for a re-identified household, its last removal; from the identification to today',
      sqlType: 'date',
    },
    {
      key: 'removal_verification',
      zh: '消除核实情况',
      en: 'removal verification',
      type: 'text',
      maxLength: 300,
      required: false,
      noteZh: '填写风险消除日期的必填：如何核实（如 入户核实收入稳定、村民代表评议）',
      noteEn: 'required with the removal date: how it was verified',
      sqlType: 'text',
    },
    {
      key: 'reidentified_on',
      zh: '再识别日期',
      en: 'reidentified on',
      type: 'date',
      required: false,
      noteZh:
        '风险消除后返贫风险再识别的日期：监测中的户与风险消除日期同填（不早于它），风险已消除的户可填此前的再识别（不晚于风险消除日期）',
      noteEn:
        'when the risk returned after the removal: for a household under monitoring with the removal date (not before it); for a removed one, an earlier re-identification (not after the removal)',
      sqlType: 'date',
    },
    shownOnly('monitoring_line', '监测标准', "the province's line that year"),
    shownOnly('active_measure', '有在帮措施', 'a measure running'),
    shownOnly('early_warning', '预警', 'early warning'),
  ],
  example: {
    number: '5205260010010001',
    village_code: '520526001001',
    holder_name: null,
    size: 4,
    labour: 2,
    type: 'unstable',
    causes: 'illness,unstable_work',
    identified_on: '2021-05-10',
    income_year: 2022,
    income_per_capita: 7800,
    status: 'monitoring',
    removed_on: null,
    removal_verification: null,
    reidentified_on: null,
  },
  derived: [{ name: 'county_code', type: 'text', get: (row) => (row.village_code as string).slice(0, 6) }],
  inputOnly: ['causes'],
  computed: { causes: sql`string_to_array(u.causes, ',')` },
  // A file without names (an export, which masks them) keeps the names stored.
  update: { holder_name: (incoming) => sql`coalesce(${incoming}, t.holder_name)` },
  oldJson: sql`to_jsonb(t) - 'id' - 'causes' || jsonb_build_object('causes', array_to_string(t.causes, ','))`,
  async prepare() {
    return {};
  },
  check(row: Row, _context: Context, report) {
    const number = row.number as string;
    if (!HOUSEHOLD_NUMBER.test(number))
      report.error(
        'number',
        `户编号“${number}”只能含数字、字母、- 和 _`,
        `household number "${number}" may hold only digits, letters, - and _`,
      );
    const size = row.size as number;
    if (size < HOUSEHOLD_SIZE.min || size > HOUSEHOLD_SIZE.max)
      report.error(
        'size',
        `家庭人口应在 ${HOUSEHOLD_SIZE.min}–${HOUSEHOLD_SIZE.max} 之间：${size}`,
        `household size must lie within ${HOUSEHOLD_SIZE.min}–${HOUSEHOLD_SIZE.max}: ${size}`,
      );
    if ((row.labour as number) > size)
      report.error(
        'labour',
        `劳动力人数 ${row.labour} 大于家庭人口 ${size}`,
        `labour ${row.labour} exceeds size ${size}`,
      );
    const today = ledgerToday();
    const identified = row.identified_on as string;
    if (identified < `${MONITORING_FIRST_YEAR}-01-01` || identified > today)
      report.error(
        'identified_on',
        `识别日期 ${identified} 应在 ${MONITORING_FIRST_YEAR}-01-01 至今天之间`,
        `identified on ${identified} must lie from ${MONITORING_FIRST_YEAR}-01-01 to today`,
      );
    if ((row.income_year == null) !== (row.income_per_capita == null))
      report.error(
        row.income_year == null ? 'income_year' : 'income_per_capita',
        '收入年份与人均纯收入须同时填写或同时不填',
        'the income year and the per-capita income go together: give both or neither',
      );
    if (row.income_year != null && (row.income_year as number) > thisYear())
      report.error(
        'income_year',
        `收入年份 ${row.income_year} 晚于今年`,
        `income year ${row.income_year} is in the future`,
      );
    const removed = row.removed_on as string | null;
    const returned = row.reidentified_on as string | null;
    const dated = (key: string, date: string | null, zh: string, en: string) => {
      if (date != null && (date < identified || date > today))
        report.error(
          key,
          `${zh} ${date} 应在识别日期 ${identified} 至今天之间`,
          `${en} ${date} must lie from the identification (${identified}) to today`,
        );
    };
    dated('removed_on', removed, '风险消除日期', 'removed on');
    dated('reidentified_on', returned, '再识别日期', 'reidentified on');
    if (removed != null && row.removal_verification == null)
      report.error(
        'removal_verification',
        '填写风险消除日期的须填写消除核实情况',
        'a removal needs how it was verified',
      );
    if (removed == null && row.removal_verification != null)
      report.error(
        'removal_verification',
        '没有风险消除日期，不应填写消除核实情况',
        'a removal verification needs its removal date',
      );
    if (row.status === 'risk_removed') {
      if (removed == null)
        report.error(
          'removed_on',
          '风险已消除的须填写风险消除日期',
          'a household whose risk is removed needs the date',
        );
      else if (returned != null && returned > removed)
        report.error(
          'reidentified_on',
          `风险已消除的户，再识别日期 ${returned} 不应晚于风险消除日期 ${removed}`,
          `a household whose risk is removed was not re-identified (${returned}) after its removal (${removed})`,
        );
    } else if ((removed == null) !== (returned == null))
      report.error(
        removed == null ? 'removed_on' : 'reidentified_on',
        '监测中的户：风险消除日期与再识别日期须同时填写（再识别的户）或同时不填',
        'a household under monitoring has both a removal and a re-identification date (re-identified) or neither',
      );
    else if (removed != null && returned! < removed)
      report.error(
        'reidentified_on',
        `再识别日期 ${returned} 早于风险消除日期 ${removed}`,
        `reidentified on ${returned} is before the removal on ${removed}`,
      );
  },
  async checkBatch(db, rows) {
    await checkVillagesExist(db, rows);
    const numbers = rows.map(({ row }) => row.number as string);
    const stored = await queryRows<{ number: string; village: string; status: string }>(
      db,
      sql`SELECT number, village_code AS village, status FROM households WHERE number = ANY(${arrayLiteral(numbers)}::text[])`,
    );
    const byNumber = new Map(stored.map((h) => [h.number, h]));
    for (const { row, report } of rows) {
      const before = byNumber.get(row.number as string);
      if (before && before.village !== row.village_code) {
        // The only answer about a household of another village (it may lie outside the
        // importer's region): nothing of its status or anything else.
        report.error(
          'village_code',
          `户编号 ${row.number} 已属于另一个村的户，导入不能改变户所在的村`,
          `household number ${row.number} belongs to a household of another village; an import cannot move a household`,
        );
        continue;
      }
      // The risk returned: the file says when, and keeps the removal (rules.ts removedAt).
      if (before?.status === 'risk_removed' && row.status === 'monitoring' && row.reidentified_on == null)
        report.error(
          'reidentified_on',
          `户 ${row.number} 的风险已消除；改回监测中即为再识别，须填写再识别日期和风险消除日期`,
          `household ${row.number} had its risk removed: set back to monitoring it is re-identified, and needs the re-identification and removal dates`,
        );
    }
  },
  async afterApply(db, importId, who) {
    await writeImportHistory(db, importId, who);
    // The counties of the households it added or changed (a county's import recounts one county).
    await refreshMonitoringFiguresOf(
      db,
      sql`SELECT h.county_code FROM households h JOIN (${insertedKeys(householdsDataset, importId)}) k ON k.number = h.number
        UNION SELECT c.old->>'county_code' FROM import_changes c WHERE c.import_id = ${importId} AND c.old IS NOT NULL`,
    );
  },
  async beforeRollback(db, importId) {
    // The history this import wrote goes with the changes it undoes.
    await db.execute(sql`DELETE FROM household_history WHERE import_id = ${importId}`);
  },
  // Everything: the households it added are gone, and their counties with them (a rollback is rare).
  afterRollback: (db) => refreshMonitoringFigures(db),
};

const importNote = (importId: number) => `import #${importId}`;

/**
 * The history of what an import did to households, as the API's moves write it: a household it
 * added is identified on its date (and its risk removed, and re-identified, on theirs); one whose
 * status it changed has its risk removed, or is re-identified, on the date the file gives. Each
 * entry notes the import.
 */
async function writeImportHistory(db: Executor, importId: number, who: string): Promise<void> {
  const note = importNote(importId);
  const added = sql`SELECT h.* FROM households h JOIN (${insertedKeys(householdsDataset, importId)}) k ON k.number = h.number`;
  const moved = sql`SELECT h.*, c.old->>'status' AS old_status FROM households h JOIN import_changes c
    ON c.import_id = ${importId} AND c.old IS NOT NULL AND c.old->>'number' = h.number`;
  await db.execute(sql`INSERT INTO household_history (household_id, on_date, recorded_by, action, from_status, to_status, note, import_id)
    SELECT id, identified_on, ${who}, 'identified', NULL, 'monitoring', ${note}, ${importId}::bigint FROM (${added}) h
    UNION ALL
    SELECT id, removed_on, ${who}, 'risk_removed', 'monitoring', 'risk_removed', ${note}, ${importId}::bigint FROM (${added}) h
      WHERE removed_on IS NOT NULL
    UNION ALL
    SELECT id, reidentified_on, ${who}, 'reidentified', 'risk_removed', 'monitoring', ${note}, ${importId}::bigint FROM (${added}) h
      WHERE status = 'monitoring' AND reidentified_on IS NOT NULL
    UNION ALL
    SELECT id, removed_on, ${who}, 'risk_removed', 'monitoring', 'risk_removed', ${note}, ${importId}::bigint FROM (${moved}) h
      WHERE old_status = 'monitoring' AND status = 'risk_removed'
    UNION ALL
    SELECT id, reidentified_on, ${who}, 'reidentified', 'risk_removed', 'monitoring', ${note}, ${importId}::bigint FROM (${moved}) h
      WHERE old_status = 'risk_removed' AND status = 'monitoring'`);
}
