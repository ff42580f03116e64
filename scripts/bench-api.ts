// `pnpm bench`: the analyst API against a warm PostgreSQL + PostGIS with the national dataset.
// For each scenario it measures the GraphQL (or export) request end to end over HTTP, and the same
// data fetched by the equivalent raw SQL through the same driver in the same run, at concurrency 1
// and 8, and prints p50/p95 latency, throughput and the throughput ratio GraphQL/raw.
//
// DATABASE_URL=postgres://… uses that server (loading the national demo data if it is empty);
// otherwise a throwaway cluster is started and loaded (~1 minute). BENCH_SECONDS sets the time per
// measurement (default 4).
import {
  choroplethValues,
  countVillages,
  countyListQuery,
  type Database,
  findVillagesOfCounties,
  findVillageYears,
  listSql,
  regionStats,
  villageListQuery,
} from '@rrm/db';
import { sql } from 'drizzle-orm';
import { markdownTable, withNationalServer } from './support/national-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = [1, 8];

interface Scenario {
  name: string;
  graphql: (url: string) => Promise<unknown>;
  raw: (database: Database) => Promise<unknown>;
}

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
}

const NEAR = { lon: 106.71, lat: 26.58, radiusMeters: 30_000 }; // 贵阳

const scenarios: Scenario[] = [
  {
    name: 'village page of 100, filtered',
    graphql: (url) =>
      post(
        url,
        `{ villages(first: 100, filter: { regionCode: "52", povertyVillage: true, indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, max: 9000 } }) {
        nodes { code name township povertyExitYear supervised location } pageInfo { endCursor } } }`,
      ),
    raw: (db) =>
      db.rows(
        listSql(
          villageListQuery({
            regionCode: '52',
            povertyVillage: true,
            indicator: { indicator: 'PER_CAPITA_NET_INCOME', year: 2020, max: 9000 },
          }),
          { first: 100 },
        ),
      ),
  },
  {
    // The load test's village list (pnpm test:load): a province, income ≤ 9,000 in 2021, with its count.
    name: 'village list of 50 with totalCount, as the load test asks',
    graphql: (url) =>
      post(
        url,
        `{ villages(first: 50, filter: { regionCode: "52", indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2021, max: 9000 } }) {
        totalCount nodes { code name stats(year: 2021) { perCapitaNetIncome } } } }`,
      ),
    raw: async (db) => {
      const filter = {
        regionCode: '52',
        indicator: { indicator: 'PER_CAPITA_NET_INCOME' as const, year: 2021, max: 9000 },
      };
      const [page, count] = await Promise.all([
        db.rows<{ code: string }>(listSql(villageListQuery(filter), { first: 50 })),
        countVillages(db.db, filter),
      ]);
      return [
        await findVillageYears(
          db.db,
          page.map((v) => v.code),
          2021,
        ),
        count,
      ];
    },
  },
  {
    name: 'choropleth, all counties, one year',
    graphql: (url) =>
      post(
        url,
        '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: NATURAL_BREAKS, classes: 5) { breaks counts values { code value classIndex rank } noData } }',
      ),
    raw: (db) => choroplethValues(db.db, { level: 'county', indicator: 'PER_CAPITA_NET_INCOME', year: 2021 }),
  },
  {
    name: 'radius search 30 km, by distance',
    graphql: (url) =>
      post(
        url,
        'query($n: NearInput) { villages(first: 100, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) { nodes { code name distanceMeters } } }',
        { n: NEAR },
      ),
    raw: (db) =>
      db.rows(listSql(villageListQuery({ spatial: { near: NEAR } }, { field: 'DISTANCE' }), { first: 100 })),
  },
  {
    name: 'regionStats by province',
    graphql: (url) =>
      post(
        url,
        '{ regionStats(level: PROVINCE, year: 2021) { code name counties villages povertyVillages relocatedPeople perCapitaNetIncome employmentRate monitoredHouseholds openProblems overdueProblems } }',
      ),
    raw: (db) => regionStats(db.db, { level: 'province', year: 2021 }),
  },
  {
    name: 'nested county → villages → figures',
    graphql: (url) =>
      post(
        url,
        '{ counties(first: 20, filter: { regionCode: "5226" }) { nodes { code name villages(first: 10) { nodes { code name stats(year: 2021) { perCapitaNetIncome employmentRate monitoredHouseholds } } } } } }',
      ),
    raw: async (db) => {
      const counties = await db.rows<{ code: string }>(
        listSql(countyListQuery({ regionCode: '5226' }), { first: 20 }),
      );
      const villages = await findVillagesOfCounties(
        db.db,
        counties.map((c) => c.code),
        11,
      );
      return findVillageYears(
        db.db,
        villages.map((v) => v.code),
      );
    },
  },
  {
    name: 'GeoJSON export, all counties',
    graphql: async (url) => {
      const response = await fetch(`${url}/export/counties.geojson`);
      return response.arrayBuffer();
    },
    raw: (db) =>
      db.rows(sql`SELECT r.code, r.name, ST_AsGeoJSON(r.boundary, 6) AS geometry, ri.per_capita_net_income
        FROM regions r LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = 2021
        WHERE r.level = 'county' ORDER BY r.code`),
  },
];

interface Result {
  p50: number;
  p95: number;
  perSecond: number;
}

async function measure(run: () => Promise<unknown>, concurrency: number): Promise<Result> {
  await run(); // warm
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await run();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { p50: at(0.5), p95: at(0.95), perSecond: latencies.length / elapsed };
}

async function main() {
  await withNationalServer(async ({ database, url: base }) => {
    console.log(
      `\nnational dataset on PostgreSQL + PostGIS ${database.postgisVersion}; ${SECONDS} s per measurement\n`,
    );
    const header = [
      'scenario',
      'conc.',
      'GraphQL p50 ms',
      'p95 ms',
      'req/s',
      'raw SQL p50 ms',
      'p95 ms',
      'req/s',
      'ratio',
    ];
    const rows: string[][] = [];
    for (const s of scenarios) {
      for (const c of CONCURRENCY) {
        const g = await measure(() => s.graphql(base), c);
        const r = await measure(() => s.raw(database), c);
        rows.push([
          s.name,
          String(c),
          g.p50.toFixed(1),
          g.p95.toFixed(1),
          g.perSecond.toFixed(0),
          r.p50.toFixed(1),
          r.p95.toFixed(1),
          r.perSecond.toFixed(0),
          (g.perSecond / r.perSecond).toFixed(2),
        ]);
        console.log(
          `  ${s.name} ×${c}: GraphQL ${g.perSecond.toFixed(0)}/s, raw ${r.perSecond.toFixed(0)}/s`,
        );
      }
    }
    console.log(`\n${markdownTable(header, rows)}`);
    console.log('\nratio = GraphQL throughput / raw SQL throughput in the same run (target ≥ 0.8).');
  });
}

await main();
