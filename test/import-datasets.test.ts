// Long on purpose: a specification, one failing file per rule of four datasets.
// Imports of `county-designations`, `relocation-sites`, `relocation-site-years` and
// `relocation-origins` (issue #12), on both backends, against the tiny demo database: each filled
// template imports, each validation rule refuses its file with the exact error (sheet, row, column,
// Chinese and English), re-imports change nothing, rollback restores the old rows exactly, the API
// shows what was imported (a county's key assistance source, the dataset's sources and parts, a
// site's figures and origins, the county's relocation figures), and hostile cells are refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGb18030, importFile, LAST_YEAR, ledgerToday, rollbackImport, writeTemplate } from '@rrm/db';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint } from './support/fingerprint.ts';
import { startTestServer, type TestServer } from './support/http.ts';

const HEADERS = {
  'county-designations': [
    '县代码',
    '是否贫困县',
    '摘帽年份',
    '是否国家乡村振兴重点帮扶县',
    '是否挂牌督战县',
    '东西部协作省份代码',
    '东西部协作县代码',
  ],
  'relocation-sites': [
    '县代码',
    '安置点名称',
    '经度',
    '纬度',
    '安置方式',
    '规模',
    '是否有学校',
    '是否有卫生室',
    '是否有帮扶车间',
    '是否有社区服务中心',
    '建成年份',
  ],
  'relocation-site-years': [
    '县代码',
    '安置点名称',
    '年份',
    '搬迁户数',
    '搬迁人口',
    '有劳动力家庭数',
    '就业人数',
    '零就业家庭数',
  ],
  'relocation-origins': ['县代码', '安置点名称', '迁出村代码', '迁出户数'],
} as const;
type Dataset = keyof typeof HEADERS;

const csv = (dataset: Dataset, rows: ReadonlyArray<ReadonlyArray<unknown>>) =>
  `${HEADERS[dataset].join(',')}\n${rows.map((r) => r.map((c) => (c == null ? '' : String(c))).join(',')).join('\n')}\n`;

interface Site {
  id: number;
  county_code: string;
  name: string;
  placement_type: string;
  size_class: string;
  has_school: boolean;
  has_clinic: boolean;
  has_workshop: boolean;
  has_community_service_centre: boolean;
  year_built: number;
  lon: number;
  lat: number;
}

const yesNo = (b: boolean) => (b ? '是' : '否');
const siteRow = (s: Site, over: Partial<Record<keyof Site, unknown>> = {}) => {
  const x = { ...s, ...over } as Record<string, unknown>;
  return [
    x.county_code,
    x.name,
    x.lon,
    x.lat,
    x.placement_type,
    x.size_class,
    ...['has_school', 'has_clinic', 'has_workshop', 'has_community_service_centre'].map((k) =>
      typeof x[k] === 'boolean' ? yesNo(x[k] as boolean) : x[k],
    ),
    x.year_built,
  ];
};

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(`imports of designations and relocation data (${backend.name})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let dir: string;
    /** A poverty county and a county that never was, both of the tiny scale. */
    let poor: { code: string; poverty_exit_year: number; key_assistance: boolean; source: string };
    let notPoor: { code: string };
    let partner: { province: string; county: string; otherProvinceCounty: string };
    /** Two sites built by 2019 in one county with a boundary; a point inside it and one outside. */
    let site: Site;
    let site2: Site;
    let outside: { lon: number; lat: number };
    let n = 0;
    const file = (name: string, content: string | Buffer) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    };
    const run = (dataset: string, path: string, dryRun = false) =>
      importFile(database, { dataset, path, dryRun, who: 'test' });
    const rollback = (dataset: string) => rollbackImport(database, { dataset, who: 'test' });
    /** Digests of every table these imports touch, the rollup, and the dataset row. */
    const fingerprint = () =>
      databaseFingerprint(database, [
        'designations',
        'sites',
        'site_years',
        'origins',
        'region_rollup_rows',
        'dataset',
      ]);
    /** Without the versions and parts, which a rollback moves on rather than back. */
    const withoutDetails = ({ dataset: _, ...rest }: Awaited<ReturnType<typeof fingerprint>>) => rest;
    const siteYear = async (id: number, year: number) => {
      const [row] = await database.rows<{
        households: number;
        people: number;
        labour_households: number;
        employed: number;
        zero_employment_households: number;
      }>(
        sql`SELECT households, people, labour_households, employed, zero_employment_households
          FROM relocation_site_indicators WHERE site_id = ${id} AND year = ${year}`,
      );
      return row!;
    };

    beforeAll(async () => {
      database = await openTestDatabase(backend.name);
      server = await startTestServer(database);
      dir = mkdtempSync(join(tmpdir(), 'rrm-import-datasets-'));
      [poor] = (await database.rows(sql`SELECT d.county_code AS code, d.poverty_exit_year, d.key_assistance,
          d.key_assistance_source AS source
        FROM county_designations d WHERE d.poverty_county AND NOT d.key_assistance
          AND EXISTS (SELECT 1 FROM villages v WHERE v.county_code = d.county_code)
        ORDER BY d.county_code LIMIT 1`)) as [typeof poor];
      [notPoor] = (await database.rows(sql`SELECT d.county_code AS code FROM county_designations d
        WHERE NOT d.poverty_county AND d.east_west_partner_province IS NULL ORDER BY d.county_code LIMIT 1`)) as [
        typeof notPoor,
      ];
      const [p] = await database.rows<{ county: string; other: string }>(sql`SELECT
        (SELECT code FROM regions WHERE level = 'county' AND code LIKE '44%' ORDER BY code LIMIT 1) AS county,
        (SELECT code FROM regions WHERE level = 'county' AND code LIKE '33%' ORDER BY code LIMIT 1) AS other`);
      partner = { province: '44', county: p!.county, otherProvinceCounty: p!.other };
      const sites =
        await database.rows<Site>(sql`SELECT s.id, s.county_code, s.name, s.placement_type, s.size_class,
          s.has_school, s.has_clinic, s.has_workshop, s.has_community_service_centre, s.year_built,
          ST_X(s.location) AS lon, ST_Y(s.location) AS lat
        FROM relocation_sites s JOIN regions r ON r.code = s.county_code
        WHERE s.year_built <= 2019 AND r.boundary IS NOT NULL AND ST_Covers(r.boundary, s.location)
          AND s.county_code = (SELECT county_code FROM relocation_sites GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
        ORDER BY s.id LIMIT 2`);
      [site, site2] = sites as [Site, Site];
      const [o] = await database.rows<{ lon: number; lat: number }>(sql`
        SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions
        WHERE level = 'county' AND boundary IS NOT NULL
          AND NOT ST_Covers((SELECT boundary FROM regions WHERE code = ${site.county_code}), label_point)
        ORDER BY code LIMIT 1`);
      outside = o!;
    });

    afterAll(async () => {
      await server?.close();
      await database?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('county-designations', () => {
      const countyQuery = `query($c: String!) { county(code: $c) { keyAssistance keyAssistanceSource povertyExitYear eastWestPartnerProvince eastWestPartnerCounty } }`;
      const datasetQuery = '{ dataset { sources { part kind date count note } parts { name kind file } } }';
      type DatasetAnswer = {
        dataset: {
          sources: Array<{ part: string; kind: string; date: string | null; note: string }>;
          parts: Array<{ name: string; kind: string; file: string | null }>;
        };
      };

      it('imports a filled XLSX template: the API says IMPORTED for the county, the sources and the part; re-import is a no-op; rollback restores', async () => {
        const template = join(dir, 'county-designations-template.xlsx');
        await writeTemplate('county-designations', 'xlsx', template);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(template);
        const [data, notes] = workbook.worksheets;
        expect(data!.name).toBe('县认定');
        expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS['county-designations']]);
        expect(notes!.getCell('A2').value).toBe('县代码');
        data!.addRow([poor.code, '是', poor.poverty_exit_year, '是', '否', null, null]);
        data!.addRow([notPoor.code, '否', null, '否', '否', partner.province, partner.county]);
        const filled = join(dir, 'county-designations-filled.xlsx');
        await workbook.xlsx.writeFile(filled);

        const before = await fingerprint();
        const [oldPoor] = await database.rows(
          sql`SELECT * FROM county_designations WHERE county_code = ${poor.code}`,
        );
        const beforeApi = await server.graphql<DatasetAnswer>(datasetQuery);
        expect(beforeApi.data!.dataset.parts).toContainEqual({
          name: 'county-designations',
          kind: 'PUBLISHED',
          file: null,
        });
        expect(beforeApi.data!.dataset.sources.filter((s) => s.part === 'KEY_ASSISTANCE_COUNTIES')).toEqual([
          expect.objectContaining({ kind: 'PUBLISHED_LIST' }),
          expect.objectContaining({ kind: 'GENERATED' }),
        ]);

        const dry = await run('county-designations', filled, true);
        expect(dry).toMatchObject({ errorCount: 0, rows: 2, newRows: 0, changedRows: 2, result: 'checked' });
        expect(dry.examples).toContainEqual(
          expect.objectContaining({
            key: poor.code,
            column: '是否国家乡村振兴重点帮扶县 (key_assistance)',
            old: false,
            new: true,
          }),
        );
        expect(await fingerprint()).toEqual(before);

        const applied = await run('county-designations', filled);
        expect(applied).toMatchObject({ result: 'applied', changedRows: 2, newRows: 0 });
        const county = await server.graphql<{ county: Record<string, unknown> }>(countyQuery, {
          c: poor.code,
        });
        expect(county.data!.county).toMatchObject({ keyAssistance: true, keyAssistanceSource: 'IMPORTED' });
        const other = await server.graphql<{ county: Record<string, unknown> }>(countyQuery, {
          c: notPoor.code,
        });
        expect(other.data!.county).toMatchObject({
          keyAssistance: false,
          keyAssistanceSource: 'IMPORTED',
          eastWestPartnerProvince: partner.province,
          eastWestPartnerCounty: partner.county,
        });
        const after = (await server.graphql<DatasetAnswer>(datasetQuery)).data!.dataset;
        expect(after.parts).toContainEqual({
          name: 'county-designations',
          kind: 'IMPORTED',
          file: applied.file,
        });
        for (const part of [
          'POVERTY_COUNTIES',
          'SUPERVISED_COUNTIES',
          'KEY_ASSISTANCE_COUNTIES',
          'EAST_WEST_PARTNERS',
        ]) {
          const of = after.sources.filter((s) => s.part === part);
          expect(of, part).toEqual([
            {
              part,
              kind: 'IMPORTED',
              date: ledgerToday(),
              count: null,
              note: expect.stringContaining(`imported from ${applied.file}, 2 counties`),
            },
          ]);
        }
        // The parts that file does not hold still say where they come from.
        expect(after.sources.find((s) => s.part === 'POVERTY_VILLAGES')?.kind).toBe('GENERATED');

        const afterApply = await fingerprint();
        expect(await run('county-designations', filled)).toMatchObject({
          result: 'applied',
          newRows: 0,
          changedRows: 0,
          unchangedRows: 2,
        });
        expect(await fingerprint()).toEqual(afterApply);

        expect(await rollback('county-designations')).toMatchObject({
          importId: applied.importId,
          restoredRows: 2,
          deletedRows: 0,
        });
        const [restoredPoor] = await database.rows(
          sql`SELECT * FROM county_designations WHERE county_code = ${poor.code}`,
        );
        expect(restoredPoor).toEqual(oldPoor);
        expect(withoutDetails(await fingerprint())).toEqual(withoutDetails(before));
        const back = await server.graphql<{ county: Record<string, unknown> }>(countyQuery, { c: poor.code });
        expect(back.data!.county.keyAssistanceSource).toBe(poor.source.toUpperCase());
        expect((await server.graphql<DatasetAnswer>(datasetQuery)).data!.dataset).toEqual(
          beforeApi.data!.dataset,
        );
      });

      it('refuses each invalid row with the exact error and writes nothing', async () => {
        const P = poor.code;
        const N = notPoor.code;
        const y = poor.poverty_exit_year;
        const cases: Array<{
          name: string;
          rows: unknown[][];
          row?: number;
          column: string;
          zh: string;
          en: string;
        }> = [
          {
            name: 'a 6-digit code that is not a county (a city proper)',
            rows: [['520100', '否', '', '否', '否', '', '']],
            column: '县代码',
            zh: '县代码 520100 不是已有的县',
            en: 'there is no county 520100',
          },
          {
            name: 'a code that is not 6 digits',
            rows: [['52052', '否', '', '否', '否', '', '']],
            column: '县代码',
            zh: '县代码应为 6 位数字，实为“52052”',
            en: 'county_code must be 6 digits, got "52052"',
          },
          {
            name: 'an exit year for a county that was not poor',
            rows: [[N, '否', 2018, '否', '否', '', '']],
            column: '摘帽年份',
            zh: '非贫困县不应填写摘帽年份',
            en: 'only a poverty county has an exit year',
          },
          {
            name: 'a poverty county without its exit year',
            rows: [[P, '是', '', '否', '否', '', '']],
            column: '摘帽年份',
            zh: '贫困县须填写摘帽年份（2016–2020）',
            en: 'a poverty county needs its exit year (2016–2020)',
          },
          {
            name: 'an exit year out of range',
            rows: [[P, '是', 2021, '否', '否', '', '']],
            column: '摘帽年份',
            zh: '摘帽年份应在 2016–2020 之间：2021',
            en: 'poverty_exit_year must lie within 2016–2020: 2021',
          },
          {
            name: 'a key assistance county that was not poor',
            rows: [[N, '否', '', '是', '否', '', '']],
            column: '是否国家乡村振兴重点帮扶县',
            zh: '国家乡村振兴重点帮扶县须为脱贫县（是否贫困县应为“是”）',
            en: 'a key assistance county is a former poverty county (poverty county must be 是)',
          },
          {
            name: 'a 挂牌督战 county that was not poor',
            rows: [[N, '否', '', '否', '是', '', '']],
            column: '是否挂牌督战县',
            zh: '挂牌督战县须为贫困县（是否贫困县应为“是”）',
            en: 'a 挂牌督战 county is a poverty county (poverty county must be 是)',
          },
          {
            name: 'a yes/no cell that is neither',
            rows: [[P, '是', y, '待定', '否', '', '']],
            column: '是否国家乡村振兴重点帮扶县',
            zh: '是否国家乡村振兴重点帮扶县应为“是”或“否”，实为“待定”',
            en: 'key_assistance must be 是/否 (true/false), got "待定"',
          },
          {
            name: 'a partner province that does not exist',
            rows: [[P, '是', y, '否', '否', '99', '']],
            column: '东西部协作省份代码',
            zh: '协作省份代码 99 不是已有的省份',
            en: 'there is no province 99',
          },
          {
            name: "a partner province that is the county's own",
            rows: [[P, '是', y, '否', '否', P.slice(0, 2), '']],
            column: '东西部协作省份代码',
            zh: expect.stringMatching(
              new RegExp(`^协作省份 .+（${P.slice(0, 2)}）是本县所在省份，东西部协作须为另一省份$`),
            ) as never,
            en: `partner province ${P.slice(0, 2)} is the county's own province; an east–west partner is another province`,
          },
          {
            name: 'a partner county without its province',
            rows: [[P, '是', y, '否', '否', '', partner.county]],
            column: '东西部协作县代码',
            zh: '填写协作县时须同时填写协作省份代码',
            en: 'a partner county needs its partner province',
          },
          {
            name: 'a partner county that does not exist',
            rows: [[P, '是', y, '否', '否', '44', '449999']],
            column: '东西部协作县代码',
            zh: '协作县代码 449999 不是已有的县',
            en: 'there is no county 449999',
          },
          {
            name: 'a partner county outside the partner province',
            rows: [[P, '是', y, '否', '否', '44', partner.otherProvinceCounty]],
            column: '东西部协作县代码',
            zh: expect.stringMatching(
              new RegExp(`^协作县 .+（${partner.otherProvinceCounty}）不在协作省份 44 内$`),
            ) as never,
            en: expect.stringMatching(
              new RegExp(
                `^partner county ${partner.otherProvinceCounty} \\(.+\\) is not in the partner province 44$`,
              ),
            ) as never,
          },
          {
            name: 'a county twice in the file',
            rows: [
              [P, '是', y, '否', '否', '', ''],
              [P, '是', y, '否', '否', '', ''],
            ],
            row: 3,
            column: '县代码',
            zh: `与第 2 行重复（${P}）`,
            en: `duplicates row 2 (${P})`,
          },
        ];
        const before = await fingerprint();
        for (const c of cases) {
          const result = await run(
            'county-designations',
            file('bad-designations.csv', csv('county-designations', c.rows)),
          );
          expect(result.result, c.name).toBe('rejected');
          expect(result.errors, c.name).toEqual([
            { sheet: result.file, row: c.row ?? 2, column: c.column, zh: c.zh, en: c.en },
          ]);
        }
        // A missing required column is named in the header row.
        const missing = await run(
          'county-designations',
          file('missing.csv', `县代码,是否贫困县,摘帽年份,是否挂牌督战县\n${P},是,${y},否\n`),
        );
        expect(missing.errors).toEqual([
          {
            sheet: missing.file,
            row: 1,
            column: '是否国家乡村振兴重点帮扶县',
            zh: '缺少必填列“是否国家乡村振兴重点帮扶县”（key_assistance）',
            en: 'required column "key_assistance" (是否国家乡村振兴重点帮扶县) is missing',
          },
        ]);
        expect(await fingerprint()).toEqual(before);
      });
    });

    describe('relocation sites, their yearly figures and origins', () => {
      const NEW_SITE = '示范易地搬迁新区安置点';
      const siteQuery = `query($id: ID!, $y: Int!) { relocationSite(id: $id) { name placementType sizeClass yearBuilt
        figures(year: $y) { households people employed zeroEmploymentHouseholds } originVillages { villageCode households } } }`;
      const countyFigures = async (year: number) => {
        const r = await server.graphql<{
          county: { indicators: { relocatedPeople: number; relocationSites: number } };
        }>(
          `query($c: String!, $y: Int!) { county(code: $c) { indicators(year: $y) { relocatedPeople relocationSites } } }`,
          { c: site.county_code, y: year },
        );
        return r.data!.county.indicators;
      };

      it('imports a filled CSV template of sites (Chinese labels and English values), re-imports as a no-op and rolls back', async () => {
        const template = join(dir, 'relocation-sites-template.csv');
        await writeTemplate('relocation-sites', 'csv', template);
        const text = readFileSync(template, 'utf8');
        expect(text.split('\r\n').find((l) => !l.startsWith('#') && !l.startsWith('\uFEFF#'))).toBe(
          HEADERS['relocation-sites'].join(','),
        );
        expect(text).toContain('安置方式 (placement_type)');
        expect(text).toContain('例 e.g. 集镇');
        const path = file(
          'relocation-sites-filled.csv',
          `${text}${siteRow(site, { placement_type: '产业园区', has_school: !site.has_school }).join(',')}\r\n${siteRow(
            site2,
            {
              name: NEW_SITE,
              placement_type: 'tourist_area',
              size_class: 'extra_large',
              has_school: true,
              has_clinic: true,
              has_workshop: true,
              has_community_service_centre: true,
              year_built: 2019,
            },
          ).join(',')}\r\n`,
        );
        const before = await fingerprint();
        const sitesBefore = await countyFigures(2021);
        const [oldSite] = await database.rows(sql`SELECT * FROM relocation_sites WHERE id = ${site.id}`);
        const dry = await run('relocation-sites', path, true);
        expect(dry).toMatchObject({ errorCount: 0, newRows: 1, changedRows: 1, unchangedRows: 0 });
        expect(dry.examples).toContainEqual(
          expect.objectContaining({
            key: `${site.county_code} ${site.name}`,
            column: '安置方式 (placement_type)',
            old: site.placement_type,
            new: 'industrial_park',
          }),
        );
        // Unchanged coordinates are no change.
        expect(dry.examples.map((e) => e.column)).not.toContain('经度 (longitude)');
        expect(await fingerprint()).toEqual(before);

        const applied = await run('relocation-sites', path);
        expect(applied).toMatchObject({ result: 'applied', newRows: 1, changedRows: 1 });
        const [created] = await database.rows<{ id: number; located: boolean; placement_type: string }>(
          sql`SELECT id, location IS NOT NULL AS located, placement_type FROM relocation_sites
            WHERE county_code = ${site.county_code} AND name = ${NEW_SITE}`,
        );
        expect(created).toMatchObject({ located: true, placement_type: 'tourist_area' });
        expect(Number(created!.id)).toBeGreaterThan(site2.id);
        const api = await server.graphql<{ relocationSite: Record<string, unknown> }>(siteQuery, {
          id: String(site.id),
          y: 2021,
        });
        expect(api.data!.relocationSite).toMatchObject({ placementType: 'INDUSTRIAL_PARK' });
        const afterApply = await fingerprint();
        expect(await run('relocation-sites', path)).toMatchObject({
          newRows: 0,
          changedRows: 0,
          unchangedRows: 2,
        });
        expect(await fingerprint()).toEqual(afterApply);

        expect(await rollback('relocation-sites')).toMatchObject({ restoredRows: 1, deletedRows: 1 });
        const [restored] = await database.rows(sql`SELECT * FROM relocation_sites WHERE id = ${site.id}`);
        expect(restored).toEqual(oldSite);
        expect(withoutDetails(await fingerprint())).toEqual(withoutDetails(before));
        expect(await countyFigures(2021)).toEqual(sitesBefore);
      });

      it('imports a GBK CSV of sites with its Chinese names intact', async () => {
        const name = '龙井坝移民新区安置点';
        const content = `${HEADERS['relocation-sites'].join(',')}\r\n${siteRow(site2, {
          name,
          lon: '',
          lat: '',
          placement_type: '中心村',
          size_class: '小型',
        }).join(',')}\r\n`;
        const result = await run('relocation-sites', file('sites-gbk.csv', encodeGb18030(content)));
        expect(result).toMatchObject({ encoding: 'gb18030', result: 'applied', newRows: 1, errorCount: 0 });
        const [row] = await database.rows<{ name: string; placement_type: string; located: boolean }>(
          sql`SELECT name, placement_type, location IS NOT NULL AS located FROM relocation_sites
            WHERE county_code = ${site2.county_code} AND name = ${name}`,
        );
        expect(row).toEqual({ name, placement_type: 'central_village', located: false });
        expect(await rollback('relocation-sites')).toMatchObject({ deletedRows: 1 });
      });

      it('imports a new site, its yearly figures and its origins; the API shows them; rollbacks go in reverse order', async () => {
        const before = await fingerprint();
        const figuresBefore = await countyFigures(2021);
        const newSite = siteRow(site, { name: NEW_SITE, year_built: 2020, lon: '', lat: '' });
        expect(
          await run('relocation-sites', file('new-site.csv', csv('relocation-sites', [newSite]))),
        ).toMatchObject({
          result: 'applied',
          newRows: 1,
        });
        const [{ id }] = (await database.rows<{ id: number }>(
          sql`SELECT id FROM relocation_sites WHERE county_code = ${site.county_code} AND name = ${NEW_SITE}`,
        )) as [{ id: number }];

        // Yearly figures: the template (XLSX), filled for the new site and for an existing one.
        const template = join(dir, 'site-years-template.xlsx');
        await writeTemplate('relocation-site-years', 'xlsx', template);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(template);
        const data = workbook.worksheets[0]!;
        expect((data.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS['relocation-site-years']]);
        const old2021 = await siteYear(site.id, 2021);
        data.addRow([site.county_code, NEW_SITE, 2020, 100, 380, 90, 130, 2]);
        data.addRow([site.county_code, NEW_SITE, 2021, 120, 450, 100, 160, 0]);
        data.addRow([
          site.county_code,
          site.name,
          2021,
          old2021.households,
          old2021.people + 7,
          old2021.labour_households,
          old2021.employed,
          old2021.zero_employment_households,
        ]);
        const yearsPath = join(dir, 'site-years-filled.xlsx');
        await workbook.xlsx.writeFile(yearsPath);
        const dry = await run('relocation-site-years', yearsPath, true);
        expect(dry).toMatchObject({ errorCount: 0, newRows: 2, changedRows: 1 });
        expect(dry.examples).toEqual([
          {
            key: `${site.county_code} ${site.name} 2021`,
            sheet: '安置点年度数据',
            row: 4,
            column: '搬迁人口 (people)',
            old: old2021.people,
            new: old2021.people + 7,
          },
        ]);
        const years = await run('relocation-site-years', yearsPath);
        expect(years).toMatchObject({ result: 'applied', newRows: 2, changedRows: 1 });
        expect(await countyFigures(2021)).toEqual({
          relocatedPeople: figuresBefore.relocatedPeople + 450 + 7,
          relocationSites: figuresBefore.relocationSites + 1,
        });
        expect(await run('relocation-site-years', yearsPath)).toMatchObject({ newRows: 0, changedRows: 0 });

        // Origins: the new site's two villages, and a changed count for an existing origin.
        const villages = await database.rows<{ code: string }>(
          sql`SELECT code FROM villages WHERE county_code = ${site.county_code} ORDER BY code LIMIT 2`,
        );
        const [origin] = await database.rows<{ village_code: string; households: number }>(
          sql`SELECT village_code, households FROM relocation_origins WHERE site_id = ${site.id} ORDER BY village_code LIMIT 1`,
        );
        const originsPath = file(
          'origins.csv',
          csv('relocation-origins', [
            [site.county_code, NEW_SITE, villages[0]!.code, 70],
            [site.county_code, NEW_SITE, villages[1]!.code, 50],
            [site.county_code, site.name, origin!.village_code, origin!.households + 1],
          ]),
        );
        const origins = await run('relocation-origins', originsPath);
        expect(origins).toMatchObject({ result: 'applied', newRows: 2, changedRows: 1, errorCount: 0 });
        const api = await server.graphql<{
          relocationSite: { figures: Record<string, number>; originVillages: unknown[] };
        }>(siteQuery, { id: String(id), y: 2021 });
        expect(api.data!.relocationSite).toMatchObject({
          name: NEW_SITE,
          yearBuilt: 2020,
          figures: { households: 120, people: 450, employed: 160, zeroEmploymentHouseholds: 0 },
          originVillages: expect.arrayContaining([
            { villageCode: villages[0]!.code, households: 70 },
            { villageCode: villages[1]!.code, households: 50 },
          ]),
        });
        expect(await run('relocation-origins', originsPath)).toMatchObject({ newRows: 0, changedRows: 0 });

        // The site cannot go while its figures and origins refer to it.
        await expect(rollback('relocation-sites')).rejects.toThrow(
          /rows it added are used by rows of relocation_(site_indicators|origins) written since/,
        );
        expect(await rollback('relocation-origins')).toMatchObject({ restoredRows: 1, deletedRows: 2 });
        expect(await rollback('relocation-site-years')).toMatchObject({ restoredRows: 1, deletedRows: 2 });
        expect(await siteYear(site.id, 2021)).toEqual(old2021);
        expect(await rollback('relocation-sites')).toMatchObject({ deletedRows: 1 });
        expect(withoutDetails(await fingerprint())).toEqual(withoutDetails(before));
        expect(await countyFigures(2021)).toEqual(figuresBefore);
      });

      it('refuses each invalid row with the exact error and writes nothing', async () => {
        const C = site.county_code;
        const y21 = await siteYear(site.id, 2021);
        const yearRow = (over: Record<string, unknown> = {}) => {
          const r = { county_code: C, site_name: site.name, year: 2021, ...y21, ...over } as Record<
            string,
            unknown
          >;
          return [
            'county_code',
            'site_name',
            'year',
            'households',
            'people',
            'labour_households',
            'employed',
            'zero_employment_households',
          ].map((k) => r[k]);
        };
        const [firstYear] = (await database.rows<{ y: number }>(
          sql`SELECT min(year) AS y FROM relocation_site_indicators WHERE site_id = ${site.id}`,
        )) as [{ y: number }];
        const village = (
          await database.rows<{ code: string }>(
            sql`SELECT code FROM villages WHERE county_code = ${C} LIMIT 1`,
          )
        )[0]!.code;
        const countyName = (
          await database.rows<{ name: string }>(sql`SELECT name FROM regions WHERE code = ${C}`)
        )[0]!.name;
        const cases: Array<{
          name: string;
          dataset: Dataset;
          rows: unknown[][];
          row?: number;
          column: string;
          zh: string;
          en: string;
        }> = [
          {
            name: 'a site in a 6-digit code that is not a county',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { county_code: '520100', lon: '', lat: '' })],
            column: '县代码',
            zh: '县代码 520100 不是已有的县',
            en: 'there is no county 520100',
          },
          {
            name: 'a placement type that is none of the five',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { placement_type: '城里' })],
            column: '安置方式',
            zh: '安置方式应为 县城、集镇、中心村、产业园区、旅游景区 之一，实为“城里”',
            en: 'placement_type must be one of county_town (县城), township (集镇), central_village (中心村), industrial_park (产业园区), tourist_area (旅游景区), got "城里"',
          },
          {
            name: 'a size class that is none of the four',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { size_class: 'huge' })],
            column: '规模',
            zh: '规模应为 小型、中型、大型、特大型 之一，实为“huge”',
            en: 'size_class must be one of small (小型), medium (中型), large (大型), extra_large (特大型), got "huge"',
          },
          {
            name: 'a year built before the relocation programme',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { year_built: 2015 })],
            column: '建成年份',
            zh: '建成年份应在 2016–2020 之间：2015',
            en: 'year_built must lie within 2016–2020: 2015',
          },
          {
            name: 'a year built after the first year of its figures',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { year_built: firstYear.y + 1 })],
            column: '建成年份',
            zh: `建成年份 ${firstYear.y + 1} 晚于该安置点已有年度数据的第一年 ${firstYear.y}`,
            en: `year built ${firstYear.y + 1} is after ${firstYear.y}, the first year the site already has figures for`,
          },
          {
            name: 'a longitude without a latitude',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { lat: '' })],
            column: '纬度',
            zh: '经度和纬度须同时填写或同时不填',
            en: 'longitude and latitude go together: give both or neither',
          },
          {
            name: 'a point outside the county',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { lon: outside.lon, lat: outside.lat })],
            column: '经度',
            zh: `位置（${outside.lon}, ${outside.lat}）不在所属县 ${countyName}（${C}）境内`,
            en: `the point (${outside.lon}, ${outside.lat}) lies outside its county ${C} (${countyName})`,
          },
          {
            name: 'an enormous name',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { name: '安'.repeat(100_000) })],
            column: '安置点名称',
            zh: '安置点名称过长：超过 400 个字符，最多 200 个',
            en: 'name is too long: over 400 characters, at most 200',
          },
          {
            name: 'a formula as a name',
            dataset: 'relocation-sites',
            rows: [siteRow(site, { name: "=cmd|' /C calc'!A0" })],
            column: '安置点名称',
            zh: "安置点名称不能以“=”开头（电子表格会当作公式）：“=cmd|' /C calc'!A0”",
            en: `name must not start with "=" (a spreadsheet would take it for a formula): "=cmd|' /C calc'!A0"`,
          },
          {
            name: 'a site twice in the file',
            dataset: 'relocation-sites',
            rows: [siteRow(site), siteRow(site)],
            row: 3,
            column: '县代码',
            zh: `与第 2 行重复（${C} ${site.name}）`,
            en: `duplicates row 2 (${C} ${site.name})`,
          },
          {
            name: 'figures of a site the county does not have',
            dataset: 'relocation-site-years',
            rows: [yearRow({ site_name: '不存在安置点' })],
            column: '安置点名称',
            zh: `${countyName}（${C}）没有名为“不存在安置点”的安置点（先导入“安置点”）`,
            en: `${countyName} (${C}) has no relocation site named "不存在安置点" (import relocation-sites first)`,
          },
          {
            name: 'figures in a 6-digit code that is not a county',
            dataset: 'relocation-site-years',
            rows: [yearRow({ county_code: '999999' })],
            column: '县代码',
            zh: '县代码 999999 不是已有的县',
            en: 'there is no county 999999',
          },
          {
            name: 'figures for a year before the site was built',
            dataset: 'relocation-site-years',
            rows: [yearRow({ year: site.year_built - 1 })],
            column: '年份',
            zh: `${site.year_built - 1} 年早于安置点的建成年份 ${site.year_built}`,
            en: `${site.year_built - 1} is before the site was built (${site.year_built})`,
          },
          {
            name: 'figures for a year after the product’s years',
            dataset: 'relocation-site-years',
            rows: [yearRow({ year: LAST_YEAR + 1 })],
            column: '年份',
            zh: `年份应在 2014–${LAST_YEAR} 之间：${LAST_YEAR + 1}`,
            en: `year must lie within 2014–${LAST_YEAR}: ${LAST_YEAR + 1}`,
          },
          {
            name: 'more employed than people',
            dataset: 'relocation-site-years',
            rows: [
              yearRow({
                households: 10,
                people: 30,
                labour_households: 8,
                zero_employment_households: 0,
                employed: 31,
              }),
            ],
            column: '就业人数',
            zh: '就业人数 31 超过搬迁人口 30',
            en: 'employed 31 exceeds the people 30',
          },
          {
            name: 'more labour households than households',
            dataset: 'relocation-site-years',
            rows: [
              yearRow({
                households: 10,
                people: 30,
                labour_households: 11,
                zero_employment_households: 0,
                employed: 20,
              }),
            ],
            column: '有劳动力家庭数',
            zh: '有劳动力家庭数 11 超过搬迁户数 10',
            en: 'labour households 11 exceed the households 10',
          },
          {
            name: 'more zero-employment households than labour households',
            dataset: 'relocation-site-years',
            rows: [
              yearRow({
                households: 10,
                people: 30,
                labour_households: 5,
                zero_employment_households: 6,
                employed: 0,
              }),
            ],
            column: '零就业家庭数',
            zh: '零就业家庭数 6 超过有劳动力家庭数 5',
            en: 'zero-employment households 6 exceed the labour households 5',
          },
          {
            name: 'fewer employed than households with someone in work',
            dataset: 'relocation-site-years',
            rows: [
              yearRow({
                households: 10,
                people: 30,
                labour_households: 8,
                zero_employment_households: 1,
                employed: 6,
              }),
            ],
            column: '就业人数',
            zh: '就业人数 6 少于有人就业的家庭数 7（有劳动力家庭 8 − 零就业家庭 1）',
            en: 'employed 6 is fewer than the households with someone in work, 7 (labour households 8 − zero-employment 1)',
          },
          {
            name: 'fewer people than households',
            dataset: 'relocation-site-years',
            rows: [
              yearRow({
                households: 10,
                people: 9,
                labour_households: 8,
                zero_employment_households: 0,
                employed: 8,
              }),
            ],
            column: '搬迁人口',
            zh: '搬迁人口 9 少于搬迁户数 10',
            en: 'people 9 are fewer than the households 10',
          },
          {
            name: 'a negative figure',
            dataset: 'relocation-site-years',
            rows: [yearRow({ zero_employment_households: -1 })],
            column: '零就业家庭数',
            zh: '零就业家庭数不能为负数：-1',
            en: 'zero_employment_households must not be negative: -1',
          },
          {
            name: 'a site-year twice in the file',
            dataset: 'relocation-site-years',
            rows: [yearRow(), yearRow()],
            row: 3,
            column: '县代码',
            zh: `与第 2 行重复（${C} ${site.name} 2021）`,
            en: `duplicates row 2 (${C} ${site.name} 2021)`,
          },
          {
            name: 'an origin village that does not exist',
            dataset: 'relocation-origins',
            rows: [[C, site.name, `${C}999999`, 3]],
            column: '迁出村代码',
            zh: `村代码 ${C}999999 不存在`,
            en: `there is no village ${C}999999`,
          },
          {
            name: 'an origin that gave no households',
            dataset: 'relocation-origins',
            rows: [[C, site.name, village, 0]],
            column: '迁出户数',
            zh: '迁出户数至少为 1',
            en: 'households must be at least 1',
          },
          {
            name: 'an origin of a site the county does not have',
            dataset: 'relocation-origins',
            rows: [[C, '不存在安置点', village, 3]],
            column: '安置点名称',
            zh: `${countyName}（${C}）没有名为“不存在安置点”的安置点（先导入“安置点”）`,
            en: `${countyName} (${C}) has no relocation site named "不存在安置点" (import relocation-sites first)`,
          },
          {
            name: 'an origin twice in the file',
            dataset: 'relocation-origins',
            rows: [
              [C, site.name, village, 3],
              [C, site.name, village, 4],
            ],
            row: 3,
            column: '县代码',
            zh: `与第 2 行重复（${C} ${site.name} ${village}）`,
            en: `duplicates row 2 (${C} ${site.name} ${village})`,
          },
        ];
        const before = await fingerprint();
        for (const c of cases) {
          const result = await run(c.dataset, file(`bad-${c.dataset}.csv`, csv(c.dataset, c.rows)));
          expect(result.result, c.name).toBe('rejected');
          expect(result.errors, c.name).toEqual([
            { sheet: result.file, row: c.row ?? 2, column: c.column, zh: c.zh, en: c.en },
          ]);
        }
        expect(await fingerprint()).toEqual(before);
      });

      it('reads an XLSX formula by its result, and refuses one saved without a result or typed as text', async () => {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('安置点');
        sheet.addRow([...HEADERS['relocation-sites']]);
        // A formula with its cached result (as Excel saves it) reads as the result.
        const good = siteRow(site);
        good[10] = { formula: `${site.year_built - 1}+1`, result: site.year_built };
        sheet.addRow(good);
        // Text that would be a formula again when exported, and a formula nobody calculated.
        sheet.addRow(siteRow(site2, { name: '@SUM(A1:A9)' }));
        const uncalculated = siteRow(site2, { name: `${site2.name}（二）` });
        uncalculated[10] = { formula: 'YEAR(TODAY())' };
        sheet.addRow(uncalculated);
        const path = join(dir, 'formulas.xlsx');
        await workbook.xlsx.writeFile(path);
        const before = await fingerprint();
        const result = await run('relocation-sites', path);
        expect(result).toMatchObject({ result: 'rejected', rows: 3, invalidRows: 2 });
        expect(result.errors).toEqual([
          {
            sheet: '安置点',
            row: 3,
            column: '安置点名称',
            zh: '安置点名称不能以“@”开头（电子表格会当作公式）：“@SUM(A1:A9)”',
            en: 'name must not start with "@" (a spreadsheet would take it for a formula): "@SUM(A1:A9)"',
          },
          {
            sheet: '安置点',
            row: 4,
            column: '建成年份',
            zh: '建成年份不是数字：“=YEAR(TODAY())”',
            en: 'year_built is not a number: "=YEAR(TODAY())"',
          },
        ]);
        expect(await fingerprint()).toEqual(before);
        // The first row alone imports: it is the site as it is.
        const alone = new ExcelJS.Workbook();
        const one = alone.addWorksheet('安置点');
        one.addRow([...HEADERS['relocation-sites']]);
        one.addRow(good);
        const alonePath = join(dir, 'formula-result.xlsx');
        await alone.xlsx.writeFile(alonePath);
        expect(await run('relocation-sites', alonePath, true)).toMatchObject({
          errorCount: 0,
          unchangedRows: 1,
        });
      });
    });
  });
}
