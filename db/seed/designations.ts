// County designations of the demo dataset. Where a published list is known they come from it
// (designations/*.csv, sources and uncertainties in designations/SOURCES.md): the 832 poverty
// counties and their exit years, the 52 挂牌督战 counties, and 94 of the 160 key assistance
// counties. The 66 key assistance counties not found are drawn from the poverty counties of the
// provinces they are missing in, and marked generated county by county. East–west partner counties
// are generated. The lists are files of the project: nothing outside it is read.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { EAST_WEST_PARTNERS, KEY_ASSISTANCE_BY_PROVINCE } from './calibration.ts';
import { entityRandom, rank } from './random.ts';

export interface CountyInfo {
  code: string;
  name: string;
  provinceCode: string;
  hasBoundary: boolean;
}

/** Where a designation comes from: a published list, an imported file, or the demo generator. */
export type DesignationSource = 'published_list' | 'imported' | 'generated';

export interface CountyDesignation {
  countyCode: string;
  povertyCounty: boolean;
  povertyExitYear: number | null;
  keyAssistance: boolean;
  /**
   * Where the key assistance value (true or false) comes from: the published list, or generated
   * (the 66 counties not found, and "not key" in the five provinces whose list is incomplete).
   */
  keyAssistanceSource: DesignationSource;
  supervised: boolean;
  eastWestPartnerProvince: string | null;
  eastWestPartnerCounty: string | null;
}

/** One row of a designation list (2023 code and name; see SOURCES.md for the columns). */
export interface ListedCounty {
  code: string;
  name: string;
  province: string;
  prefecture: string;
  nameInSource: string;
  note: string;
  /** 摘帽 year, in the 832 list only. */
  exitYear: number | null;
}

export interface DesignationLists {
  /** 832 rows; 831 distinct codes (冷湖 and 茫崖 share 632803 茫崖市). */
  poverty: ListedCounty[];
  /** The 52 挂牌督战 counties of 2020. */
  supervised: ListedCounty[];
  /** 94 of the 160 国家乡村振兴重点帮扶县 (2021): partial, see SOURCES.md. */
  keyAssistance: ListedCounty[];
}

export const DESIGNATION_LIST_FILES = {
  poverty: 'poverty-counties-832.csv',
  supervised: 'supervised-counties-2020.csv',
  keyAssistance: 'key-assistance-counties-2021-partial.csv',
} as const;

/** The folder of the shipped lists and their SOURCES.md. */
export const DESIGNATION_LIST_DIR = new URL('./designations/', import.meta.url);

/** Publication facts of each list (SOURCES.md). */
export const LIST_PUBLICATION = {
  poverty: { date: '2014', by: '国务院扶贫办' },
  supervised: {
    date: '2020-03-12',
    by: '国务院扶贫开发领导小组 (52 counties given at the 国新办 press conference)',
  },
  keyAssistance: { date: '2021-08-27', by: '中央农村工作领导小组办公室, 国家乡村振兴局' },
} as const;

function readList(file: string, dir: URL): ListedCounty[] {
  const rows = parse(readFileSync(new URL(file, dir)), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  return rows.map((r, i) => {
    if (!/^\d{6}$/.test(r.code ?? ''))
      throw new Error(`${file} row ${i + 2}: code "${r.code}" is not 6 digits`);
    const year = /exit_year=(\d{4})/.exec(r.note ?? '');
    return {
      code: r.code!,
      name: r.name ?? '',
      province: r.province ?? '',
      prefecture: r.prefecture ?? '',
      nameInSource: r.name_in_source ?? '',
      note: r.note ?? '',
      exitYear: year ? Number(year[1]) : null,
    };
  });
}

const cachedLists = new Map<string, DesignationLists>();

/** Reads the three shipped lists (once per folder). */
export function loadDesignationLists(dir: URL = DESIGNATION_LIST_DIR): DesignationLists {
  const cached = cachedLists.get(dir.href);
  if (cached) return cached;
  const lists: DesignationLists = {
    poverty: readList(DESIGNATION_LIST_FILES.poverty, dir),
    supervised: readList(DESIGNATION_LIST_FILES.supervised, dir),
    keyAssistance: readList(DESIGNATION_LIST_FILES.keyAssistance, dir),
  };
  for (const c of lists.poverty) {
    if (c.exitYear == null || c.exitYear < 2016 || c.exitYear > 2020)
      throw new Error(`${DESIGNATION_LIST_FILES.poverty}: ${c.code} ${c.name} has no exit year 2016–2020`);
  }
  cachedLists.set(dir.href, lists);
  return lists;
}

/** Counts by province code (the first two digits), distinct codes. */
export function countByProvince(rows: ReadonlyArray<{ code: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const code of new Set(rows.map((r) => r.code))) {
    counts.set(code.slice(0, 2), (counts.get(code.slice(0, 2)) ?? 0) + 1);
  }
  return counts;
}

/**
 * The key assistance counties the published list does not give, per province: the expected count
 * (SOURCES.md, KEY_ASSISTANCE_BY_PROVINCE) less the counties found.
 */
export function missingKeyAssistance(lists: DesignationLists = loadDesignationLists()): Map<string, number> {
  const found = countByProvince(lists.keyAssistance);
  const missing = new Map<string, number>();
  for (const [province, expected] of Object.entries(KEY_ASSISTANCE_BY_PROVINCE)) {
    const n = expected - (found.get(province) ?? 0);
    if (n < 0) throw new Error(`key assistance list: more counties found in ${province} than expected`);
    if (n > 0) missing.set(province, n);
  }
  return missing;
}

/** Takes the n best of `items` by score (stable for a given seed). */
function takeRanked<T>(items: T[], n: number, score: (item: T) => number): T[] {
  return [...items].sort((a, b) => score(b) - score(a)).slice(0, n);
}

export function designateCounties(
  seed: number,
  counties: CountyInfo[],
  lists: DesignationLists = loadDesignationLists(),
): Map<string, CountyDesignation> {
  const missing = missingKeyAssistance(lists);
  const result = new Map<string, CountyDesignation>();
  for (const c of counties) {
    result.set(c.code, {
      countyCode: c.code,
      povertyCounty: false,
      povertyExitYear: null,
      keyAssistance: false,
      // "Not key" is a fact where the province's list is complete, generated where it is not.
      keyAssistanceSource: missing.has(c.provinceCode) ? 'generated' : 'published_list',
      supervised: false,
      eastWestPartnerProvince: null,
      eastWestPartnerCounty: null,
    });
  }
  const designation = (row: ListedCounty, list: string) => {
    const d = result.get(row.code);
    if (!d) throw new Error(`${list}: county ${row.code} ${row.name} is not in the region list`);
    return d;
  };
  // A designation is a fact even where the county has no boundary to draw (茫崖 632803, 大柴旦 632857).
  for (const row of lists.poverty) {
    const d = designation(row, DESIGNATION_LIST_FILES.poverty);
    d.povertyCounty = true;
    // 冷湖 and 茫崖 (both 2019) share 632803: the later year if two rows ever differ.
    d.povertyExitYear = Math.max(d.povertyExitYear ?? 0, row.exitYear!);
  }
  for (const row of lists.supervised) designation(row, DESIGNATION_LIST_FILES.supervised).supervised = true;
  for (const row of lists.keyAssistance) {
    const d = designation(row, DESIGNATION_LIST_FILES.keyAssistance);
    d.keyAssistance = true;
    d.keyAssistanceSource = 'published_list';
  }

  // The counties not found are drawn from the province's other poverty counties that can be drawn
  // (with a boundary): the weakest first, as the real list was (挂牌督战, then the late exits).
  const info = new Map(counties.map((c) => [c.code, c]));
  for (const [province, n] of [...missing].sort(([a], [b]) => a.localeCompare(b))) {
    const candidates = [...result.values()].filter(
      (d) =>
        d.countyCode.startsWith(province) &&
        d.povertyCounty &&
        !d.keyAssistance &&
        info.get(d.countyCode)?.hasBoundary,
    );
    if (candidates.length < n)
      throw new Error(`key assistance: ${n} to draw in ${province} but only ${candidates.length} candidates`);
    const drawn = takeRanked(
      candidates,
      n,
      (d) =>
        (d.supervised ? 2 : 0) +
        ((d.povertyExitYear ?? 0) >= 2019 ? 1 : 0) +
        rank(seed, 'key-county', d.countyCode),
    );
    for (const d of drawn) d.keyAssistance = true; // keyAssistanceSource stays 'generated'
  }

  // 东西部协作: the province pairing of 2021; the partner county is generated.
  const byProvince = new Map<string, CountyInfo[]>();
  for (const c of counties) {
    if (!c.hasBoundary) continue;
    const list = byProvince.get(c.provinceCode);
    if (list) list.push(c);
    else byProvince.set(c.provinceCode, [c]);
  }
  for (const d of result.values()) {
    if (!d.povertyCounty) continue;
    const partnerProvince = EAST_WEST_PARTNERS[d.countyCode.slice(0, 2)];
    if (!partnerProvince) continue;
    d.eastWestPartnerProvince = partnerProvince;
    const partners = byProvince.get(partnerProvince) ?? [];
    if (partners.length)
      d.eastWestPartnerCounty = entityRandom(seed, 'partner', d.countyCode).pick(partners).code;
  }
  return result;
}

/** One part of the dataset and where it comes from (the API's `dataset.sources`). */
export interface DatasetSource {
  part:
    | 'poverty_counties'
    | 'supervised_counties'
    | 'key_assistance_counties'
    | 'east_west_partners'
    | 'poverty_villages'
    | 'supervised_villages'
    | 'figures';
  label: string;
  kind: DesignationSource;
  /** Date of publication (ISO 8601, as precise as known), for published lists. */
  date: string | null;
  /** How many units this source gives, where that is a count. */
  count: number | null;
  note: string;
}

const PROVINCE_SHORT: Readonly<Record<string, string>> = {
  '15': '内蒙古',
  '45': '广西',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
};

/** The sources of the demo dataset's parts, as stored in its details and answered by the API. */
export function demoSources(lists: DesignationLists = loadDesignationLists()): DatasetSource[] {
  const missing = missingKeyAssistance(lists);
  const missingTotal = [...missing.values()].reduce((s, n) => s + n, 0);
  const found = new Set(lists.keyAssistance.map((c) => c.code)).size;
  const povertyCodes = new Set(lists.poverty.map((c) => c.code)).size;
  const missingText = [...missing].map(([p, n]) => `${PROVINCE_SHORT[p] ?? p} ${n}`).join(', ');
  return [
    {
      part: 'poverty_counties',
      label: '贫困县及摘帽年份 (poverty counties and exit years)',
      kind: 'published_list',
      date: LIST_PUBLICATION.poverty.date,
      count: povertyCodes,
      note: `${lists.poverty.length} listed by ${LIST_PUBLICATION.poverty.by}, ${povertyCodes} distinct 2023 counties (冷湖 and 茫崖 merged into 茫崖市); exit years 2016–2020 from a compilation of the announcements; db/seed/designations/SOURCES.md`,
    },
    {
      part: 'supervised_counties',
      label: '挂牌督战县 (counties under listed supervision, 2020)',
      kind: 'published_list',
      date: LIST_PUBLICATION.supervised.date,
      count: lists.supervised.length,
      note: `all ${lists.supervised.length}, from the provinces' exit announcements and a list by province; db/seed/designations/SOURCES.md`,
    },
    {
      part: 'key_assistance_counties',
      label: '国家乡村振兴重点帮扶县 (national key assistance counties)',
      kind: 'published_list',
      date: LIST_PUBLICATION.keyAssistance.date,
      count: found,
      note: `${found} of ${found + missingTotal} found in public copies of the list; db/seed/designations/SOURCES.md`,
    },
    {
      part: 'key_assistance_counties',
      label: '国家乡村振兴重点帮扶县 (national key assistance counties), not found',
      kind: 'generated',
      date: null,
      count: missingTotal,
      note: `${missingTotal} of ${found + missingTotal} drawn from poverty counties (${missingText}); each county says so (keyAssistanceSource)`,
    },
    {
      part: 'east_west_partners',
      label: '东西部协作 (east–west partners)',
      kind: 'generated',
      date: null,
      count: null,
      note: 'partner provinces follow the 2021 province pairing; partner counties are drawn at random',
    },
    {
      part: 'poverty_villages',
      label: '贫困村 (poverty villages) and their exit years',
      kind: 'generated',
      date: null,
      count: null,
      note: 'real village names and codes; which are poverty villages is drawn, about 128,000 nationally',
    },
    {
      part: 'supervised_villages',
      label: '挂牌督战村 (villages under listed supervision)',
      kind: 'generated',
      date: null,
      count: null,
      note: 'no national list of the 1,113 was published: drawn from the poverty villages of the real 52 挂牌督战 counties; their ledger is generated',
    },
    {
      part: 'figures',
      label: '指标、安置点、问题台账 (figures, relocation sites, problem ledger)',
      kind: 'generated',
      date: null,
      count: null,
      note: 'synthetic, calibrated to published national totals',
    },
  ];
}
