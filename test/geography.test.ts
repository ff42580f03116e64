// What the geography build derived on this machine: coverage of the 2023 county units, the islands,
// and that none of the AMap-derived geometry is in the repository.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type CoverageReport, geographyFiles } from '@rrm/db/seed';
import { describe, expect, it } from 'vitest';

describe('derived geography', () => {
  const files = geographyFiles();
  const report = JSON.parse(readFileSync(files.report, 'utf8')) as CoverageReport;

  it('gives a boundary to ~99% of the 2,854 county units of 2023', () => {
    expect(report.countyUnits2023).toBe(2_854);
    expect(report.countyUnitsWithBoundary / report.countyUnits2023).toBeGreaterThan(0.985);
    // The ones without are the re-cut units GEODATA.md lists (平城, 云冈, 临平, 钱塘, …).
    const names = report.countiesWithoutBoundary.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['平城区', '云冈区', '临平区', '钱塘区', '龙港市']));
  });

  it('uses each rule of the crosswalk and leaves only merged or abolished units unmatched', () => {
    expect(report.matchRules.exact).toBeGreaterThan(2_650);
    expect(report.matchRules['hand-table']).toBe(17);
    expect(report.matchRules.upgraded).toBeGreaterThan(50);
    expect(report.polygonsWithout2023Unit.length).toBeLessThanOrEqual(30);
  });

  it('keeps the South China Sea islands through simplification', () => {
    expect(report.southernmostLatitude).toBeLessThan(4.5);
  });

  it('writes counties in WGS84 with 2023 codes, and no GCJ-02 left (Beijing 东城 sits where WGS84 puts it)', () => {
    const counties = JSON.parse(readFileSync(files.counties, 'utf8')) as {
      features: { properties: { code: string }; geometry: { coordinates: unknown } }[];
    };
    const dongcheng = counties.features.find((f) => f.properties.code === '110101')!;
    const points = JSON.stringify(dongcheng.geometry.coordinates)
      .match(/-?\d+\.\d+/g)!
      .map(Number);
    const lons = points.filter((_, i) => i % 2 === 0);
    const centre = (Math.min(...lons) + Math.max(...lons)) / 2;
    // 东城区 spans ~116.38–116.45° E in WGS84; GCJ-02 would shift it ~0.006° east.
    expect(centre).toBeGreaterThan(116.39);
    expect(centre).toBeLessThan(116.43);
  });

  it('commits no derived geometry or village list to git', () => {
    const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n');
    expect(
      tracked.filter(
        (f) => /\.(geo|topo)?json$/.test(f) && /count|province|prefect|boundar|geograph/i.test(f),
      ),
    ).toEqual([]);
    expect(tracked.filter((f) => f.startsWith('.data/'))).toEqual([]);
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\.data\/$/m);
  });
});
