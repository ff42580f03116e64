// Over 400 lines on purpose: one pipeline from the source packages to the cache, read top to bottom.
// Derives the demo geography on the user's machine: WGS84, simplified county boundaries with shared
// borders kept consistent, prefecture and province outlines dissolved from them, the region list and
// the rural village list, all keyed by 2023 codes. Output goes to a git-ignored cache folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { gcj02ToWgs84 } from '../../src/postgis/gcj02.ts';
import { type County2023, crosswalkPolygons, type MatchRule, type PolygonKey } from './crosswalk.ts';
import { fetchSourcePackages, type SourcePaths } from './sources.ts';

/** Bump when the output format or the recipe changes, so stale caches are rebuilt. */
export const GEOGRAPHY_VERSION = 2;

export interface GeographyFiles {
  dir: string;
  counties: string;
  prefectures: string;
  provinces: string;
  regions: string;
  villages: string;
  report: string;
}

/**
 * What the demo's plan reads of the geography (load.ts): the regions, the rural villages and which
 * counties have a boundary to place them in. All known before the boundaries are simplified, so a
 * first start plans and loads the village-years while mapshaper runs (onPlanInputs).
 */
export interface PlanInputs {
  regions: RegionRecord[];
  villages: VillageRow[];
  countiesWithBoundary: string[];
}

/** A rural village of the list: 12-digit code, name, township name. */
export interface VillageRow {
  code: string;
  name: string;
  township: string;
}

/** The plan's inputs from a built cache. */
export function planInputsFromFiles(files: GeographyFiles): PlanInputs {
  return {
    regions: JSON.parse(readFileSync(files.regions, 'utf8')) as RegionRecord[],
    villages: parse(readFileSync(files.villages), { columns: true }) as VillageRow[],
    countiesWithBoundary: countiesWithBoundary(files),
  };
}

/** The codes of the counties the built cache has a boundary for. */
export function countiesWithBoundary(files: GeographyFiles): string[] {
  const boundaries = JSON.parse(readFileSync(files.counties, 'utf8')) as {
    features: Array<{ properties: { code: string } }>;
  };
  return boundaries.features.map((f) => String(f.properties.code));
}

export interface RegionRecord {
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county';
  parentCode: string | null;
}

export interface CoverageReport {
  geographyVersion: number;
  countyUnits2023: number;
  countyUnitsWithBoundary: number;
  countiesWithoutBoundary: Array<{ code: string; name: string }>;
  polygonsWithout2023Unit: Array<{ oldCode: string | null; name: string }>;
  matchRules: Record<string, number>;
  southernmostLatitude: number;
}

export function geographyDir(): string {
  return process.env.GEO_CACHE_DIR ?? join(process.cwd(), '.data', 'geography');
}

export function geographyFiles(dir = geographyDir()): GeographyFiles {
  return {
    dir,
    counties: join(dir, 'counties.json'),
    prefectures: join(dir, 'prefectures.json'),
    provinces: join(dir, 'provinces.json'),
    regions: join(dir, 'regions.json'),
    villages: join(dir, 'villages.csv'),
    report: join(dir, 'report.json'),
  };
}

/**
 * Returns the cached geography, building it first when it is missing or stale. `onPlanInputs`
 * gets what the demo's plan needs as soon as it is known (only when it builds).
 */
export async function ensureGeography(
  log: (line: string) => void = console.log,
  onPlanInputs?: (inputs: PlanInputs) => void | Promise<void>,
): Promise<GeographyFiles> {
  const files = geographyFiles();
  if (!geographyIsCurrent(files)) await buildGeography(files, log, onPlanInputs);
  return files;
}

/** Whether the cache holds a complete build of this version (its report is written last). */
export function geographyIsCurrent(files = geographyFiles()): boolean {
  try {
    const report = JSON.parse(readFileSync(files.report, 'utf8')) as CoverageReport;
    return report.geographyVersion === GEOGRAPHY_VERSION;
  } catch {
    return false; // missing or unreadable: built again
  }
}

type Position = [number, number];
type Ring = Position[];
interface PolygonFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

// ECharts' compact geometry encoding (zig-zag + delta, 1/1024° grid), used by the chongqing and
// shanghai files. The files' other `encodeOffsets` are stale and ignored.
function decodeRing(encoded: string, offsets: [number, number]): Ring {
  const ring: Ring = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / 1024, y / 1024]);
  }
  return ring;
}

/**
 * Drops the consecutive duplicate vertices the 1/1024° grid makes and closes the ring; null when
 * fewer than three distinct vertices are left. On the source's own coordinates, before any datum
 * conversion: which rings and polygons survive is then known before the slow conversion, and so
 * are the counties that get a boundary (the early lists). The conversion maps distinct grid points
 * to distinct points, so dropping before or after it keeps the same vertices.
 */
function cleanRing(raw: Ring): Ring | null {
  const ring: Ring = [];
  for (const p of raw) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  if (ring.length < 3) return null;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0]!, first[1]!]);
  return ring.length >= 4 ? ring : null;
}

/** The source's polygons, decoded and cleaned (cleanRing), in the source's datum. */
// biome-ignore lint/suspicious/noExplicitAny: source GeoJSON is loosely typed (encoded strings or arrays)
function readPolygons(geometry: any, encodeOffsets: any): Ring[][] {
  if (!geometry?.coordinates?.length) return [];
  const polygons: unknown[][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const offsets: unknown[][] | undefined =
    encodeOffsets && (geometry.type === 'Polygon' ? [encodeOffsets] : encodeOffsets);
  const out: Ring[][] = [];
  polygons.forEach((polygon, pi) => {
    const rings: Ring[] = [];
    polygon.forEach((ring, ri) => {
      const raw =
        typeof ring === 'string' ? decodeRing(ring, offsets![pi]![ri] as [number, number]) : (ring as Ring);
      const cleaned = cleanRing(raw);
      if (cleaned) rings.push(cleaned);
      else if (ri === 0) return; // an outer ring that collapsed: drop the polygon
    });
    if (rings.length) out.push(rings);
  });
  return out;
}

/**
 * GCJ-02 polygons to WGS84 (a closing vertex stays equal to its ring's first). Two neighbouring
 * vertices that the conversion made equal would break cleanRing's premise (the cleaning before
 * the conversion would no longer be the one after it): refused, naming the place.
 */
function polygonsToWgs84(polygons: Ring[][], name: string): Ring[][] {
  return polygons.map((rings) =>
    rings.map((ring) => {
      const converted = ring.slice(0, -1).map(([lon, lat]) => gcj02ToWgs84(lon!, lat!) as Position);
      converted.forEach((p, i) => {
        const previous = converted[i - 1];
        if (previous && previous[0] === p[0] && previous[1] === p[1])
          throw new Error(
            `${name}: two vertices became one in the GCJ-02 → WGS84 conversion, at ${p.join(', ')}`,
          );
      });
      converted.push([converted[0]![0]!, converted[0]![1]!]);
      return converted;
    }),
  );
}

function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true });
}

// Taiwan's files use traditional characters; the product shows simplified Chinese.
const TRADITIONAL_TO_SIMPLIFIED: Record<string, string> = {
  臺: '台',
  縣: '县',
  東: '东',
  義: '义',
  蘭: '兰',
  雲: '云',
  園: '园',
  蓮: '莲',
  連: '连',
};
const simplify = (s: string) => s.replace(/[臺縣東義蘭雲園蓮連]/g, (c) => TRADITIONAL_TO_SIMPLIFIED[c] ?? c);

// 金门 and 马祖 appear in both the Fujian and the Taiwan files: keep Fujian's (350527, 350122).
const TAIWAN_FILES_SKIPPED = new Set([
  'tai2_wan1_jin1_men2_xian4.geojson',
  'tai2_wan1_lian2_jiang1_xian4.geojson',
]);
// 东沙群岛 has no GB code; it belongs to Guangdong's outline but is no county.
const PROVINCE_ONLY = new Map([['442100', '44']]);
// Files whose features carry no ids, so the province cannot be read off them.
const FILE_PROVINCE: Record<string, string> = { 'he2_bei3_cang1_zhou1.geojson': '13' };

export const EXTRA_PROVINCES: RegionRecord[] = [
  { code: '71', name: '台湾省', level: 'province', parentCode: null },
  { code: '81', name: '香港特别行政区', level: 'province', parentCode: null },
  { code: '82', name: '澳门特别行政区', level: 'province', parentCode: null },
];

function loadDivisions(paths: SourcePaths) {
  const provinces = readCsv(join(paths.divisionsDir, 'provinces.csv'));
  const cities = readCsv(join(paths.divisionsDir, 'cities.csv'));
  const areas = readCsv(join(paths.divisionsDir, 'areas.csv'));
  const provinceName = new Map(provinces.map((p) => [p.code!, p.name!]));
  const counties = new Map<string, County2023>();
  for (const a of areas) {
    // NBS "x7x" codes are development zones, not county-level units.
    if (a.code![4] === '7') continue;
    counties.set(a.code!, {
      code: a.code!,
      name: a.name!,
      prefectureCode: a.cityCode!,
      provinceCode: a.provinceCode!,
    });
  }
  // The NBS list's own county-level units (it already lists 东莞, 中山 and 儋州 as xx00).
  const realCountyCodes = new Set(counties.keys());
  const regions: RegionRecord[] = provinces.map((p) => ({
    code: p.code!,
    name: p.name!,
    level: 'province',
    parentCode: null,
  }));
  for (const c of cities) {
    // Municipalities list their districts under a "市辖区" prefecture; show the city's own name.
    const name = c.name === '市辖区' ? provinceName.get(c.provinceCode!)! : c.name!;
    regions.push({ code: c.code!, name, level: 'prefecture', parentCode: c.provinceCode! });
    // Prefecture-level cities without counties (东莞, 中山, 嘉峪关, 儋州, 三沙) are county-level
    // units on the map: they get the conventional code city + "00".
    const hasCounties = areas.some((a) => a.cityCode === c.code && a.code![4] !== '7');
    if (!hasCounties) {
      const code = `${c.code}00`;
      counties.set(code, { code, name: c.name!, prefectureCode: c.code!, provinceCode: c.provinceCode! });
    }
  }
  return { counties, regions, realCountyCodes, provinceName };
}

async function buildGeography(
  files: GeographyFiles,
  log: (line: string) => void,
  onPlanInputs?: (inputs: PlanInputs) => void | Promise<void>,
) {
  const started = Date.now();
  const sources = fetchSourcePackages(log);
  const paths = sources.paths;
  await sources.data;
  const { counties, regions, realCountyCodes } = loadDivisions(paths);
  // A work folder of this process's own: another builder (a second start) cannot clobber it.
  const work = `${files.dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  // First: the demo's plan needs it, with the counties that have a boundary (below).
  log('writing the rural village list');
  const villages = writeVillages(paths, counties, join(work, 'villages.csv'));

  log('reading county polygons');
  const keys: PolygonKey[] = [];
  /** Each key's polygons, in GCJ-02 until converted below (after the early lists are sent). */
  const geometries: Ring[][][] = [];
  const taiwan: PolygonFeature[] = [];
  const hkMacau = new Map<string, string>(); // pseudo code → name
  const fileNames = readdirSync(paths.citiesDir)
    .filter((f) => f.endsWith('.geojson'))
    .sort();
  const taiwanCounties: string[] = [];
  for (const file of fileNames) {
    const source = JSON.parse(readFileSync(join(paths.citiesDir, file), 'utf8'));
    if (file.startsWith('tai2_wan1_')) {
      if (TAIWAN_FILES_SKIPPED.has(file)) continue;
      // Already WGS84 (data.gov.tw, OGDL-1.0); township polygons, dissolved to counties below.
      const countyName = simplify(source.features[0].properties.COUNTYNAME as string);
      let index = taiwanCounties.indexOf(countyName);
      if (index < 0) index = taiwanCounties.push(countyName) - 1;
      const code = `7100${String(index + 1).padStart(2, '0')}`;
      for (const f of source.features) {
        for (const rings of readPolygons(f.geometry, null)) {
          taiwan.push({
            type: 'Feature',
            properties: { code, name: countyName, pref: '7100', prov: '71' },
            geometry: { type: 'Polygon', coordinates: rings },
          });
        }
      }
      continue;
    }
    const fileProvince =
      FILE_PROVINCE[file] ?? String(source.features.find((f: { id?: string }) => f.id)?.id).slice(0, 2);
    for (const f of source.features) {
      let geometry = f.geometry;
      if (f.id === '120119' && !geometry?.coordinates?.length) {
        // 蓟州区 ships with empty coordinates; the package's hand-drawn replacement stands in.
        geometry = JSON.parse(readFileSync(paths.tianjinFix, 'utf8')).features[0].geometry;
      }
      const polygons = readPolygons(geometry, f.geometry?.encodeOffsets);
      if (!polygons.length) {
        log(`  skipped ${f.id ?? ''} ${f.properties.name}: no usable geometry`);
        continue;
      }
      const oldCode: string | null = f.id ?? null;
      if (oldCode && /^8[12]/.test(oldCode)) hkMacau.set(oldCode, f.properties.name);
      keys.push({ oldCode, name: f.properties.name, provinceCode: oldCode?.slice(0, 2) ?? fileProvince });
      geometries.push(polygons);
    }
  }

  const pseudoCodes = new Set(hkMacau.keys());
  for (const [code, name] of hkMacau) {
    counties.set(code, { code, name, prefectureCode: code.slice(0, 4), provinceCode: code.slice(0, 2) });
  }
  const matches = crosswalkPolygons(keys, counties, pseudoCodes);

  // Regions: the NBS list, the county-level stand-ins, Taiwan, Hong Kong and Macau.
  regions.push(...EXTRA_PROVINCES);
  regions.push({ code: '7100', name: '台湾省', level: 'prefecture', parentCode: '71' });
  regions.push({ code: '8100', name: '香港特别行政区', level: 'prefecture', parentCode: '81' });
  regions.push({ code: '8200', name: '澳门特别行政区', level: 'prefecture', parentCode: '82' });
  for (const c of counties.values()) {
    regions.push({ code: c.code, name: c.name, level: 'county', parentCode: c.prefectureCode });
  }
  taiwanCounties.forEach((name, i) => {
    regions.push({
      code: `7100${String(i + 1).padStart(2, '0')}`,
      name,
      level: 'county',
      parentCode: '7100',
    });
  });
  writeFileSync(join(work, 'regions.json'), JSON.stringify(regions));
  // The counties that will have a boundary: those a polygon matched, and Taiwan's (checked against
  // mapshaper's output below).
  const matched = [
    ...new Set([
      ...matches.flatMap((m) => (m ? [m.code] : [])),
      ...taiwan.map((f) => f.properties.code as string),
    ]),
  ];

  // Awaited: the conversion and mapshaper below hold this thread, and a message still being sent
  // would wait for them.
  await onPlanInputs?.({ regions, villages, countiesWithBoundary: matched });

  log('converting GCJ-02 → WGS84');
  const matchRules: Record<string, number> = {};
  const unmatched: CoverageReport['polygonsWithout2023Unit'] = [];
  const raw: PolygonFeature[] = [];
  keys.forEach((key, i) => {
    const match = matches[i];
    const rule: MatchRule | 'unmatched' = match?.rule ?? 'unmatched';
    matchRules[rule] = (matchRules[rule] ?? 0) + 1;
    const provinceOnly = key.oldCode ? PROVINCE_ONLY.get(key.oldCode) : undefined;
    if (!match && !provinceOnly) unmatched.push({ oldCode: key.oldCode, name: key.name });
    const county = match ? counties.get(match.code) : undefined;
    // A merged or abolished unit still fills its prefecture's and province's outline.
    const pref = county?.prefectureCode ?? (provinceOnly ? null : (key.oldCode?.slice(0, 4) ?? null));
    const prov = county?.provinceCode ?? provinceOnly ?? key.provinceCode;
    raw.push({
      type: 'Feature',
      properties: { code: match?.code ?? null, name: county?.name ?? key.name, pref, prov },
      geometry: { type: 'MultiPolygon', coordinates: polygonsToWgs84(geometries[i]!, key.name) },
    });
  });
  raw.push(...taiwan);
  writeFileSync(join(work, 'raw.json'), JSON.stringify({ type: 'FeatureCollection', features: raw }));

  await sources.mapshaper;
  log('simplifying with shared borders (mapshaper, ~15 s)');
  // Order matters (shared/GEODATA.md): snap and fill border gaps before simplifying; dissolve with
  // no-repair, because a repairing dissolve or a second clean drops the South China Sea islands.
  // Explode first: keep-shapes keeps one part per feature, so the small islands of a multi-part
  // feature (三沙) would otherwise vanish in simplification.
  execFileSync(
    process.execPath,
    [
      '--max-old-space-size=8192',
      paths.mapshaperBin,
      '-quiet',
      '-i',
      join(work, 'raw.json'),
      'snap',
      'name=counties',
      '-explode',
      '-clean',
      'gap-width=3km',
      '-simplify',
      '1.5%',
      'weighted',
      'keep-shapes',
      '-dissolve',
      'prov',
      'no-repair',
      '+',
      'name=provinces',
      '-dissolve',
      'pref',
      'no-repair',
      '+',
      'name=prefectures',
      'target=counties',
      '-filter',
      'pref != null',
      'target=prefectures',
      '-filter',
      'code != null',
      'target=counties',
      '-dissolve',
      'code',
      'copy-fields=name,pref,prov',
      'no-repair',
      'target=counties',
      '-o',
      `${work}/`,
      'format=geojson',
      'precision=0.0001',
      'target=counties,prefectures,provinces',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );

  const countyOut = JSON.parse(readFileSync(join(work, 'counties.json'), 'utf8'));
  const withBoundary = new Set<string>(
    countyOut.features.map((f: PolygonFeature) => f.properties.code as string),
  );
  // A plan made from the early list must be the plan the cache gives later (load.ts checks too).
  const differ = [...new Set([...matched, ...withBoundary])].filter(
    (c) => !withBoundary.has(c) || !matched.includes(c),
  );
  if (differ.length)
    throw new Error(
      `the simplified counties differ from those a polygon matched: ${differ.slice(0, 10).join(', ')}${differ.length > 10 ? ', …' : ''}`,
    );
  const provinceOut = JSON.parse(readFileSync(join(work, 'provinces.json'), 'utf8'));
  const southernmost = Math.min(
    ...provinceOut.features.flatMap((f: PolygonFeature) =>
      (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
        .flat(2)
        .map((p) => p[1]),
    ),
  );
  if (southernmost > 4.5) {
    throw new Error(
      `simplification dropped the South China Sea islands: southern edge at ${southernmost.toFixed(2)}° N`,
    );
  }

  const report: CoverageReport = {
    geographyVersion: GEOGRAPHY_VERSION,
    countyUnits2023: realCountyCodes.size,
    countyUnitsWithBoundary: [...realCountyCodes].filter((c) => withBoundary.has(c)).length,
    countiesWithoutBoundary: [...counties.values()]
      .filter((c) => !withBoundary.has(c.code))
      .map((c) => ({ code: c.code, name: c.name })),
    polygonsWithout2023Unit: unmatched,
    matchRules,
    southernmostLatitude: southernmost,
  };
  rmSync(join(work, 'raw.json'));
  writeFileSync(join(work, 'report.json'), JSON.stringify(report, null, 2));
  rmSync(files.dir, { recursive: true, force: true });
  renameSync(work, files.dir);
  log(
    `geography ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${report.countyUnitsWithBoundary} of ` +
      `${report.countyUnits2023} county units have a boundary; southern edge ${southernmost.toFixed(2)}° N`,
  );
}

/** Rural villages (村/嘎查, not urban 社区/居委会) under real county units, with township names. */
function writeVillages(paths: SourcePaths, counties: Map<string, County2023>, out: string): VillageRow[] {
  const townships = new Map(readCsv(join(paths.divisionsDir, 'streets.csv')).map((s) => [s.code!, s.name!]));
  const rows: VillageRow[] = [];
  for (const v of readCsv(join(paths.divisionsDir, 'villages.csv'))) {
    if (/居委会|社区|居民委员会/.test(v.name!)) continue;
    if (!counties.has(v.areaCode!)) continue;
    rows.push({ code: v.code!, name: villageName(v.name!), township: townships.get(v.streetCode!) ?? '' });
  }
  writeFileSync(out, stringify(rows, { header: true, columns: ['code', 'name', 'township'] }));
  return rows;
}

/** "牌坊村村民委员会" → "牌坊村", "高井村委会" → "高井村": the village, not its committee. */
export function villageName(committee: string): string {
  const stem = committee.replace(/(村民委员会|村委会|委员会|牧委会|居委会)$/, '');
  if (stem === committee) return committee;
  return /(村|嘎查|社区|队|屯|组)$/.test(stem) ? stem : `${stem}村`;
}
