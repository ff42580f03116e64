// The database layer on both real backends: migrations, geometry validity, spatial indexes, the
// loaded tiny dataset and its rollup.
import { queryRows } from '@rrm/db';
import { DEMO_LABEL } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `database on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
      });
      afterAll(() => database?.dispose());

      it('knows its backend and what it can do', () => {
        expect(database.backend).toBe(backend.name);
        expect(database.postgisVersion).toMatch(/^3\.\d+/);
        // PGlite's PostGIS is built without protobuf-c, so no ST_AsMVT there.
        expect(database.capabilities.asMvt).toBe(backend.name === 'postgres');
      });

      it('has a GiST index on every geometry column', async () => {
        const columns = await database.rows<{ table_name: string; column_name: string }>(sql`
        SELECT f_table_name AS table_name, f_geometry_column AS column_name FROM geometry_columns
        WHERE f_table_schema = 'public'`);
        expect(columns.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual([
          'regions.boundary',
          'regions.label_point',
          'relocation_sites.location',
          'villages.location',
        ]);
        for (const c of columns) {
          const [index] = await database.rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM pg_index i
          JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ix ON ix.oid = i.indexrelid
          JOIN pg_am am ON am.oid = ix.relam
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
          WHERE t.relname = ${c.table_name} AND a.attname = ${c.column_name} AND am.amname = 'gist'`);
          expect(index?.n, `${c.table_name}.${c.column_name}`).toBe(1);
        }
      });

      it('stores only valid boundaries, in SRID 4326, with a label point inside each', async () => {
        const [row] = await database.rows<{
          total: number;
          invalid: number;
          wrong_srid: number;
          label_outside: number;
        }>(sql`
        SELECT count(*)::int AS total,
          count(*) FILTER (WHERE NOT ST_IsValid(boundary))::int AS invalid,
          count(*) FILTER (WHERE ST_SRID(boundary) <> 4326)::int AS wrong_srid,
          count(*) FILTER (WHERE NOT ST_Intersects(label_point, boundary))::int AS label_outside
        FROM regions WHERE boundary IS NOT NULL`);
        expect(row!.total).toBeGreaterThan(3_000);
        expect(row!.invalid).toBe(0);
        expect(row!.wrong_srid).toBe(0);
        expect(row!.label_outside).toBe(0);
      });

      it('keeps the whole country: 34 provinces, Taiwan as counties, the South China Sea islands', async () => {
        const [row] = await database.rows<{
          provinces: number;
          taiwan: number;
          south: number;
          kinmen: string;
        }>(sql`
        SELECT (SELECT count(*)::int FROM regions WHERE level = 'province') AS provinces,
          (SELECT count(*)::int FROM regions WHERE level = 'county' AND code LIKE '71%' AND boundary IS NOT NULL) AS taiwan,
          (SELECT ST_YMin(boundary) FROM regions WHERE code = '46') AS south,
          (SELECT name FROM regions WHERE code = '350527') AS kinmen`);
        expect(row!.provinces).toBe(34);
        expect(row!.taiwan).toBe(20);
        expect(row!.south).toBeLessThan(4.5);
        expect(row!.kinmen).toBe('金门县');
      });

      it('places every village inside its own county', async () => {
        const [row] = await database.rows<{ total: number; outside: number; unplaced: number }>(sql`
        SELECT count(*)::int AS total,
          count(*) FILTER (WHERE NOT ST_Intersects(v.location, r.boundary))::int AS outside,
          count(*) FILTER (WHERE v.location IS NULL)::int AS unplaced
        FROM villages v JOIN regions r ON r.code = v.county_code`);
        expect(row!.total).toBeGreaterThan(500);
        expect(row!.outside).toBe(0);
        expect(row!.unplaced).toBe(0);
      });

      it('nests every code: village → township → county', async () => {
        const [row] = await database.rows<{ bad: number }>(sql`
        SELECT count(*)::int AS bad FROM villages
        WHERE left(code, 6) <> county_code OR left(code, 9) <> township_code OR length(code) <> 12`);
        expect(row!.bad).toBe(0);
      });

      it('loads the tiny scale: supervised, key assistance and ordinary counties, with their ledger', async () => {
        const [row] = await database.rows<Record<string, number>>(sql`
        SELECT
          (SELECT count(DISTINCT county_code)::int FROM villages) AS counties_with_villages,
          (SELECT count(*)::int FROM villages WHERE supervised) AS supervised_villages,
          (SELECT count(*)::int FROM supervision_listings) AS listings,
          (SELECT count(*)::int FROM supervision_problems) AS problems,
          (SELECT count(*)::int FROM supervision_problem_history) AS history,
          (SELECT count(*)::int FROM relocation_sites) AS sites,
          (SELECT count(*)::int FROM relocation_origins) AS origins,
          (SELECT count(*)::int FROM village_indicators) AS village_years,
          (SELECT count(*)::int FROM villages) AS villages`);
        expect(row!.counties_with_villages).toBeGreaterThanOrEqual(4);
        expect(row!.supervised_villages).toBeGreaterThan(0);
        expect(row!.listings).toBeGreaterThan(row!.supervised_villages!);
        expect(row!.history).toBeGreaterThan(row!.problems!);
        expect(row!.origins).toBeGreaterThanOrEqual(row!.sites!);
        expect(row!.village_years).toBe(row!.villages! * 12);
      });

      it('keeps the ledger consistent: closed problems have a close date, a closed listing has no open problem', async () => {
        const [row] = await database.rows<{
          bad_close: number;
          bad_listing: number;
          bad_history: number;
        }>(sql`
        SELECT
          (SELECT count(*)::int FROM supervision_problems WHERE (status = 'closed') <> (closed_on IS NOT NULL)) AS bad_close,
          (SELECT count(*)::int FROM supervision_listings l WHERE l.status = 'closed' AND EXISTS (
            SELECT 1 FROM supervision_problems p WHERE p.listing_id = l.id AND p.status <> 'closed')) AS bad_listing,
          (SELECT count(*)::int FROM supervision_problems p WHERE p.status <> (
            SELECT h.to_status FROM supervision_problem_history h WHERE h.problem_id = p.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)) AS bad_history`);
        expect(row).toEqual({ bad_close: 0, bad_listing: 0, bad_history: 0 });
      });

      it('rolls indicators up so every level sums to the nation', async () => {
        const rows = await database.rows<{
          level: string;
          villages: number;
          people: number;
          employed: number;
        }>(sql`
        SELECT level, sum(villages)::int AS villages, sum(relocated_people)::int AS people, sum(employed)::int AS employed
        FROM region_indicators WHERE year = 2021 GROUP BY level ORDER BY level`);
        const byLevel = Object.fromEntries(rows.map((r) => [r.level, r]));
        const [direct] = await database.rows<{ villages: number; employed: number }>(sql`
        SELECT count(DISTINCT v.code)::int AS villages, sum(vi.employed_out_migrant + vi.employed_local)::int AS employed
        FROM villages v JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021`);
        for (const level of ['county', 'prefecture', 'province', 'nation']) {
          expect(byLevel[level]?.villages, level).toBe(direct!.villages);
          expect(byLevel[level]?.employed, level).toBe(direct!.employed);
          expect(byLevel[level]?.people, level).toBe(byLevel.nation!.people);
        }
      });

      it('weights the rolled-up income by lifted population', async () => {
        const [row] = await database.rows<{ rolled: number; direct: number }>(sql`
        SELECT (SELECT per_capita_net_income FROM region_indicators WHERE region_code = '00' AND year = 2020) AS rolled,
          (SELECT sum(per_capita_net_income * lifted_population) / sum(lifted_population)
           FROM village_indicators WHERE year = 2020) AS direct`);
        expect(row!.rolled).toBeCloseTo(row!.direct, 6);
      });

      it('labels the data as generated', async () => {
        const rows = await queryRows<{ label: string; kind: string }>(
          database.db,
          sql`SELECT label, kind FROM dataset`,
        );
        expect(rows).toEqual([{ label: DEMO_LABEL, kind: 'demo' }]);
        expect(DEMO_LABEL).toMatch(/generated/i);
      });

      it('refuses to seed over loaded data unless told to replace it', async () => {
        const { seedDemoData } = await import('@rrm/db/seed');
        await expect(seedDemoData(database, { scale: 'tiny', log: () => {} })).rejects.toThrow(
          /already holds data/,
        );
        await expect(seedDemoData(database, { scale: 'huge' as never, log: () => {} })).rejects.toThrow(
          /unknown demo scale "huge"/,
        );
      });
    },
  );
}
