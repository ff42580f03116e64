// How much data there is, for the request cost model (schema/src/cost.ts): a list's declared size
// follows the data actually loaded, so a national choropleth costs what it really returns.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

export interface DataSizeRow {
  provinces: number;
  prefectures: number;
  counties: number;
  villages: number;
  listings: number;
  users: number;
  departments: number;
  maxPrefecturesPerProvince: number;
  maxCountiesPerProvince: number;
  maxCountiesPerPrefecture: number;
  maxVillagesPerProvince: number;
  maxVillagesPerPrefecture: number;
  maxVillagesPerCounty: number;
}

/** Counts of regions, villages, listings and users, and the most of each under one parent. */
export async function countDataSizes(db: Executor): Promise<DataSizeRow> {
  const [row] = await queryRows<DataSizeRow>(
    db,
    sql`WITH r AS (SELECT level, count(*)::int AS n FROM regions GROUP BY level),
      v AS (SELECT county_code, count(*)::int AS n FROM villages GROUP BY county_code)
    SELECT
      coalesce((SELECT n FROM r WHERE level = 'province'), 0) AS provinces,
      coalesce((SELECT n FROM r WHERE level = 'prefecture'), 0) AS prefectures,
      coalesce((SELECT n FROM r WHERE level = 'county'), 0) AS counties,
      coalesce((SELECT sum(n) FROM v), 0)::int AS villages,
      (SELECT count(*)::int FROM supervision_listings) AS listings,
      (SELECT count(*)::int FROM users) AS users,
      (SELECT count(DISTINCT department)::int FROM supervision_problems) AS departments,
      coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM regions WHERE level = 'prefecture'
        GROUP BY province_code) x), 0)::int AS "maxPrefecturesPerProvince",
      coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM regions WHERE level = 'county'
        GROUP BY province_code) x), 0)::int AS "maxCountiesPerProvince",
      coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM regions WHERE level = 'county'
        GROUP BY prefecture_code) x), 0)::int AS "maxCountiesPerPrefecture",
      coalesce((SELECT max(n) FROM (SELECT sum(n) AS n FROM v GROUP BY left(county_code, 2)) x), 0)::int
        AS "maxVillagesPerProvince",
      coalesce((SELECT max(n) FROM (SELECT sum(n) AS n FROM v GROUP BY left(county_code, 4)) x), 0)::int
        AS "maxVillagesPerPrefecture",
      coalesce((SELECT max(n) FROM v), 0)::int AS "maxVillagesPerCounty"`,
  );
  return row!;
}
