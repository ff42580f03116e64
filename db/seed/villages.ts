// Which villages the demo monitors, which of them were poverty villages (贫困村) and 挂牌督战村, and
// their yearly indicators. Villages and names are the real NBS list; the figures are synthetic,
// calibrated so the national totals match the published ones (calibration.ts).

import type { VillageYearRow } from '../src/queries/figures.ts';
import {
  EMPLOYED,
  MEAN_INCOME,
  NATIONAL,
  POVERTY_COUNTIES_BY_PROVINCE,
  provinceIncomeFactor,
  SUPERVISED_COUNTIES_BY_PROVINCE,
  YEARS,
} from './calibration.ts';
import type { CountyDesignation } from './designations.ts';
import { entityRandom, rank } from './random.ts';

export interface VillageSource {
  code: string;
  name: string;
  township: string;
}

export interface VillageRecord {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  countyCode: string;
  povertyVillage: boolean;
  povertyExitYear: number | null;
  supervised: boolean;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The villages the product monitors: every rural village of a poverty county, and the poverty
 * villages of other counties in the provinces that had poverty counties (~128,000 poverty villages).
 */
export function selectVillages(
  seed: number,
  villagesByCounty: Map<string, VillageSource[]>,
  designations: Map<string, CountyDesignation>,
): VillageRecord[] {
  const povertyProvinces = new Set(Object.keys(POVERTY_COUNTIES_BY_PROVINCE));
  let inPovertyCounties = 0;
  let inOtherCounties = 0;
  for (const [county, list] of villagesByCounty) {
    if (designations.get(county)?.povertyCounty) inPovertyCounties += list.length;
    else if (povertyProvinces.has(county.slice(0, 2))) inOtherCounties += list.length;
  }
  // About 70% of poverty villages lay in poverty counties.
  const sharePoverty = Math.min(0.8, (0.7 * NATIONAL.povertyVillages) / Math.max(1, inPovertyCounties));
  const shareOther =
    Math.max(0, NATIONAL.povertyVillages - sharePoverty * inPovertyCounties) / Math.max(1, inOtherCounties);

  const records: VillageRecord[] = [];
  for (const [county, list] of [...villagesByCounty].sort(([a], [b]) => a.localeCompare(b))) {
    const d = designations.get(county);
    const share = d?.povertyCounty ? sharePoverty : povertyProvinces.has(county.slice(0, 2)) ? shareOther : 0;
    if (share === 0) continue;
    // Largest-rank selection: exactly round(share × n) poverty villages in the county.
    const exact = share * list.length * (d?.supervised ? 1.2 : 1);
    const k = Math.min(list.length, Math.floor(exact + rank(seed, 'county-share', county)));
    const chosen = new Set(
      [...list]
        .sort((a, b) => rank(seed, 'poverty-village', a.code) - rank(seed, 'poverty-village', b.code))
        .slice(0, k)
        .map((v) => v.code),
    );
    for (const v of list) {
      const poverty = chosen.has(v.code);
      if (!poverty && !d?.povertyCounty) continue;
      records.push({
        code: v.code,
        name: v.name,
        townshipCode: v.code.slice(0, 9),
        townshipName: v.township,
        countyCode: county,
        povertyVillage: poverty,
        povertyExitYear: null,
        supervised: false,
      });
    }
  }

  // 挂牌督战村: 1,113 poverty villages. No national list of them was published, so they are drawn —
  // from poverty villages inside the real 52 挂牌督战 counties (all of them while those counties have
  // enough; only the shortfall, if any, from the same seven provinces).
  const supervisionProvinces = new Set(Object.keys(SUPERVISED_COUNTIES_BY_PROVINCE));
  const candidates = records.filter(
    (v) => v.povertyVillage && supervisionProvinces.has(v.countyCode.slice(0, 2)),
  );
  const byRank = (a: VillageRecord, b: VillageRecord) =>
    rank(seed, 'supervised-village', a.code) - rank(seed, 'supervised-village', b.code);
  const inSupervised = candidates.filter((v) => designations.get(v.countyCode)?.supervised).sort(byRank);
  const elsewhere = candidates.filter((v) => !designations.get(v.countyCode)?.supervised).sort(byRank);
  const fromSupervised = Math.min(inSupervised.length, NATIONAL.supervisedVillages);
  for (const v of [
    ...inSupervised.slice(0, fromSupervised),
    ...elsewhere.slice(0, NATIONAL.supervisedVillages - fromSupervised),
  ]) {
    v.supervised = true;
  }

  for (const v of records) {
    if (!v.povertyVillage) continue;
    if (v.supervised) {
      v.povertyExitYear = 2020;
      continue;
    }
    const countyExit = designations.get(v.countyCode)?.povertyExitYear ?? 2020;
    const r = entityRandom(seed, 'village-exit', v.code);
    // Villages exit before or with their county; most in the county's own year.
    v.povertyExitYear = r.chance(0.55) ? countyExit : r.int(2016, countyExit);
  }
  return records;
}

/** The per-village constants the yearly figures are drawn around. */
export interface VillageProfile {
  village: VillageRecord;
  population2014: number;
  populationTrend: number;
  householdSize: number;
  liftedShare: number;
  incomeFactor: number;
  labourShare: number;
  employmentPropensity: number;
  outMigrantShare: number;
  welfareShare: number;
  workshopShare: number;
  monitoredRate: number;
  gapRate: number;
}

export interface CountyFactors {
  income: number;
  employment: number;
}

/** County-level multipliers (with a province component for employment, which varies by region). */
export function countyFactors(seed: number, countyCode: string): CountyFactors {
  const county = entityRandom(seed, 'county-factors', countyCode);
  const province = entityRandom(seed, 'province-employment', countyCode.slice(0, 2));
  return {
    income: Math.exp(0.12 * county.normal()),
    employment: Math.exp(0.06 * province.normal() + 0.05 * county.normal()),
  };
}

export function villageProfile(seed: number, village: VillageRecord, county: CountyFactors): VillageProfile {
  const r = entityRandom(seed, 'village-profile', village.code);
  const province = village.countyCode.slice(0, 2);
  return {
    village,
    population2014: Math.round(clamp(1_300 * Math.exp(0.45 * r.normal()), 200, 8_000)),
    populationTrend: -0.006 + 0.004 * r.normal(),
    householdSize: r.between(3.1, 3.9),
    liftedShare: village.povertyVillage
      ? 0.3 * Math.exp(0.3 * r.normal())
      : 0.08 * Math.exp(0.4 * r.normal()),
    incomeFactor:
      provinceIncomeFactor(province) *
      county.income *
      Math.exp(0.3 * r.normal()) *
      (village.supervised ? 0.65 : 1) *
      (village.povertyVillage ? 0.93 : 1),
    labourShare: clamp(0.4 * (1 + 0.1 * r.normal()), 0.25, 0.55),
    employmentPropensity: county.employment * Math.exp(0.1 * r.normal()) * (village.supervised ? 0.9 : 1),
    outMigrantShare: clamp(0.65 + 0.12 * r.normal(), 0.2, 0.9),
    welfareShare: clamp(0.12 + 0.05 * r.normal(), 0, 0.3),
    workshopShare: clamp(0.06 + 0.03 * r.normal(), 0, 0.2),
    monitoredRate: 0.03 * Math.exp(0.5 * r.normal()),
    gapRate: Math.exp(0.5 * r.normal()),
  };
}

/** Per-year multipliers that bring the national totals onto the published figures. */
export interface VillageCalibration {
  liftedScale: number;
  incomeScale: Record<number, number>;
  employedScale: Record<number, number>;
}

export const UNCALIBRATED: VillageCalibration = {
  liftedScale: 1,
  incomeScale: Object.fromEntries(YEARS.map((y) => [y, 1])),
  employedScale: Object.fromEntries(YEARS.map((y) => [y, 1])),
};

/** One village's figures for one year: exactly a row of village_indicators. */
export type VillageYear = VillageYearRow;

// National employment rate the raw figures start from, before calibration.
const BASE_EMPLOYMENT_RATE: Record<number, number> = {
  2014: 0.5,
  2015: 0.55,
  2016: 0.6,
  2017: 0.65,
  2018: 0.7,
  2019: 0.77,
  2020: 0.75,
  2021: 0.79,
  2022: 0.82,
  2023: 0.85,
  2024: 0.83,
  2025: 0.84,
};
const RISK_REMOVED_SHARE: Record<number, number> = {
  2020: 0.3,
  2021: 0.5,
  2022: 0.6,
  2023: 0.7,
  2024: 0.75,
  2025: 0.78,
};

/** One village's figures for one year. Deterministic in (seed, village, year). */
export function villageYear(
  seed: number,
  p: VillageProfile,
  year: number,
  cal: VillageCalibration,
): VillageYear {
  const r = entityRandom(seed, `village-year-${year}`, p.village.code);
  const t = year - 2014;
  const population = Math.round(p.population2014 * (1 + p.populationTrend) ** t);
  const households = Math.max(1, Math.round(population / p.householdSize));
  // Never more than the year's population: a village that shrank by more than 15% since 2014
  // would otherwise count more lifted people than people (the import refuses such a row).
  const liftedPopulation = Math.min(
    population,
    Math.round(Math.min(0.85 * p.population2014, p.liftedShare * cal.liftedScale * p.population2014)),
  );
  const liftedHouseholds = Math.max(1, Math.round(liftedPopulation / 3.6));
  const income = MEAN_INCOME[year]! * p.incomeFactor * Math.exp(0.05 * r.normal()) * cal.incomeScale[year]!;
  const labourForce = Math.round(liftedPopulation * p.labourShare);
  const rate = clamp(
    BASE_EMPLOYMENT_RATE[year]! * p.employmentPropensity * cal.employedScale[year]!,
    0,
    0.97,
  );
  const employed = Math.round(labourForce * rate);
  const employedOutMigrant = Math.round(employed * p.outMigrantShare);
  const employedLocal = employed - employedOutMigrant;
  // Public-welfare posts and workshops grew from 2016; both count as local employment.
  const ramp = clamp((year - 2015) / 4, 0, 1);
  const publicWelfarePosts = Math.round(employedLocal * p.welfareShare * ramp);
  const workshopJobs = Math.min(
    employedLocal - publicWelfarePosts,
    Math.round(employedLocal * p.workshopShare * ramp),
  );
  // Monitoring (防止返贫监测) began in 2020; it finds more households where income is low.
  let monitored = 0;
  if (year >= 2020) {
    const lowIncome = (MEAN_INCOME[year]! / Math.max(1, income)) ** 1.5;
    monitored = Math.min(
      liftedHouseholds,
      Math.round(liftedHouseholds * p.monitoredRate * lowIncome * (1 + 0.2 * r.normal())),
    );
    monitored = Math.max(0, monitored);
  }
  const monitoredUnstable = Math.round(monitored * 0.45);
  const monitoredMarginal = Math.round(monitored * 0.45);
  const monitoredSuddenHardship = monitored - monitoredUnstable - monitoredMarginal;
  // 两不愁三保障 gaps close by 2020; afterwards only the odd new case.
  const gap = (base: number, of: number) =>
    year < 2020 ? Math.round(of * base * p.gapRate * (1 - t / 6) ** 2) : r.chance(base * 10) ? 1 : 0;
  return {
    villageCode: p.village.code,
    year,
    population,
    households,
    liftedPopulation,
    liftedHouseholds,
    perCapitaNetIncome: Math.round(income),
    labourForce,
    employedOutMigrant,
    employedLocal,
    publicWelfarePosts,
    workshopJobs,
    monitoredUnstable,
    monitoredMarginal,
    monitoredSuddenHardship,
    monitoredRiskRemoved: Math.round(monitored * (RISK_REMOVED_SHARE[year] ?? 0)),
    dropouts: gap(0.004, liftedPopulation * 0.15),
    uninsured: gap(0.02, liftedPopulation),
    unsafeHouses: gap(0.08, liftedHouseholds),
    householdsWithoutSafeWater: gap(0.1, liftedHouseholds),
  };
}

/**
 * Computes the multipliers over the national set of villages: lifted population to 98.99 M,
 * the weighted mean income per year onto MEAN_INCOME, employed per year onto EMPLOYED.
 */
export function calibrateVillages(seed: number, profiles: VillageProfile[]): VillageCalibration {
  const lifted = profiles.reduce(
    (s, p) => s + Math.min(0.85 * p.population2014, p.liftedShare * p.population2014),
    0,
  );
  const cal: VillageCalibration = { ...UNCALIBRATED, liftedScale: NATIONAL.liftedPopulation / lifted };
  // One round: income is linear in its scale; employment is too, but for the 97% cap, which
  // leaves the totals well inside 1% (the national-scale test checks the 2% tolerance).
  for (let round = 0; round < 1; round++) {
    const incomeScale: Record<number, number> = {};
    const employedScale: Record<number, number> = {};
    for (const year of YEARS) {
      let weighted = 0;
      let weight = 0;
      let employed = 0;
      for (const p of profiles) {
        const row = villageYear(seed, p, year, cal);
        weighted += row.perCapitaNetIncome * row.liftedPopulation;
        weight += row.liftedPopulation;
        employed += row.employedOutMigrant + row.employedLocal;
      }
      incomeScale[year] = cal.incomeScale[year]! * (MEAN_INCOME[year]! / (weighted / weight));
      employedScale[year] = cal.employedScale[year]! * (EMPLOYED[year]! / employed);
    }
    cal.incomeScale = incomeScale;
    cal.employedScale = employedScale;
  }
  return cal;
}
