// The whole view lives in the URL, so a link reproduces it. Parsing never throws: anything
// unknown falls back to the default, so an old or hand-edited link still opens a map.
import { INDICATORS, type Indicator, type Lang } from '../i18n.ts';

export type Method = 'QUANTILE' | 'EQUAL_INTERVAL' | 'NATURAL_BREAKS';
export type Level = 'PROVINCE' | 'PREFECTURE' | 'COUNTY';
export const LEVELS: readonly Level[] = ['PROVINCE', 'PREFECTURE', 'COUNTY'];
export const METHODS: readonly Method[] = ['QUANTILE', 'EQUAL_INTERVAL', 'NATURAL_BREAKS'];

export interface ViewState {
  indicator: Indicator;
  year: number;
  method: Method;
  classes: number;
  lang: Lang;
  /** The province drilled into (2-digit code), or null for the whole country. */
  region: string | null;
  /** Which regions the choropleth colours. */
  level: Level;
}

export const DEFAULT_VIEW: ViewState = {
  indicator: 'PER_CAPITA_NET_INCOME',
  year: 2021,
  method: 'QUANTILE',
  classes: 5,
  lang: 'zh',
  region: null,
  level: 'COUNTY',
};

export function parseView(search: string): ViewState {
  const p = new URLSearchParams(search);
  const indicator = p.get('indicator') as Indicator;
  const year = Number(p.get('year'));
  const method = p.get('method') as Method;
  const classes = Number(p.get('classes'));
  return {
    indicator: INDICATORS.includes(indicator) ? indicator : DEFAULT_VIEW.indicator,
    year: Number.isInteger(year) && year >= 2014 && year <= 2025 ? year : DEFAULT_VIEW.year,
    method: METHODS.includes(method) ? method : DEFAULT_VIEW.method,
    classes: Number.isInteger(classes) && classes >= 3 && classes <= 9 ? classes : DEFAULT_VIEW.classes,
    lang: p.get('lang') === 'en' ? 'en' : 'zh',
    region: /^\d{2}$/.test(p.get('region') ?? '') ? p.get('region') : null,
    level: LEVELS.includes(p.get('level') as Level) ? (p.get('level') as Level) : DEFAULT_VIEW.level,
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
  return `?${p.toString()}`;
}
