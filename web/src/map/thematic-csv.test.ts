import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { monitoringLineThematic } from './thematic.ts';
import { thematicCsv } from './thematic-csv.ts';

describe('the CSV of a map worked out in the browser', () => {
  it('has a row per region with its share, class and rank, and the regions without villages with the reason', () => {
    const thematic = monitoringLineThematic(
      [
        { code: '520102', name: '南明区, "新"', incomes: [3000, 5000, 9000] },
        { code: '520103', name: '云岩区', incomes: [9000, 9500] },
      ],
      4000,
      2021,
      'zh',
      { codes: ['520102', '520103', '520111'], noVillages: ['520111'] },
    );
    const text = thematicCsv(thematic, 'zh');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['代码'])).toEqual(['520102', '520103', '520111']);
    // The comma and quotes of a name survive the round trip.
    expect(rows[0]).toMatchObject({ 名称: '南明区, "新"', 排名: '1', 说明: '1 / 3 村' });
    expect(Number(rows[0]!['数值'])).toBeCloseTo(1 / 3, 12);
    expect(rows[0]!['分级(1为最低)']).toBe(String(thematic.values[0]!.classIndex + 1));
    expect(rows[1]).toMatchObject({ 数值: '0', 排名: '2', 无数据原因: '' });
    expect(rows[2]).toMatchObject({ 数值: '', 无数据原因: '无监测村' });
    expect(rows.every((r) => r['内容'] === thematic.title)).toBe(true);
  });
});
