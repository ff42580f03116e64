// Dataset `relocation-site-years`: the yearly figures of a relocation site (table
// relocation_site_indicators), keyed by site + year. A file names the site as people know it, by
// county code + site name; `prepare` loads the sites once, and the site's id is derived from that
// map (the table's key is site_id + year). The region rollup sums these into the relocation
// figures the map, the KPI cards and the API show.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { FIRST_YEAR, LAST_YEAR } from '../facts.ts';
import type { ColumnSpec, DatasetSpec, Reporter, Row } from './spec.ts';
import { countyCodeColumn } from './spec.ts';

export interface SiteContext {
  /** County code → name. */
  counties: Map<string, string>;
  /** "county|name" → the site's id and year built. */
  sites: Map<string, { id: number; yearBuilt: number }>;
}

const siteKey = (county: string, name: string) => `${county}|${name}`;

/** The sites and counties a file that names sites by county + name is checked against. */
export async function loadSites(db: Executor): Promise<SiteContext> {
  const [sites, counties] = await Promise.all([
    queryRows<{ id: number; county_code: string; name: string; year_built: number }>(
      db,
      sql`SELECT id, county_code, name, year_built FROM relocation_sites`,
    ),
    queryRows<{ code: string; name: string }>(db, sql`SELECT code, name FROM regions WHERE level = 'county'`),
  ]);
  return {
    counties: new Map(counties.map((c) => [c.code, c.name])),
    sites: new Map(
      sites.map((s) => [
        siteKey(s.county_code, s.name),
        { id: Number(s.id), yearBuilt: Number(s.year_built) },
      ]),
    ),
  };
}

/** The two columns that name a site in a file. */
export const SITE_COLUMNS: readonly ColumnSpec[] = [
  countyCodeColumn('安置点所在县的 6 位代码', '6-digit code of the county the site is in'),
  {
    key: 'site_name',
    zh: '安置点名称',
    en: 'site name',
    type: 'text',
    required: true,
    noteZh: '安置点名称，须为该县已有的安置点（先导入“安置点”）',
    noteEn: 'name of an existing site of that county (import `relocation-sites` first)',
    sqlType: 'text',
  },
];

/** The site a row names, or an error naming the county and the site. */
export function findSite(
  row: Row,
  context: SiteContext,
  report: Reporter,
): { id: number; yearBuilt: number } | undefined {
  const county = row.county_code as string;
  const name = row.site_name as string;
  const countyName = context.counties.get(county);
  if (countyName === undefined) {
    report.error('county_code', `县代码 ${county} 不是已有的县`, `there is no county ${county}`);
    return undefined;
  }
  const site = context.sites.get(siteKey(county, name));
  if (!site)
    report.error(
      'site_name',
      `${countyName}（${county}）没有名为“${name}”的安置点（先导入“安置点”）`,
      `${countyName} (${county}) has no relocation site named "${name}" (import relocation-sites first)`,
    );
  return site;
}

/** The site's id, for a row the checks passed (only valid rows are staged). */
export function siteIdOf(row: Row, context: SiteContext): number {
  return context.sites.get(siteKey(row.county_code as string, row.site_name as string))!.id;
}

/** The old row keyed like the file: the site named by county and name rather than by id. */
export const SITE_OLD_JSON = sql`(to_jsonb(t) - 'site_id') || coalesce((SELECT jsonb_build_object('county_code', s.county_code, 'site_name', s.name)
  FROM relocation_sites s WHERE s.id = t.site_id), '{}'::jsonb)`;

function count(
  key: string,
  zh: string,
  en: string,
  unitZh: string,
  unitEn: string,
  noteZh: string,
  noteEn: string,
): ColumnSpec {
  return { key, zh, en, type: 'int', required: true, unitZh, unitEn, noteZh, noteEn, sqlType: 'int4' };
}

export const relocationSiteYearsDataset: DatasetSpec<SiteContext> = {
  name: 'relocation-site-years',
  zh: '安置点年度数据',
  en: 'yearly relocation site figures',
  sheet: '安置点年度数据',
  table: 'relocation_site_indicators',
  key: ['site_id', 'year'],
  fileKey: ['county_code', 'site_name', 'year'],
  part: 'relocation-site-years',
  columns: [
    ...SITE_COLUMNS,
    {
      key: 'year',
      zh: '年份',
      en: 'year',
      type: 'year',
      min: FIRST_YEAR,
      max: LAST_YEAR,
      required: true,
      unitZh: '年',
      unitEn: 'year',
      noteZh: `${FIRST_YEAR}–${LAST_YEAR}，不早于安置点的建成年份`,
      noteEn: `${FIRST_YEAR}–${LAST_YEAR}, not before the year the site was built`,
      sqlType: 'int4',
    },
    count(
      'households',
      '搬迁户数',
      'households',
      '户',
      'households',
      '入住的搬迁户数，非负整数',
      'relocated households living there, a whole number ≥ 0',
    ),
    count(
      'people',
      '搬迁人口',
      'people',
      '人',
      'people',
      '入住的搬迁人口，不少于户数',
      'relocated people living there; at least the households',
    ),
    count(
      'labour_households',
      '有劳动力家庭数',
      'labour households',
      '户',
      'households',
      '有劳动力的搬迁户数，不多于搬迁户数',
      'households with at least one labourer; at most the households',
    ),
    count(
      'employed',
      '就业人数',
      'employed',
      '人',
      'people',
      '搬迁劳动力中就业的人数，不多于搬迁人口，不少于有人就业的家庭数（有劳动力家庭数 − 零就业家庭数）',
      'relocated labourers in work; at most the people, at least one per labour household that is not a zero-employment one',
    ),
    count(
      'zero_employment_households',
      '零就业家庭数',
      'zero-employment households',
      '户',
      'households',
      '有劳动力但无人就业的家庭数，不多于有劳动力家庭数',
      'households with a labourer but nobody in work; at most the labour households',
    ),
  ],
  example: {
    county_code: '520526',
    site_name: '示例镇幸福家园安置点',
    year: 2021,
    households: 320,
    people: 1190,
    labour_households: 280,
    employed: 410,
    zero_employment_households: 0,
  },
  prepare: loadSites,
  check(row, context, report) {
    const site = findSite(row, context, report);
    const year = row.year as number;
    if (site && year < site.yearBuilt)
      report.error(
        'year',
        `${year} 年早于安置点的建成年份 ${site.yearBuilt}`,
        `${year} is before the site was built (${site.yearBuilt})`,
      );
    const n = (key: string) => row[key] as number;
    const households = n('households');
    const people = n('people');
    const labour = n('labour_households');
    const employed = n('employed');
    const zero = n('zero_employment_households');
    if (households > people)
      report.error(
        'people',
        `搬迁人口 ${people} 少于搬迁户数 ${households}`,
        `people ${people} are fewer than the households ${households}`,
      );
    if (employed > people)
      report.error(
        'employed',
        `就业人数 ${employed} 超过搬迁人口 ${people}`,
        `employed ${employed} exceeds the people ${people}`,
      );
    if (labour > households)
      report.error(
        'labour_households',
        `有劳动力家庭数 ${labour} 超过搬迁户数 ${households}`,
        `labour households ${labour} exceed the households ${households}`,
      );
    if (zero > labour)
      report.error(
        'zero_employment_households',
        `零就业家庭数 ${zero} 超过有劳动力家庭数 ${labour}`,
        `zero-employment households ${zero} exceed the labour households ${labour}`,
      );
    // Every labour household that is not a zero-employment one has someone in work.
    else if (employed < labour - zero)
      report.error(
        'employed',
        `就业人数 ${employed} 少于有人就业的家庭数 ${labour - zero}（有劳动力家庭 ${labour} − 零就业家庭 ${zero}）`,
        `employed ${employed} is fewer than the households with someone in work, ${labour - zero} (labour households ${labour} − zero-employment ${zero})`,
      );
  },
  inputOnly: ['county_code', 'site_name'],
  derived: [{ name: 'site_id', type: 'int4', get: siteIdOf }],
  oldJson: SITE_OLD_JSON,
};
