// Exports on both backends: CSV (UTF-8 with BOM, Chinese or English headers), GeoJSON and Excel,
// with the same filters as GraphQL, streamed page by page, and clear errors for bad requests.

import { countyListQuery, type ListRow, streamList } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, type TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `exports on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      // As an analyst: the ledger export needs a login (the others do not mind one).
      let token: string;
      const get = (path: string) =>
        fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const total = async (query: string) => {
        const { data } = await server.graphql<Record<string, { totalCount: number }>>(query, {}, { token });
        return Object.values(data!)[0]!.totalCount;
      };

      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
        token = await loginAs(server, 'analyst');
      });
      afterAll(() => stopServing(server, database));

      it('exports filtered villages as CSV with a BOM and Chinese headers that Excel reads', async () => {
        const filter = JSON.stringify({ supervised: true });
        const response = await get(`/export/villages.csv?filter=${encodeURIComponent(filter)}&year=2020`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/csv');
        expect(response.headers.get('content-disposition')).toContain('villages-2020.csv');
        const bytes = Buffer.from(await response.arrayBuffer());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const rows = parse(bytes.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
        expect(rows.length).toBe(await total('{ villages(filter: { supervised: true }) { totalCount } }'));
        expect(Object.keys(rows[0]!)).toEqual(
          expect.arrayContaining(['村代码', '村名', '乡镇', '县', '挂牌督战村', '脱贫人口人均纯收入(元)']),
        );
        expect(rows.every((r) => r['挂牌督战村'] === '是' && r['年份'] === '2020')).toBe(true);
        expect(rows[0]!['村名']).toMatch(/[\u4e00-\u9fff]/);
      });

      it('switches to English headers on request', async () => {
        const response = await get('/export/relocation-sites.csv?lang=en');
        const rows = parse((await response.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        expect(Object.keys(rows[0]!).slice(0, 3)).toEqual(['id', 'name', 'county_code']);
        expect(rows.length).toBe(await total('{ relocationSites { totalCount } }'));
      });

      it('exports counties as GeoJSON with their boundaries, paging through the list', async () => {
        const response = await get('/export/counties.geojson?simplify=0.01');
        expect(response.headers.get('content-type')).toContain('application/geo+json');
        const collection = (await response.json()) as {
          metadata: { dataset: string };
          features: { geometry: { type: string } | null; properties: Record<string, unknown> }[];
        };
        expect(collection.features.length).toBe(await total('{ counties { totalCount } }'));
        expect(collection.metadata.dataset).toContain('Generated demo data');
        const withGeometry = collection.features.filter((f) => f.geometry);
        expect(withGeometry.length).toBeGreaterThan(2_800);
        expect(withGeometry[0]!.geometry!.type).toBe('MultiPolygon');
        expect(collection.features[0]!.properties['县代码']).toMatch(/^\d{6}$/);
      });

      it('streams a list page by page: each page is read only when the previous one was consumed', async () => {
        let listQueries = 0;
        database.onQuery = (statement) => {
          if (/LIMIT/.test(statement)) listQueries += 1;
        };
        try {
          const pages = streamList<ListRow>(database.db, countyListQuery({}), 1_000);
          const first = await pages.next();
          expect(first.value).toHaveLength(1_000);
          expect(listQueries).toBe(1);
          let rows = first.value!.length;
          for await (const page of pages) rows += page.length;
          expect(listQueries).toBe(3);
          expect(rows).toBe(await total('{ counties { totalCount } }'));
        } finally {
          database.onQuery = undefined;
        }
      });

      it('exports relocation sites as Excel', async () => {
        const filter = JSON.stringify({ placementType: 'COUNTY_TOWN' });
        const response = await get(`/export/relocation-sites.xlsx?filter=${encodeURIComponent(filter)}`);
        expect(response.headers.get('content-type')).toContain('spreadsheetml');
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
        const sheet = workbook.worksheets[0]!;
        expect(sheet.getRow(1).getCell(2).value).toBe('安置点名称');
        expect(sheet.rowCount - 1).toBe(
          await total('{ relocationSites(filter: { placementType: COUNTY_TOWN }) { totalCount } }'),
        );
        expect(sheet.getRow(2).getCell(5).value).toBe('县城安置');
        expect(String(workbook.worksheets[1]!.getRow(1).getCell(1).value)).toContain('Generated demo data');
      });

      it('exports the problem ledger in the form departments are handed', async () => {
        const response = await get(
          `/export/problems.csv?filter=${encodeURIComponent(JSON.stringify({ statuses: ['OPEN', 'IN_PROGRESS'] }))}`,
        );
        const rows = parse((await response.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        expect(Object.keys(rows[0]!)).toEqual([
          '序号',
          '问题编号',
          '县代码',
          '县',
          '乡镇',
          '村代码',
          '村',
          '问题类别',
          '问题描述',
          '责任单位',
          '发现日期',
          '整改时限',
          '整改状态',
          '销号日期',
          '逾期',
          '版本',
        ]);
        expect(rows.map((r) => r['序号'])).toEqual(rows.map((_, i) => String(i + 1)));
        expect(rows.length).toBe(
          await total('{ problems(filter: { statuses: [OPEN, IN_PROGRESS] }) { totalCount } }'),
        );
        expect(rows.every((r) => ['待整改', '整改中'].includes(r['整改状态']!))).toBe(true);
      });

      it("exports the values behind a map, equal to the API's, with the reason for each region without one", async () => {
        const args = 'level=COUNTY&indicator=PER_CAPITA_NET_INCOME&year=2021&method=NATURAL_BREAKS&classes=4';
        const response = await get(`/export/map.csv?${args}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-disposition')).toContain('map-per_capita_net_income-2021.csv');
        const rows = parse((await response.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        const { data } = await server.graphql<{
          choropleth: {
            breaks: number[];
            values: { code: string; name: string; value: number; classIndex: number; rank: number }[];
            noData: string[];
            noVillages: string[];
          };
        }>(
          `{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: NATURAL_BREAKS, classes: 4) {
            breaks values { code name value classIndex rank } noData noVillages } }`,
        );
        const c = data!.choropleth;
        expect(rows.length).toBe(c.values.length + c.noData.length);
        const byCode = new Map(rows.map((r) => [r['区划代码']!, r]));
        for (const v of c.values) {
          const row = byCode.get(v.code)!;
          expect(row['名称']).toBe(v.name);
          expect(Number(row['数值'])).toBe(v.value);
          expect(Number(row['分级(1为最低)'])).toBe(v.classIndex + 1);
          expect(Number(row['分级下限'])).toBe(c.breaks[v.classIndex]);
          expect(Number(row['分级上限'])).toBe(c.breaks[v.classIndex + 1]);
          expect(Number(row['排名'])).toBe(v.rank);
          expect(row['无数据原因']).toBe('');
          expect(row['口径']).toBe('数值');
        }
        for (const code of c.noData) {
          const row = byCode.get(code)!;
          expect(row['数值']).toBe('');
          expect(row['名称']).toMatch(/[\u4e00-\u9fff]/);
          expect(row['无数据原因']).toBe(c.noVillages.includes(code) ? '无监测村' : '未上报');
        }
        expect(c.noVillages.length).toBeGreaterThan(0);

        // Excel, English, a province's counties under fixed breaks.
        const [top] = await database.rows<{ province: string }>(
          sql`SELECT left(county_code, 2) AS province FROM villages GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        );
        const province = top!.province;
        const fixed = await get(
          `/export/map.xlsx?level=COUNTY&indicator=EMPLOYMENT_RATE&year=2020&parentCode=${province}&breaks=0,0.5,0.8,1&lang=en`,
        );
        expect(fixed.headers.get('content-type')).toContain('spreadsheetml');
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await fixed.arrayBuffer()) as never);
        const sheet = workbook.worksheets[0]!;
        const header = (sheet.getRow(1).values as unknown[]).slice(1);
        expect(header).toEqual([
          'code',
          'name',
          'indicator',
          'measure',
          'year',
          'value',
          'class',
          'class_from',
          'class_to',
          'rank',
          'no_data_reason',
        ]);
        const cells = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => (r.values as unknown[]).slice(1));
        expect(cells.every((r) => String(r[0]).startsWith(province) && String(r[0]).length === 6)).toBe(true);
        const valued = cells.filter((r) => r[5] != null);
        expect(valued.length).toBeGreaterThan(2);
        // Each value lies in the fixed class its row names.
        for (const r of valued) {
          const [value, cls, from, to] = r.slice(5, 9) as [number, number, number, number];
          expect([0, 0.5, 0.8]).toContain(from);
          expect(to).toBe([0.5, 0.8, 1][cls - 1]);
          // In its band; a value outside the fixed bounds falls in the first or last class.
          expect(value >= from || cls === 1).toBe(true);
          expect(value < to || cls === 3).toBe(true);
        }
        expect(String(workbook.worksheets[1]!.getRow(1).getCell(1).value)).toContain('Generated demo data');

        // A change map says so, in the file name and in every row.
        const change = await get(`/export/map.csv?${args.replace('year=2021', 'year=2021&change=1')}`);
        expect(change.headers.get('content-disposition')).toContain(
          'map-per_capita_net_income-2021-change.csv',
        );
        const changeRows = parse((await change.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        expect(changeRows.every((r) => r['口径'] === '比上年增减')).toBe(true);

        // Drilled into a county: its villages, as the API classes them.
        const [busiest] = await database.rows<{ county: string }>(
          sql`SELECT county_code AS county FROM villages GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
        );
        const county = busiest!.county;
        const villagesFile = await get(
          `/export/map.csv?county=${county}&indicator=EMPLOYMENT_RATE&year=2021&method=QUANTILE&classes=4`,
        );
        expect(villagesFile.status).toBe(200);
        expect(villagesFile.headers.get('content-disposition')).toContain(`-${county}-villages.csv`);
        const villageRows = parse((await villagesFile.text()).replace(/^\uFEFF/, ''), {
          columns: true,
        }) as Record<string, string>[];
        const api = (
          await server.graphql<{
            villageChoropleth: {
              breaks: number[];
              values: { code: string; name: string; value: number; classIndex: number; rank: number }[];
              noData: string[];
            };
          }>(
            `query($c: String!) { villageChoropleth(countyCode: $c, indicator: EMPLOYMENT_RATE, year: 2021, classes: 4) {
              breaks values { code name value classIndex rank } noData } }`,
            { c: county },
          )
        ).data!.villageChoropleth;
        expect(villageRows.length).toBe(api.values.length + api.noData.length);
        expect(api.values.length).toBeGreaterThan(10);
        const villageByCode = new Map(villageRows.map((r) => [r['区划代码']!, r]));
        for (const v of api.values) {
          const row = villageByCode.get(v.code)!;
          expect(row['名称']).toBe(v.name);
          expect(Number(row['数值'])).toBe(v.value);
          expect(Number(row['分级(1为最低)'])).toBe(v.classIndex + 1);
          expect(Number(row['排名'])).toBe(v.rank);
        }
        for (const code of api.noData) expect(villageByCode.get(code)!['无数据原因']).toBe('未上报');
      });

      it('answers a bad map export with a coded error naming the parameter', async () => {
        const base = 'level=COUNTY&indicator=PER_CAPITA_NET_INCOME';
        const cases: Array<[string, string, RegExp]> = [
          [`/export/map.pdf?${base}&year=2021`, 'path', /unknown format "pdf"/],
          [`/export/map.csv?${base}&year=2021&colour=red`, 'colour', /unknown parameter/],
          [`/export/map.csv?${base}&year=abc`, 'year', /Int/],
          [`/export/map.csv?${base}&year=1999`, 'year', /2014–2025/],
          [`/export/map.csv?${base}&year=2021&classes=12`, 'classes', /3–9/],
          [`/export/map.csv?${base}&year=2021&breaks=3,2,1`, 'breaks', /ascending/],
          [`/export/map.csv?${base}&year=2021&parentCode=5`, 'parentCode', /2 or 4 digits|region code/],
          [`/export/map.csv?level=TOWNSHIP&indicator=PER_CAPITA_NET_INCOME&year=2021`, 'level', /TOWNSHIP/],
          [`/export/map.csv?${base}&year=2021&year=2020`, 'year', /once/],
          [`/export/map.csv?${base}&year=2021&lang=fr`, 'lang', /zh or en/],
          [`/export/map.csv?${base}&year=0x7e5`, 'year', /Int/],
          [`/export/map.csv?${base}&year=2021&change=yes`, 'change', /1 or 0/],
          [`/export/map.csv?${base}&year=2021&__proto__=1,2`, '__proto__', /unknown parameter/],
          [`/export/map.csv?${base}&year=2021&toString=1`, 'toString', /unknown parameter/],
          [`/export/map.csv?${base}&year=2021&county=520102`, 'level', /not with county/],
          [
            `/export/map.csv?county=52&indicator=EMPLOYMENT_RATE&year=2021`,
            'countyCode',
            /not a region code/,
          ],
          [`/export/map.csv?county=520102&indicator=RELOCATED_PEOPLE&year=2021`, 'indicator', /sites/],
        ];
        for (const [path, argument, message] of cases) {
          const response = await get(path);
          expect(response.status, path).toBe(400);
          const body = (await response.json()) as {
            errors: { message: string; extensions: { code: string; argument: string } }[];
          };
          expect(body.errors[0]!.extensions, path).toMatchObject({ code: 'BAD_USER_INPUT', argument });
          expect(body.errors[0]!.message, path).toMatch(message);
        }
      });

      it('answers bad requests with a coded error naming the parameter, before writing anything', async () => {
        const cases: Array<[string, string, RegExp]> = [
          ['/export/people.csv', 'path', /unknown list "people"/],
          ['/export/villages.pdf', 'path', /unknown format "pdf"/],
          ['/export/villages.csv?filter=%7Bnot-json', 'filter', /not valid JSON/],
          [
            `/export/villages.csv?filter=${encodeURIComponent('{"supervised":"yes"}')}`,
            'filter.supervised',
            /Boolean/,
          ],
          [`/export/villages.csv?filter=${encodeURIComponent('{"colour":"red"}')}`, 'filter', /colour/],
          [
            `/export/relocation-sites.csv?filter=${encodeURIComponent('{"placementType":"MOON"}')}`,
            'filter.placementType',
            /MOON/,
          ],
          [
            `/export/villages.csv?filter=${encodeURIComponent('{"regionCode":"5"}')}`,
            'filter.regionCode',
            /not a region code/,
          ],
          [
            `/export/villages.csv?filter=${encodeURIComponent('{"spatial":{"near":{"lon":100,"lat":30,"radiusMeters":1e12}}}')}`,
            'filter.spatial.near.radiusMeters',
            /at most/,
          ],
          ['/export/villages.csv?year=1999', 'year', /2014–2025/],
          ['/export/villages.csv?lang=fr', 'lang', /zh or en/],
          [
            `/export/villages.csv?orderBy=${encodeURIComponent('{"field":"DISTANCE"}')}`,
            'orderBy',
            /needs filter.spatial.near/,
          ],
          [
            `/export/problems.csv?filter=${encodeURIComponent('{"deadlineFrom":"2026-02-30"}')}`,
            'filter.deadlineFrom',
            /not a date/,
          ],
        ];
        for (const [path, argument, message] of cases) {
          const response = await get(path);
          expect(response.status, path).toBe(400);
          const body = (await response.json()) as {
            errors: { message: string; extensions: { code: string; argument: string } }[];
          };
          expect(body.errors[0]!.extensions, path).toEqual({ code: 'BAD_USER_INPUT', argument });
          expect(body.errors[0]!.message, path).toMatch(message);
        }
      });
    },
  );
}
