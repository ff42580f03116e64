// The leadership map: one indicator, one year, regions coloured by class, with a legend that says
// what each colour means, overlays, a side panel per county, a compare view, and a banner when the
// data is the generated demo dataset. Everything the user sets lives in the URL.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from './api.ts';
import {
  type ChoroplethArgs,
  DATASET_AND_PROVINCES,
  KPIS,
  type Province,
  REGION,
  useChoropleth,
  useVillageIncomes,
} from './data/queries.ts';
import { demoBanner, demoNote } from './demo-label.ts';
import { INDICATOR_INFO, INDICATORS, type Indicator, type Lang, t } from './i18n.ts';
import { KpiCards } from './kpi-cards.tsx';
import { Legend } from './legend.tsx';
import { downloadPicture } from './map/export-png.ts';
import { MapView } from './map/map-view.tsx';
import { syncMaps } from './map/sync.ts';
import { choroplethThematic, monitoringLineThematic, type Thematic } from './map/thematic.ts';
import { LayerPanel } from './panels/layer-panel.tsx';
import { originFeatures, SitePanel, useSite } from './panels/site-panel.tsx';
import { Link } from './router.tsx';
import {
  type Compare,
  DEFAULT_LINE,
  FIRST_YEAR,
  formatView,
  LAST_YEAR,
  LEVELS,
  type Level,
  LINE_RANGE,
  METHODS,
  type Method,
  parseView,
  type ViewState,
} from './state/url-state.ts';

// The side panel and its chart library load on the first county click, not with the map.
const CountyPanel = lazy(() => import('./panels/county-panel.tsx').then((m) => ({ default: m.CountyPanel })));

const UNITS = { PROVINCE: 'provinces', PREFECTURE: 'prefectures', COUNTY: 'counties' } as const;
type Mode = 'value' | 'change' | 'line';
const NO_PROVINCES: Province[] = [];

/** The thematic model of one map: the monitoring line, or the API's classes of a value or change. */
function useThematic(
  view: ViewState,
  indicator: Indicator,
  year: number,
  onError: (message: string) => void,
  enabled = true,
): Thematic | null {
  const args: ChoroplethArgs | null = enabled
    ? {
        level: view.level,
        indicator,
        year,
        method: view.method,
        classes: view.classes,
        parent: view.region,
        change: view.change && year > FIRST_YEAR,
      }
    : null;
  const choropleth = useChoropleth(args, onError);
  const incomes = useVillageIncomes(
    enabled && view.line != null ? { level: view.level, year, parent: view.region } : null,
    onError,
  );
  return useMemo(() => {
    if (!choropleth) return null;
    if (view.line != null) {
      if (!incomes) return null;
      const shown = choropleth.values.length + choropleth.noData.length;
      return monitoringLineThematic(incomes, view.line, year, view.lang, shown);
    }
    return choroplethThematic(choropleth, indicator, year, view.lang);
  }, [choropleth, incomes, view.line, indicator, year, view.lang]);
}

export function App() {
  const [view, setView] = useState<ViewState>(() => parseView(window.location.search));
  const [error, setError] = useState<string | null>(null);
  const [siteId, setSiteId] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const lang = view.lang;
  const update = (patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch }));
  const onError = useCallback((message: string) => setError(message), []);

  useEffect(() => {
    window.history.replaceState(null, '', formatView(view));
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [view, lang]);

  const start = useQuery(DATASET_AND_PROVINCES, {}, onError);
  const dataset = start?.dataset ?? null;
  const provinces = start?.provinces ?? NO_PROVINCES;

  const thematic = useThematic(view, view.indicator, view.year, onError);
  const banner = demoBanner(dataset, lang);
  const compare = view.compare;
  const compareThematic = useThematic(
    view,
    compare?.kind === 'indicator' ? compare.indicator : view.indicator,
    compare?.kind === 'year' ? compare.year : view.year,
    onError,
    compare !== null,
  );

  const kpis =
    useQuery(
      KPIS,
      { year: view.year, parent: view.region, level: view.region ? 'COUNTY' : 'PROVINCE' },
      onError,
      { keepPrevious: true },
    )?.regionStats.find((r) => r.isTotal) ?? null;
  const region =
    useQuery(REGION, view.region ? { code: view.region } : null, onError, { keepPrevious: true })?.region ??
    null;

  // Play steps through the years, a second each, from the current one round to the first again.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(
      () =>
        setView((v) => {
          const first = v.change ? FIRST_YEAR + 1 : FIRST_YEAR;
          return { ...v, year: v.year >= LAST_YEAR ? first : v.year + 1 };
        }),
      1_000,
    );
    return () => clearInterval(timer);
  }, [playing]);

  const site = useSite(siteId, view.year, onError);
  const origins = useMemo(() => (site ? originFeatures(site, lang) : null), [site, lang]);

  // The compare view keeps both maps on the same camera.
  const maps = useRef<{ main: MapLibreMap | null; compare: MapLibreMap | null }>({
    main: null,
    compare: null,
  });
  const [compareReady, setCompareReady] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compareReady says a map was (re)created
  useEffect(() => {
    const { main, compare: second } = maps.current;
    if (!view.compare || !main || !second) return;
    return syncMaps(main, second);
  }, [view.compare, compareReady]);

  const mode: Mode = view.line != null ? 'line' : view.change ? 'change' : 'value';
  function setMode(next: Mode) {
    update({
      change: next === 'change',
      line: next === 'line' ? (view.line ?? DEFAULT_LINE) : null,
      year: next === 'change' && view.year === FIRST_YEAR ? FIRST_YEAR + 1 : view.year,
    });
  }

  function setCompare(kind: string) {
    const next: Compare | null =
      kind === 'year'
        ? { kind: 'year', year: view.year > FIRST_YEAR + 1 ? view.year - 5 : LAST_YEAR }
        : kind === 'indicator'
          ? {
              kind: 'indicator',
              indicator: view.indicator === 'EMPLOYMENT_RATE' ? 'PER_CAPITA_NET_INCOME' : 'EMPLOYMENT_RATE',
            }
          : null;
    update({ compare: next });
  }

  function exportPicture() {
    if (!maps.current.main || !thematic) return;
    const place = region?.name ?? t('nation', lang);
    downloadPicture(
      maps.current.main,
      {
        title: `${place} · ${thematic.title}`,
        subtitle: `${t('title', lang)} · ${new Date().toISOString().slice(0, 10)} · ${t(view.method, lang)}`,
        legendTitle: thematic.title,
        legend: thematic.legend.map((r) => ({
          colour: r.colour,
          label: r.label,
          count: `${r.count} ${t(UNITS[view.level], lang)}`,
        })),
        note: demoNote(dataset, lang),
      },
      `map-${view.indicator.toLowerCase()}-${view.year}${view.region ? `-${view.region}` : ''}.png`,
    );
  }

  const mapProps = {
    lang,
    provinces,
    level: view.level,
    bbox: region?.bbox ?? null,
    overlays: view.overlays,
    line: view.line,
    origins,
    selectedCounty: view.county,
    drill: !view.region,
    onProvinceClick: (code: string) => setView((v) => (v.region ? v : { ...v, region: code, county: null })),
    onCountyClick: (code: string) => {
      setSiteId(null);
      update({ county: code });
    },
    onSiteClick: (id: number) => {
      update({ county: null });
      setSiteId(id);
    },
  };
  const unit = t(UNITS[view.level], lang);

  return (
    <div className="app">
      <header>
        <h1>{t('title', lang)}</h1>
        <nav className="crumbs" data-testid="breadcrumbs">
          {view.region ? (
            <>
              <button type="button" onClick={() => update({ region: null, county: null })}>
                {t('nation', lang)}
              </button>
              <span>›</span>
              <span className="here">{region?.name ?? view.region}</span>
            </>
          ) : (
            <span className="here">{t('nation', lang)}</span>
          )}
        </nav>
        <label htmlFor="indicator">
          {t('indicator', lang)}
          <IndicatorSelect
            id="indicator"
            value={view.indicator}
            lang={lang}
            testId="indicator"
            onChange={(indicator) => update({ indicator })}
          />
        </label>
        <label>
          {t('year', lang)} <strong data-testid="year-label">{view.year}</strong>
          <input
            type="range"
            min={view.change ? FIRST_YEAR + 1 : FIRST_YEAR}
            max={LAST_YEAR}
            value={view.year}
            onChange={(e) => update({ year: Number(e.target.value) })}
            data-testid="year"
          />
          <button
            type="button"
            onClick={() => setPlaying((p) => !p)}
            data-testid="play"
            aria-pressed={playing}
          >
            {playing ? t('pause', lang) : t('play', lang)}
          </button>
        </label>
        <label>
          {t('show', lang)}
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="mode">
            <option value="value">{t('modeValue', lang)}</option>
            <option value="change">{t('changeVsPrevious', lang)}</option>
            <option value="line">{t('monitoringLine', lang)}</option>
          </select>
        </label>
        {view.line != null && (
          <span className="control">
            <input
              type="range"
              min={LINE_RANGE.min}
              max={15_000}
              step={100}
              value={view.line}
              onChange={(e) => update({ line: Number(e.target.value) })}
              data-testid="line"
            />
            <input
              type="number"
              className="line-number"
              min={LINE_RANGE.min}
              max={LINE_RANGE.max}
              step={100}
              value={view.line}
              onChange={(e) => {
                const line = Number(e.target.value);
                if (line >= LINE_RANGE.min && line <= LINE_RANGE.max) update({ line: Math.round(line) });
              }}
              data-testid="line-number"
            />
            {t('yuan', lang)}
          </span>
        )}
        <label>
          {t('level', lang)}
          <select
            value={view.level}
            onChange={(e) => update({ level: e.target.value as Level })}
            data-testid="level"
          >
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(l, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('method', lang)}
          <select
            value={view.method}
            onChange={(e) => update({ method: e.target.value as Method })}
            data-testid="method"
            disabled={mode === 'line'}
          >
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t(m, lang)}
              </option>
            ))}
          </select>
          <select
            value={view.classes}
            onChange={(e) => update({ classes: Number(e.target.value) })}
            data-testid="classes"
            disabled={mode === 'line'}
          >
            {[3, 4, 5, 6, 7, 8, 9].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('compare', lang)}
          <select
            value={compare?.kind ?? 'off'}
            onChange={(e) => setCompare(e.target.value)}
            data-testid="compare"
          >
            <option value="off">{t('compareOff', lang)}</option>
            <option value="year">{t('compareYear', lang)}</option>
            <option value="indicator">{t('compareIndicator', lang)}</option>
          </select>
          {compare?.kind === 'year' && (
            <select
              value={compare.year}
              onChange={(e) => update({ compare: { kind: 'year', year: Number(e.target.value) } })}
              data-testid="compare-year"
            >
              {Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          )}
          {compare?.kind === 'indicator' && (
            <IndicatorSelect
              value={compare.indicator}
              lang={lang}
              testId="compare-indicator"
              onChange={(indicator) => update({ compare: { kind: 'indicator', indicator } })}
            />
          )}
        </label>
        <Link to={`/supervision${lang === 'en' ? '?lang=en' : ''}`} testId="to-supervision">
          {t('supervision', lang)}
        </Link>
        <Link to={`/data${lang === 'en' ? '?lang=en' : ''}`} testId="to-data">
          {t('dataImport', lang)}
        </Link>
        <button
          type="button"
          onClick={() => update({ lang: lang === 'zh' ? 'en' : 'zh' })}
          data-testid="language"
        >
          {t('language', lang)}
        </button>
        <button type="button" onClick={exportPicture} disabled={!thematic} data-testid="export-png">
          {t('exportPng', lang)}
        </button>
      </header>
      {banner && (
        <div className="banner" data-testid="demo-banner" title={dataset?.label}>
          {banner}
        </div>
      )}
      {error && (
        <div className="error" role="alert">
          {error}
          <button type="button" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <main className={compare ? 'compare' : undefined}>
        <section className="pane">
          <MapView
            {...mapProps}
            name="main"
            thematic={thematic}
            year={view.year}
            onMap={(map) => {
              maps.current.main = map;
              setCompareReady((n) => n + 1);
            }}
          />
          {thematic ? (
            <Legend thematic={thematic} unit={unit} />
          ) : (
            <div className="legend">{t('loading', lang)}</div>
          )}
          <LayerPanel
            overlays={view.overlays}
            line={view.line}
            lang={lang}
            onChange={(overlays) => update({ overlays })}
          />
        </section>
        {compare && (
          <section className="pane">
            <MapView
              {...mapProps}
              name="compare"
              thematic={compareThematic}
              year={compare.kind === 'year' ? compare.year : view.year}
              onMap={(map) => {
                maps.current.compare = map;
                setCompareReady((n) => n + 1);
              }}
            />
            {compareThematic && <Legend thematic={compareThematic} unit={unit} testId="legend-compare" />}
          </section>
        )}
        {kpis && !view.county && !site && <KpiCards kpis={kpis} lang={lang} />}
        {view.county && (
          <Suspense fallback={<aside className="side-panel">{t('loading', lang)}</aside>}>
            <CountyPanel
              code={view.county}
              indicator={view.indicator}
              year={view.year}
              lang={lang}
              onClose={() => update({ county: null })}
            />
          </Suspense>
        )}
        {site && !view.county && <SitePanel site={site} lang={lang} onClose={() => setSiteId(null)} />}
      </main>
    </div>
  );
}

function IndicatorSelect(props: {
  id?: string;
  value: Indicator;
  lang: Lang;
  testId: string;
  onChange: (indicator: Indicator) => void;
}) {
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as Indicator)}
      data-testid={props.testId}
    >
      {INDICATORS.map((i) => (
        <option key={i} value={i}>
          {INDICATOR_INFO[i][props.lang]}
        </option>
      ))}
    </select>
  );
}
