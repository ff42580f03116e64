// Dataset `villages`: one row per village (code, name, township, poverty village and exit year,
// location, 挂牌督战). Keyed by the 12-digit code; its first 6 digits are the county.
import { sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';
import { checkInsideCounty, loadCounties } from './checks.ts';
import type { DatasetSpec, Row } from './spec.ts';
import { LOCATION_COLUMNS } from './spec.ts';

interface Context {
  counties: Map<string, { name: string; hasBoundary: boolean }>;
}

export const villagesDataset: DatasetSpec<Context> = {
  name: 'villages',
  zh: '村',
  en: 'villages',
  sheet: '村',
  table: 'villages',
  key: ['code'],
  part: 'villages',
  columns: [
    {
      key: 'code',
      zh: '村代码',
      en: 'village code',
      type: 'digits',
      digits: 12,
      required: true,
      noteZh: '12 位统计用区划代码；前 6 位须为已有的县',
      noteEn: '12-digit statistical code; its first 6 digits must be an existing county',
      sqlType: 'text',
    },
    {
      key: 'name',
      zh: '村名称',
      en: 'village name',
      type: 'text',
      required: true,
      noteZh: '村（社区）名称',
      noteEn: 'name of the village',
      sqlType: 'text',
    },
    {
      key: 'township_code',
      zh: '乡镇代码',
      en: 'township code',
      type: 'digits',
      digits: 9,
      required: true,
      noteZh: '9 位代码，须为村代码的前 9 位',
      noteEn: '9 digits, the first 9 of the village code',
      sqlType: 'text',
    },
    {
      key: 'township_name',
      zh: '乡镇名称',
      en: 'township name',
      type: 'text',
      required: true,
      noteZh: '乡镇（街道）名称',
      noteEn: 'name of the township',
      sqlType: 'text',
    },
    {
      key: 'poverty_village',
      zh: '是否贫困村',
      en: 'poverty village',
      type: 'bool',
      required: true,
      noteZh: '是/否（也可填 true/false）',
      noteEn: '是/否 or true/false',
      sqlType: 'bool',
    },
    {
      key: 'poverty_exit_year',
      zh: '出列年份',
      en: 'exit year',
      type: 'year',
      min: 2016,
      max: 2020,
      required: false,
      unitZh: '年',
      unitEn: 'year',
      noteZh: '2016–2020，仅贫困村填写',
      noteEn: '2016–2020, only for poverty villages',
      sqlType: 'int4',
    },
    ...LOCATION_COLUMNS,
    {
      key: 'supervised',
      zh: '是否挂牌督战村',
      en: '挂牌督战 (listed for supervision)',
      type: 'bool',
      required: false,
      noteZh: '是/否，不填为否',
      noteEn: '是/否; empty means no',
      sqlType: 'bool',
    },
  ],
  example: {
    code: '520526101201',
    name: '示例村',
    township_code: '520526101',
    township_name: '示例镇',
    poverty_village: true,
    poverty_exit_year: 2019,
    longitude: 104.28,
    latitude: 26.86,
    supervised: false,
  },
  async prepare(db: Executor) {
    return { counties: await loadCounties(db) };
  },
  check(row: Row, context: Context, report) {
    const code = row.code as string | null;
    if (code != null) {
      const county = code.slice(0, 6);
      if (!context.counties.has(county))
        report.error(
          'code',
          `前 6 位 ${county} 不是已有的县`,
          `its first 6 digits ${county} are not a county`,
        );
      const township = row.township_code as string | null;
      if (township != null && !code.startsWith(township))
        report.error(
          'township_code',
          `乡镇代码 ${township} 不是村代码 ${code} 的前 9 位`,
          `township code ${township} is not the first 9 digits of village code ${code}`,
        );
    }
    if (row.poverty_exit_year != null && row.poverty_village === false)
      report.error(
        'poverty_exit_year',
        '非贫困村不应填写出列年份',
        'only a poverty village has an exit year',
      );
    if ((row.longitude == null) !== (row.latitude == null))
      report.error(
        row.longitude == null ? 'longitude' : 'latitude',
        '经度和纬度须同时填写或同时不填',
        'longitude and latitude go together: give both or neither',
      );
  },
  checkBatch: (db, rows, context) =>
    checkInsideCounty(db, rows, (row) => (row.code as string).slice(0, 6), context.counties),
  derived: [{ name: 'county_code', type: 'text', get: (row) => (row.code as string).slice(0, 6) }],
  inputOnly: ['longitude', 'latitude'],
  computed: {
    location: sql`CASE WHEN u.longitude IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(u.longitude, u.latitude), 4326) END`,
  },
  // A row without coordinates keeps the location the village has.
  update: { location: (incoming) => sql`coalesce(${incoming}, t.location)` },
  oldJson: sql`(to_jsonb(t) - 'location' - 'county_code') || jsonb_build_object('longitude', ST_X(t.location), 'latitude', ST_Y(t.location))`,
};
