// Dataset `village-years`: the yearly figures of a village (table village_indicators), keyed by
// village code + year. These are the figures the map, the tiles, the KPI cards and the API read.
import { sql } from 'drizzle-orm';
import { queryRows } from '../bulk.ts';
import { FIRST_YEAR, LAST_YEAR, YEAR_COUNT } from '../facts.ts';
import type { ColumnSpec, DatasetSpec } from './spec.ts';
import { villageCodeColumn } from './spec.ts';

interface Context {
  villages: Set<string>;
}

const PEOPLE = { unitZh: '人', unitEn: 'people' };
const HOUSEHOLDS = { unitZh: '户', unitEn: 'households' };

function count(
  key: string,
  zh: string,
  en: string,
  unit: { unitZh: string; unitEn: string },
  noteZh = '',
  noteEn = '',
): ColumnSpec {
  return {
    key,
    zh,
    en,
    type: 'int',
    required: true,
    ...unit,
    noteZh: noteZh || `${zh}，非负整数`,
    noteEn: noteEn || `${en}, a whole number ≥ 0`,
    sqlType: 'int4',
  };
}

export const villageYearsDataset: DatasetSpec<Context> = {
  name: 'village-years',
  zh: '村年度数据',
  en: 'yearly village figures',
  sheet: '村年度数据',
  table: 'village_indicators',
  key: ['village_code', 'year'],
  part: 'village-years',
  keySlots: { group: 'village_code', slot: 'year', min: FIRST_YEAR, count: YEAR_COUNT },
  columns: [
    villageCodeColumn(
      '12 位村代码，须为已有的村（先导入“村”）',
      '12-digit village code of an existing village (import `villages` first)',
    ),
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
      noteZh: `${FIRST_YEAR}–${LAST_YEAR}`,
      noteEn: `${FIRST_YEAR}–${LAST_YEAR}`,
      sqlType: 'int4',
    },
    count('population', '户籍人口', 'population', PEOPLE),
    count('households', '户数', 'households', HOUSEHOLDS),
    count(
      'lifted_population',
      '脱贫人口',
      'lifted population',
      PEOPLE,
      '建档立卡脱贫户人口，不大于户籍人口',
      'people in registered (建档立卡) poor households; at most the population',
    ),
    count('lifted_households', '脱贫户数', 'lifted households', HOUSEHOLDS),
    {
      key: 'per_capita_net_income',
      zh: '脱贫人口人均纯收入',
      en: 'per-capita net income of the lifted population',
      type: 'number',
      required: true,
      unitZh: '元/人·年',
      unitEn: 'yuan per person per year',
      noteZh: '脱贫人口人均纯收入，非负数',
      noteEn: 'per-capita net income of the lifted population, ≥ 0',
      sqlType: 'float8',
    },
    count(
      'labour_force',
      '脱贫劳动力',
      'labour force',
      PEOPLE,
      '脱贫劳动力人数，不小于外出务工与就近就业之和',
      'labour force of the lifted population; at least out-migrant + local employed',
    ),
    count('employed_out_migrant', '外出务工人数', 'employed out-migrant', PEOPLE),
    count(
      'employed_local',
      '就近就业人数',
      'employed locally',
      PEOPLE,
      '就近就业人数（含公益岗位、帮扶车间）',
      'employed locally (public-welfare posts and workshop jobs included)',
    ),
    count('public_welfare_posts', '公益岗位人数', 'public-welfare posts', PEOPLE),
    count('workshop_jobs', '帮扶车间就业人数', 'workshop jobs', PEOPLE),
    count('monitored_unstable', '脱贫不稳定户', 'monitored: unstable lifted households', HOUSEHOLDS),
    count('monitored_marginal', '边缘易致贫户', 'monitored: marginal households', HOUSEHOLDS),
    count(
      'monitored_sudden_hardship',
      '突发严重困难户',
      'monitored: sudden severe hardship households',
      HOUSEHOLDS,
    ),
    count('monitored_risk_removed', '风险消除户数', 'monitored households with risk removed', HOUSEHOLDS),
    count('dropouts', '义务教育阶段失学辍学人数', 'school dropouts (compulsory education)', PEOPLE),
    count('uninsured', '未参加基本医疗保险人数', 'without basic medical insurance', PEOPLE),
    count('unsafe_houses', '住房不安全户数', 'households in unsafe houses', HOUSEHOLDS),
    count(
      'households_without_safe_water',
      '饮水不安全户数',
      'households without safe drinking water',
      HOUSEHOLDS,
    ),
  ],
  example: {
    village_code: '520526101201',
    year: 2021,
    population: 1820,
    households: 480,
    lifted_population: 610,
    lifted_households: 160,
    per_capita_net_income: 11850.5,
    labour_force: 250,
    employed_out_migrant: 150,
    employed_local: 70,
    public_welfare_posts: 12,
    workshop_jobs: 8,
    monitored_unstable: 3,
    monitored_marginal: 2,
    monitored_sudden_hardship: 1,
    monitored_risk_removed: 2,
    dropouts: 0,
    uninsured: 4,
    unsafe_houses: 0,
    households_without_safe_water: 1,
  },
  async prepare(db) {
    const rows = await queryRows<{ code: string }>(db, sql`SELECT code FROM villages`);
    return { villages: new Set(rows.map((r) => r.code)) };
  },
  check(row, context, report) {
    const code = row.village_code as string | null;
    if (code != null && !context.villages.has(code))
      report.error('village_code', `村代码 ${code} 不存在`, `there is no village ${code}`);
    const { labour_force: labour, employed_out_migrant: out, employed_local: local } = row;
    if (
      typeof labour === 'number' &&
      typeof out === 'number' &&
      typeof local === 'number' &&
      out + local > labour
    )
      report.error(
        'labour_force',
        `外出务工 ${out} 与就近就业 ${local} 之和 ${out + local} 超过脱贫劳动力 ${labour}`,
        `employed (out-migrant ${out} + local ${local} = ${out + local}) exceeds the labour force ${labour}`,
      );
    const { population, lifted_population: lifted } = row;
    if (typeof population === 'number' && typeof lifted === 'number' && lifted > population)
      report.error(
        'lifted_population',
        `脱贫人口 ${lifted} 超过户籍人口 ${population}`,
        `lifted population ${lifted} exceeds the population ${population}`,
      );
  },
};
