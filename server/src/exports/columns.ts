// What each export contains: columns with Chinese and English headers, and how each page of rows
// is read (list rows plus the chosen year's figures, fetched once per page).
import {
  type CountyRow,
  type Database,
  employmentRate,
  findBoundaryJson,
  findCountiesByCode,
  findRegionYears,
  findSiteYears,
  findVillageYears,
  HOUSEHOLD_STATUS_LABELS,
  HOUSEHOLD_TYPE_LABELS,
  type HouseholdRow,
  maskName,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_STATUS_LABELS,
  type ProblemRow,
  type RelocationSiteRow,
  RISK_CAUSE_LABELS,
  type VillageRow,
} from '@rrm/db';

export interface Column<R> {
  zh: string;
  en: string;
  value: (row: R) => string | number | boolean | null;
}

export interface ExportBatch {
  values: Array<Array<string | number | boolean | null>>;
  /** GeoJSON geometries as JSON text, one per row (null where none): spliced into the output unparsed. */
  geometries: Array<string | null>;
}

const yesNo = (b: boolean, lang: 'zh' | 'en') => (lang === 'zh' ? (b ? '是' : '否') : b);
/** Where a designation comes from, as an export says it. */
const SOURCE_NAMES = {
  published_list: { zh: '公布名单', en: 'published list' },
  imported: { zh: '导入', en: 'imported' },
  generated: { zh: '生成（演示）', en: 'generated (demo)' },
} as const;
const round = (x: number | null | undefined, digits = 0) => (x == null ? null : Number(x.toFixed(digits)));
const point = (lon: number | null, lat: number | null) =>
  lon == null || lat == null ? null : `{"type":"Point","coordinates":[${lon},${lat}]}`;

type Enriched<R, Y> = R & { figures: Y | null; countyName?: string };

export interface ExportSpec<R> {
  /** File name stem. */
  name: string;
  columns: (lang: 'zh' | 'en') => Column<Enriched<R, never>>[];
  /** Turns one page of list rows into export values and geometries. */
  read: (
    database: Database,
    rows: R[],
    options: { year: number; lang: 'zh' | 'en'; simplifyTolerance?: number },
  ) => Promise<ExportBatch>;
}

async function countyNames(database: Database, codes: string[]): Promise<Map<string, string>> {
  const counties = await findCountiesByCode(database.db, [...new Set(codes)]);
  return new Map(counties.map((c) => [c.code, c.name]));
}

function spec<R, Y>(
  name: string,
  columns: (lang: 'zh' | 'en') => Column<Enriched<R, Y>>[],
  enrich: (database: Database, rows: R[], year: number) => Promise<Enriched<R, Y>[]>,
  geometry: (database: Database, rows: R[], simplifyTolerance?: number) => Promise<Array<string | null>>,
): ExportSpec<R> {
  return {
    name,
    columns: columns as ExportSpec<R>['columns'],
    read: async (database, rows, { year, lang, simplifyTolerance }) => {
      const enriched = await enrich(database, rows, year);
      const cols = columns(lang);
      return {
        values: enriched.map((r) => cols.map((c) => c.value(r))),
        geometries: await geometry(database, rows, simplifyTolerance),
      };
    },
  };
}

export const villageExport = spec<VillageRow, Awaited<ReturnType<typeof findVillageYears>>[number]>(
  'villages',
  (lang) => [
    { zh: '村代码', en: 'code', value: (r) => r.code },
    { zh: '村名', en: 'name', value: (r) => r.name },
    { zh: '乡镇', en: 'township', value: (r) => r.townshipName },
    { zh: '县代码', en: 'county_code', value: (r) => r.countyCode },
    { zh: '县', en: 'county', value: (r) => r.countyName ?? null },
    { zh: '贫困村', en: 'poverty_village', value: (r) => yesNo(r.povertyVillage, lang) },
    { zh: '出列年份', en: 'exit_year', value: (r) => r.povertyExitYear },
    { zh: '挂牌督战村', en: 'supervised', value: (r) => yesNo(r.supervised, lang) },
    { zh: '经度', en: 'lon', value: (r) => round(r.lon, 6) },
    { zh: '纬度', en: 'lat', value: (r) => round(r.lat, 6) },
    { zh: '年份', en: 'year', value: (r) => r.figures?.year ?? null },
    { zh: '户籍人口', en: 'population', value: (r) => r.figures?.population ?? null },
    { zh: '脱贫人口', en: 'lifted_population', value: (r) => r.figures?.liftedPopulation ?? null },
    {
      zh: '脱贫人口人均纯收入(元)',
      en: 'per_capita_net_income',
      value: (r) => round(r.figures?.perCapitaNetIncome),
    },
    { zh: '脱贫劳动力', en: 'labour_force', value: (r) => r.figures?.labourForce ?? null },
    {
      zh: '务工就业',
      en: 'employed',
      value: (r) => (r.figures ? r.figures.employedOutMigrant + r.figures.employedLocal : null),
    },
    { zh: '外出务工', en: 'out_migrant', value: (r) => r.figures?.employedOutMigrant ?? null },
    { zh: '公益岗位', en: 'public_welfare_posts', value: (r) => r.figures?.publicWelfarePosts ?? null },
    {
      zh: '监测户',
      en: 'monitored_households',
      value: (r) =>
        r.figures
          ? r.figures.monitoredUnstable + r.figures.monitoredMarginal + r.figures.monitoredSuddenHardship
          : null,
    },
  ],
  async (database, rows, year) => {
    const [years, names] = await Promise.all([
      findVillageYears(
        database.db,
        rows.map((r) => r.code),
        year,
      ),
      countyNames(
        database,
        rows.map((r) => r.countyCode),
      ),
    ]);
    const byCode = new Map(years.map((y) => [y.villageCode, y]));
    return rows.map((r) => ({
      ...r,
      figures: byCode.get(r.code) ?? null,
      countyName: names.get(r.countyCode),
    }));
  },
  async (_db, rows) => rows.map((r) => point(r.lon, r.lat)),
);

export const countyExport = spec<CountyRow, Awaited<ReturnType<typeof findRegionYears>>[number]>(
  'counties',
  (lang) => [
    { zh: '县代码', en: 'code', value: (r) => r.code },
    { zh: '县', en: 'name', value: (r) => r.name },
    { zh: '省代码', en: 'province_code', value: (r) => r.provinceCode },
    { zh: '地市代码', en: 'prefecture_code', value: (r) => r.prefectureCode },
    { zh: '贫困县', en: 'poverty_county', value: (r) => yesNo(r.povertyCounty, lang) },
    { zh: '摘帽年份', en: 'exit_year', value: (r) => r.povertyExitYear },
    { zh: '国家乡村振兴重点帮扶县', en: 'key_assistance', value: (r) => yesNo(r.keyAssistance, lang) },
    {
      zh: '重点帮扶县认定来源',
      en: 'key_assistance_source',
      value: (r) => (r.keyAssistanceSource ? SOURCE_NAMES[r.keyAssistanceSource][lang] : null),
    },
    { zh: '挂牌督战县', en: 'supervised', value: (r) => yesNo(r.supervised, lang) },
    { zh: '东西部协作省份', en: 'east_west_partner_province', value: (r) => r.eastWestPartnerProvince },
    { zh: '年份', en: 'year', value: (r) => r.figures?.year ?? null },
    { zh: '监测村', en: 'villages', value: (r) => r.figures?.villages ?? null },
    { zh: '脱贫人口', en: 'lifted_population', value: (r) => r.figures?.liftedPopulation ?? null },
    {
      zh: '脱贫人口人均纯收入(元)',
      en: 'per_capita_net_income',
      value: (r) => round(r.figures?.perCapitaNetIncome),
    },
    {
      zh: '务工就业率',
      en: 'employment_rate',
      value: (r) => (r.figures ? round(employmentRate(r.figures.employed, r.figures.labourForce), 4) : null),
    },
    { zh: '监测户', en: 'monitored_households', value: (r) => r.figures?.monitoredHouseholds ?? null },
    { zh: '安置点', en: 'relocation_sites', value: (r) => r.figures?.relocationSites ?? null },
    { zh: '搬迁人口', en: 'relocated_people', value: (r) => r.figures?.relocatedPeople ?? null },
  ],
  async (database, rows, year) => {
    const years = await findRegionYears(
      database.db,
      rows.map((r) => r.code),
      year,
    );
    const byCode = new Map(years.map((y) => [y.regionCode, y]));
    return rows.map((r) => ({ ...r, figures: byCode.get(r.code) ?? null }));
  },
  async (database, rows, simplifyTolerance) => {
    const geometries = await findBoundaryJson(
      database.db,
      rows.map((r) => r.code),
      { simplifyTolerance },
    );
    return rows.map((r) => geometries.get(r.code) ?? null);
  },
);

const PLACEMENT_ZH: Record<string, string> = {
  county_town: '县城安置',
  township: '乡镇安置',
  central_village: '中心村安置',
  industrial_park: '产业园区安置',
  tourist_area: '旅游景区安置',
};
const SIZE_ZH: Record<string, string> = {
  small: '小型',
  medium: '中型',
  large: '大型',
  extra_large: '特大型',
};

export const siteExport = spec<RelocationSiteRow, Awaited<ReturnType<typeof findSiteYears>>[number]>(
  'relocation-sites',
  (lang) => [
    { zh: '编号', en: 'id', value: (r) => r.id },
    { zh: '安置点名称', en: 'name', value: (r) => r.name },
    { zh: '县代码', en: 'county_code', value: (r) => r.countyCode },
    { zh: '县', en: 'county', value: (r) => r.countyName ?? null },
    {
      zh: '安置方式',
      en: 'placement_type',
      value: (r) => (lang === 'zh' ? (PLACEMENT_ZH[r.placementType] ?? r.placementType) : r.placementType),
    },
    {
      zh: '规模',
      en: 'size_class',
      value: (r) => (lang === 'zh' ? (SIZE_ZH[r.sizeClass] ?? r.sizeClass) : r.sizeClass),
    },
    { zh: '学校', en: 'school', value: (r) => yesNo(r.hasSchool, lang) },
    { zh: '卫生室', en: 'clinic', value: (r) => yesNo(r.hasClinic, lang) },
    { zh: '帮扶车间', en: 'workshop', value: (r) => yesNo(r.hasWorkshop, lang) },
    {
      zh: '社区服务中心',
      en: 'community_service_centre',
      value: (r) => yesNo(r.hasCommunityServiceCentre, lang),
    },
    { zh: '建成年份', en: 'year_built', value: (r) => r.yearBuilt },
    { zh: '经度', en: 'lon', value: (r) => round(r.lon, 6) },
    { zh: '纬度', en: 'lat', value: (r) => round(r.lat, 6) },
    { zh: '年份', en: 'year', value: (r) => r.figures?.year ?? null },
    { zh: '搬迁户', en: 'households', value: (r) => r.figures?.households ?? null },
    { zh: '搬迁人口', en: 'people', value: (r) => r.figures?.people ?? null },
    { zh: '有劳动力家庭', en: 'labour_households', value: (r) => r.figures?.labourHouseholds ?? null },
    { zh: '就业人数', en: 'employed', value: (r) => r.figures?.employed ?? null },
    {
      zh: '零就业家庭',
      en: 'zero_employment_households',
      value: (r) => r.figures?.zeroEmploymentHouseholds ?? null,
    },
  ],
  async (database, rows, year) => {
    const [years, names] = await Promise.all([
      findSiteYears(
        database.db,
        rows.map((r) => r.id),
        year,
      ),
      countyNames(
        database,
        rows.map((r) => r.countyCode),
      ),
    ]);
    const byId = new Map(years.map((y) => [y.siteId, y]));
    return rows.map((r) => ({ ...r, figures: byId.get(r.id) ?? null, countyName: names.get(r.countyCode) }));
  },
  async (_db, rows) => rows.map((r) => point(r.lon, r.lat)),
);

/** The ledger in the form county departments are handed (问题台账). 序号 counts across pages. */
export function problemExport(): ExportSpec<ProblemRow> {
  let serial = 0;
  return spec<ProblemRow, never>(
    'problems',
    (lang) => [
      { zh: '序号', en: 'no', value: () => ++serial },
      { zh: '问题编号', en: 'id', value: (r) => r.id },
      // The codes make the export importable as it is (pnpm data:import problems): the names are
      // for people, the codes say where a problem lies.
      { zh: '县代码', en: 'county_code', value: (r) => r.countyCode },
      { zh: '县', en: 'county', value: (r) => r.countyName },
      { zh: '乡镇', en: 'township', value: (r) => r.townshipName },
      { zh: '村代码', en: 'village_code', value: (r) => r.villageCode },
      { zh: '村', en: 'village', value: (r) => r.villageName },
      {
        zh: '问题类别',
        en: 'category',
        value: (r) => (lang === 'zh' ? (PROBLEM_CATEGORY_LABELS[r.category] ?? r.category) : r.category),
      },
      { zh: '问题描述', en: 'description', value: (r) => r.description },
      { zh: '责任单位', en: 'department', value: (r) => r.department },
      { zh: '发现日期', en: 'found_on', value: (r) => r.foundOn },
      { zh: '整改时限', en: 'deadline', value: (r) => r.deadline },
      {
        zh: '整改状态',
        en: 'status',
        value: (r) => (lang === 'zh' ? (PROBLEM_STATUS_LABELS[r.status] ?? r.status) : r.status),
      },
      { zh: '销号日期', en: 'closed_on', value: (r) => r.closedOn },
      { zh: '逾期', en: 'overdue', value: (r) => yesNo(r.overdue, lang) },
      // What an import of this file checks a row against: a problem changed since is not undone.
      { zh: '版本', en: 'version', value: (r) => r.version },
    ],
    async (_db, rows) => rows.map((r) => ({ ...r, figures: null })),
    async (_db, rows) => rows.map(() => null),
  );
}

/**
 * Monitored households (防止返贫监测, #17): the columns of the national system's lists a county
 * works from, by household number, holder names masked. Needs a login; each export is in the audit
 * log. The `households` import reads this file back as it is (its extra columns are shown-only).
 */
export function householdExport(): ExportSpec<HouseholdRow> {
  let serial = 0;
  const label = (labels: Record<string, string>, value: string, lang: 'zh' | 'en') =>
    lang === 'zh' ? (labels[value] ?? value) : value;
  return spec<HouseholdRow, never>(
    'households',
    (lang) => [
      { zh: '序号', en: 'no', value: () => ++serial },
      { zh: '户编号', en: 'number', value: (r) => r.number },
      // Masked for every reader: a file leaves the product's access rules behind.
      {
        zh: '户主（脱敏）',
        en: 'holder_name_masked',
        value: (r) => (r.holderName == null ? null : maskName(r.holderName)),
      },
      { zh: '县代码', en: 'county_code', value: (r) => r.countyCode },
      { zh: '县', en: 'county', value: (r) => r.countyName },
      { zh: '乡镇', en: 'township', value: (r) => r.townshipName },
      { zh: '村代码', en: 'village_code', value: (r) => r.villageCode },
      { zh: '村', en: 'village', value: (r) => r.villageName },
      { zh: '监测对象类型', en: 'type', value: (r) => label(HOUSEHOLD_TYPE_LABELS, r.type, lang) },
      {
        zh: '风险类型',
        en: 'causes',
        value: (r) => r.causes.map((c) => label(RISK_CAUSE_LABELS, c, lang)).join(lang === 'zh' ? '、' : ';'),
      },
      { zh: '家庭人口', en: 'size', value: (r) => r.size },
      { zh: '劳动力', en: 'labour', value: (r) => r.labour },
      { zh: '识别日期', en: 'identified_on', value: (r) => r.identifiedOn },
      { zh: '收入年度', en: 'income_year', value: (r) => r.incomeYear },
      { zh: '人均纯收入(元)', en: 'income_per_capita', value: (r) => r.incomePerCapita },
      { zh: '监测标准(元)', en: 'monitoring_line', value: (r) => r.monitoringLine },
      { zh: '状态', en: 'status', value: (r) => label(HOUSEHOLD_STATUS_LABELS, r.status, lang) },
      { zh: '风险消除日期', en: 'removed_on', value: (r) => r.removedOn },
      { zh: '消除核实情况', en: 'removal_verification', value: (r) => r.removalVerification },
      { zh: '再识别日期', en: 'reidentified_on', value: (r) => r.reidentifiedOn },
      { zh: '有在帮措施', en: 'active_measure', value: (r) => yesNo(r.activeMeasure, lang) },
      { zh: '预警', en: 'early_warning', value: (r) => yesNo(r.earlyWarning, lang) },
    ],
    async (_db, rows) => rows.map((r) => ({ ...r, figures: null })),
    async (_db, rows) => rows.map(() => null),
  );
}
