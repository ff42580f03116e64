// National figures the demo data is calibrated to (shared/DOMAIN.md, public policy documents).
// At national scale the generated totals land within 2% of these; tests check it.

export { FIRST_YEAR, LAST_YEAR, YEARS } from '../src/facts.ts';

export const NATIONAL = {
  povertyCounties: 832,
  keyAssistanceCounties: 160,
  supervisedCounties: 52,
  povertyVillages: 128_000,
  supervisedVillages: 1_113,
  relocationSites: 35_000,
  relocatedPeople: 9_600_000,
  relocatedHouseholds: 2_582_000,
  /** 脱贫人口, registered poor people lifted by 2020. */
  liftedPopulation: 98_990_000,
} as const;

/** 脱贫人口人均纯收入 (yuan): 10,740 in 2020 and 12,550 in 2021 are the published anchors. */
export const MEAN_INCOME: Readonly<Record<number, number>> = {
  2014: 2_800,
  2015: 3_416,
  2016: 4_124,
  2017: 5_700,
  2018: 7_600,
  2019: 9_808,
  2020: 10_740,
  2021: 12_550,
  2022: 14_342,
  2023: 16_396,
  2024: 17_521,
  2025: 18_700,
};

/** Lifted labourers in work (务工就业), people: 31.45 M in 2021 (+4.2%); a dip in 2020. */
export const EMPLOYED: Readonly<Record<number, number>> = {
  2014: 19_000_000,
  2015: 21_000_000,
  2016: 23_500_000,
  2017: 25_800_000,
  2018: 27_900_000,
  2019: 30_600_000,
  2020: 30_180_000,
  2021: 31_450_000,
  2022: 32_780_000,
  2023: 33_970_000,
  2024: 33_050_000,
  2025: 33_200_000,
};

/** The poverty line used in 2020 (provincial standard), yuan per person per year. */
export const POVERTY_LINE_2020 = 4_000;

/** Poverty counties per province (the published distribution of the 832; the shipped list matches it, a test checks). */
export const POVERTY_COUNTIES_BY_PROVINCE: Readonly<Record<string, number>> = {
  '13': 45,
  '14': 36,
  '15': 31,
  '22': 8,
  '23': 20,
  '34': 20,
  '36': 24,
  '41': 38,
  '42': 28,
  '43': 40,
  '45': 33,
  '46': 5,
  '50': 14,
  '51': 66,
  '52': 66,
  '53': 88,
  '54': 74,
  '61': 56,
  '62': 58,
  '63': 42,
  '64': 8,
  '65': 32,
};

/** 挂牌督战县 per province: 52 in 7 western provinces (the shipped list matches it, a test checks). */
export const SUPERVISED_COUNTIES_BY_PROVINCE: Readonly<Record<string, number>> = {
  '45': 8,
  '51': 7,
  '52': 9,
  '53': 9,
  '62': 8,
  '64': 1,
  '65': 10,
};

/**
 * 国家乡村振兴重点帮扶县 per province (160, all in the west): the expected counts of
 * designations/SOURCES.md (甘肃, 青海, 宁夏 not confirmed by a second source). Where the shipped
 * list has fewer, the rest are drawn and marked generated (designations.ts).
 */
export const KEY_ASSISTANCE_BY_PROVINCE: Readonly<Record<string, number>> = {
  '15': 10,
  '45': 20,
  '50': 4,
  '51': 25,
  '52': 20,
  '53': 27,
  '61': 11,
  '62': 23,
  '63': 15,
  '64': 5,
};

/** 东西部协作 pairings (2021): eastern partner province of each western province. */
export const EAST_WEST_PARTNERS: Readonly<Record<string, string>> = {
  '15': '11',
  '45': '44',
  '50': '37',
  '51': '33',
  '52': '44',
  '53': '31',
  '61': '32',
  '62': '12',
  '63': '32',
  '64': '35',
};

/** Exit (摘帽) years of the 832: 28 in 2016, 125 in 2017, 283 in 2018, 344 in 2019, 52 in 2020 (the shipped list's rows match, a test checks). */
export const COUNTY_EXIT_YEARS: ReadonlyArray<readonly [number, number]> = [
  [2016, 28],
  [2017, 125],
  [2018, 283],
  [2019, 344],
];

/** Relative income level by province (west lower, east higher), applied before calibration. */
export function provinceIncomeFactor(provinceCode: string): number {
  const west = ['54', '62', '63', '65', '52', '53', '51', '64', '45', '50', '61', '15'];
  const central = ['14', '22', '23', '34', '36', '41', '42', '43', '46', '13'];
  if (['54', '62'].includes(provinceCode)) return 0.82;
  if (west.includes(provinceCode)) return 0.9;
  if (central.includes(provinceCode)) return 1.05;
  return 1.25;
}
