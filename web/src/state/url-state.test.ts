import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatView, parseView, type ViewState } from './url-state.ts';

describe('view state in the URL', () => {
  it('round-trips a view with every part set', () => {
    const view: ViewState = {
      indicator: 'EMPLOYMENT_RATE',
      year: 2019,
      method: 'NATURAL_BREAKS',
      classes: 7,
      lang: 'en',
      region: '52',
      level: 'PREFECTURE',
      change: true,
      line: 4500,
      overlays: ['villages', 'supervision'],
      compare: { kind: 'year', year: 2015 },
      separateLegends: true,
      county: '522301',
      breaks: [-0.05, 0, 0.025, 0.05],
      camera: { lon: 106.7123, lat: 26.5781, zoom: 7.25, bearing: -12.5 },
    };
    expect(parseView(formatView(view))).toEqual(view);
    expect(formatView(view)).toContain('at=106.7123%2C26.5781%2C7.25%2C-12.5');
    const other = {
      ...view,
      change: false,
      line: null,
      compare: { kind: 'indicator', indicator: 'RELOCATED_PEOPLE' },
      camera: { lon: 104.5, lat: 35.5, zoom: 3.3, bearing: 0 },
    } as const;
    expect(parseView(formatView(other))).toEqual(other);
  });

  it('writes nothing for the defaults, so a plain link stays short', () => {
    expect(formatView(DEFAULT_VIEW)).toBe(
      '?indicator=PER_CAPITA_NET_INCOME&year=2021&method=QUANTILE&classes=5&lang=zh',
    );
  });

  it('falls back to defaults for anything unknown or out of range, never throwing', () => {
    expect(parseView('')).toEqual(DEFAULT_VIEW);
    expect(parseView('?region=5').region).toBeNull();
    expect(parseView('?indicator=GDP&year=1999&method=RANDOM&classes=42&lang=fr')).toEqual(DEFAULT_VIEW);
    expect(parseView('?year=2020.5&classes=2')).toMatchObject({
      year: DEFAULT_VIEW.year,
      classes: DEFAULT_VIEW.classes,
    });
    expect(
      parseView('?line=-5&layers=villages,rivers,sites&compare=year:1990&county=52&change=1&year=2014'),
    ).toMatchObject({
      line: null,
      overlays: ['villages', 'sites'],
      compare: null,
      county: null,
      change: false,
    });
    expect(parseView('?compare=indicator:GDP').compare).toBeNull();
    expect(parseView('?line=4000.4').line).toBe(4000);
    // Fixed bounds that do not rise, or too few or many, or not numbers, are not a legend.
    for (const breaks of ['3,2,1', '5', '1,2,3,4,5,6,7,8,9,10,11', '0,x,5', '0,,', '0,Infinity'])
      expect(parseView(`?breaks=${breaks}`).breaks, breaks).toBeNull();
    expect(parseView('?breaks=0,8000,12000').breaks).toEqual([0, 8000, 12000]);
    // A camera off the map, or not four numbers, opens the default view instead.
    for (const at of [
      '200,30,5',
      '100,90,5',
      '100,30,40',
      '100,30',
      '100,30,5,0,1',
      '100,,5',
      'a,b,c',
      '100,30,5,720',
    ])
      expect(parseView(`?at=${at}`).camera, at).toBeNull();
    // Sub-pixel digits are not written.
    expect(
      parseView(formatView({ ...DEFAULT_VIEW, camera: { lon: 1.234567, lat: 2, zoom: 3.14159, bearing: 0 } }))
        .camera,
    ).toEqual({
      lon: 1.2346,
      lat: 2,
      zoom: 3.14,
      bearing: 0,
    });
  });

  it('reads the layers of links written before the layer registry, in the panel order', () => {
    const view = parseView('?layers=keyAssistance,sites,villages,supervision');
    expect(view.overlays).toEqual(['villages', 'sites', 'supervision', 'keyAssistance']);
    expect(formatView(view)).toContain('layers=villages%2Csites%2Csupervision%2CkeyAssistance');
  });

  it('says what is wrong with typed class bounds', async () => {
    const { parseBreaks } = await import('./url-state.ts');
    expect(parseBreaks('0, 4000，8000 12000')).toEqual({ breaks: [0, 4000, 8000, 12000] });
    expect(parseBreaks('0, 4千')).toEqual({ problem: 'notNumber', text: '4千' });
    expect(parseBreaks('4000')).toEqual({ problem: 'count', count: 1 });
    expect(parseBreaks('0, 8000, 8000')).toEqual({ problem: 'notRising', value: 8000, after: 8000 });
  });

  it('drills only down and within the region shown, to a level below it', async () => {
    const { drillDown } = await import('./url-state.ts');
    const nation = {
      ...DEFAULT_VIEW,
      level: 'PROVINCE' as const,
      county: '520102',
      camera: { lon: 1, lat: 2, zoom: 3, bearing: 0 },
    };
    // Into a province: provinces are not below it, so its counties; selection and camera cleared.
    expect(drillDown(nation, '52')).toMatchObject({
      region: '52',
      level: 'COUNTY',
      county: null,
      camera: null,
    });
    const guizhou = { ...DEFAULT_VIEW, region: '52', level: 'PREFECTURE' as const };
    expect(drillDown(guizhou, '5201')).toMatchObject({ region: '5201', level: 'COUNTY' });
    // A neighbour's prefecture on the edge of the province's map, or a step up, changes nothing.
    expect(drillDown(guizhou, '5301')).toBe(guizhou);
    expect(drillDown(guizhou, '53')).toBe(guizhou);
  });
});
