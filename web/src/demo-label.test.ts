import { describe, expect, it } from 'vitest';
import { type DatasetPart, demoBanner, demoNote, sourceLine } from './demo-label.ts';

const part = (name: string, kind: DatasetPart['kind'], nameZh: string): DatasetPart => ({
  name,
  kind,
  nameZh,
  nameEn: name,
});
const demo = (parts: DatasetPart[]) => ({ label: 'demo', demo: true, parts });

describe('where the data comes from, as the banner and a picture say it', () => {
  it('calls the untouched demo demo data, with the published lists', () => {
    const d = demo([part('county-designations', 'PUBLISHED', '县认定'), part('villages', 'GENERATED', '村')]);
    expect(demoBanner(d, 'zh')).toContain('演示数据：地名、代码和边界真实');
    expect(demoNote(d, 'en')).toBe('Generated demo data, not official statistics');
  });

  it('names the parts still generated once some are imported', () => {
    const d = demo([
      part('villages', 'GENERATED', '村'),
      part('village-years', 'IMPORTED', '村年度数据'),
      part('relocation-sites', 'GENERATED', '安置点'),
    ]);
    expect(demoBanner(d, 'zh')).toBe('部分为演示数据：村、安置点为生成数据；村年度数据已导入。');
    expect(demoBanner(d, 'en')).toBe(
      'Partly demo data: villages, relocation-sites generated; village-years imported.',
    );
    expect(demoNote(d, 'zh')).toBe('生成的演示数据，非真实统计 (村、安置点)');
  });

  it('says nothing once every part is imported or published, or for an imported dataset', () => {
    const d = demo([part('villages', 'IMPORTED', '村'), part('county-designations', 'PUBLISHED', '县认定')]);
    expect(demoBanner(d, 'zh')).toBeNull();
    expect(demoNote(d, 'zh')).toBeNull();
    expect(demoBanner({ label: 'x', demo: false, parts: [] }, 'en')).toBeNull();
    expect(demoBanner(null, 'en')).toBeNull();
  });

  it("writes a picture's source line: the data, the boundaries' origin and China's day", () => {
    const boundaries = ['Boundaries derived from AMap content (demo use only)'];
    const generated = demo([part('villages', 'GENERATED', '村')]);
    expect(sourceLine(generated, 'zh', boundaries, '2026-12-01')).toBe(
      '数据: 生成的演示数据，非真实统计 · 底图: Boundaries derived from AMap content (demo use only) · 制图日期: 2026-12-01',
    );
    const partly = demo([
      part('villages', 'GENERATED', '村'),
      part('village-years', 'IMPORTED', '村年度数据'),
    ]);
    expect(sourceLine(partly, 'zh', [], '2026-12-01')).toBe(
      '数据: 村年度数据为导入数据，村为生成的演示数据 · 制图日期: 2026-12-01',
    );
    const imported = { label: '贵州省 2021 年村级数据', demo: false, parts: [] };
    expect(sourceLine(imported, 'en', [], '2026-12-01')).toBe(
      'Data: 贵州省 2021 年村级数据 · Made: 2026-12-01',
    );
  });
});
