// The published designation lists shipped with the demo (db/seed/designations/, SOURCES.md): the list
// facts are checked on the shipped files through the seed's own functions (the tiny test database
// covers a few counties only), the database and the API on the tiny data, on both backends.
import { readFileSync } from 'node:fs';
import {
  COUNTY_EXIT_YEARS,
  countByProvince,
  DESIGNATION_LIST_DIR,
  designateCounties,
  geographyFiles,
  KEY_ASSISTANCE_BY_PROVINCE,
  loadDesignationLists,
  missingKeyAssistance,
  POVERTY_COUNTIES_BY_PROVINCE,
  planInputsFromFiles,
  readCountyInfos,
  SUPERVISED_COUNTIES_BY_PROVINCE,
} from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './support/databases.ts';
import type { TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

const lists = loadDesignationLists();
const sourcesMd = readFileSync(new URL('SOURCES.md', DESIGNATION_LIST_DIR), 'utf8');

/** Province short name (as SOURCES.md writes it: 内蒙古, 广西 …) → 2-digit code, from the 832 list. */
function provinceCode(short: string): string {
  const row = lists.poverty.find((r) => r.province.startsWith(short));
  if (!row) throw new Error(`no province ${short} in the 832 list`);
  return row.code.slice(0, 2);
}

/** "河北 45, 山西 36, …" after `marker` in SOURCES.md → counts by province code. */
function countsAfter(marker: string): Map<string, number> {
  const start = sourcesMd.indexOf(marker);
  expect(start, marker).toBeGreaterThan(-1);
  const line = sourcesMd.slice(start + marker.length).split(/\.\n|\n\n/)[0]!;
  const counts = new Map<string, number>();
  for (const [, name, n] of line.matchAll(/([\u4e00-\u9fff]+) (\d+)/g))
    counts.set(provinceCode(name!), Number(n));
  return counts;
}

/** The key assistance table of SOURCES.md: province → expected and found. */
function keyAssistanceTable(): Map<string, { expected: number; found: number }> {
  const table = new Map<string, { expected: number; found: number }>();
  for (const [, name, expected, found] of sourcesMd.matchAll(
    /^\| ([\u4e00-\u9fff]+) \| (\d+) \| (\d+) \|/gm,
  )) {
    table.set(provinceCode(name!), { expected: Number(expected), found: Number(found) });
  }
  return table;
}

const asObject = (m: Map<string, number>) =>
  Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

describe('the shipped designation lists', () => {
  it('count per province what SOURCES.md states, and the calibration agrees', () => {
    const poverty = countsAfter('Per province (file = expected): ');
    expect(poverty.size).toBe(22);
    // Rows per province (冷湖 and 茫崖 are two rows of 青海 with one code).
    const rows = new Map<string, number>();
    for (const r of lists.poverty) rows.set(r.code.slice(0, 2), (rows.get(r.code.slice(0, 2)) ?? 0) + 1);
    expect(asObject(rows)).toEqual(asObject(poverty));
    expect(asObject(poverty)).toEqual(POVERTY_COUNTIES_BY_PROVINCE);
    expect(lists.poverty).toHaveLength(832);
    expect(new Set(lists.poverty.map((r) => r.code)).size).toBe(831);

    const supervised = countsAfter('Counts found = expected for every province: ');
    expect(asObject(countByProvince(lists.supervised))).toEqual(asObject(supervised));
    expect(asObject(supervised)).toEqual(SUPERVISED_COUNTIES_BY_PROVINCE);
    expect(lists.supervised).toHaveLength(52);

    const key = keyAssistanceTable();
    expect(key.size).toBe(10);
    const found = countByProvince(lists.keyAssistance);
    for (const [province, { expected, found: stated }] of key) {
      expect(found.get(province) ?? 0, `found in ${province}`).toBe(stated);
      expect(KEY_ASSISTANCE_BY_PROVINCE[province], `expected in ${province}`).toBe(expected);
    }
    expect(lists.keyAssistance).toHaveLength(94);
    expect(Object.values(KEY_ASSISTANCE_BY_PROVINCE).reduce((s, n) => s + n, 0)).toBe(160);
    // The 66 missing: 云南 15, 陕西 9, 甘肃 23, 青海 15, 宁夏 4.
    expect(asObject(missingKeyAssistance(lists))).toEqual({ '53': 15, '61': 9, '62': 23, '63': 15, '64': 4 });
  });

  it('has the published exit years, and the 52 are exactly the exits of 2020', () => {
    const byYear = new Map<number, number>();
    for (const r of lists.poverty) byYear.set(r.exitYear!, (byYear.get(r.exitYear!) ?? 0) + 1);
    expect(Object.fromEntries(byYear)).toEqual({
      ...Object.fromEntries(COUNTY_EXIT_YEARS),
      2020: 52,
    });
    const exit2020 = new Set(lists.poverty.filter((r) => r.exitYear === 2020).map((r) => r.code));
    expect(new Set(lists.supervised.map((r) => r.code))).toEqual(exit2020);
    const poverty = new Set(lists.poverty.map((r) => r.code));
    expect(lists.keyAssistance.filter((r) => !poverty.has(r.code))).toEqual([]);
  });

  it('designates well-known members and draws exactly the 66 missing key assistance counties', () => {
    const { counties } = readCountyInfos(planInputsFromFiles(geographyFiles()));
    const d = designateCounties(20_201_123, counties, lists);
    const all = [...d.values()];
    // 威宁 (毕节), 昭觉 (凉山), 镇雄 (昭通; 530627 since 2001, 532127 before): all three lists.
    for (const code of ['520526', '513431', '530627']) {
      expect(d.get(code), code).toMatchObject({
        povertyCounty: true,
        povertyExitYear: 2020,
        supervised: true,
        keyAssistance: true,
        keyAssistanceSource: 'published_list',
      });
    }
    // 东城区 (北京): on no list, and that is a fact.
    expect(d.get('110101')).toMatchObject({
      povertyCounty: false,
      povertyExitYear: null,
      supervised: false,
      keyAssistance: false,
      keyAssistanceSource: 'published_list',
    });
    // A designation is a fact even where nothing can be drawn.
    const info = new Map(counties.map((c) => [c.code, c]));
    for (const code of ['632803', '632857']) {
      expect(info.get(code)?.hasBoundary, code).toBe(false);
      expect(d.get(code), code).toMatchObject({ povertyCounty: true, povertyExitYear: 2019 });
    }
    expect(all.filter((x) => x.povertyCounty)).toHaveLength(831);
    expect(all.filter((x) => x.supervised)).toHaveLength(52);
    const key = all.filter((x) => x.keyAssistance);
    expect(key).toHaveLength(160);
    const generated = key.filter((x) => x.keyAssistanceSource === 'generated');
    expect(generated).toHaveLength(66);
    expect(asObject(countByProvince(generated.map((x) => ({ code: x.countyCode }))))).toEqual(
      asObject(missingKeyAssistance(lists)),
    );
    // Drawn from poverty counties that can be drawn; the found 94 are exactly the published ones.
    expect(generated.every((x) => x.povertyCounty && info.get(x.countyCode)?.hasBoundary)).toBe(true);
    expect(
      new Set(key.filter((x) => x.keyAssistanceSource === 'published_list').map((x) => x.countyCode)),
    ).toEqual(new Set(lists.keyAssistance.map((r) => r.code)));
    // In the five incomplete provinces "not key" is generated too; elsewhere it is the list's.
    const incomplete = new Set(missingKeyAssistance(lists).keys());
    for (const x of all.filter((c) => !c.keyAssistance)) {
      expect(x.keyAssistanceSource, x.countyCode).toBe(
        incomplete.has(x.countyCode.slice(0, 2)) ? 'generated' : 'published_list',
      );
    }
  });
});

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `designations on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
      });
      afterAll(() => stopServing(server, database));

      it('stores the national designations with their source, whatever the scale', async () => {
        const [row] = await database.rows<Record<string, number>>(sql`
          SELECT count(*) FILTER (WHERE poverty_county)::int AS poverty,
            count(*) FILTER (WHERE supervised)::int AS supervised,
            count(*) FILTER (WHERE key_assistance)::int AS key,
            count(*) FILTER (WHERE key_assistance AND key_assistance_source = 'generated')::int AS key_generated,
            count(*) FILTER (WHERE key_assistance_source IS NULL)::int AS no_source
          FROM county_designations`);
        expect(row).toEqual({ poverty: 831, supervised: 52, key: 160, key_generated: 66, no_source: 0 });
      });

      it('answers well-known members, a county on no list, and a generated one through the API', async () => {
        const [generated] = await database.rows<{ code: string }>(sql`
          SELECT county_code AS code FROM county_designations
          WHERE key_assistance AND key_assistance_source = 'generated' ORDER BY county_code LIMIT 1`);
        const fields =
          'code povertyCounty povertyExitYear supervised keyAssistance keyAssistanceSource hasBoundary';
        const { data, errors } = await server.graphql<Record<string, Record<string, unknown>>>(`{
          weining: county(code: "520526") { ${fields} }
          zhaojue: county(code: "513431") { ${fields} }
          zhenxiong: county(code: "530627") { ${fields} }
          dongcheng: county(code: "110101") { ${fields} }
          mangya: county(code: "632803") { ${fields} }
          generated: county(code: "${generated!.code}") { ${fields} }
        }`);
        expect(errors).toBeUndefined();
        for (const k of ['weining', 'zhaojue', 'zhenxiong']) {
          expect(data![k], k).toMatchObject({
            povertyCounty: true,
            povertyExitYear: 2020,
            supervised: true,
            keyAssistance: true,
            keyAssistanceSource: 'PUBLISHED_LIST',
          });
        }
        expect(data!.dongcheng).toMatchObject({
          povertyCounty: false,
          supervised: false,
          keyAssistance: false,
          keyAssistanceSource: 'PUBLISHED_LIST',
        });
        expect(data!.mangya).toMatchObject({
          povertyCounty: true,
          povertyExitYear: 2019,
          hasBoundary: false,
        });
        expect(data!.generated).toMatchObject({
          povertyCounty: true,
          keyAssistance: true,
          keyAssistanceSource: 'GENERATED',
        });
        expect(['53', '61', '62', '63', '64']).toContain(generated!.code.slice(0, 2));
      });

      it('says where each part of the dataset comes from', async () => {
        const { data, errors } = await server.graphql<{
          dataset: {
            label: string;
            sources: {
              part: string;
              label: string;
              kind: string;
              date: string | null;
              count: number | null;
              note: string;
            }[];
          };
        }>('{ dataset { label sources { part label kind date count note } } }');
        expect(errors).toBeUndefined();
        const sources = data!.dataset.sources;
        const of = (part: string) => sources.filter((s) => s.part === part);
        expect(of('POVERTY_COUNTIES')).toEqual([
          expect.objectContaining({ kind: 'PUBLISHED_LIST', date: '2014', count: 831 }),
        ]);
        expect(of('SUPERVISED_COUNTIES')).toEqual([
          expect.objectContaining({ kind: 'PUBLISHED_LIST', count: 52 }),
        ]);
        expect(of('KEY_ASSISTANCE_COUNTIES')).toEqual([
          expect.objectContaining({ kind: 'PUBLISHED_LIST', date: '2021-08-27', count: 94 }),
          expect.objectContaining({ kind: 'GENERATED', date: null, count: 66 }),
        ]);
        expect(of('KEY_ASSISTANCE_COUNTIES')[1]!.note).toContain('云南 15, 陕西 9, 甘肃 23, 青海 15, 宁夏 4');
        for (const part of ['EAST_WEST_PARTNERS', 'SUPERVISED_VILLAGES', 'POVERTY_VILLAGES', 'FIGURES']) {
          expect(of(part), part).toEqual([expect.objectContaining({ kind: 'GENERATED' })]);
        }
        // The label no longer calls the designations synthetic: it names the generated parts.
        expect(data!.dataset.label).toContain('from published lists');
        expect(data!.dataset.label).not.toMatch(/synthetic figures and designations/);
      });

      it('lists the supervised counties of the scale, and places the 挂牌督战 villages in supervision provinces', async () => {
        const [row] = await database.rows<{
          wrong_county: number;
          county_listings: number;
          outside: number;
        }>(sql`
          SELECT
            (SELECT count(*)::int FROM supervision_listings l JOIN county_designations d ON d.county_code = l.county_code
              WHERE l.unit_type = 'county' AND NOT d.supervised) AS wrong_county,
            (SELECT count(*)::int FROM supervision_listings WHERE unit_type = 'county') AS county_listings,
            (SELECT count(*)::int FROM villages WHERE supervised
              AND left(county_code, 2) NOT IN ('45', '51', '52', '53', '62', '64', '65')) AS outside`);
        expect(row!.wrong_county).toBe(0);
        expect(row!.county_listings).toBeGreaterThan(0);
        expect(row!.outside).toBe(0);
      });
    },
  );
}
