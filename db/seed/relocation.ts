// 易地扶贫搬迁 relocation sites: ~35,000 concentrated sites holding 9.6 M people, mostly in poverty
// counties, each with the villages its households came from and yearly figures from the year built.
import { NATIONAL, POVERTY_COUNTIES_BY_PROVINCE, YEARS } from './calibration.ts';
import type { CountyDesignation } from './designations.ts';
import { entityRandom } from './random.ts';
import type { VillageRecord } from './villages.ts';

export type PlacementType =
  | 'county_town'
  | 'township'
  | 'central_village'
  | 'industrial_park'
  | 'tourist_area';
export type SizeClass = 'small' | 'medium' | 'large' | 'extra_large';

export interface SiteRecord {
  id: number;
  name: string;
  countyCode: string;
  /** The township the site stands in (used to place it on the map near its origin villages). */
  townshipCode: string;
  placementType: PlacementType;
  sizeClass: SizeClass;
  hasSchool: boolean;
  hasClinic: boolean;
  hasWorkshop: boolean;
  hasCommunityServiceCentre: boolean;
  yearBuilt: number;
  people: number;
  households: number;
  origins: Array<{ villageCode: string; households: number }>;
}

export interface SiteYear {
  siteId: number;
  year: number;
  households: number;
  people: number;
  labourHouseholds: number;
  employed: number;
  zeroEmploymentHouseholds: number;
}

// Relocation was heaviest in the south-west and the Qinling–Daba mountains.
const PROVINCE_RELOCATION_WEIGHT: Record<string, number> = {
  '52': 3,
  '61': 2.5,
  '51': 1.8,
  '53': 1.6,
  '45': 1.4,
  '42': 1.3,
  '43': 1.1,
  '62': 1.2,
};

export function sizeClassOf(people: number): SizeClass {
  if (people >= 10_000) return 'extra_large';
  if (people >= 3_000) return 'large';
  if (people >= 800) return 'medium';
  return 'small';
}

const SITE_NAMES = [
  '幸福家园',
  '新市民小区',
  '阳光社区',
  '和谐新村',
  '感恩小区',
  '振兴苑',
  '同心家园',
  '安居小区',
  '新村',
  '移民新区',
];
const ORDINALS = ['', '二期', '三期', '四期', '五期', '六期', '七期', '八期'];

/** Generates the national set of sites, with ids in a fixed national order. */
export function generateSites(
  seed: number,
  villages: VillageRecord[],
  designations: Map<string, CountyDesignation>,
  countyNames: Map<string, string>,
): SiteRecord[] {
  const villagesByCounty = new Map<string, VillageRecord[]>();
  for (const v of villages) {
    const list = villagesByCounty.get(v.countyCode);
    if (list) list.push(v);
    else villagesByCounty.set(v.countyCode, [v]);
  }
  const povertyProvinces = new Set(Object.keys(POVERTY_COUNTIES_BY_PROVINCE));

  // Sites per county by largest remainder over weights, so the total is exactly 35,000.
  const weights: Array<[string, number]> = [];
  for (const [county, list] of [...villagesByCounty].sort(([a], [b]) => a.localeCompare(b))) {
    if (!povertyProvinces.has(county.slice(0, 2))) continue;
    const d = designations.get(county);
    const w =
      (PROVINCE_RELOCATION_WEIGHT[county.slice(0, 2)] ?? 1) *
      (d?.povertyCounty ? 1 : 0.12) *
      Math.sqrt(list.length);
    weights.push([county, w * entityRandom(seed, 'site-weight', county).between(0.6, 1.4)]);
  }
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const quotas = weights.map(([county, w]) => {
    const exact = (NATIONAL.relocationSites * w) / total;
    return { county, n: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let missing = NATIONAL.relocationSites - quotas.reduce((s, q) => s + q.n, 0);
  for (const q of [...quotas].sort((a, b) => b.rest - a.rest)) {
    if (missing-- <= 0) break;
    q.n += 1;
  }

  const sites: SiteRecord[] = [];
  for (const { county, n } of quotas) {
    const list = villagesByCounty.get(county)!;
    const countyStem = (countyNames.get(county) ?? '').replace(/(自治县|县|市|区|旗)$/, '');
    // The next ordinal of each stem, and every name given in the county: a name is the site's key
    // in imports (county code + name, unique), and two stems can spell the same name (a township
    // 和谐 + 新村 and a township 和 + 谐新村…), so a name already given moves on to the next ordinal.
    const usedNames = new Map<string, number>();
    const givenNames = new Set<string>();
    for (let i = 0; i < n; i++) {
      const r = entityRandom(seed, 'site', `${county}-${i}`);
      const band = r.weighted([
        ['small', 0.7],
        ['medium', 0.25],
        ['large', 0.04],
        ['extra_large', 0.01],
      ] as const);
      const people = Math.round(
        band === 'small'
          ? r.between(30, 160)
          : band === 'medium'
            ? r.between(200, 800)
            : band === 'large'
              ? r.between(1_000, 3_500)
              : r.between(4_000, 12_000),
      );
      const placementType: PlacementType =
        band === 'small'
          ? r.weighted([
              ['central_village', 0.6],
              ['township', 0.35],
              ['tourist_area', 0.05],
            ] as const)
          : r.weighted([
              ['county_town', 0.5],
              ['township', 0.25],
              ['industrial_park', 0.2],
              ['tourist_area', 0.05],
            ] as const);
      const originCount = Math.min(list.length, band === 'small' ? r.int(1, 3) : r.int(2, 6));
      const pool = list.filter((v) => v.povertyVillage);
      const from = pool.length >= originCount ? pool : list;
      const originVillages = new Set<VillageRecord>();
      while (originVillages.size < originCount) originVillages.add(r.pick(from));
      const anchor = [...originVillages][0]!;
      const baseName =
        placementType === 'county_town' || placementType === 'industrial_park'
          ? countyStem
          : anchor.townshipName;
      const stem = `${baseName}${r.pick(SITE_NAMES)}`;
      let seen = usedNames.get(stem) ?? 0;
      let name: string;
      do {
        name = `${stem}${ORDINALS[seen] ?? `${seen + 1}期`}安置点`;
        seen++;
      } while (givenNames.has(name));
      usedNames.set(stem, seen);
      givenNames.add(name);
      sites.push({
        id: 0,
        name,
        countyCode: county,
        townshipCode: anchor.townshipCode,
        placementType,
        sizeClass: 'small',
        hasSchool: people > 1_500 || r.chance(0.1),
        hasClinic: people > 600 || r.chance(0.3),
        hasWorkshop: people > 800 || r.chance(0.25),
        hasCommunityServiceCentre: people > 300 || r.chance(0.4),
        yearBuilt: r.weighted([
          [2016, 0.2],
          [2017, 0.3],
          [2018, 0.3],
          [2019, 0.15],
          [2020, 0.05],
        ] as const),
        people,
        households: 0,
        origins: [...originVillages].map((v) => ({ villageCode: v.code, households: 0 })),
      });
    }
  }

  // Calibrate people to 9.6 M; households follow at 3.72 people each (2.58 M).
  const scale = NATIONAL.relocatedPeople / sites.reduce((s, x) => s + x.people, 0);
  sites.forEach((site, index) => {
    site.id = index + 1;
    site.people = Math.max(8, Math.round(site.people * scale));
    site.households = Math.max(
      2,
      Math.round(site.people / (NATIONAL.relocatedPeople / NATIONAL.relocatedHouseholds)),
    );
    site.sizeClass = sizeClassOf(site.people);
    const r = entityRandom(seed, 'site-origins', String(site.id));
    const shares = site.origins.map(() => r.between(0.5, 1.5));
    const sum = shares.reduce((a, b) => a + b, 0);
    let left = site.households;
    site.origins.forEach((o, i) => {
      o.households =
        i === site.origins.length - 1 ? left : Math.max(1, Math.round((site.households * shares[i]!) / sum));
      left -= o.households;
    });
    // Rounding can leave the last origin with nothing: fold it into the first.
    if (site.origins.length > 1 && site.origins[site.origins.length - 1]!.households <= 0) {
      const last = site.origins.pop()!;
      site.origins[0]!.households += last.households;
    }
  });
  return sites;
}

// Share of labour households with someone in work, per year; the target is at least one per
// household (零就业家庭动态清零), reached from 2020.
const SITE_EMPLOYMENT: Record<number, number> = {
  2016: 0.78,
  2017: 0.84,
  2018: 0.9,
  2019: 0.95,
  2020: 0.985,
  2021: 0.995,
  2022: 0.997,
  2023: 0.998,
  2024: 0.998,
  2025: 0.999,
};

export function siteYears(seed: number, site: SiteRecord): SiteYear[] {
  return YEARS.filter((y) => y >= site.yearBuilt).map((year) => {
    const r = entityRandom(seed, `site-year-${year}`, String(site.id));
    // Households move in over the first year.
    const occupancy = year === site.yearBuilt ? r.between(0.5, 0.8) : 1;
    const households = Math.max(1, Math.round(site.households * occupancy));
    const people = Math.round(site.people * occupancy);
    const labourHouseholds = Math.round(households * r.between(0.8, 0.92));
    const coverage = Math.min(
      1,
      (SITE_EMPLOYMENT[year] ?? 0.999) + (year < 2020 ? 0.02 : 0.005) * r.normal(),
    );
    const zeroEmploymentHouseholds = Math.max(0, Math.round(labourHouseholds * (1 - coverage)));
    const employed = Math.round((labourHouseholds - zeroEmploymentHouseholds) * r.between(1.2, 1.7));
    return {
      siteId: site.id,
      year,
      households,
      people,
      labourHouseholds,
      employed,
      zeroEmploymentHouseholds,
    };
  });
}
