// Dataset `listings`: the places under 挂牌督战 (a county, or a village of it), with the unit that
// supervises them and where each stands (督战中 → 已摘帽/已出列 → 已销号). Keyed by the place: a
// county's listing has no village code. An existing listing only moves forward along the
// workflow (LISTING_TRANSITIONS), and is closed (销号) only once every problem of it is closed.
import { sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows } from '../bulk.ts';
import { LEDGER_TIME_ZONE, ledgerToday } from '../facts.ts';
import { openProblem } from '../queries/ledger.ts';
import { LISTING_TRANSITIONS, type ListingStatus } from '../supervision/workflow.ts';
import { LISTING_STATUS_LABELS } from '../tables/supervision.ts';
import { checkLedgerPlace, checkVillagesExist, loadCounties } from './checks.ts';
import type { Choice, DatasetSpec, Row } from './spec.ts';
import { countyCodeColumn } from './spec.ts';
import { insertedKeys } from './write.ts';

interface Context {
  counties: ReadonlyMap<string, unknown>;
}

const STATUS_CHOICES: Choice[] = [
  { value: 'supervising', zh: LISTING_STATUS_LABELS.supervising },
  { value: 'lifted', zh: LISTING_STATUS_LABELS.lifted, aliases: ['已摘帽', '已出列'] },
  { value: 'closed', zh: LISTING_STATUS_LABELS.closed },
];

const MAX_UNIT = 100;

export const listingsDataset: DatasetSpec<Context> = {
  name: 'listings',
  zh: '挂牌督战',
  en: '挂牌督战 listings',
  sheet: '挂牌督战',
  table: 'supervision_listings',
  key: ['county_code', 'village_code'],
  nullableKey: ['village_code'],
  part: 'listings',
  changes: 'supervision',
  versionColumn: 'version',
  maxRows: 10_000,
  regionOf: (row) => (row.county_code as string | null) ?? null,
  columns: [
    countyCodeColumn(
      '挂牌督战县，或挂牌督战村所在县的 6 位代码',
      'the listed county, or the county of the listed village (6 digits)',
    ),
    {
      key: 'village_code',
      zh: '村代码',
      en: 'village code',
      type: 'digits',
      digits: 12,
      required: false,
      noteZh: '挂牌督战村的 12 位代码；县的挂牌不填',
      noteEn: "the listed village (12 digits); empty for a county's listing",
      sqlType: 'text',
    },
    {
      key: 'listed_on',
      zh: '挂牌日期',
      en: 'listed on',
      type: 'date',
      required: true,
      noteZh: 'YYYY-MM-DD',
      noteEn: 'YYYY-MM-DD',
      sqlType: 'date',
    },
    {
      key: 'supervising_unit',
      zh: '督战单位',
      en: 'supervising unit',
      type: 'text',
      required: true,
      noteZh: `如 某省脱贫攻坚督战组（最多 ${MAX_UNIT} 字）`,
      noteEn: `e.g. a province's supervision group (up to ${MAX_UNIT} characters)`,
      maxLength: MAX_UNIT,
      sqlType: 'text',
    },
    {
      key: 'status',
      zh: '督战状态',
      en: 'status',
      type: 'choice',
      choices: STATUS_CHOICES,
      required: true,
      noteZh: '督战中、已摘帽/已出列（也可写 已摘帽 或 已出列）、已销号；已有的挂牌只能向前',
      noteEn: 'supervising, lifted or closed; an existing listing only moves forward',
      sqlType: 'text',
    },
    {
      key: 'lifted_on',
      zh: '摘帽/出列日期',
      en: 'lifted on',
      type: 'date',
      required: false,
      noteZh: '已摘帽/已出列、已销号的必填',
      noteEn: 'required once lifted (or closed)',
      sqlType: 'date',
    },
    {
      key: 'closed_on',
      zh: '销号日期',
      en: 'closed on',
      type: 'date',
      required: false,
      noteZh: '已销号的必填，其他不填',
      noteEn: 'required for a closed listing, empty otherwise',
      sqlType: 'date',
    },
  ],
  example: {
    county_code: '520526',
    village_code: null,
    listed_on: '2020-03-05',
    supervising_unit: '贵州省脱贫攻坚督战组',
    status: '已摘帽/已出列',
    lifted_on: '2020-11-23',
    closed_on: null,
  },
  derived: [
    {
      name: 'unit_type',
      type: 'text',
      get: (row) => (row.village_code == null ? 'county' : 'village'),
    },
  ],
  async prepare(db: Executor) {
    // A supervisor lists places of their region here as on the ledger page (createListing);
    // `regionOf` keeps the rows inside it.
    return { counties: await loadCounties(db) };
  },
  check(row: Row, context: Context, report) {
    checkLedgerPlace(row, context.counties, report);
    const today = ledgerToday();
    const listed = row.listed_on as string;
    if (listed > today)
      report.error('listed_on', `挂牌日期 ${listed} 晚于今天`, `listed on ${listed} is in the future`);
    const lifted = row.lifted_on as string | null;
    const closed = row.closed_on as string | null;
    if (row.status !== 'supervising' && lifted == null)
      report.error(
        'lifted_on',
        '已摘帽/已出列的须填写摘帽/出列日期',
        'a lifted listing needs the date it was lifted',
      );
    if (row.status === 'supervising' && lifted != null)
      report.error(
        'lifted_on',
        '督战中的不应填写摘帽/出列日期',
        'a listing still supervising has no date lifted',
      );
    if (row.status === 'closed' && closed == null)
      report.error('closed_on', '已销号的须填写销号日期', 'a closed listing needs the date it was closed');
    if (row.status !== 'closed' && closed != null)
      report.error('closed_on', '未销号的不应填写销号日期', 'only a closed listing has a date closed');
    if (lifted != null && lifted > today)
      report.error('lifted_on', `摘帽/出列日期 ${lifted} 晚于今天`, `lifted on ${lifted} is in the future`);
    if (closed != null && closed > today)
      report.error('closed_on', `销号日期 ${closed} 晚于今天`, `closed on ${closed} is in the future`);
    if (lifted != null && lifted < listed)
      report.error(
        'lifted_on',
        `摘帽/出列日期 ${lifted} 早于挂牌日期 ${listed}`,
        `lifted on ${lifted} is before listed on ${listed}`,
      );
    if (closed != null && lifted != null && closed < lifted)
      report.error(
        'closed_on',
        `销号日期 ${closed} 早于摘帽/出列日期 ${lifted}`,
        `closed on ${closed} is before lifted on ${lifted}`,
      );
  },
  async checkBatch(db, rows) {
    await checkVillagesExist(db, rows);
    const counties = [...new Set(rows.map(({ row }) => row.county_code as string))];
    const stored = await queryRows<{
      county: string;
      village: string | null;
      status: ListingStatus;
      open: number;
    }>(
      db,
      sql`SELECT l.county_code AS county, l.village_code AS village, l.status,
          (SELECT count(*) FROM supervision_problems p WHERE p.listing_id = l.id AND ${openProblem('p')})::int AS open
        FROM supervision_listings l WHERE l.county_code = ANY(${arrayLiteral(counties)}::text[])`,
    );
    const byPlace = new Map(stored.map((l) => [l.village ?? l.county, l]));
    for (const { row, report } of rows) {
      const place = (row.village_code ?? row.county_code) as string;
      const before = byPlace.get(place);
      const to = row.status as ListingStatus;
      if (!before || before.status === to) continue;
      if (!LISTING_TRANSITIONS[before.status].includes(to))
        report.error(
          'status',
          `${place} 的挂牌不能从“${LISTING_STATUS_LABELS[before.status]}”改为“${LISTING_STATUS_LABELS[to]}”`,
          `the listing of ${place} cannot go from ${before.status} to ${to}`,
        );
      else if (to === 'closed' && Number(before.open) > 0)
        report.error(
          'status',
          `${place} 还有 ${before.open} 个问题未销号，不能销号`,
          `${place} still has ${before.open} problem(s) not closed; close them before closing the listing`,
        );
    }
  },
  afterApply: writeImportHistory,
  async beforeRollback(db, importId) {
    // The history this import wrote goes with the changes it undoes.
    await db.execute(sql`DELETE FROM supervision_listing_history WHERE note = ${importNote(importId)}`);
  },
};

const importNote = (importId: number) => `import #${importId}`;

/**
 * A listing's history for what an import did, as the ledger page writes it: a listing it added is
 * listed (and lifted, closed) on its own dates; one it moved on is lifted or closed on the date the
 * file gives. Each entry is by the importer and notes the import, which its rollback removes.
 */
async function writeImportHistory(db: Executor, importId: number, who: string): Promise<void> {
  const note = importNote(importId);
  const at = (date: string) => sql.raw(`(l.${date}::timestamp AT TIME ZONE '${LEDGER_TIME_ZONE}')`);
  const added = sql`SELECT l.* FROM supervision_listings l JOIN (${insertedKeys(listingsDataset, importId)}) k
    ON k.county_code = l.county_code AND k.village_code IS NOT DISTINCT FROM l.village_code`;
  const moved = sql`SELECT l.*, c.old->>'status' AS old_status FROM supervision_listings l JOIN import_changes c
    ON c.import_id = ${importId} AND c.old IS NOT NULL AND c.old->>'county_code' = l.county_code
      AND (c.old->>'village_code') IS NOT DISTINCT FROM l.village_code`;
  await db.execute(sql`INSERT INTO supervision_listing_history (listing_id, changed_at, changed_by, action, from_status, to_status, note)
    SELECT id, ${at('listed_on')}, ${who}, 'listed', NULL, 'supervising', ${note} FROM (${added}) l
    UNION ALL
    SELECT id, ${at('lifted_on')}, ${who}, 'lifted', 'supervising', 'lifted', ${note} FROM (${added}) l WHERE status <> 'supervising'
    UNION ALL
    SELECT id, ${at('closed_on')}, ${who}, 'closed', 'lifted', 'closed', ${note} FROM (${added}) l WHERE status = 'closed'
    UNION ALL
    SELECT id, ${at('lifted_on')}, ${who}, 'lifted', 'supervising', 'lifted', ${note} FROM (${moved}) l
      WHERE old_status = 'supervising' AND status <> 'supervising'
    UNION ALL
    SELECT id, ${at('closed_on')}, ${who}, 'closed', 'lifted', 'closed', ${note} FROM (${moved}) l
      WHERE old_status <> 'closed' AND status = 'closed'`);
}
