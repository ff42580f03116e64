// Dataset `relocation-origins`: the villages a relocation site's households came from (迁出村) and
// how many households each gave (table relocation_origins), keyed by site + village. The site is
// named by county code + site name, as in `relocation-site-years`; its id is derived from the
// sites `prepare` loads.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import {
  findSite,
  loadSites,
  SITE_COLUMNS,
  SITE_OLD_JSON,
  type SiteContext,
  siteIdOf,
} from './relocation-site-years.ts';
import type { DatasetSpec } from './spec.ts';

interface Context extends SiteContext {
  villages: Set<string>;
}

export const relocationOriginsDataset: DatasetSpec<Context> = {
  name: 'relocation-origins',
  zh: '安置点迁出村',
  en: 'villages the relocated households came from',
  sheet: '安置点迁出村',
  table: 'relocation_origins',
  key: ['site_id', 'village_code'],
  fileKey: ['county_code', 'site_name', 'village_code'],
  part: 'relocation-origins',
  columns: [
    ...SITE_COLUMNS,
    {
      key: 'village_code',
      zh: '迁出村代码',
      en: 'origin village code',
      type: 'digits',
      digits: 12,
      required: true,
      noteZh: '搬迁户迁出村的 12 位代码，须为已有的村（可在其他县：跨县安置）',
      noteEn:
        '12-digit code of the village the households came from; an existing village (another county is allowed)',
      sqlType: 'text',
    },
    {
      key: 'households',
      zh: '迁出户数',
      en: 'households',
      type: 'int',
      required: true,
      unitZh: '户',
      unitEn: 'households',
      noteZh: '从该村迁入本安置点的户数，至少 1 户',
      noteEn: 'households that came from this village, at least 1',
      sqlType: 'int4',
    },
  ],
  example: {
    county_code: '520526',
    site_name: '示例镇幸福家园安置点',
    village_code: '520526101201',
    households: 42,
  },
  async prepare(db: Executor) {
    const [sites, villages] = await Promise.all([
      loadSites(db),
      queryRows<{ code: string }>(db, sql`SELECT code FROM villages`),
    ]);
    return { ...sites, villages: new Set(villages.map((v) => v.code)) };
  },
  check(row, context, report) {
    findSite(row, context, report);
    const village = row.village_code as string;
    if (!context.villages.has(village))
      report.error('village_code', `村代码 ${village} 不存在`, `there is no village ${village}`);
    // A village that gave nobody is not an origin: leave the row out instead.
    if ((row.households as number) < 1)
      report.error('households', '迁出户数至少为 1', 'households must be at least 1');
  },
  inputOnly: ['county_code', 'site_name'],
  derived: [{ name: 'site_id', type: 'int4', get: siteIdOf }],
  oldJson: SITE_OLD_JSON,
};
