// Synthetic county designations, drawn from the real county list with the published per-province
// counts. They are NOT the real lists of poverty, key-assistance or 挂牌督战 counties; the dataset
// label says so.
import {
  COUNTY_EXIT_YEARS,
  EAST_WEST_PARTNERS,
  KEY_ASSISTANCE_BY_PROVINCE,
  POVERTY_COUNTIES_BY_PROVINCE,
  SUPERVISED_COUNTIES_BY_PROVINCE,
} from './calibration.ts';
import { entityRandom, rank } from './random.ts';

export interface CountyInfo {
  code: string;
  name: string;
  provinceCode: string;
  hasBoundary: boolean;
}

export interface CountyDesignation {
  countyCode: string;
  povertyCounty: boolean;
  povertyExitYear: number | null;
  keyAssistance: boolean;
  supervised: boolean;
  eastWestPartnerProvince: string | null;
  eastWestPartnerCounty: string | null;
}

/** Rural counties (县, 旗, 县级市) were the poverty counties; urban districts (区) rarely were. */
function ruralWeight(name: string): number {
  if (/(自治县|县|旗)$/.test(name)) return 1;
  if (/市$/.test(name)) return 0.5;
  return 0.05;
}

/** Takes the n best of `items` by a weighted hash rank (stable for a given seed). */
function takeRanked<T>(items: T[], n: number, score: (item: T) => number): T[] {
  return [...items].sort((a, b) => score(b) - score(a)).slice(0, n);
}

export function designateCounties(seed: number, counties: CountyInfo[]): Map<string, CountyDesignation> {
  const result = new Map<string, CountyDesignation>();
  for (const c of counties) {
    result.set(c.code, {
      countyCode: c.code,
      povertyCounty: false,
      povertyExitYear: null,
      keyAssistance: false,
      supervised: false,
      eastWestPartnerProvince: null,
      eastWestPartnerCounty: null,
    });
  }
  // Only counties with a boundary are chosen, so every designated county can be drawn.
  const byProvince = new Map<string, CountyInfo[]>();
  for (const c of counties) {
    if (!c.hasBoundary) continue;
    const list = byProvince.get(c.provinceCode);
    if (list) list.push(c);
    else byProvince.set(c.provinceCode, [c]);
  }

  const poverty: CountyInfo[] = [];
  for (const [province, n] of Object.entries(POVERTY_COUNTIES_BY_PROVINCE)) {
    const chosen = takeRanked(
      byProvince.get(province) ?? [],
      n,
      (c) => ruralWeight(c.name) * rank(seed, 'poverty-county', c.code),
    );
    poverty.push(...chosen);
  }
  const povertySet = new Set(poverty.map((c) => c.code));

  const supervised: CountyInfo[] = [];
  for (const [province, n] of Object.entries(SUPERVISED_COUNTIES_BY_PROVINCE)) {
    const candidates = poverty.filter((c) => c.provinceCode === province);
    supervised.push(...takeRanked(candidates, n, (c) => rank(seed, 'supervised-county', c.code)));
  }
  const supervisedSet = new Set(supervised.map((c) => c.code));

  // Key assistance counties are the weakest of the lifted counties: supervised ones first.
  const keyAssistance: CountyInfo[] = [];
  for (const [province, n] of Object.entries(KEY_ASSISTANCE_BY_PROVINCE)) {
    const candidates = poverty.filter((c) => c.provinceCode === province);
    keyAssistance.push(
      ...takeRanked(
        candidates,
        n,
        (c) => (supervisedSet.has(c.code) ? 1 : 0) + rank(seed, 'key-county', c.code),
      ),
    );
  }
  const keySet = new Set(keyAssistance.map((c) => c.code));

  // Exit years: the supervised 52 in 2020; the rest spread over 2016–2019 by the published counts.
  const others = takeRanked(
    poverty.filter((c) => !supervisedSet.has(c.code)),
    poverty.length,
    (c) => rank(seed, 'exit-year', c.code) - (keySet.has(c.code) ? 1 : 0),
  );
  const exitYear = new Map<string, number>(supervised.map((c) => [c.code, 2020]));
  let next = 0;
  for (const [year, n] of COUNTY_EXIT_YEARS) {
    for (const c of others.slice(next, next + n)) exitYear.set(c.code, year);
    next += n;
  }
  for (const c of others.slice(next)) exitYear.set(c.code, 2019);

  const countiesOf = (province: string) => byProvince.get(province) ?? [];
  for (const c of poverty) {
    const d = result.get(c.code)!;
    d.povertyCounty = true;
    d.povertyExitYear = exitYear.get(c.code) ?? 2019;
    d.supervised = supervisedSet.has(c.code);
    d.keyAssistance = keySet.has(c.code);
    const partnerProvince = EAST_WEST_PARTNERS[c.provinceCode];
    if (partnerProvince && povertySet.has(c.code)) {
      d.eastWestPartnerProvince = partnerProvince;
      const partners = countiesOf(partnerProvince);
      if (partners.length)
        d.eastWestPartnerCounty = entityRandom(seed, 'partner', c.code).pick(partners).code;
    }
  }
  return result;
}
