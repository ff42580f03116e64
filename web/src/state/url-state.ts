// The whole view lives in the URL, so a link reproduces it. Parsing never throws: anything
// unknown falls back to the default, so an old or hand-edited link still opens a map.
import { DEFAULT_YEAR, FIRST_YEAR, LAST_YEAR } from '../facts.ts';
import { INDICATORS, type Indicator, type Lang } from '../i18n.ts';
import { OVERLAY_KEYS, type OverlayKey } from '../map/layers/registry.ts';

export type Method = 'QUANTILE' | 'EQUAL_INTERVAL' | 'NATURAL_BREAKS';
export type Level = 'PROVINCE' | 'PREFECTURE' | 'COUNTY';
export const LEVELS: readonly Level[] = ['PROVINCE', 'PREFECTURE', 'COUNTY'];
export const METHODS: readonly Method[] = ['QUANTILE', 'EQUAL_INTERVAL', 'NATURAL_BREAKS'];

export { FIRST_YEAR, LAST_YEAR };
/** The monitoring line a new threshold control starts at: 4,000 yuan, the 2020 line. */
export const DEFAULT_LINE = 4_000;
export const LINE_RANGE = { min: 1_000, max: 30_000 } as const;

/** The second map of the compare view: the same map in another year, or another indicator. */
export type Compare = { kind: 'year'; year: number } | { kind: 'indicator'; indicator: Indicator };

/** Where the map looks: centre, zoom and bearing (degrees clockwise from north). */
export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
  bearing: number;
}

export interface ViewState {
  indicator: Indicator;
  year: number;
  method: Method;
  classes: number;
  lang: Lang;
  /** The province (2-digit code) or prefecture (4-digit) drilled into, or null for the whole country. */
  region: string | null;
  /** Which regions the choropleth colours. */
  level: Level;
  /** Colour the change from the previous year instead of the value. */
  change: boolean;
  /** The monitoring line (yuan) when the map shows the share of villages under it, else null. */
  line: number | null;
  /** Overlays switched on above the choropleth (`layers` in the URL), in the registry's order. */
  overlays: OverlayKey[];
  compare: Compare | null;
  /**
   * The compare view's two maps of one indicator share their class breaks (computed over both
   * years), so that a colour means the same value on each; `legends=separate` gives each its own.
   */
  separateLegends: boolean;
  /** The county whose side panel is open. */
  county: string | null;
  /**
   * A fixed legend (`breaks=0,4000,8000,12000`): class bounds the reader set, kept across years,
   * the compare view and playback, so a colour means one band of values everywhere; null for bounds
   * computed by `method`. Cleared when the indicator or mode changes (the units change).
   */
  breaks: number[] | null;
  /**
   * The camera as the reader left it (`at=lon,lat,zoom[,bearing]`), so a link opens on the same
   * view; null until the map has moved, and again after a drill (the region's extent is shown).
   */
  camera: Camera | null;
}

export const DEFAULT_VIEW: ViewState = {
  indicator: 'PER_CAPITA_NET_INCOME',
  year: DEFAULT_YEAR,
  method: 'QUANTILE',
  classes: 5,
  lang: 'zh',
  region: null,
  level: 'COUNTY',
  change: false,
  line: null,
  overlays: [],
  compare: null,
  separateLegends: false,
  county: null,
  breaks: null,
  camera: null,
};

const isYear = (y: number) => Number.isInteger(y) && y >= FIRST_YEAR && y <= LAST_YEAR;
const isIndicator = (i: string | null): i is Indicator => INDICATORS.includes(i as Indicator);

function parseCompare(text: string | null): Compare | null {
  const [kind, value] = (text ?? '').split(':');
  if (kind === 'year' && isYear(Number(value))) return { kind, year: Number(value) };
  if (kind === 'indicator' && isIndicator(value ?? null)) return { kind, indicator: value as Indicator };
  return null;
}

/** The most class bounds a fixed legend takes (nine classes), as the API does. */
export const MAX_BREAKS = 10;

/** Why typed class bounds are not usable (the header says it in the reader's language). */
export type BreaksProblem =
  | { problem: 'notNumber'; text: string }
  | { problem: 'count'; count: number }
  | { problem: 'notRising'; value: number; after: number };

/** Class bounds typed by the reader or read from a link: 2–10 finite numbers, strictly ascending. */
export function parseBreaks(text: string): { breaks: number[] } | BreaksProblem {
  const parts = text
    .split(/[,，\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const breaks = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isFinite(breaks[i]!));
  if (bad !== undefined) return { problem: 'notNumber', text: bad };
  if (breaks.length < 2 || breaks.length > MAX_BREAKS) return { problem: 'count', count: breaks.length };
  const i = breaks.findIndex((b, k) => k > 0 && b <= breaks[k - 1]!);
  if (i > 0) return { problem: 'notRising', value: breaks[i]!, after: breaks[i - 1]! };
  return { breaks };
}

/** `lon,lat,zoom[,bearing]` within the map's bounds, or null. */
function parseCamera(text: string | null): Camera | null {
  const parts = (text ?? '').split(',');
  if (parts.length < 3 || parts.length > 4 || parts.some((p) => p.trim() === '')) return null;
  const [lon, lat, zoom, bearing = 0] = parts.map(Number) as [number, number, number, number?];
  const within = (x: number, low: number, high: number) => Number.isFinite(x) && x >= low && x <= high;
  if (!within(lon, -180, 180) || !within(lat, -85, 85) || !within(zoom, 0, 22) || !within(bearing, -180, 180))
    return null;
  return { lon, lat, zoom, bearing };
}

/** The camera as the URL writes it: as many decimals as a screen pixel needs, no more. */
export function formatCamera(c: Camera): string {
  const parts = [c.lon.toFixed(4), c.lat.toFixed(4), c.zoom.toFixed(2)].map((x) => String(Number(x)));
  const bearing = Number(c.bearing.toFixed(1));
  return (bearing ? [...parts, String(bearing)] : parts).join(',');
}

/** The levels a map of the region can colour: those below it (a prefecture's map is of counties). */
export function levelsBelow(region: string | null): readonly Level[] {
  if (!region) return LEVELS;
  return region.length === 2 ? ['PREFECTURE', 'COUNTY'] : ['COUNTY'];
}

/** The view drilled into a province or prefecture: framed (no camera), nothing selected, a level below it. */
export function drilledInto(view: ViewState, region: string): ViewState {
  const level = levelsBelow(region).includes(view.level) ? view.level : 'COUNTY';
  return { ...view, region, level, county: null, camera: null };
}

/**
 * A click's drill from the view: only down, and only within the region shown (a province's map
 * also draws its neighbours' counties, whose prefectures are not below it). Else the view as it was.
 */
export function drillDown(view: ViewState, region: string): ViewState {
  const below = region.length > (view.region?.length ?? 0) && region.startsWith(view.region ?? '');
  return below ? drilledInto(view, region) : view;
}

function fixedBreaks(text: string | null): number[] | null {
  const parsed = text == null ? null : parseBreaks(text);
  return parsed && 'breaks' in parsed ? parsed.breaks : null;
}

export function parseView(search: string): ViewState {
  const p = new URLSearchParams(search);
  const indicator = p.get('indicator');
  const year = Number(p.get('year'));
  const method = p.get('method') as Method;
  const classes = Number(p.get('classes'));
  const line = Number(p.get('line'));
  const region = p.get('region') ?? '';
  const regionCode = /^\d{2}(\d{2})?$/.test(region) ? region : null;
  const level = p.get('level') as Level;
  const county = p.get('county') ?? '';
  const parsedYear = isYear(year) ? year : DEFAULT_VIEW.year;
  const compare = parseCompare(p.get('compare'));
  return {
    indicator: isIndicator(indicator) ? indicator : DEFAULT_VIEW.indicator,
    year: parsedYear,
    method: METHODS.includes(method) ? method : DEFAULT_VIEW.method,
    classes: Number.isInteger(classes) && classes >= 3 && classes <= 9 ? classes : DEFAULT_VIEW.classes,
    lang: p.get('lang') === 'en' ? 'en' : 'zh',
    region: regionCode,
    level: levelsBelow(regionCode).includes(level) ? level : DEFAULT_VIEW.level,
    // The first year has no previous one to compare with.
    change: p.get('change') === '1' && parsedYear > FIRST_YEAR,
    line:
      p.has('line') && Number.isFinite(line) && line >= LINE_RANGE.min && line <= LINE_RANGE.max
        ? Math.round(line)
        : null,
    overlays: OVERLAY_KEYS.filter((o) => (p.get('layers') ?? '').split(',').includes(o)),
    compare,
    separateLegends: compare !== null && p.get('legends') === 'separate',
    county: /^\d{6}$/.test(county) ? county : null,
    breaks: fixedBreaks(p.get('breaks')),
    camera: parseCamera(p.get('at')),
  };
}

export function formatView(view: ViewState): string {
  const p = new URLSearchParams({
    indicator: view.indicator,
    year: String(view.year),
    method: view.method,
    classes: String(view.classes),
    lang: view.lang,
  });
  if (view.region) p.set('region', view.region);
  if (view.level !== 'COUNTY') p.set('level', view.level);
  if (view.change) p.set('change', '1');
  if (view.line != null) p.set('line', String(view.line));
  if (view.overlays.length) p.set('layers', view.overlays.join(','));
  if (view.compare)
    p.set(
      'compare',
      view.compare.kind === 'year' ? `year:${view.compare.year}` : `indicator:${view.compare.indicator}`,
    );
  if (view.compare && view.separateLegends) p.set('legends', 'separate');
  if (view.county) p.set('county', view.county);
  if (view.breaks) p.set('breaks', view.breaks.join(','));
  if (view.camera) p.set('at', formatCamera(view.camera));
  return `?${p.toString()}`;
}
