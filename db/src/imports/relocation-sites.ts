// Dataset `relocation-sites`: the 易地扶贫搬迁集中安置点 (table relocation_sites) — where each site
// is, how it placed people, how large it is, what it has and when it was built. A site's id is the
// database's (a new site gets the next serial); a file names a site by county code + site name,
// unique within the county (migration 0008), and that pair is the key the import upserts by.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { checkInsideCounty, loadCounties } from './checks.ts';
import type { Choice, ColumnSpec, DatasetSpec, Row } from './spec.ts';
import { countyCodeColumn, LOCATION_COLUMNS } from './spec.ts';

interface Context {
  counties: Map<string, { name: string; hasBoundary: boolean }>;
  /** "county|name" of a stored site → the first year it has figures for (null: none yet). */
  firstFigures: Map<string, number | null>;
}

/** 安置方式: the labels offices write, and the export's (县城安置, …). */
export const PLACEMENT_CHOICES: readonly Choice[] = [
  { value: 'county_town', zh: '县城', aliases: ['县城安置'] },
  { value: 'township', zh: '集镇', aliases: ['乡镇', '集镇安置', '乡镇安置'] },
  { value: 'central_village', zh: '中心村', aliases: ['中心村安置'] },
  { value: 'industrial_park', zh: '产业园区', aliases: ['产业园区安置'] },
  { value: 'tourist_area', zh: '旅游景区', aliases: ['旅游景区安置'] },
];

/** 安置点规模 by people relocated (DOMAIN.md): small < 800, medium 800–3,000, large 3,000–10,000. */
export const SIZE_CHOICES: readonly Choice[] = [
  { value: 'small', zh: '小型' },
  { value: 'medium', zh: '中型' },
  { value: 'large', zh: '大型' },
  { value: 'extra_large', zh: '特大型' },
];

/** The sites were built for the 13th five-year plan's relocation (2016–2020). */
export const SITE_YEARS_BUILT = { min: 2016, max: 2020 } as const;

function facility(key: string, zh: string, en: string): ColumnSpec {
  return {
    key,
    zh: `是否有${zh}`,
    en: `has a ${en}`,
    type: 'bool',
    required: true,
    noteZh: `是/否：安置点是否配套${zh}`,
    noteEn: `是/否: whether the site has a ${en}`,
    sqlType: 'bool',
  };
}

export const siteKey = (county: string, name: string) => `${county}|${name}`;

export const relocationSitesDataset: DatasetSpec<Context> = {
  name: 'relocation-sites',
  zh: '安置点',
  en: 'relocation sites',
  sheet: '安置点',
  table: 'relocation_sites',
  key: ['county_code', 'name'],
  part: 'relocation-sites',
  columns: [
    countyCodeColumn(
      '安置点所在县的 6 位代码，须为已有的县',
      '6-digit code of the county the site is in; an existing county',
    ),
    {
      key: 'name',
      zh: '安置点名称',
      en: 'site name',
      type: 'text',
      required: true,
      noteZh: '安置点名称，在本县内唯一（县代码 + 名称确定一个安置点；改名即为另一个安置点）',
      noteEn:
        'name of the site, unique in its county (county code + name identify a site; a new name is a new site)',
      sqlType: 'text',
    },
    ...LOCATION_COLUMNS,
    {
      key: 'placement_type',
      zh: '安置方式',
      en: 'placement type',
      type: 'choice',
      choices: PLACEMENT_CHOICES,
      required: true,
      noteZh: '县城、集镇、中心村、产业园区、旅游景区之一（也可填 county_town 等英文值）',
      noteEn:
        'one of county_town, township, central_village, industrial_park, tourist_area (or the Chinese label)',
      sqlType: 'text',
    },
    {
      key: 'size_class',
      zh: '规模',
      en: 'size class',
      type: 'choice',
      choices: SIZE_CHOICES,
      required: true,
      noteZh: '小型（800 人以下）、中型（800–3000 人）、大型（3000–10000 人）、特大型（10000 人以上）',
      noteEn: 'small (< 800 people), medium (800–3,000), large (3,000–10,000), extra_large (≥ 10,000)',
      sqlType: 'text',
    },
    facility('has_school', '学校', 'school'),
    facility('has_clinic', '卫生室', 'clinic'),
    facility('has_workshop', '帮扶车间', 'assistance workshop (帮扶车间)'),
    facility('has_community_service_centre', '社区服务中心', 'community service centre'),
    {
      key: 'year_built',
      zh: '建成年份',
      en: 'year built',
      type: 'year',
      min: SITE_YEARS_BUILT.min,
      max: SITE_YEARS_BUILT.max,
      required: true,
      unitZh: '年',
      unitEn: 'year',
      noteZh: `${SITE_YEARS_BUILT.min}–${SITE_YEARS_BUILT.max}（“十三五”易地扶贫搬迁）；不能晚于已有年度数据的第一年`,
      noteEn: `${SITE_YEARS_BUILT.min}–${SITE_YEARS_BUILT.max} (the 13th five-year plan's relocation); not after the first year the site has figures for`,
      sqlType: 'int4',
    },
  ],
  example: {
    county_code: '520526',
    name: '示例镇幸福家园安置点',
    longitude: 104.28,
    latitude: 26.86,
    placement_type: 'township',
    size_class: 'medium',
    has_school: false,
    has_clinic: true,
    has_workshop: true,
    has_community_service_centre: true,
    year_built: 2018,
  },
  async prepare(db: Executor) {
    const sites = await queryRows<{ county_code: string; name: string; first_year: number | null }>(
      db,
      sql`SELECT s.county_code, s.name, (SELECT min(year) FROM relocation_site_indicators i WHERE i.site_id = s.id) AS first_year
        FROM relocation_sites s`,
    );
    return {
      counties: await loadCounties(db),
      firstFigures: new Map(
        sites.map((s) => [
          siteKey(s.county_code, s.name),
          s.first_year == null ? null : Number(s.first_year),
        ]),
      ),
    };
  },
  check(row: Row, context: Context, report) {
    const county = row.county_code as string;
    if (!context.counties.has(county))
      report.error('county_code', `县代码 ${county} 不是已有的县`, `there is no county ${county}`);
    if ((row.longitude == null) !== (row.latitude == null))
      report.error(
        row.longitude == null ? 'longitude' : 'latitude',
        '经度和纬度须同时填写或同时不填',
        'longitude and latitude go together: give both or neither',
      );
    // The yearly figures start in the year built: a later year would leave figures before the site existed.
    const first = context.firstFigures.get(siteKey(county, row.name as string));
    const built = row.year_built as number;
    if (first != null && built > first)
      report.error(
        'year_built',
        `建成年份 ${built} 晚于该安置点已有年度数据的第一年 ${first}`,
        `year built ${built} is after ${first}, the first year the site already has figures for`,
      );
  },
  checkBatch: (db, rows, context) =>
    checkInsideCounty(db, rows, (row) => row.county_code as string, context.counties),
  inputOnly: ['longitude', 'latitude'],
  computed: {
    location: sql`CASE WHEN u.longitude IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(u.longitude, u.latitude), 4326) END`,
  },
  // A row without coordinates keeps the location the site has.
  update: { location: (incoming) => sql`coalesce(${incoming}, t.location)` },
  oldJson: sql`(to_jsonb(t) - 'location' - 'id') || jsonb_build_object('longitude', ST_X(t.location), 'latitude', ST_Y(t.location))`,
};
