// Dataset `county-designations`: what each county is designated as (table county_designations) —
// poverty county (贫困县) and its exit year, national key assistance county, 挂牌督战县, and its
// east–west partner. Keyed by the 6-digit county code. The demo takes these from the published
// lists where known and draws the rest; an imported row is a fact the importer stands for, so it
// marks the county's key assistance source `imported` (County.keyAssistanceSource), and the API's
// `dataset.sources` names the file once this part is imported.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { DatasetSpec, Row } from './spec.ts';
import { countyCodeColumn } from './spec.ts';

interface Context {
  /** County code → name. */
  counties: Map<string, string>;
  /** Province code → name. */
  provinces: Map<string, string>;
}

export const countyDesignationsDataset: DatasetSpec<Context> = {
  name: 'county-designations',
  zh: '县认定',
  en: 'county designations',
  sheet: '县认定',
  table: 'county_designations',
  key: ['county_code'],
  part: 'county-designations',
  columns: [
    countyCodeColumn(
      '6 位县级区划代码（2023 年），须为已有的县',
      '6-digit county code (2023) of an existing county',
    ),
    {
      key: 'poverty_county',
      zh: '是否贫困县',
      en: 'poverty county',
      type: 'bool',
      required: true,
      noteZh: '是/否：是否为 832 个国家扶贫开发工作重点县和集中连片特困地区县之一',
      noteEn: '是/否: one of the 832 poverty counties',
      sqlType: 'bool',
    },
    {
      key: 'poverty_exit_year',
      zh: '摘帽年份',
      en: 'exit year',
      type: 'year',
      min: 2016,
      max: 2020,
      required: false,
      unitZh: '年',
      unitEn: 'year',
      noteZh: '2016–2020；贫困县必填（832 个县均已于 2020 年底前摘帽），非贫困县不填',
      noteEn: '2016–2020; required for a poverty county (all 832 exited by the end of 2020), empty otherwise',
      sqlType: 'int4',
    },
    {
      key: 'key_assistance',
      zh: '是否国家乡村振兴重点帮扶县',
      en: 'national key assistance county',
      type: 'bool',
      required: true,
      noteZh: '是/否：2021 年确定的 160 个国家乡村振兴重点帮扶县之一（均为脱贫县）',
      noteEn: '是/否: one of the 160 national key assistance counties of 2021 (all former poverty counties)',
      sqlType: 'bool',
    },
    {
      key: 'supervised',
      zh: '是否挂牌督战县',
      en: '挂牌督战 county (listed for supervision)',
      type: 'bool',
      required: true,
      noteZh: '是/否：2020 年挂牌督战的 52 个贫困县之一',
      noteEn: '是/否: one of the 52 poverty counties listed for supervision in 2020',
      sqlType: 'bool',
    },
    {
      key: 'east_west_partner_province',
      zh: '东西部协作省份代码',
      en: 'east–west partner province',
      type: 'digits',
      digits: 2,
      required: false,
      noteZh: '东西部协作结对的东部省份的 2 位代码（如广东 44），可不填；不填表示没有',
      noteEn:
        '2-digit code of the eastern partner province (e.g. 44 for Guangdong); optional, empty means none',
      sqlType: 'text',
    },
    {
      key: 'east_west_partner_county',
      zh: '东西部协作县代码',
      en: 'east–west partner county',
      type: 'digits',
      digits: 6,
      required: false,
      noteZh: '结对的东部县（市、区）的 6 位代码，可不填；填写时须在协作省份内',
      noteEn: '6-digit code of the partnering eastern county; optional; inside the partner province',
      sqlType: 'text',
    },
  ],
  example: {
    county_code: '520526',
    poverty_county: true,
    poverty_exit_year: 2020,
    key_assistance: true,
    supervised: true,
    east_west_partner_province: '44',
    // Left empty: an example pairing could be read as a fact.
    east_west_partner_county: null,
  },
  async prepare(db: Executor) {
    const rows = await queryRows<{ code: string; name: string; level: string }>(
      db,
      sql`SELECT code, name, level FROM regions WHERE level IN ('county', 'province')`,
    );
    const of = (level: string) =>
      new Map(rows.filter((r) => r.level === level).map((r) => [r.code, r.name] as const));
    return { counties: of('county'), provinces: of('province') };
  },
  check(row: Row, context: Context, report) {
    const code = row.county_code as string;
    // A 6-digit code can be a prefecture's city proper (520100) or a made-up one: only counties hold designations.
    if (!context.counties.has(code))
      report.error('county_code', `县代码 ${code} 不是已有的县`, `there is no county ${code}`);
    const poor = row.poverty_county === true;
    if (row.poverty_exit_year != null && !poor)
      report.error('poverty_exit_year', '非贫困县不应填写摘帽年份', 'only a poverty county has an exit year');
    if (poor && row.poverty_exit_year == null)
      report.error(
        'poverty_exit_year',
        '贫困县须填写摘帽年份（2016–2020）',
        'a poverty county needs its exit year (2016–2020)',
      );
    // Both lists were drawn from the poverty counties: one outside them is a slip in the file.
    if (row.key_assistance === true && !poor)
      report.error(
        'key_assistance',
        '国家乡村振兴重点帮扶县须为脱贫县（是否贫困县应为“是”）',
        'a key assistance county is a former poverty county (poverty county must be 是)',
      );
    if (row.supervised === true && !poor)
      report.error(
        'supervised',
        '挂牌督战县须为贫困县（是否贫困县应为“是”）',
        'a 挂牌督战 county is a poverty county (poverty county must be 是)',
      );
    const province = row.east_west_partner_province as string | null;
    const partner = row.east_west_partner_county as string | null;
    if (province != null) {
      if (!context.provinces.has(province))
        report.error(
          'east_west_partner_province',
          `协作省份代码 ${province} 不是已有的省份`,
          `there is no province ${province}`,
        );
      else if (province === code.slice(0, 2))
        report.error(
          'east_west_partner_province',
          `协作省份 ${context.provinces.get(province)}（${province}）是本县所在省份，东西部协作须为另一省份`,
          `partner province ${province} is the county's own province; an east–west partner is another province`,
        );
    }
    if (partner != null) {
      if (province == null)
        report.error(
          'east_west_partner_county',
          '填写协作县时须同时填写协作省份代码',
          'a partner county needs its partner province',
        );
      else if (!context.counties.has(partner))
        report.error(
          'east_west_partner_county',
          `协作县代码 ${partner} 不是已有的县`,
          `there is no county ${partner}`,
        );
      else if (!partner.startsWith(province))
        report.error(
          'east_west_partner_county',
          `协作县 ${context.counties.get(partner)}（${partner}）不在协作省份 ${province} 内`,
          `partner county ${partner} (${context.counties.get(partner)}) is not in the partner province ${province}`,
        );
    }
  },
  // The file says whether the county is a key assistance county: that value is now the importer's,
  // whatever list or draw it came from before. Rollback restores the old source with the old row.
  derived: [{ name: 'key_assistance_source', type: 'text', get: () => 'imported' }],
};
