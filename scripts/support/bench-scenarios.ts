// The scenarios of `pnpm bench` (scripts/bench-api.ts): each question as the product, the peer
// (PostGraphile v5) and raw SQL ask it, and how each answer reduces to rows that can be compared.
// biome-ignore lint/suspicious/noExplicitAny: answers are JSON of the shapes the queries ask for; the comparison checks them.
type Json = any;
export type Value = string | number | boolean | null;
export type Canonical = Map<string, Value[]>;

export interface Scenario {
  name: string;
  /** The product's request: a GraphQL document, or a GET path. */
  product: { query: string; variables?: Record<string, unknown> } | { get: string };
  /** Asked as this demo user (a bearer token): household rows need a login, and each read is audited. */
  login?: 'analyst';
  peer?: { query: string; variables?: Record<string, unknown> };
  raw: string;
  canonical: {
    product: (answer: Json) => Canonical;
    peer?: (answer: Json) => Canonical;
    raw: (rows: Json[]) => Canonical;
  };
}

const NEAR = { lon: 106.71, lat: 26.58, radiusMeters: 30_000 }; // 贵阳
const rowsBy = <T>(rows: T[], key: (row: T) => string, values: (row: T) => Value[]): Canonical =>
  new Map(rows.map((row) => [key(row), values(row)]));

export const scenarios: Scenario[] = [
  {
    name: 'page of 100 poverty villages of a province, income ≤ 9,000 in 2020',
    product: {
      query: `{ villages(first: 100, filter: { regionCode: "52", povertyVillage: true, indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, max: 9000 } }) {
        nodes { code name township povertyExitYear supervised } } }`,
    },
    peer: {
      query: `{ allVillages(first: 100, orderBy: CODE_ASC, filter: { code: { startsWith: "52" }, povertyVillage: { equalTo: true },
        villageIndicatorsByVillageCode: { some: { year: { equalTo: 2020 }, perCapitaNetIncome: { lessThanOrEqualTo: 9000 } } } }) {
        nodes { code name townshipName povertyExitYear supervised } } }`,
    },
    raw: `SELECT v.code, v.name, v.township_name, v.poverty_exit_year, v.supervised FROM villages v
      WHERE v.code LIKE '52%' AND v.poverty_village AND EXISTS (SELECT 1 FROM village_indicators vi
        WHERE vi.village_code = v.code AND vi.year = 2020 AND vi.per_capita_net_income <= 9000)
      ORDER BY v.code LIMIT 100`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.villages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.township, v.povertyExitYear, v.supervised],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allVillages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.townshipName, v.povertyExitYear, v.supervised],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.name, v.township_name, v.poverty_exit_year, v.supervised],
        ),
    },
  },
  {
    // The load test's village list (scripts/load-test.ts), whose count was 1.5 s at p50 under load
    // before migration 0005 (docs/performance.md, issue #10).
    name: 'village list of 50 with totalCount, as the load test asks',
    product: {
      query: `{ villages(first: 50, filter: { regionCode: "52", indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2021, max: 9000 } }) {
        totalCount nodes { code name stats(year: 2021) { perCapitaNetIncome } } } }`,
    },
    peer: {
      query: `{ allVillages(first: 50, orderBy: CODE_ASC, filter: { code: { startsWith: "52" },
        villageIndicatorsByVillageCode: { some: { year: { equalTo: 2021 }, perCapitaNetIncome: { lessThanOrEqualTo: 9000 } } } }) {
        totalCount nodes { code name villageIndicatorsByVillageCode(condition: { year: 2021 }) { nodes { perCapitaNetIncome } } } } }`,
    },
    raw: `SELECT v.code, v.name, vi.per_capita_net_income AS income, count(*) OVER () AS total
      FROM villages v JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021
      WHERE v.code LIKE '52%' AND vi.per_capita_net_income <= 9000
      ORDER BY v.code LIMIT 50`,
    canonical: {
      // The count rides on a row of its own, so that a wrong total fails the comparison too.
      product: (a) =>
        new Map([
          ['total', [a.data.villages.totalCount]],
          ...rowsBy(
            a.data.villages.nodes,
            (v: Json) => v.code,
            (v: Json) => [v.name, Math.round(Number(v.stats.perCapitaNetIncome))],
          ),
        ]),
      peer: (a) =>
        new Map([
          ['total', [a.data.allVillages.totalCount]],
          ...rowsBy(
            a.data.allVillages.nodes,
            (v: Json) => v.code,
            (v: Json) => [
              v.name,
              Math.round(Number(v.villageIndicatorsByVillageCode.nodes[0].perCapitaNetIncome)),
            ],
          ),
        ]),
      raw: (rows) =>
        new Map([
          ['total', [Number(rows[0]?.total ?? 0)]],
          ...rowsBy(
            rows,
            (v) => v.code,
            (v) => [v.name, Math.round(Number(v.income))],
          ),
        ]),
    },
  },
  {
    name: 'county choropleth input, one indicator and year',
    product: {
      query:
        '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: NATURAL_BREAKS, classes: 5) { breaks values { code value classIndex } noData } }',
    },
    peer: {
      query:
        '{ allRegionIndicators(condition: { level: "county", year: 2021 }, orderBy: REGION_CODE_ASC) { nodes { regionCode perCapitaNetIncome } } }',
    },
    raw: `SELECT r.code, ri.per_capita_net_income AS value FROM regions r
      LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = 2021
      WHERE r.level = 'county' ORDER BY r.code`,
    canonical: {
      // Counties without a figure: the product lists them as no data, the peer has no row.
      product: (a) =>
        rowsBy(
          a.data.choropleth.values.filter((v: Json) => v.value != null),
          (v: Json) => v.code,
          (v: Json) => [v.value],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allRegionIndicators.nodes.filter((v: Json) => v.perCapitaNetIncome != null),
          (v: Json) => v.regionCode,
          (v: Json) => [v.perCapitaNetIncome],
        ),
      raw: (rows) =>
        rowsBy(
          rows.filter((v) => v.value != null),
          (v) => v.code,
          (v) => [v.value],
        ),
    },
  },
  {
    name: 'villages within 30 km, nearest first, with distance',
    product: {
      query:
        'query($n: NearInput) { villages(first: 100, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) { nodes { code name distanceMeters } } }',
      variables: { n: NEAR },
    },
    peer: {
      query:
        'query($lon: Float!, $lat: Float!, $r: Float!) { benchPeerVillagesNear(lon: $lon, lat: $lat, radiusMeters: $r, first: 100) { nodes { code name distanceMeters } } }',
      variables: { lon: NEAR.lon, lat: NEAR.lat, r: NEAR.radiusMeters },
    },
    raw: `SELECT code, name, distance_meters FROM bench_peer.villages_near(${NEAR.lon}, ${NEAR.lat}, ${NEAR.radiusMeters}) LIMIT 100`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.villages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.distanceMeters],
        ),
      peer: (a) =>
        rowsBy(
          a.data.benchPeerVillagesNear.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.distanceMeters],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.name, v.distance_meters],
        ),
    },
  },
  {
    name: 'one county by code',
    product: { query: '{ county(code: "522622") { code name povertyCounty keyAssistance supervised } }' },
    peer: {
      query:
        '{ regionByCode(code: "522622") { code name countyDesignationByCountyCode { povertyCounty keyAssistance supervised } } }',
    },
    raw: `SELECT r.code, r.name, d.poverty_county, d.key_assistance, d.supervised FROM regions r
      LEFT JOIN county_designations d ON d.county_code = r.code WHERE r.code = '522622'`,
    canonical: {
      product: (a) => {
        const c = a.data.county;
        return new Map([[c.code, [c.name, c.povertyCounty, c.keyAssistance, c.supervised]]]);
      },
      peer: (a) => {
        const c = a.data.regionByCode;
        const d = c.countyDesignationByCountyCode;
        return new Map([[c.code, [c.name, d.povertyCounty, d.keyAssistance, d.supervised]]]);
      },
      raw: (rows) =>
        rowsBy(
          rows,
          (c) => c.code,
          (c) => [c.name, c.poverty_county, c.key_assistance, c.supervised],
        ),
    },
  },
  {
    name: 'regionStats by province',
    product: {
      query:
        '{ regionStats(level: PROVINCE, year: 2021) { code villages povertyVillages relocatedPeople perCapitaNetIncome monitoredHouseholds } }',
    },
    peer: {
      query:
        '{ allRegionIndicators(condition: { level: "province", year: 2021 }, orderBy: REGION_CODE_ASC) { nodes { regionCode villages povertyVillages relocatedPeople perCapitaNetIncome monitoredHouseholds } } }',
    },
    raw: `SELECT region_code, villages, poverty_villages, relocated_people, per_capita_net_income, monitored_households
      FROM region_indicators WHERE level = 'province' AND year = 2021 ORDER BY region_code`,
    canonical: {
      // Provinces with monitored villages; the product also lists the others (zeros) and a total.
      product: (a) =>
        rowsBy(
          a.data.regionStats.filter((r: Json) => r.code !== '00' && r.villages > 0),
          (r: Json) => r.code,
          (r: Json) => [
            r.villages,
            r.povertyVillages,
            r.relocatedPeople,
            r.perCapitaNetIncome,
            r.monitoredHouseholds,
          ],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allRegionIndicators.nodes.filter((r: Json) => r.villages > 0),
          (r: Json) => r.regionCode,
          (r: Json) => [
            r.villages,
            r.povertyVillages,
            r.relocatedPeople,
            r.perCapitaNetIncome,
            r.monitoredHouseholds,
          ],
        ),
      raw: (rows) =>
        rowsBy(
          rows.filter((r) => r.villages > 0),
          (r) => r.region_code,
          (r) => [
            r.villages,
            r.poverty_villages,
            r.relocated_people,
            r.per_capita_net_income,
            r.monitored_households,
          ],
        ),
    },
  },
  {
    name: 'nested county → villages → figures',
    product: {
      query:
        '{ counties(first: 20, filter: { regionCode: "5226" }) { nodes { code name villages(first: 10) { nodes { code name stats(year: 2021) { perCapitaNetIncome labourForce } } } } } }',
    },
    peer: {
      query: `{ allRegions(first: 20, orderBy: CODE_ASC, filter: { level: { equalTo: "county" }, code: { startsWith: "5226" } }) {
        nodes { code name villagesByCountyCode(first: 10, orderBy: CODE_ASC) { nodes { code name
          villageIndicatorsByVillageCode(condition: { year: 2021 }) { nodes { perCapitaNetIncome labourForce } } } } } } }`,
    },
    raw: `SELECT r.code AS county, v.code, v.name, vi.per_capita_net_income, vi.labour_force
      FROM (SELECT code FROM regions WHERE level = 'county' AND code LIKE '5226%' ORDER BY code LIMIT 20) r
      CROSS JOIN LATERAL (SELECT code, name FROM villages WHERE county_code = r.code ORDER BY code LIMIT 10) v
      LEFT JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021`,
    canonical: {
      product: (a) =>
        new Map(
          a.data.counties.nodes.flatMap((c: Json) =>
            c.villages.nodes.map((v: Json) => [
              v.code,
              [c.code, v.name, v.stats?.perCapitaNetIncome ?? null, v.stats?.labourForce ?? null],
            ]),
          ),
        ),
      peer: (a) =>
        new Map(
          a.data.allRegions.nodes.flatMap((c: Json) =>
            c.villagesByCountyCode.nodes.map((v: Json) => {
              const s = v.villageIndicatorsByVillageCode.nodes[0];
              return [v.code, [c.code, v.name, s?.perCapitaNetIncome ?? null, s?.labourForce ?? null]];
            }),
          ),
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.county, v.name, v.per_capita_net_income, v.labour_force],
        ),
    },
  },
  {
    name: 'GeoJSON export of all counties',
    product: { get: '/export/counties.geojson?year=2021&lang=en' },
    // PostgreSQL builds the whole FeatureCollection itself: the cheapest way to the same bytes.
    raw: `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(r.boundary, 6)::json,
        'properties', json_build_object('code', r.code, 'name', r.name, 'perCapitaNetIncome', ri.per_capita_net_income))
        ORDER BY r.code)) AS collection
      FROM regions r LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = 2021
      WHERE r.level = 'county'`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.features,
          (f: Json) => f.properties.code,
          (f: Json) => [f.properties.name],
        ),
      raw: (rows) =>
        rowsBy(
          rows[0].collection.features,
          (f: Json) => f.properties.code,
          (f: Json) => [f.properties.name],
        ),
    },
  },
  {
    // #17: a county's early-warning list (≤ 100 ms asked). As a logged-in analyst: no answer cache,
    // and each read appends its audit entry, which is part of what a real read costs.
    name: "monitoring: a county's early-warning list",
    login: 'analyst',
    product: {
      query: `{ households(first: 100, filter: { regionCode: "520526", earlyWarning: true }) {
        edges { node { number incomePerCapita monitoringLine } } } }`,
    },
    raw: `SELECT h.number, h.income_per_capita, l.line_yuan FROM households h
      JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
      WHERE h.county_code = '520526' AND h.status = 'monitoring' AND h.income_per_capita <= l.line_yuan * 1.1
        AND NOT coalesce(h.measures_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date, false)
      ORDER BY h.id LIMIT 100`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.households.edges,
          (e: Json) => e.node.number,
          (e: Json) => [e.node.incomePerCapita, e.node.monitoringLine],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (r) => r.number,
          (r) => [r.income_per_capita, r.line_yuan],
        ),
    },
  },
  {
    // #17: a province's monitoring aggregates by county (≤ 200 ms asked).
    name: "monitoring: a province's aggregates by county",
    product: {
      query: `{ monitoringStats(level: COUNTY, parentCode: "52", year: 2025) {
        code monitored identified riskRemoved withoutMeasure underLine } }`,
    },
    raw: `SELECT h.county_code AS code,
        count(*) FILTER (WHERE h.identified_on <= '2025-12-31' AND (h.removed_on IS NULL OR h.removed_on > '2025-12-31')) AS monitored,
        count(*) FILTER (WHERE h.identified_on BETWEEN '2025-01-01' AND '2025-12-31') AS identified,
        count(*) FILTER (WHERE h.removed_on BETWEEN '2025-01-01' AND '2025-12-31') AS removed,
        count(*) FILTER (WHERE h.identified_on <= '2025-12-31' AND (h.removed_on IS NULL OR h.removed_on > '2025-12-31')
          AND NOT coalesce(h.first_measure_on <= '2025-12-31', false)) AS without_measure,
        count(*) FILTER (WHERE h.identified_on <= '2025-12-31' AND (h.removed_on IS NULL OR h.removed_on > '2025-12-31')
          AND h.income_year = 2025 AND h.income_per_capita < l.line_yuan) AS under_line
      FROM households h LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
      WHERE h.county_code LIKE '52%' GROUP BY h.county_code`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.monitoringStats,
          (r: Json) => r.code,
          (r: Json) => [r.monitored, r.identified, r.riskRemoved, r.withoutMeasure, r.underLine],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (r) => r.code,
          (r) => [r.monitored, r.identified, r.removed, r.without_measure, r.under_line].map(Number),
        ),
    },
  },
  {
    // #17: the national county map of households under the line, from the counts stored per region
    // and year; the raw side counts them from the household rows, as the map did before they were
    // stored (the baseline the stored counts are measured against).
    name: 'monitoring: national county map of households under the line',
    product: {
      query:
        '{ choropleth(level: COUNTY, indicator: HOUSEHOLDS_UNDER_LINE, year: 2025, method: QUANTILE, classes: 5) { values { code value } } }',
    },
    raw: `SELECT h.county_code AS code,
        CASE WHEN count(*) FILTER (WHERE h.income_year = 2025) > 0 THEN
          count(*) FILTER (WHERE h.identified_on <= '2025-12-31' AND (h.removed_on IS NULL OR h.removed_on > '2025-12-31')
            AND h.income_year = 2025 AND h.income_per_capita < l.line_yuan) END AS value
      FROM households h LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
      GROUP BY h.county_code`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.choropleth.values.filter((v: Json) => v.value != null),
          (v: Json) => v.code,
          (v: Json) => [v.value],
        ),
      raw: (rows) =>
        rowsBy(
          rows.filter((v) => v.value != null),
          (v) => v.code,
          (v) => [Number(v.value)],
        ),
    },
  },
];
