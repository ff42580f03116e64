// Exports on both backends: CSV (UTF-8 with BOM, Chinese or English headers), GeoJSON and Excel,
// with the same filters as GraphQL, streamed page by page, and clear errors for bad requests.

import { countyListQuery, type ListRow, streamList } from '@rrm/db';
import { parse } from 'csv-parse/sync';
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
