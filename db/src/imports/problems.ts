// Dataset `problems`: a county's problem ledger (问题台账) in the columns the ledger export writes
// (GET /export/problems.xlsx|csv), so that export → edit in Excel → import round-trips. A row with
// a problem number updates that problem; a row without one is a new problem. The names beside the
// codes, the serial number and the overdue flag are the export's, for people: accepted, not written.
//
// What an import may not do, because the ledger's workflow forbids it: create a problem anywhere
// but at the workflow's start (open), move a problem to another county, skip a step of the
// workflow (open → closed), or reopen or send back a problem (those need a reason: the ledger page
// asks for it). Every row an import changes gets a history entry naming the import, and its
// version moves so that a stale edit in the web page is refused.
import { sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows } from '../bulk.ts';
import { ledgerToday } from '../facts.ts';
import { lastRectifiers } from '../supervision/problem-writes.ts';
import { NEEDS_REASON, type ProblemStatus, problemTransition, samePerson } from '../supervision/workflow.ts';
import { PROBLEM_CATEGORY_LABELS, PROBLEM_STATUS_LABELS } from '../tables/supervision.ts';
import { checkLedgerPlace, checkVillagesExist, loadCounties } from './checks.ts';
import type { DatasetSpec, Row } from './spec.ts';
import { choices, countyCodeColumn, shownOnly } from './spec.ts';
import { insertedKeys } from './write.ts';

interface Context {
  counties: ReadonlyMap<string, unknown>;
  /** Who imports (`user:<name>`): a close by file must not be by whoever rectified the problem. */
  who: string;
}

const MAX_DESCRIPTION = 2000;

/** The columns an import may change, compared with the stored problem as text. */
const COMPARED = [
  'county_code',
  'village_code',
  'category',
  'description',
  'department',
  'found_on',
  'deadline',
  'status',
  'closed_on',
] as const;
const MAX_DEPARTMENT = 50;
/** The first status of the problem workflow (workflow.ts), where every new problem starts. */
const NEW_PROBLEM_STATUS: ProblemStatus = 'open';

export const problemsDataset: DatasetSpec<Context> = {
  name: 'problems',
  zh: '问题台账',
  en: 'problem ledger',
  sheet: '问题台账',
  table: 'supervision_problems',
  key: ['id'],
  part: 'problems',
  changes: 'supervision',
  versionColumn: 'version',
  maxRows: 50_000,
  newKey: sql`nextval(pg_get_serial_sequence('supervision_problems', 'id'))`,
  regionOf: (row) => (row.county_code as string | null) ?? null,
  columns: [
    shownOnly('no', '序号', 'serial number'),
    {
      key: 'id',
      zh: '问题编号',
      en: 'problem number',
      type: 'int',
      required: false,
      noteZh: '已有问题的编号（导出文件中有）；新问题不填',
      noteEn: 'the number of an existing problem (the export has it); empty for a new problem',
      sqlType: 'int4',
    },
    countyCodeColumn(
      '问题所在县的 6 位代码；已有问题不能改到别的县',
      "the problem's county (6 digits); an existing problem cannot move to another county",
    ),
    shownOnly('county', '县', 'county name'),
    shownOnly('township', '乡镇', 'township name'),
    {
      key: 'village_code',
      zh: '村代码',
      en: 'village code',
      type: 'digits',
      digits: 12,
      required: false,
      noteZh: '问题所在村的 12 位代码，须在该县；县级问题不填',
      noteEn: 'the village (12 digits), inside the county; empty for a county-level problem',
      sqlType: 'text',
    },
    shownOnly('village', '村', 'village name'),
    {
      key: 'category',
      zh: '问题类别',
      en: 'category',
      type: 'choice',
      choices: choices(PROBLEM_CATEGORY_LABELS),
      required: true,
      noteZh: `以下之一：${Object.values(PROBLEM_CATEGORY_LABELS).join('、')}`,
      noteEn: `one of: ${Object.keys(PROBLEM_CATEGORY_LABELS).join(', ')}`,
      sqlType: 'text',
    },
    {
      key: 'description',
      zh: '问题描述',
      en: 'description',
      type: 'text',
      required: true,
      noteZh: `问题的具体情况（最多 ${MAX_DESCRIPTION} 字）`,
      noteEn: `what was found (up to ${MAX_DESCRIPTION} characters)`,
      maxLength: MAX_DESCRIPTION,
      // A finding may quote a formula; the ledger export escapes such cells.
      formulaText: true,
      sqlType: 'text',
    },
    {
      key: 'department',
      zh: '责任单位',
      en: 'responsible department',
      type: 'text',
      required: true,
      noteZh: `负责整改的部门，如 教育、住建、水利（最多 ${MAX_DEPARTMENT} 字）`,
      noteEn: `the department that rectifies it, e.g. 教育, 住建, 水利 (up to ${MAX_DEPARTMENT} characters)`,
      maxLength: MAX_DEPARTMENT,
      sqlType: 'text',
    },
    {
      key: 'found_on',
      zh: '发现日期',
      en: 'found on',
      type: 'date',
      required: true,
      noteZh: 'YYYY-MM-DD，不晚于今天',
      noteEn: 'YYYY-MM-DD, not in the future',
      sqlType: 'date',
    },
    {
      key: 'deadline',
      zh: '整改时限',
      en: 'deadline',
      type: 'date',
      required: true,
      noteZh: 'YYYY-MM-DD，不早于发现日期',
      noteEn: 'YYYY-MM-DD, not before the date found',
      sqlType: 'date',
    },
    {
      key: 'status',
      zh: '整改状态',
      en: 'status',
      type: 'choice',
      choices: choices(PROBLEM_STATUS_LABELS),
      required: true,
      noteZh: `以下之一：${Object.values(PROBLEM_STATUS_LABELS).join('、')}；新问题须为“待整改”，已有问题只能按流程前进一步（重新打开、退回请在台账页面填写理由）`,
      noteEn: `one of: ${Object.keys(PROBLEM_STATUS_LABELS).join(', ')}; a new problem is open, an existing problem moves one step of the workflow at most (reopen or send back in the ledger page, with a reason)`,
      sqlType: 'text',
    },
    {
      key: 'closed_on',
      zh: '销号日期',
      en: 'closed on',
      type: 'date',
      required: false,
      noteZh: '已销号的问题必填，其他不填',
      noteEn: 'required for a closed problem, empty otherwise',
      sqlType: 'date',
    },
    shownOnly('overdue', '逾期', 'overdue'),
    {
      key: 'version',
      zh: '版本',
      en: 'version',
      type: 'int',
      required: false,
      // Read to find stale rows, never written: every change raises the stored version.
      ignored: true,
      noteZh: '导出时问题的版本；修改已有问题时必填，问题在导出后被改过则该行被拒绝',
      noteEn:
        'the problem’s version when exported; needed to change an existing problem, whose row is refused if it changed since',
      sqlType: 'int4',
    },
  ],
  example: {
    no: 1,
    id: null,
    county_code: '520526',
    county: '威宁彝族回族苗族自治县',
    township: '示例镇',
    village_code: '520526101201',
    village: '示例村',
    category: '住房安全',
    description: '2 户危房改造未验收',
    department: '住建',
    found_on: '2024-03-05',
    deadline: '2024-06-30',
    status: '待整改',
    closed_on: null,
    overdue: '否',
    version: null,
  },
  async prepare(db: Executor, importer) {
    const counties = await loadCounties(db);
    return { counties, who: importer.who };
  },
  check(row: Row, context: Context, report) {
    checkLedgerPlace(row, context.counties, report);
    // A new problem enters the ledger where reportProblem puts one (problem-writes.ts): at the start of the
    // workflow. A row that creates it rectified or closed (已销号) would skip every check of the
    // workflow, and its history would say it was reported closed.
    if (row.id == null && row.status !== NEW_PROBLEM_STATUS) {
      const status = row.status as ProblemStatus;
      report.error(
        'status',
        `新问题的整改状态须为“${PROBLEM_STATUS_LABELS[NEW_PROBLEM_STATUS]}”，不能直接导入为“${PROBLEM_STATUS_LABELS[status]}”：请先导入问题，再按流程整改、销号`,
        `a new problem starts as ${NEW_PROBLEM_STATUS}, not ${status}: import it, then move it along the workflow`,
      );
    }
    // Dates as YYYY-MM-DD compare as text.
    const today = ledgerToday();
    const found = row.found_on as string;
    if (found > today)
      report.error('found_on', `发现日期 ${found} 晚于今天`, `found on ${found} is in the future`);
    if ((row.deadline as string) < found)
      report.error(
        'deadline',
        `整改时限 ${row.deadline} 早于发现日期 ${found}`,
        `deadline ${row.deadline} is before the date found ${found}`,
      );
    const closedOn = row.closed_on as string | null;
    if (row.status === 'closed' && closedOn == null)
      report.error(
        'closed_on',
        '已销号的问题须填写销号日期',
        'a closed problem needs the date it was closed',
      );
    if (row.status !== 'closed' && closedOn != null)
      report.error(
        'closed_on',
        '未销号的问题不应填写销号日期',
        'only a closed problem has a date it was closed',
      );
    if (closedOn != null && closedOn > today)
      report.error('closed_on', `销号日期 ${closedOn} 晚于今天`, `closed on ${closedOn} is in the future`);
    if (closedOn != null && closedOn < found)
      report.error(
        'closed_on',
        `销号日期 ${closedOn} 早于发现日期 ${found}`,
        `closed on ${closedOn} is before the date found ${found}`,
      );
  },
  async checkBatch(db, rows, context) {
    await checkVillagesExist(db, rows);
    const ids = rows.map(({ row }) => row.id).filter((id): id is number => id != null);
    const stored = ids.length
      ? await queryRows<{ id: number; county: string; status: ProblemStatus; version: number; now: Row }>(
          db,
          sql`SELECT id, county_code AS county, status, version, jsonb_build_object(${sql.raw(
            COMPARED.map((c) => `'${c}', ${c}::text`).join(', '),
          )}) AS now FROM supervision_problems WHERE id = ANY(${arrayLiteral(ids)}::int4[])`,
        )
      : [];
    const byId = new Map(stored.map((p) => [Number(p.id), p]));
    // Who rectified each problem a row closes, in one query for the batch.
    const closing = rows
      .filter(({ row }) => row.id != null && row.status === 'closed')
      .map(({ row }) => row.id as number);
    const rectifiers = await lastRectifiers(db, closing);
    for (const { row, report } of rows) {
      if (row.id == null) continue;
      const before = byId.get(row.id as number);
      if (!before) {
        report.error(
          'id',
          `问题编号 ${row.id} 不存在（新问题请不填编号）`,
          `there is no problem ${row.id} (leave the number empty for a new problem)`,
        );
        continue;
      }
      // A row read from an older export must not undo what was done since: when the problem has
      // moved on (another version) and the row would change it, the row is refused.
      const now = typeof before.now === 'string' ? JSON.parse(before.now) : before.now;
      const differs = COMPARED.some((c) => (now[c] ?? null) !== (row[c] == null ? null : String(row[c])));
      if (row.version != null && Number(row.version) !== Number(before.version) && differs) {
        report.error(
          'version',
          `问题 ${row.id} 在导出后已被修改（版本 ${row.version} → ${before.version}），请重新导出后再改`,
          `problem ${row.id} has changed since this file was exported (version ${row.version}, now ${before.version}): export again and edit that`,
        );
        continue;
      }
      if (row.version == null && differs) {
        report.error(
          'version',
          `修改已有问题 ${row.id} 须填写版本（导出文件中有）`,
          `changing problem ${row.id} needs its version (the export has it)`,
        );
        continue;
      }
      if (before.county !== row.county_code) {
        report.error(
          'county_code',
          `问题 ${row.id} 属于县 ${before.county}，不能改为 ${row.county_code}`,
          `problem ${row.id} belongs to county ${before.county} and cannot move to ${row.county_code}`,
        );
        continue;
      }
      const to = row.status as ProblemStatus;
      // A sign-off is the department's: handing a signed problem to another department goes back to
      // open for it to sign, which only the ledger page does (problem-writes.ts assignDepartment).
      if (before.status === 'signed' && to === 'signed' && now.department !== row.department) {
        report.error(
          'department',
          `问题 ${row.id} 已由责任单位签收，改换责任单位须在台账页面办理`,
          `problem ${row.id} was signed for by its department: hand it to another in the ledger page`,
        );
        continue;
      }
      if (before.status === to) continue;
      const move = problemTransition(before.status, to);
      if (move == null)
        report.error(
          'status',
          `问题 ${row.id} 不能从“${PROBLEM_STATUS_LABELS[before.status]}”直接改为“${PROBLEM_STATUS_LABELS[to]}”`,
          `problem ${row.id} cannot go from ${before.status} to ${to} in one step`,
        );
      else if (move === 'signed')
        // The sign-off is the department's own act (workflow.ts MOVES_BY_ROLE): never made by a file.
        report.error(
          'status',
          `问题 ${row.id} 改为“${PROBLEM_STATUS_LABELS[to]}”须在台账页面办理（签收由责任单位本单位办理）`,
          `problem ${row.id} becomes ${to} only in the ledger page (the department signs for it itself)`,
        );
      else if (move === 'closed' && samePerson(rectifiers.get(row.id as number) ?? null, context.who))
        // A close records a verification done on paper; whoever rectified it may not also close it.
        report.error(
          'status',
          `问题 ${row.id} 由您标记为已整改，须由其他人员验收销号`,
          `you marked problem ${row.id} rectified; someone else verifies and closes it`,
        );
      else if (NEEDS_REASON.has(move))
        report.error(
          'status',
          `问题 ${row.id} 从“${PROBLEM_STATUS_LABELS[before.status]}”改为“${PROBLEM_STATUS_LABELS[to]}”须说明理由，请在台账页面操作`,
          `problem ${row.id} going from ${before.status} to ${to} needs a reason: do it in the ledger page`,
        );
    }
  },
  computed: {
    // The responsible department is linked to the county's registry by name (责任单位 as written);
    // a name the registry does not have stays free text, as in ledgers from before the registry.
    department_id: sql`(SELECT d.id FROM departments d WHERE d.county_code = u.county_code AND d.name = u.department)`,
    // A new problem belongs to its village's listing (挂牌督战), else its county's, when there is one.
    listing_id: sql`coalesce(
      (SELECT min(l.id) FROM supervision_listings l WHERE l.village_code = u.village_code),
      (SELECT min(l.id) FROM supervision_listings l WHERE l.unit_type = 'county' AND l.county_code = u.county_code))`,
  },
  // An existing problem keeps its listing.
  update: { listing_id: () => sql`t.listing_id` },
  async afterApply(db, importId, who) {
    await writeImportHistory(db, importId, who);
  },
  async beforeRollback(db, importId, who) {
    // The problems it changed get an entry saying they go back (current → restored status).
    await db.execute(sql`INSERT INTO supervision_problem_history
        (problem_id, changed_by, action, from_status, to_status, note, changes)
      SELECT p.id, ${who}, 'import rolled back', p.status, c.old->>'status', ${`import #${importId} rolled back`},
        jsonb_build_object('rolledBack', ${String(importId)}::text)
      FROM import_changes c JOIN supervision_problems p ON p.id = (c.old->>'id')::int
      WHERE c.import_id = ${importId} AND c.old IS NOT NULL`);
    // …and with the reminders the daily job recorded for them (not a change to the problem: its
    // version does not move; the audit log keeps that they were recorded).
    await db.execute(sql`DELETE FROM problem_reminders r
      USING (${insertedKeys(problemsDataset, importId)}) added WHERE r.problem_id = added.id`);
    // The problems this import added go with the history it wrote for them (their only history,
    // unless someone has worked on them since: then the delete refuses, and so does the rollback).
    await db.execute(sql`DELETE FROM supervision_problem_history h
      USING (${insertedKeys(problemsDataset, importId)}) added
      WHERE h.problem_id = added.id AND h.changes->>'import' = ${String(importId)}`);
  },
};

/**
 * One history entry per problem the import changed or added: the move (from → to), the fields that
 * changed (old → new) and the import's number, which the rollback uses to find them.
 */
async function writeImportHistory(db: Executor, importId: number, who: string): Promise<void> {
  const fields = [
    'county_code',
    'village_code',
    'category',
    'description',
    'department',
    'found_on',
    'deadline',
    'closed_on',
  ];
  const diff = sql.join(
    fields.map(
      (f) => sql`CASE WHEN (c.old->>${f}) IS DISTINCT FROM (to_jsonb(p)->>${f})
        THEN jsonb_build_object(${f}::text, jsonb_build_object('from', c.old->${f}, 'to', to_jsonb(p)->${f}))
        ELSE '{}'::jsonb END`,
    ),
    sql` || `,
  );
  await db.execute(sql`INSERT INTO supervision_problem_history
      (problem_id, changed_by, action, from_status, to_status, note, changes)
    SELECT p.id, ${who}, 'imported', c.old->>'status', p.status, ${`import #${importId}`},
      jsonb_build_object('import', ${String(importId)}::text) || ${diff}
    FROM import_changes c JOIN supervision_problems p ON p.id = (c.old->>'id')::int
    WHERE c.import_id = ${importId} AND c.old IS NOT NULL
    UNION ALL
    SELECT p.id, ${who}, 'reported', NULL, p.status, ${`import #${importId}`},
      jsonb_build_object('import', ${String(importId)}::text)
    FROM (${insertedKeys(problemsDataset, importId)}) added JOIN supervision_problems p ON p.id = added.id`);
}
