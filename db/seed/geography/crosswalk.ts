// Maps the county polygons' 2015–16 codes onto the 2023 statistical codes that everything in the
// product is keyed by. The facts behind each rule are in shared/GEODATA.md.

/** Renames that no rule can find (old code → 2023 code). */
export const HAND_TABLE: Readonly<Record<string, string>> = {
  '130223': '130284', // 滦县 → 滦州市
  '130526': '130505', // 任县 → 任泽区
  '140227': '140215', // 大同县 → 云州区
  '140421': '140404', // 长治县 → 上党区
  '232723': '232701', // 漠河县 → 漠河市 (the old 232701 was 加格达奇区: same code, another place)
  '232701': '232761', // 加格达奇区
  '340221': '340210', // 芜湖县 → 湾沚区
  '350427': '350405', // 沙县 → 沙县区
  '360421': '360404', // 九江县 → 柴桑区
  '361121': '361104', // 上饶县 → 广信区
  '371202': '370116', // 莱芜区 (莱芜 merged into 济南)
  '430221': '430212', // 株洲县 → 渌口区
  '450127': '450181', // 横县 → 横州市
  '511521': '511504', // 宜宾县 → 叙州区
  '520222': '520281', // 盘县 → 盘州市
  '542421': '540602', // 那曲县 → 色尼区
  '610427': '610482', // 彬县 → 彬州市
};

/** Polygons that carry no id in the source: matched by name or by hand. */
export const CODE_BY_NAME_WITHOUT_ID: Readonly<Record<string, string>> = {
  崇明区: '310151',
};

/** Suffixes stripped to compare a county's base name across a 县 → 市/区 upgrade. */
const ADMIN_SUFFIX = /(自治县|自治旗|新区|林区|特区|县|市|区|旗)$/;

export function baseName(name: string): string {
  return name.replace(ADMIN_SUFFIX, '');
}

export interface County2023 {
  code: string;
  name: string;
  prefectureCode: string;
  provinceCode: string;
}

export interface PolygonKey {
  oldCode: string | null;
  name: string;
  provinceCode: string;
}

export type MatchRule = 'hand-table' | 'exact' | 'by-name-no-id' | 'same-name' | 'upgraded' | 'pseudo-code';

/**
 * Resolves every polygon to a 2023 county code, in two passes so that exact matches claim their
 * codes before the looser name rules run. Returns, per polygon index, the code and the rule used
 * (or null when the unit was merged or abolished).
 */
export function crosswalkPolygons(
  polygons: PolygonKey[],
  counties: Map<string, County2023>,
  pseudoCodes: Set<string>,
): Array<{ code: string; rule: MatchRule } | null> {
  const result: Array<{ code: string; rule: MatchRule } | null> = polygons.map(() => null);
  const claimed = new Set<string>();
  const claim = (i: number, code: string, rule: MatchRule) => {
    result[i] = { code, rule };
    claimed.add(code);
  };

  for (const [i, p] of polygons.entries()) {
    if (p.oldCode && pseudoCodes.has(p.oldCode)) claim(i, p.oldCode, 'pseudo-code');
    else if (p.oldCode && HAND_TABLE[p.oldCode]) claim(i, HAND_TABLE[p.oldCode]!, 'hand-table');
    else if (!p.oldCode && CODE_BY_NAME_WITHOUT_ID[p.name])
      claim(i, CODE_BY_NAME_WITHOUT_ID[p.name]!, 'by-name-no-id');
  }
  for (const [i, p] of polygons.entries()) {
    if (!result[i] && p.oldCode && counties.has(p.oldCode) && !claimed.has(p.oldCode))
      claim(i, p.oldCode, 'exact');
  }

  const inProvince = (provinceCode: string) =>
    [...counties.values()].filter((c) => c.provinceCode === provinceCode && !claimed.has(c.code));
  for (const [i, p] of polygons.entries()) {
    if (result[i]) continue;
    const candidates = inProvince(p.provinceCode);
    const sameName = candidates.filter((c) => c.name === p.name);
    if (sameName.length === 1) {
      claim(i, sameName[0]!.code, p.oldCode ? 'same-name' : 'by-name-no-id');
      continue;
    }
    const base = baseName(p.name);
    const upgraded = candidates.filter((c) => baseName(c.name) === base);
    if (upgraded.length === 1) claim(i, upgraded[0]!.code, 'upgraded');
  }
  return result;
}
