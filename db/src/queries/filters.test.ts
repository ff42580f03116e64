// The filter vocabulary as specifications of the SQL it builds (drizzle's PgDialect renders it with
// its parameters; no database): the index-friendly `&&` before each exact spatial test, bounds as
// parameters, nulls last in both directions, and cursors refused unless they have the ordering's types.
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  addIndicatorFilter,
  chooseOrdering,
  containsPattern,
  INDICATORS,
  keysetCondition,
  ListArgumentError,
  type Ordering,
  orderBySql,
  rangeConditions,
  regionIndicatorSql,
  siteIndicatorSql,
  spatialConditions,
  villageIndicatorSql,
  type YearlyFigures,
} from './filters.ts';

const dialect = new PgDialect();
const render = (query: SQL) => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params };
};
const text = (query: SQL) => render(query).sql;

const geometry = sql`v.location`;

describe('indicator expressions', () => {
  it('every indicator has a region expression; villages and sites only those they collect', () => {
    for (const indicator of INDICATORS) expect(text(regionIndicatorSql(indicator))).toMatch(/^.*\bri\./);
    expect(villageIndicatorSql('RELOCATED_PEOPLE')).toBeNull();
    expect(siteIndicatorSql('PER_CAPITA_NET_INCOME')).toBeNull();
    expect(text(villageIndicatorSql('EMPLOYMENT_RATE', 'x')!)).toBe(
      '(x.employed_out_migrant + x.employed_local)::float8 / nullif(x.labour_force, 0)',
    );
    expect(text(siteIndicatorSql('RELOCATED_PEOPLE')!)).toBe('si.people::float8');
  });

  it('ranges bind their bounds as parameters; no bound means "has a value"', () => {
    const value = sql`vi.population`;
    const both = rangeConditions(value, { indicator: 'WORKSHOP_JOBS', year: 2020, min: 1, max: 9 }).map(
      render,
    );
    expect(both.map((q) => q.sql)).toEqual(['vi.population >= $1', 'vi.population <= $1']);
    expect(both.map((q) => q.params)).toEqual([[1], [9]]);
    expect(rangeConditions(value, { indicator: 'WORKSHOP_JOBS', year: 2020 }).map(text)).toEqual([
      'vi.population IS NOT NULL',
    ]);
  });
});

describe('spatialConditions', () => {
  it('gives nothing for no filter', () => {
    expect(spatialConditions(geometry, null)).toEqual({ where: [], distance: null });
  });

  it('puts an index-usable && before every exact test', () => {
    const { where, distance } = spatialConditions(geometry, {
      bbox: [106, 26, 107, 27],
      near: { lon: 106.7, lat: 26.6, radiusMeters: 5000 },
      within: { type: 'Polygon', coordinates: [] },
      inRegion: '520102',
    });
    const texts = where.map(text);
    expect(texts).toHaveLength(8);
    for (let i = 0; i < texts.length; i += 2) {
      expect(texts[i]).toMatch(/^v\.location && /);
      expect(texts[i + 1]).toMatch(/^ST_(Intersects|DWithin)\(v\.location/);
    }
    expect(texts[3]).toContain('::geography');
    expect(text(distance!)).toBe(
      'ST_Distance(v.location::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography)',
    );
    // The region code and the polygon are parameters, never spliced into the text.
    expect(render(where[7]!).params).toEqual(['520102']);
    expect(texts[7]).not.toContain('520102');
  });

  it('widens the box for longitude with the latitude, and keeps it within 180 degrees near a pole', () => {
    const box = (lat: number) =>
      render(spatialConditions(geometry, { near: { lon: 0, lat, radiusMeters: 111_320 } }).where[0]!)
        .params as number[];
    const [minLonEquator, minLatEquator] = box(0);
    expect(minLatEquator).toBeCloseTo(-1.01, 6);
    expect(minLonEquator).toBeCloseTo(-1.01, 6);
    expect(box(60)[0]).toBeCloseTo(-2.02, 2);
    expect(box(89.9)[0]).toBeGreaterThanOrEqual(-180);
  });
});

describe('orderings and keyset cursors', () => {
  const byName: Ordering = {
    expr: sql`v.name`,
    type: 'text',
    direction: 'ASC',
    key: sql`v.code`,
    keyType: 'text',
  };

  it('sorts nulls last in both directions and breaks ties by the key', () => {
    expect(render(orderBySql(byName))).toEqual({
      sql: 'coalesce(v.name, $1) ASC, v.code ASC',
      params: ['\u{10FFFF}'],
    });
    expect(render(orderBySql({ ...byName, direction: 'DESC' }))).toEqual({
      sql: 'coalesce(v.name, $1) DESC, v.code DESC',
      params: [''],
    });
    const byKey = { ...byName, expr: byName.key };
    expect(text(orderBySql(byKey))).toBe('v.code ASC, v.code ASC');
  });

  it('continues after the cursor with a typed row comparison', () => {
    expect(render(keysetCondition(byName, ['花溪', '520111']))).toEqual({
      sql: '(coalesce(v.name, $1), v.code) > ($2::text, $3::text)',
      params: ['\u{10FFFF}', '花溪', '520111'],
    });
    const byIncome: Ordering = {
      ...byName,
      expr: sql`x`,
      type: 'float8',
      direction: 'DESC',
      keyType: 'int4',
    };
    expect(text(keysetCondition(byIncome, [null, 7]))).toBe(
      "(coalesce(x, '-Infinity'::float8), v.code) < (coalesce(NULL, '-Infinity'::float8), $1::int4)",
    );
  });

  it('refuses a cursor whose parts do not have the ordering types', () => {
    const byCount: Ordering = { ...byName, type: 'int4', keyType: 'int4' };
    for (const bad of [
      [1.5, 1],
      [1, '1'],
      [2 ** 31, 1],
      ['1', 1],
    ] as const) {
      expect(() => keysetCondition(byCount, bad as never)).toThrow(ListArgumentError);
    }
    expect(() => keysetCondition({ ...byName, type: 'float8' }, [Number.NaN, 'k'])).toThrow(
      /malformed cursor/,
    );
    expect(() => keysetCondition(byName, ['a', 1 as never])).toThrow(ListArgumentError);
  });
});

describe('chooseOrdering and indicator filters', () => {
  const figures: YearlyFigures = {
    join: (alias, year, kind) =>
      sql`${sql.raw(kind)} village_indicators ${sql.raw(alias)} ON ${sql.raw(alias)}.year = ${year}`,
    value: (indicator, alias) => villageIndicatorSql(indicator, alias),
    noun: 'villages',
  };
  const list = () => ({
    key: sql`v.code`,
    keyType: 'text' as const,
    name: sql`v.name`,
    distance: null,
    figures,
    joins: [] as SQL[],
  });

  it('orders by the key unless asked otherwise, and by an indicator through a LEFT JOIN of its year', () => {
    expect(chooseOrdering({ field: 'CODE' }, list())).toMatchObject({ type: 'text', direction: 'ASC' });
    const l = list();
    const o = chooseOrdering(
      { field: 'INDICATOR', indicator: 'WORKSHOP_JOBS', year: 2020, direction: 'DESC' },
      l,
    );
    expect(text(o.expr)).toBe('oi.workshop_jobs::float8');
    expect(l.joins.map(render)).toEqual([
      { sql: 'LEFT JOIN village_indicators oi ON oi.year = $1', params: [2020] },
    ]);
  });

  it('refuses what the list cannot order by, naming the argument', () => {
    const refusal = (order: Parameters<typeof chooseOrdering>[0]) => {
      try {
        chooseOrdering(order, list());
      } catch (error) {
        return { argument: (error as ListArgumentError).argument, message: (error as Error).message };
      }
      return null;
    };
    expect(refusal({ field: 'DISTANCE' })).toEqual({
      argument: 'orderBy',
      message: 'ordering by DISTANCE needs filter.spatial.near',
    });
    expect(refusal({ field: 'INDICATOR', indicator: 'WORKSHOP_JOBS' })?.message).toContain(
      'needs indicator and year',
    );
    expect(refusal({ field: 'INDICATOR', indicator: 'RELOCATED_PEOPLE', year: 2020 })).toEqual({
      argument: 'orderBy',
      message: 'indicator RELOCATED_PEOPLE is not collected for villages',
    });
  });

  it('an indicator filter joins its year and adds its bounds', () => {
    const joins: SQL[] = [];
    const conditions: SQL[] = [];
    addIndicatorFilter(figures, { indicator: 'WORKSHOP_JOBS', year: 2021, min: 5 }, joins, conditions);
    expect(joins.map(text)).toEqual(['JOIN village_indicators fi ON fi.year = $1']);
    expect(conditions.map(text)).toEqual(['fi.workshop_jobs::float8 >= $1']);
    expect(() => addIndicatorFilter(figures, { indicator: 'RELOCATED_PEOPLE', year: 2021 }, [], [])).toThrow(
      expect.objectContaining({ argument: 'filter.indicator' }),
    );
  });
});

describe('containsPattern', () => {
  it('matches anywhere and takes LIKE wildcards and backslashes literally', () => {
    expect(containsPattern('花溪')).toBe('%花溪%');
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
