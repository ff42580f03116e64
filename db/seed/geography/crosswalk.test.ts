import { describe, expect, it } from 'vitest';
import { villageName } from './build.ts';
import { baseName, type County2023, crosswalkPolygons } from './crosswalk.ts';

const counties = new Map<string, County2023>(
  [
    ['130881', '平泉市', '1308'],
    ['510117', '郫都区', '5101'],
    ['232701', '漠河市', '2327'],
    ['232761', '加格达奇区', '2327'],
    ['310151', '崇明区', '3101'],
    ['130921', '沧县', '1309'],
    ['522623', '施秉县', '5226'],
  ].map(([code, name, prefectureCode]) => [
    code!,
    { code: code!, name: name!, prefectureCode: prefectureCode!, provinceCode: code!.slice(0, 2) },
  ]),
);

describe('2015–16 polygon codes → 2023 codes', () => {
  it('applies each rule: exact, hand table (232701 is another place now), name, upgrade, no id', () => {
    const result = crosswalkPolygons(
      [
        { oldCode: '522623', name: '施秉县', provinceCode: '52' },
        { oldCode: '232701', name: '加格达奇区', provinceCode: '23' },
        { oldCode: '232723', name: '漠河县', provinceCode: '23' },
        { oldCode: '510124', name: '郫都区', provinceCode: '51' },
        { oldCode: '130823', name: '平泉县', provinceCode: '13' },
        { oldCode: null, name: '崇明区', provinceCode: '31' },
        { oldCode: null, name: '沧县', provinceCode: '13' },
        { oldCode: '140202', name: '城区', provinceCode: '14' },
      ],
      counties,
      new Set(),
    );
    expect(result).toEqual([
      { code: '522623', rule: 'exact' },
      { code: '232761', rule: 'hand-table' },
      { code: '232701', rule: 'hand-table' },
      { code: '510117', rule: 'same-name' },
      { code: '130881', rule: 'upgraded' },
      { code: '310151', rule: 'by-name-no-id' },
      { code: '130921', rule: 'by-name-no-id' },
      null,
    ]);
  });

  it('strips administrative suffixes for the upgrade rule', () => {
    expect(baseName('平泉县')).toBe('平泉');
    expect(baseName('库车市')).toBe('库车');
    expect(baseName('孟村回族自治县')).toBe('孟村回族');
  });

  it('names villages, not their committees', () => {
    expect(villageName('牌坊村村民委员会')).toBe('牌坊村');
    expect(villageName('高井村委会')).toBe('高井村');
    expect(villageName('巴彦嘎查村委会')).toBe('巴彦嘎查');
    expect(villageName('八连生活区')).toBe('八连生活区');
  });
});
